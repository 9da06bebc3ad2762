// Where each call lives inside a run folder (DESIGN.md §9). The build engine
// uses `taskAttemptPath` and writes verify.log next to the call's files;
// audit, planner and other callers get `calls/<caller>-<n>/`.

/** A path segment that cannot escape its folder or surprise a shell. */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "");
  return cleaned === "" ? "unnamed" : cleaned;
}

/** `tasks/T003/attempt-1`: one folder per build attempt of a task (its review call, when the judge ran, in `review/` inside). */
export function taskAttemptPath(taskId: string, attempt: number): string {
  return `tasks/${safeSegment(taskId)}/attempt-${attempt}`;
}

/** `calls/audit-2`: the n-th call of a caller that is not a build task. */
export function callPath(caller: string, n: number): string {
  return `calls/${safeSegment(caller)}-${n}`;
}

/** Parses a run-relative call path back into its parts, for `specwright traces`. */
export function parseCallPath(path: string): { kind: "task"; task: string; attempt: number; review?: true } | { kind: "call"; caller: string; n: number } | undefined {
  const task = /^tasks\/([^/]+)\/attempt-(\d+)(\/review(?:-\d+)?)?$/.exec(path);
  if (task) return { kind: "task", task: task[1]!, attempt: Number(task[2]), ...(task[3] ? { review: true as const } : {}) };
  const call = /^calls\/(.+)-(\d+)$/.exec(path);
  if (call) return { kind: "call", caller: call[1]!, n: Number(call[2]) };
  return undefined;
}
