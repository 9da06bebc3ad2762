// Everything the build engine reports while it works, as one discriminated
// union. The plain reporter, the JSON-lines reporter and the TUI are three
// consumers of these events; the engine itself never prints.

import type { ModelEvent } from "../../models/events.js";
import type { CallMetrics } from "../../models/call-record.js";
import type { VerifyCommandResult } from "./verify-runner.js";

import type { TaskOutcome, TaskPlanState } from "./task-state.js";
import type { DiscardedVerdict, JudgedItem } from "./review-prompt.js";
import type { ReviewOutcome } from "./review-step.js";
import type { EndpointReport } from "./endpoint-pool.js";

/** What an attempt is: the first, a fix after verify, a fix after the judge's review, a re-ask of a malformed or cut reply. */
export type AttemptKind = "implement" | "fix" | "review-fix" | "re-ask";

export type { TaskOutcome, TaskPlanState } from "./task-state.js";

export type BuildEvent =
  | { type: "build-started"; runId: string; tasks: { id: string; title: string; state: TaskPlanState }[] }
  | { type: "setup-started"; commands: string[] }
  | { type: "setup-finished"; ok: boolean; results: VerifyCommandResult[] }
  | { type: "task-up-to-date"; id: string }
  | { type: "task-started"; id: string; title: string; reasons: string[]; estimatedTokens: number }
  /** `endpoint`: where the attempt's call goes, when the build has several endpoints. */
  | { type: "attempt-started"; id: string; attempt: number; kind: AttemptKind; trace: string; endpoint?: string }
  | { type: "model"; id: string; event: ModelEvent }
  | FilesWrittenEvent
  | { type: "reply-malformed"; id: string; attempt: number; problem: string }
  | { type: "verify-started"; id: string; attempt: number; command: string }
  | { type: "verify-output"; id: string; attempt: number; command: string; chunk: string }
  | { type: "verify-finished"; id: string; attempt: number; result: VerifyCommandResult }
  | { type: "attempt-failed"; id: string; attempt: number; reason: string }
  /** The implementation judge (review-step.ts) starts on files that passed verify. */
  | { type: "review-started"; id: string; attempt: number; items: number; model: string }
  | {
      type: "review-finished";
      id: string;
      attempt: number;
      outcome: ReviewOutcome;
      /** Kept verdicts, each with its quote checked against the file. */
      verdicts: JudgedItem[];
      /** Verdicts thrown away: their quote is not in the file. */
      discarded: DiscardedVerdict[];
      unanswered: string[];
      message?: string;
    }
  | { type: "committed"; id: string; sha: string }
  | { type: "notice"; message: string }
  /**
   * An endpoint failed and takes no more calls in this run. `task`: the task
   * whose call failed there; it starts again from its first attempt, numbered
   * from `nextAttempt`, on another endpoint. `left`: endpoints still up.
   */
  | { type: "endpoint-down"; endpoint: string; reason: string; left: number; task?: string; nextAttempt?: number }
  | {
      type: "task-finished";
      id: string;
      outcome: TaskOutcome;
      attempts: number;
      durationMs: number;
      /** Generated tokens across attempts, and generation time, for tokens/s. */
      evalTokens: number;
      evalMs: number;
      metrics: CallMetrics[];
      trace?: string;
      message?: string;
      /**
       * A failure that is not the task's own: the model server went away (no
       * endpoint was left to serve it) before the task could finish.
       */
      serverLost?: true;
    }
  | { type: "build-finished"; summary: BuildSummary };

/**
 * A reply's files were written. Undeclared and refused paths come from the
 * model, so there may be thousands, with any characters: the event names at
 * most PATHS_NAMED of each and counts the rest (the whole reply is in the
 * attempt's response.md), so no console line grows with the reply.
 */
export interface FilesWrittenEvent {
  type: "files-written";
  id: string;
  attempt: number;
  written: string[];
  unchanged: string[];
  /** Safe paths the task did not declare (not written): the first PATHS_NAMED. */
  undeclared: string[];
  undeclaredCount: number;
  /** Paths refused as unsafe (not written), with the reason: the first PATHS_NAMED. */
  refused: { path: string; reason: string }[];
  refusedCount: number;
}

export const PATHS_NAMED = 10;

export function filesWrittenEvent(
  id: string,
  attempt: number,
  result: { written: string[]; unchanged: string[]; undeclared: string[]; rejected: { path: string; reason: string }[] },
): FilesWrittenEvent {
  return {
    type: "files-written",
    id,
    attempt,
    written: result.written,
    unchanged: result.unchanged,
    undeclared: result.undeclared.slice(0, PATHS_NAMED),
    undeclaredCount: result.undeclared.length,
    refused: result.rejected.slice(0, PATHS_NAMED),
    refusedCount: result.rejected.length,
  };
}

/** The lines a reporter shows for a reply's ignored and refused paths: short whatever the reply held. */
export function ignoredPathLines(event: FilesWrittenEvent): string[] {
  const lines: string[] = [];
  const more = (named: number, total: number) => (total > named ? ` and ${(total - named).toLocaleString("en-US")} more (the reply is in the attempt's response.md)` : "");
  if (event.undeclaredCount > 0) {
    const noun = event.undeclaredCount === 1 ? "file" : "files";
    lines.push(`ignored ${event.undeclaredCount.toLocaleString("en-US")} undeclared ${noun}: ${event.undeclared.map(shownPath).join(", ")}${more(event.undeclared.length, event.undeclaredCount)}`);
  }
  if (event.refusedCount > 0) {
    const noun = event.refusedCount === 1 ? "path" : "paths";
    const named = event.refused.map((r) => `${shownPath(r.path)} (${r.reason})`).join("; ");
    lines.push(`refused ${event.refusedCount.toLocaleString("en-US")} unsafe ${noun}: ${named}${more(event.refused.length, event.refusedCount)}`);
  }
  return lines;
}

/** A model-made path as it can be shown on a terminal: control characters escaped, long ones cut, quoted when odd. */
function shownPath(path: string): string {
  let shown = path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (shown.length > 80) shown = `${shown.slice(0, 79)}…`;
  return shown === path && path !== "" && !/\s/.test(path) ? path : `"${shown}"`;
}

export interface BuildSummary {
  runId: string;
  traceDir: string;
  done: string[];
  upToDate: string[];
  failed: string[];
  blocked: string[];
  skipped: string[];
  interrupted: string[];
  modelCalls: number;
  verifyRuns: number;
  evalTokens: number;
  evalMs: number;
  promptTokens: number;
  cachedPromptTokens: number;
  durationMs: number;
  /** The implementation judge's share of the run: its calls and tokens, verdicts discarded, reviews that found a fail. */
  reviews: { calls: number; promptTokens: number; cachedPromptTokens: number; evalTokens: number; discarded: number; failed: number };
  /** Set when the model could not be reached at all (exit 3). */
  modelUnavailable?: string;
  /** With several endpoints: what each served, and which went down and why (run.json keeps it). */
  endpoints?: EndpointReport[];
}

/** What the engine asks a person (the TUI) or a policy (headless flags). */
export type BuildQuestion =
  | { kind: "overwrite-hand-edit"; task: string; files: { path: string; message: string }[] }
  | { kind: "retry-failed"; task: string; message: string };

export type BuildAnswer = { kind: "overwrite-hand-edit"; overwrite: boolean } | { kind: "retry-failed"; retry: boolean };

/** A review's outcome in one line: its verdict counts, discarded quotes and what happens next. */
export function reviewSummary(event: Extract<BuildEvent, { type: "review-finished" }>): string {
  if (event.outcome === "nothing-to-check") return "review: nothing to check in its refs";
  if (event.outcome === "not-reviewed") return `review: not reviewed — ${event.message ?? ""}`;
  const n = (v: string) => event.verdicts.filter((x) => x.verdict === v).length;
  const parts = [`${n("pass")} pass`, `${n("fail")} fail`];
  if (n("cannot-tell") > 0) parts.push(`${n("cannot-tell")} cannot tell`);
  if (event.unanswered.length > 0) parts.push(`${event.unanswered.length} unanswered`);
  if (event.discarded.length > 0) parts.push(`${event.discarded.length} discarded`);
  const next = event.outcome === "fix-requested" ? "; fix requested" : event.outcome === "findings-left" ? `; ${event.message ?? "findings left"}` : "";
  return `review: ${parts.join(", ")}${next}`;
}

/** One kept verdict with its evidence: `fail requirements/x — src/a.py:12 \`quote\` — reason`. */
export function verdictLine(v: JudgedItem): string {
  const at = v.quote === "" ? "" : ` — ${v.file}${v.line !== undefined ? `:${v.line}` : ""} \`${v.quote.length > 100 ? `${v.quote.slice(0, 99)}…` : v.quote}\``;
  return `${v.verdict} ${v.item}${at} — ${v.reason}`;
}
