// What the build screen says in plain accessible mode in place of its live
// region: a log folded from the engine's events, one line per thing a person
// would want read out — an attempt that starts again, a verify result (a failing
// one with the last lines of its output), a review's verdicts — and, while a
// task works, a progress line at most every PLAIN_PROGRESS_MS
// ("T003: 412 tokens, 18 s"). Never the reply nor the verify output as it
// streams: a screen reader reads every printed line (docs/tui.md). The task
// rows above it say each state change; this log does not say them again.
// A plain reducer; time arrives with the actions.

import { describeEnd } from "../../src/build/verify-log.js";
import { reviewSummary, verdictLine, type AttemptKind, type BuildEvent } from "../../src/build/build-events.js";
import { PLAIN_PROGRESS_MS } from "../plain-mode.js";

/** Log lines kept: more than a screen shows, bounded for a long build. */
export const LOG_KEPT = 200;
/** Lines of a failing verify's output told (its last ones with a letter or digit); the rest is in the trace. */
export const VERIFY_TAIL = 3;
/** Failing verdicts of a review told; the rest is in the trace. */
const VERDICTS_TOLD = 3;

interface Working {
  attempt: number;
  kind: AttemptKind;
  phase: "generating" | "verifying" | "reviewing";
  /** When the phase began. */
  since: number;
  /** When the last progress line was told (or the phase began): the next waits PLAIN_PROGRESS_MS from here, as does the first. */
  lastAt: number;
  /** Pieces streamed in this attempt (Ollama streams one token per piece), thinking included. */
  tokens: number;
  /** The running verify command. */
  command?: string;
  /** A verify or a review of this attempt already said why it failed. */
  told: boolean;
}

export interface PlainBuildLog {
  lines: string[];
  working: Record<string, Working>;
}

export type PlainBuildLogAction = { type: "start" } | { type: "events"; events: readonly BuildEvent[]; now: number } | { type: "tick"; now: number };

export function initialPlainBuildLog(): PlainBuildLog {
  return { lines: [], working: {} };
}

export function plainBuildLogReducer(state: PlainBuildLog, action: PlainBuildLogAction): PlainBuildLog {
  switch (action.type) {
    case "start":
      return initialPlainBuildLog();
    case "events": {
      const next: PlainBuildLog = { lines: [...state.lines], working: { ...state.working } };
      for (const event of action.events) apply(next, event, action.now);
      return keep(next);
    }
    case "tick": {
      const due = Object.entries(state.working).filter(([, w]) => action.now - w.lastAt >= PLAIN_PROGRESS_MS);
      // Nothing to say: the same state, so the screen does not render again.
      if (due.length === 0) return state;
      const next: PlainBuildLog = { lines: [...state.lines], working: { ...state.working } };
      for (const [id, w] of due) {
        next.lines.push(progressLine(id, w, action.now));
        next.working[id] = { ...w, lastAt: action.now };
      }
      return keep(next);
    }
  }
}

function keep(log: PlainBuildLog): PlainBuildLog {
  if (log.lines.length > LOG_KEPT) log.lines.splice(0, log.lines.length - LOG_KEPT);
  return log;
}

/** `T003: 412 tokens, 18 s`, `T002 attempt 2 (fix): verifying for 24 s`: what a task is doing and for how long. */
export function progressLine(id: string, w: Working, now: number): string {
  const who = w.attempt > 1 ? `${id} attempt ${w.attempt} (${w.kind})` : id;
  const seconds = `${Math.floor((now - w.since) / 1000)} s`;
  switch (w.phase) {
    case "generating":
      return `${who}: ${w.tokens} token${w.tokens === 1 ? "" : "s"}, ${seconds}`;
    case "verifying":
      return `${who}: verifying for ${seconds}${w.command !== undefined ? ` (${w.command})` : ""}`;
    case "reviewing":
      return `${who}: the review has run for ${seconds}`;
  }
}

function apply(log: PlainBuildLog, event: BuildEvent, now: number): void {
  const say = (line: string) => log.lines.push(line);
  const phase = (id: string, change: Partial<Working> & Pick<Working, "phase">) => {
    const w = log.working[id];
    if (w) log.working[id] = { ...w, ...change, since: now, lastAt: now };
  };
  switch (event.type) {
    case "attempt-started":
      log.working[event.id] = { attempt: event.attempt, kind: event.kind, phase: "generating", since: now, lastAt: now, tokens: 0, told: false };
      // The first attempt's start is the task row's "generating"; a later one says why it runs again.
      if (event.attempt > 1 || event.endpoint !== undefined) say(`${event.id} attempt ${event.attempt} (${event.kind})${event.endpoint !== undefined ? ` on ${event.endpoint.replace(/^https?:\/\//, "")}` : ""}`);
      return;
    case "model": {
      const w = log.working[event.id];
      if (w && event.event.type === "delta") log.working[event.id] = { ...w, tokens: w.tokens + 1 };
      return;
    }
    case "verify-started":
      phase(event.id, { phase: "verifying", command: event.command });
      return;
    case "verify-finished": {
      const r = event.result;
      const seconds = `${(r.durationMs / 1000).toFixed(1)} s`;
      if (r.exitCode === 0 && r.spawnError === undefined) {
        say(`${event.id} verify ok: ${r.command} (${seconds})`);
        return;
      }
      say(`${event.id} verify failed (${describeEnd(r)}, ${seconds}): ${r.command}`);
      // Rules ("-----") and blank lines say nothing read aloud.
      const tail = r.output.split(/\r?\n/).filter((l) => /[\p{L}\p{N}]/u.test(l)).slice(-VERIFY_TAIL);
      for (const line of tail) say(`  ${line.trimEnd()}`);
      const w = log.working[event.id];
      if (w) log.working[event.id] = { ...w, told: true };
      return;
    }
    case "review-started":
      phase(event.id, { phase: "reviewing" });
      return;
    case "review-finished": {
      say(`${event.id} ${reviewSummary(event)}`);
      const fails = event.verdicts.filter((v) => v.verdict === "fail");
      for (const v of fails.slice(0, VERDICTS_TOLD)) say(`  ${verdictLine(v)}`);
      if (fails.length > VERDICTS_TOLD) say(`  and ${fails.length - VERDICTS_TOLD} more fail (t opens the trace)`);
      const w = log.working[event.id];
      if (w && fails.length > 0) log.working[event.id] = { ...w, told: true };
      return;
    }
    case "attempt-failed": {
      // A verify or review that failed has said so, with its evidence; anything else (a malformed reply, cases) is said here.
      if (!log.working[event.id]?.told) say(`${event.id} attempt ${event.attempt} failed: ${event.reason}`);
      return;
    }
    case "task-finished":
      delete log.working[event.id];
      return;
    case "build-finished":
      log.working = {};
      return;
    case "build-started":
    case "setup-started":
    case "setup-finished":
    case "task-up-to-date":
    case "task-started":
    case "files-written":
    case "reply-malformed":
    case "verify-output":
    case "committed":
    case "notice":
    case "endpoint-down":
      // Said by the task rows and the notices, or (the verify output as it streams) not at all.
      return;
  }
}
