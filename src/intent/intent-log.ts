// The intent log, .specwright/intent.jsonl: a person's words, kept verbatim
// and forever, with what became of them. Append-only, one JSON event per
// line, each line fsynced before the caller goes on, so a crash, Ctrl-C or a
// model that is down never loses what someone said. Nothing is rewritten in
// place: a proposal, a decision or a build link is a later line about the
// same id. Entries (I-0001, never reused) are folded from their events.

import { mkdir, open, readFile, rmdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { syncDirectory } from "../fs/atomic-write.js";
import type { FindingReport } from "../audit/findings.js";

export const INTENT_LOG = join(".specwright", "intent.jsonl");
const LOG_VERSION = 1;

/** Where a request was made from, and what was selected there. */
export interface IntentContext {
  /** "cli ask", "cli new --draft", "cli confirm", "tui specs", "retro", "focused audit of I-0001"… */
  source: string;
  spec?: string;
  file?: string;
  anchor?: string;
  line?: number;
  finding?: string;
  task?: string;
  trace?: string;
  /**
   * Tasks the request is for: a retro's recommendation names the tasks whose
   * builds showed the need, and the impact says whether the change reaches
   * each of them. Absent in lines written before it was added.
   */
  tasks?: string[];
}

/** One edit of a proposal: search/replace over one spec file (empty search: a new file). */
export interface IntentEdit {
  file: string;
  search: string;
  replace: string;
  /** explicit: what the person said; inferred: a gap the model filled (marked [inferred] in the spec). */
  kind: "explicit" | "inferred";
  reason: string;
}

/** A spec file a proposal or decision changes, with sha256 of its text before and after ("" = no file). */
export interface FileChange {
  file: string;
  before: string;
  after: string;
}

/** A spec part a decision changed: `requirements/<anchor>`, `components/<Name>` or a section name, per spec. */
export interface ChangedRef {
  spec: string;
  ref: string;
  change: "added" | "changed" | "removed";
}

export type IntentKind = "ask" | "draft" | "confirm" | "reject-inferred" | "recommendation" | "follow-up";

/** A problem the focused audit after an applied change found in the parts it touched. */
export interface FocusedFinding extends FindingReport {
  /** Its edit is in the follow-up entry (false: only the suggestion, the fix needs text the audit was not shown). */
  edit: boolean;
}

export type IntentEvent =
  | { event: "request"; id: string; at: string; author: string; kind: IntentKind; words: string; context: IntentContext; thread?: string }
  | {
      event: "proposal";
      id: string;
      at: string;
      model: string;
      trace: string;
      edits: IntentEdit[];
      questions: string[];
      assumptions: string[];
      /** True when the assumptions were written into the spec ([inferred], under Assumptions of `assumptionsFile`) instead of waiting for answers. */
      assumed?: boolean;
      assumptionsFile?: string;
      files: FileChange[];
      /** Model calls this proposal took (asks, re-asks with diagnostics). */
      calls: number;
      /** Spec files the prompt left out for the context budget. */
      leftOut: string[];
      /** Estimated prompt tokens the ask's context was sized for (the focused audit after it asks for the same context: no reload). */
      promptTokens?: number;
    }
  | { event: "unanswered"; id: string; at: string; reason: string }
  | { event: "refused"; id: string; at: string; reason: string; diagnostics?: string[] }
  | {
      event: "decision";
      id: string;
      at: string;
      decision: "accepted" | "edited" | "rejected";
      /** Numbers of the hunks applied (1-based over the proposal's diff), when not all were. */
      hunks?: number[];
      diff?: string;
      /** The person's own changes to the proposal (a diff against it), for "edited". */
      personEdits?: string;
      files?: FileChange[];
      changed?: ChangedRef[];
      /** Plan tasks whose spec input this decision changed: the next build rebuilds them. */
      tasks?: string[];
      reason?: string;
    }
  | { event: "built"; id: string; at: string; task: string; commit: string }
  | {
      event: "audited";
      id: string;
      at: string;
      model: string;
      trace: string;
      calls: number;
      /** Estimated tokens of the focused audit's prompt. */
      promptTokens: number;
      /** The parts of the specs shown, `file:from-to`. */
      parts: string[];
      findings: FocusedFinding[];
      /** The entry (kind follow-up, same thread) holding the findings' edits, pending. */
      followUp?: string;
    };

export type IntentStatus = "unanswered" | "questions" | "pending" | "refused" | "accepted" | "edited" | "rejected" | "confirmed";

/** An entry folded from its events: the request and the latest of each later kind. */
export interface IntentEntry {
  id: string;
  request: Extract<IntentEvent, { event: "request" }>;
  status: IntentStatus;
  proposal?: Extract<IntentEvent, { event: "proposal" }>;
  decision?: Extract<IntentEvent, { event: "decision" }>;
  /** Why the latest answer failed, when it did. */
  problem?: string;
  built: { task: string; commit: string; at: string }[];
  /** The focused audit after the change was applied, when one ran. */
  audit?: Extract<IntentEvent, { event: "audited" }>;
  /** Every event of the entry, in log order. */
  events: IntentEvent[];
}

export type IntentLogRead = { ok: true; entries: IntentEntry[]; events: IntentEvent[] } | { ok: false; problem: string; hint: string };

export function intentLogPath(root: string): string {
  return join(root, INTENT_LOG);
}

/** `I-0007` from 7. */
export function intentId(n: number): string {
  return `I-${String(n).padStart(4, "0")}`;
}

/** Accepts `I-0007`, `i-7`, `7`; undefined for anything else. */
export function parseIntentId(text: string): string | undefined {
  const m = /^(?:i-?)?(\d{1,9})$/i.exec(text.trim());
  return m ? intentId(Number(m[1])) : undefined;
}

/**
 * Reads the log. A line that is not an event is a problem at its line (a
 * person may have edited the file): the log is the user's record and is never
 * silently skipped — except a torn line (a JSON object cut off), which only a
 * crash in the middle of a write leaves and which held no complete event.
 */
export async function readIntentLog(root: string): Promise<IntentLogRead> {
  let text: string;
  try {
    text = await readFile(intentLogPath(root), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, entries: [], events: [] };
    return { ok: false, problem: `cannot read ${INTENT_LOG}: ${(error as Error).message}`, hint: "check the file's permissions" };
  }
  const lines = text.split("\n");
  const torn = !text.endsWith("\n") && text !== "";
  const events: IntentEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      // A write cut short by a crash ends mid-object; the next append starts a new line after it.
      if ((torn && i === lines.length - 1) || (line.startsWith('{"v":') && /end of JSON input|Unterminated string/i.test((error as Error).message))) continue;
      const col = /position (\d+)/.exec((error as Error).message);
      return {
        ok: false,
        problem: `${INTENT_LOG}:${i + 1}:${col ? Number(col[1]) + 1 : 1}: not a JSON object: ${line.slice(0, 60)}${line.length > 60 ? "…" : ""}`,
        hint: "the log is append-only; restore the line from git (`git diff .specwright/intent.jsonl`)",
      };
    }
    const problem = eventProblem(value);
    if (problem) return { ok: false, problem: `${INTENT_LOG}:${i + 1}:1: ${problem}`, hint: "the log is append-only; restore the line from git" };
    events.push(value as IntentEvent);
  }
  return { ok: true, entries: foldEntries(events), events };
}

function eventProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const v = value as Record<string, unknown>;
  if (typeof v.id !== "string" || !/^I-\d{4,}$/.test(v.id)) return `"id" must be an intent id like I-0001`;
  if (!["request", "proposal", "unanswered", "refused", "decision", "built", "audited"].includes(String(v.event))) return `unknown event ${JSON.stringify(v.event)}`;
  if (v.event === "request" && typeof v.words !== "string") return `a request needs "words"`;
  return undefined;
}

export function foldEntries(events: readonly IntentEvent[]): IntentEntry[] {
  const byId = new Map<string, IntentEntry>();
  for (const e of events) {
    if (e.event === "request") {
      byId.set(e.id, { id: e.id, request: e, status: "unanswered", built: [], events: [e] });
      continue;
    }
    const entry = byId.get(e.id);
    if (!entry) continue;
    entry.events.push(e);
    switch (e.event) {
      case "proposal":
        entry.proposal = e;
        delete entry.problem;
        entry.status = e.questions.length > 0 && e.assumed !== true ? "questions" : "pending";
        break;
      case "unanswered":
        entry.status = "unanswered";
        entry.problem = e.reason;
        break;
      case "refused":
        entry.status = "refused";
        entry.problem = e.reason;
        break;
      case "decision":
        entry.decision = e;
        entry.status = e.decision;
        break;
      case "built":
        entry.built.push({ task: e.task, commit: e.commit, at: e.at });
        break;
      case "audited":
        entry.audit = e;
        break;
    }
  }
  return [...byId.values()];
}

/** Line breaks a log line must not contain are escaped by JSON; the line is one write. */
function lineOf(event: IntentEvent): string {
  return JSON.stringify({ v: LOG_VERSION, ...event }) + "\n";
}

/**
 * Appends events and fsyncs the file before resolving. The first write
 * creates the file and fsyncs its directory, so the entry survives a power cut.
 */
export async function appendIntentEvents(root: string, events: readonly IntentEvent[]): Promise<void> {
  const path = intentLogPath(root);
  await mkdir(dirname(path), { recursive: true });
  const existed = await stat(path).then(
    (s) => s.size,
    () => -1,
  );
  const handle = await open(path, "a");
  try {
    // A torn last line (a crash mid-write) must not swallow this event.
    let prefix = "";
    if (existed > 0) {
      const tail = Buffer.alloc(1);
      const read = await open(path, "r");
      try {
        await read.read(tail, 0, 1, existed - 1);
      } finally {
        await read.close();
      }
      if (tail[0] !== 0x0a) prefix = "\n";
    }
    await handle.write(prefix + events.map(lineOf).join(""));
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (existed < 0) await syncDirectory(dirname(path));
}

const ID_LOCK_STALE_MS = 10_000;

/**
 * Runs `work` holding the log's own short lock (a directory made with mkdir,
 * atomic on every file system), so two requests never get the same id. It is
 * not the run lock: a request is logged even while a build holds that.
 */
export async function withIntentLogLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const lock = intentLogPath(root) + ".lock";
  await mkdir(dirname(lock), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      // A holder killed between mkdir and rmdir leaves the directory; appends take milliseconds.
      if (age > ID_LOCK_STALE_MS) await rmdir(lock).catch(() => undefined);
      else if (Date.now() - started > 2 * ID_LOCK_STALE_MS) throw new Error(`${lock} is held for too long`);
      else await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

/** Logs a new request under the next id; resolves once it is on disk. */
export async function logRequest(
  root: string,
  request: { author: string; kind: IntentKind; words: string; context: IntentContext; thread?: string; at?: string },
): Promise<Extract<IntentEvent, { event: "request" }>> {
  return withIntentLogLock(root, async () => {
    const read = await readIntentLog(root);
    // A log that cannot be read still must not lose the words: number after the highest id seen in the raw text.
    const highest = read.ok ? Math.max(0, ...read.events.map((e) => Number(e.id.slice(2)))) : await highestRawId(root);
    const event: Extract<IntentEvent, { event: "request" }> = {
      event: "request",
      id: intentId(highest + 1),
      at: request.at ?? new Date().toISOString(),
      author: request.author,
      kind: request.kind,
      words: request.words,
      context: request.context,
      ...(request.thread !== undefined ? { thread: request.thread } : {}),
    };
    await appendIntentEvents(root, [event]);
    return event;
  });
}

async function highestRawId(root: string): Promise<number> {
  const text = await readFile(intentLogPath(root), "utf8").catch(() => "");
  return Math.max(0, ...[...text.matchAll(/"id":"I-(\d+)"/g)].map((m) => Number(m[1])));
}

/** Appends one later event about an existing entry. */
export async function logEvent(root: string, event: Exclude<IntentEvent, { event: "request" }>): Promise<void> {
  await withIntentLogLock(root, () => appendIntentEvents(root, [event]));
}
