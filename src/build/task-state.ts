// One vocabulary for where a task stands. `status`, the overview, the plan
// screen and the build screen all speak TaskState; the narrower types below
// are subsets of it (or, for what state.json records, mapped onto it), so a
// word means one thing everywhere.
//
// Not to be confused with a plan task's `status` ("auto", "skip", "manual"
// in plan.toml): that is what a person asked for, not where the task stands.
// A task the plan skips shows as "skipped"; a manual task never built as "manual".

/** Where a task stands. */
export type TaskState =
  /** To be built: never built, or its last build did not finish (the build screen's "waiting"). */
  | "pending"
  /** Live, in a running build: a model call for the task is streaming. */
  | "generating"
  /** Live, in a running build: its verify commands are running. */
  | "verifying"
  /** Live, in a running build: the implementation judge is reviewing its files. */
  | "reviewing"
  /** Built and verified (and committed, when build.git is on); may still be stale. */
  | "done"
  /** In a build: nothing it depends on changed since it was done, so it was not rebuilt. */
  | "up-to-date"
  | "failed"
  /** In a build: a task it depends on did not finish, so it could not start. */
  | "blocked"
  /** Its build was stopped (Ctrl-C, a crash) after it started; the next build resumes it. */
  | "interrupted"
  /** The plan says skip, or a person skipped it in this build. */
  | "skipped"
  /** The plan says manual and it was never verified: a person writes its files. */
  | "manual"
  /** In a build limited by --only/--from: not part of this build. */
  | "not-selected"
  /** `specwright rollback` reverted its commit. */
  | "rolled-back";

/** How a task ended in a build: the states a finished task can be in. */
export type TaskOutcome = Extract<TaskState, "done" | "failed" | "blocked" | "skipped" | "interrupted">;

/** What a build decides for each task before it starts: build it (and why), or not (and why not). */
export type TaskPlanState = { kind: "pending"; reasons: string[] } | { kind: Extract<TaskState, "up-to-date" | "skipped" | "manual" | "not-selected"> };

/**
 * A task's status as state.json records it (a file format: these words stay).
 * done: built and verified (and committed when git is on) with the recorded key;
 * failed: the last build failed;
 * written: an attempt wrote files and did not finish (crash, Ctrl-C) — the
 *   hashes are known so the files are not taken for hand edits;
 * verified: written and verified with the recorded key, but its commit (build.git)
 *   did not happen (Ctrl-C, a crash, a git problem): the next build commits
 *   it if the files are unchanged, without asking the model again;
 * rolled-back: `specwright rollback` reverted its commit.
 */
export type TaskRecordStatus = "done" | "failed" | "written" | "verified" | "rolled-back";

export const TASK_RECORD_STATUSES: readonly TaskRecordStatus[] = ["done", "failed", "written", "verified", "rolled-back"];

/** The state a recorded status shows as. */
export function recordedState(status: TaskRecordStatus): TaskState {
  switch (status) {
    case "done":
      return "done";
    case "failed":
      return "failed";
    case "written":
    case "verified":
      return "interrupted";
    case "rolled-back":
      return "rolled-back";
  }
}
