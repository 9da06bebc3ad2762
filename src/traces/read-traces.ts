// Reading traces back for `specwright traces` (and later the TUI's browser):
// runs, the calls inside a run, and one call's files. Files written by an
// interrupted run are read as they are; a missing or torn meta.json is
// reported as unknown rather than failing the listing.

import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { META_FILE, PROMPT_FILE, RESPONSE_FILE, THINKING_FILE, type CallMeta } from "./call-recorder.js";
import { RUN_FILE } from "./trace-run.js";
import { listRunIds, runsDir } from "./run-folder.js";

export interface RunSummary {
  id: string;
  command: string;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  calls: number;
  failed: number;
  /** Calls whose meta.json still says "in-progress": the run was interrupted or crashed during them. */
  unfinished: number;
  /** run.json's label when the run talked to the scripted demo instead of a model. */
  scriptedDemo?: string;
}

/** How a build attempt's verify commands ended, from the last line of its verify.log; undefined when none ran. */
export type VerifyVerdict = "passed" | "failed" | "aborted";

export interface CallSummary {
  /** Run-relative folder: "tasks/T003/attempt-1" or "calls/audit-WORDFREQ-1". */
  path: string;
  meta: CallMeta | undefined;
  /** A build attempt whose verify commands ran: how they ended. */
  verify?: VerifyVerdict;
}

export interface CallFiles {
  path: string;
  meta: CallMeta | undefined;
  prompt: string | undefined;
  response: string | undefined;
  thinking: string | undefined;
  /** A build attempt's verify.log, when its verify commands ran. */
  verifyLog?: string;
  verify?: VerifyVerdict;
}

/**
 * What became of a call, in one word or two, the same for `specwright traces`
 * and the TUI: the model call's own outcome, and for a build attempt whose
 * reply was fine, how its verify commands ended ("verify failed" is not "ok").
 */
export function callOutcome(call: Pick<CallSummary, "meta" | "verify">): string {
  const meta = call.meta;
  if (!meta) return "unknown (no meta.json)";
  if (meta.outcome === "failed") return `failed: ${meta.error?.kind ?? "?"}`;
  if (meta.outcome !== "ok") return meta.outcome;
  if (call.verify === "failed") return "verify failed";
  if (call.verify === "aborted") return "verify aborted";
  return "ok";
}

/** The verdict formatVerifyLog writes on the last line ("# passed in 1.2 s"). */
export function verifyVerdict(log: string | undefined): VerifyVerdict | undefined {
  if (log === undefined) return undefined;
  const last = /(?:^|\n)# (passed|failed|aborted) in [^\n]*\n?$/.exec(log);
  return last ? (last[1] as VerifyVerdict) : undefined;
}

export async function listRuns(projectRoot: string): Promise<RunSummary[]> {
  const ids = await listRunIds(projectRoot);
  return Promise.all(
    ids.map(async (id) => {
      const info = await readJson(join(runsDir(projectRoot), id, RUN_FILE));
      const calls = await listCalls(projectRoot, id);
      return {
        id,
        command: typeof info?.["command"] === "string" ? info["command"] : id.slice(21),
        startedAt: typeof info?.["startedAt"] === "string" ? info["startedAt"] : undefined,
        finishedAt: typeof info?.["finishedAt"] === "string" ? info["finishedAt"] : undefined,
        calls: calls.length,
        failed: calls.filter((c) => c.meta?.outcome === "failed" || c.verify === "failed").length,
        unfinished: calls.filter((c) => c.meta?.outcome === "in-progress").length,
        ...(typeof info?.["scriptedDemo"] === "string" ? { scriptedDemo: info["scriptedDemo"] } : {}),
      };
    }),
  );
}

/** Resolves a run argument: an exact id, "last"/"latest", or a unique prefix. */
export async function resolveRun(projectRoot: string, arg: string): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const ids = await listRunIds(projectRoot);
  if (ids.length === 0) return { ok: false, message: "no runs recorded yet" };
  if (arg === "last" || arg === "latest") return { ok: true, id: ids[ids.length - 1]! };
  if (ids.includes(arg)) return { ok: true, id: arg };
  const matches = ids.filter((id) => id.startsWith(arg));
  if (matches.length === 1) return { ok: true, id: matches[0]! };
  if (matches.length > 1) return { ok: false, message: `'${arg}' matches ${matches.length} runs: ${matches.slice(0, 3).join(", ")}…` };
  return { ok: false, message: `no run '${arg}'` };
}

/** Every call folder in a run: build attempts first (by task, attempt), then other calls. */
export async function listCalls(projectRoot: string, runId: string): Promise<CallSummary[]> {
  const runDir = join(runsDir(projectRoot), runId);
  const paths: string[] = [];
  for (const task of await subdirs(join(runDir, "tasks"))) {
    const attempts = (await subdirs(join(runDir, "tasks", task))).filter((a) => /^attempt-\d+$/.test(a));
    attempts.sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
    paths.push(...attempts.map((a) => `tasks/${task}/${a}`));
  }
  const calls = await subdirs(join(runDir, "calls"));
  calls.sort(byNameThenNumber);
  paths.push(...calls.map((c) => `calls/${c}`));
  return Promise.all(
    paths.map(async (path) => {
      const [meta, log] = await Promise.all([readJson(join(runDir, path, META_FILE)), path.startsWith("tasks/") ? readText(join(runDir, path, VERIFY_LOG)) : undefined]);
      const verify = verifyVerdict(log);
      return { path, meta: meta as CallMeta | undefined, ...(verify ? { verify } : {}) };
    }),
  );
}

export async function readCall(projectRoot: string, runId: string, path: string): Promise<CallFiles | undefined> {
  const dir = join(runsDir(projectRoot), runId, path);
  const [meta, prompt, response, thinking, verifyLog] = await Promise.all([
    readJson(join(dir, META_FILE)),
    readText(join(dir, PROMPT_FILE)),
    readText(join(dir, RESPONSE_FILE)),
    readText(join(dir, THINKING_FILE)),
    path.startsWith("tasks/") ? readText(join(dir, VERIFY_LOG)) : undefined,
  ]);
  if (meta === undefined && prompt === undefined) return undefined;
  const verify = verifyVerdict(verifyLog);
  return { path, meta: meta as CallMeta | undefined, prompt, response, thinking, ...(verifyLog !== undefined ? { verifyLog } : {}), ...(verify ? { verify } : {}) };
}

/** The file a build attempt's verify commands are logged in, next to its call files. */
export const VERIFY_LOG = "verify.log";

/** An attempt's verify.log (task attempts only; calls outside a task have none). */
export function readVerifyLog(projectRoot: string, runId: string, path: string): Promise<string | undefined> {
  return readText(join(runsDir(projectRoot), runId, path, VERIFY_LOG));
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

function byNameThenNumber(a: string, b: string): number {
  const split = (s: string) => /^(.*)-(\d+)$/.exec(s) ?? [s, s, "0"];
  const [, na, ia] = split(a);
  const [, nb, ib] = split(b);
  return na!.localeCompare(nb!) || Number(ia) - Number(ib);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await readText(path);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
