// A verified task is done only with its commit when build.git is on. The
// task's record says "verified" from the moment verify passes until the
// commit is made; a commit that does not happen (Ctrl-C, kill -9, a git
// problem) leaves it so, and the next build finishes it without the model —
// or, when the files changed since, takes them out of the index again and
// builds the task anew.

import type { Task } from "../../plans/plan.js";
import type { OutputCommitter } from "./build-input.js";
import type { BuildRun, VerifiedRecord } from "./build-run.js";

export type CommitResult = { ok: true; commit?: string } | { ok: false; interrupted: boolean; message: string };

/**
 * Commits a verified task's files. Ctrl-C in a terminal reaches git as well
 * (it runs in the terminal's process group), so a commit that failed while
 * the build was stopping is tried once more: the build stops, but the task's
 * verified work is kept. A second Ctrl-C ends specwright; the next build
 * finishes the commit.
 */
export async function commitVerified(committer: OutputCommitter, task: Task, files: string[], trace: string, signal: AbortSignal): Promise<CommitResult> {
  let committed = await committer.commit(task, files, trace);
  if (!committed.ok) {
    // The signal and git's death arrive together; let the abort land before deciding.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) committed = await committer.commit(task, files, trace);
  }
  if (committed.ok) return committed.sha === undefined ? { ok: true } : { ok: true, commit: committed.sha };
  return { ok: false, interrupted: signal.aborted, message: committed.message };
}

/** Why a verified task is not done: its commit was cut short, or git refused it. */
export type NotDone = { interrupted: boolean; message: string };

/**
 * The one way a verified task becomes done: recorded as verified, its files
 * committed (when git is on: `committer`), then recorded done with the commit.
 * Resolves to undefined when it is done, else why not (the record then stays
 * "verified", so the next build finishes the commit).
 */
export async function completeVerified(run: BuildRun, committer: OutputCommitter | undefined, task: Task, verified: VerifiedRecord, files: string[], signal: AbortSignal): Promise<NotDone | undefined> {
  if (!committer) {
    await run.recordDone(task.id, verified);
    return undefined;
  }
  await run.recordVerified(task.id, verified);
  const committed = await commitVerified(committer, task, files, verified.trace, signal);
  if (!committed.ok) return { interrupted: committed.interrupted, message: committed.message };
  if (committed.commit !== undefined) run.emit({ type: "committed", id: task.id, sha: committed.commit });
  await run.recordDone(task.id, { ...verified, ...(committed.commit !== undefined ? { commit: committed.commit } : {}) });
  return undefined;
}
