// A task's entry in .specwright/state.json: what specwright last built and
// wrote for it. Read at the trust boundary (people and crashes touch files),
// so every entry is checked before use; a malformed one counts as never built.

import type { StateFile } from "../state/state-file.js";
import type { ReviewRecord } from "./review-step.js";
import { TASK_RECORD_STATUSES, type TaskRecordStatus } from "./task-state.js";

export interface TaskRecord {
  /** See TaskRecordStatus (task-state.ts) for what each value means. */
  status: TaskRecordStatus;
  /** The task key of the last successful build; absent until one succeeds. */
  key?: string;
  /** Key components of that build, for `specwright why`. */
  components?: Record<string, string>;
  /** sha256 of every file specwright last wrote for this task (outputs and edits). */
  outputs: Record<string, string>;
  builtAt?: string;
  attempts?: number;
  /** Run-relative trace folder of the last attempt, e.g. ".specwright/runs/…/tasks/T003/attempt-2". */
  trace?: string;
  commit?: string;
  error?: string;
  model?: string;
  /** The implementation judge's reviews of the last build's attempts (review-step.ts). */
  review?: ReviewRecord[];
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}

/** The checked record of a task, or undefined when it has none or it is malformed. */
export function taskRecord(state: StateFile, id: string): TaskRecord | undefined {
  const value = state.tasks[id];
  if (typeof value !== "object" || value === null) return undefined;
  const r = value as Partial<TaskRecord>;
  if (!TASK_RECORD_STATUSES.includes(r.status as TaskRecordStatus)) return undefined;
  if (!isStringRecord(r.outputs)) return undefined;
  if (r.key !== undefined && typeof r.key !== "string") return undefined;
  if (r.components !== undefined && !isStringRecord(r.components)) return undefined;
  return r as TaskRecord;
}

export function setTaskRecord(state: StateFile, id: string, record: TaskRecord): void {
  state.tasks[id] = record;
}

/**
 * Per dependency of a task: path → sha256 of the files it last wrote, as
 * recorded — what the task's key and prompt are built from.
 */
export function dependencyOutputs(state: StateFile, task: { dependsOn: readonly string[] }): Record<string, Record<string, string>> {
  return Object.fromEntries(task.dependsOn.map((d) => [d, { ...(taskRecord(state, d)?.outputs ?? {}) }]));
}

/** sha256 of what specwright last wrote, across all tasks: the hand-edit baseline for safe writes. */
export function lastWrittenHashes(state: StateFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of Object.keys(state.tasks)) {
    const r = taskRecord(state, id);
    if (r) Object.assign(out, r.outputs);
  }
  return out;
}
