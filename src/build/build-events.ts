// Everything the build engine reports while it works, as one discriminated
// union. The plain reporter, the JSON-lines reporter and the TUI are three
// consumers of these events; the engine itself never prints.

import type { ModelEvent } from "../../models/events.js";
import type { CallMetrics } from "../../models/call-record.js";
import type { VerifyCommandResult } from "./verify-runner.js";

/** Why a task does or does not need building in this run. */
export type TaskPlanState =
  | { kind: "up-to-date" }
  | { kind: "build"; reasons: string[] }
  | { kind: "skip" }
  | { kind: "manual" }
  | { kind: "not-selected" };

export type TaskOutcome = "done" | "failed" | "blocked" | "skipped" | "interrupted";

export type BuildEvent =
  | { type: "build-started"; runId: string; tasks: { id: string; title: string; state: TaskPlanState }[] }
  | { type: "setup-started"; commands: string[] }
  | { type: "setup-finished"; ok: boolean; results: VerifyCommandResult[] }
  | { type: "task-up-to-date"; id: string }
  | { type: "task-started"; id: string; title: string; reasons: string[]; estimatedTokens: number }
  | { type: "attempt-started"; id: string; attempt: number; kind: "implement" | "fix" | "re-ask"; trace: string }
  | { type: "model"; id: string; event: ModelEvent }
  | { type: "files-written"; id: string; attempt: number; written: string[]; unchanged: string[]; undeclared: string[] }
  | { type: "reply-malformed"; id: string; attempt: number; problem: string }
  | { type: "verify-started"; id: string; attempt: number; command: string }
  | { type: "verify-output"; id: string; attempt: number; command: string; chunk: string }
  | { type: "verify-finished"; id: string; attempt: number; result: VerifyCommandResult }
  | { type: "attempt-failed"; id: string; attempt: number; reason: string }
  | { type: "committed"; id: string; sha: string }
  | { type: "notice"; message: string }
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
    }
  | { type: "build-finished"; summary: BuildSummary };

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
  /** Set when the model could not be reached at all (exit 3). */
  modelUnavailable?: string;
}

/** What the engine asks a person (the TUI) or a policy (headless flags). */
export type BuildQuestion =
  | { kind: "overwrite-hand-edit"; task: string; files: { path: string; message: string }[] }
  | { kind: "retry-failed"; task: string; message: string };

export type BuildAnswer = { kind: "overwrite-hand-edit"; overwrite: boolean } | { kind: "retry-failed"; retry: boolean };
