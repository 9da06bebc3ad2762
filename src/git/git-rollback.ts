// `specwright rollback T003`: revert the newest commit that built a task, as a
// new commit (history is never rewritten), with git's `Revert "…"` subject and
// a Spec-Task-Rollback trailer. Either the whole revert is committed or the
// repository is left exactly as it was.
//
// The revert is `git revert --no-commit` followed by our own commit, so the
// message can carry the trailer without an editor. Two preconditions make
// "left exactly as it was" hold on a conflict, where `git revert --abort`
// (a `git reset --merge`) restores the index and the files the revert touched:
// - no uncommitted changes in the task's files, or the abort would take the
//   user's edits with it (and a clean revert would mix with them);
// - nothing staged anywhere, because reset --merge resets staged-only changes
//   to HEAD, discarding them. Unstaged edits to other files are kept.

import { literalPathspec, runGit, splitNul, tryGit } from "./git-command.js";
import { gitFailed, invalidTaskId, type GitProblem, type LaterChange } from "./git-problem.js";
import { checkCommittable, commitWithMessage, listSpecCommits, openOutputGit, serialised, type OutputRepo } from "./output-repo.js";
import type { SimpleGit } from "simple-git";
import { SPEC_TASK_TRAILER, formatRollbackMessage } from "./task-commit-message.js";

/** A file the rollback changed, and how. */
export interface RolledBackFile {
  path: string;
  /** "removed": the task created it; "restored": back to its content before the task; "recreated": the task deleted it. */
  change: "removed" | "restored" | "recreated";
}

export type RollbackTaskResult =
  | {
      ok: true;
      /** The new revert commit. */
      revertSha: string;
      /** The task commit it reverts. */
      revertedSha: string;
      files: RolledBackFile[];
    }
  | GitProblem;

/**
 * Reverts the newest commit of `taskId` on the current branch (found by its
 * Spec-Task trailer) with a new commit. Refuses, changing nothing, when the
 * task's files have uncommitted changes, when anything is staged, when the
 * task's newest commit was already rolled back, and when the revert conflicts
 * with later commits (the problem names the files and the later tasks).
 */
export async function rollbackTask(repo: OutputRepo, taskId: string): Promise<RollbackTaskResult> {
  const idProblem = invalidTaskId(taskId);
  if (idProblem !== undefined) return idProblem;
  return serialised(repo, () => revertNewest(repo, taskId));
}

async function revertNewest(repo: OutputRepo, taskId: string): Promise<RollbackTaskResult> {
  const git = openOutputGit(repo);
  const head = await checkCommittable(git, repo);
  if ("ok" in head) return head;

  const history = await listSpecCommits(git, taskId);
  if (!Array.isArray(history)) return history;
  const target = history.find((c) => c.tasks.includes(taskId));
  if (target === undefined) {
    return {
      ok: false,
      kind: "no-task-commit",
      message: `No commit of ${taskId} on branch ${head.branch} of ${repo.dir} (looked for a "${SPEC_TASK_TRAILER}: ${taskId}" trailer).`,
      hint: "Nothing to roll back. If it was built on another branch, switch to it first.",
    };
  }
  const newest = history[0];
  if (newest !== undefined && newest !== target) {
    return {
      ok: false,
      kind: "already-rolled-back",
      message: `${taskId}'s latest commit ${short(target.sha)} was already rolled back by ${short(newest.sha)} "${newest.subject}".`,
      hint: `Nothing to roll back. Rebuild it with \`specwright build --only ${taskId}\`.`,
    };
  }

  const changes = await commitChanges(git, target.sha);
  if (!Array.isArray(changes)) return changes;
  const paths = changes.map((c) => c.path);

  const dirty = await runGit(git, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", ...paths.map(literalPathspec)]);
  if (!dirty.ok) return gitFailed(dirty, `checking ${taskId}'s files for uncommitted changes`);
  const dirtyFiles = splitNul(dirty.stdout).map((entry) => entry.slice(3));
  if (dirtyFiles.length > 0) {
    return {
      ok: false,
      kind: "uncommitted-changes",
      files: dirtyFiles,
      message: `${taskId} was not rolled back: ${dirtyFiles.join(", ")} ${dirtyFiles.length === 1 ? "has" : "have"} uncommitted changes that rolling back would mix with or overwrite.`,
      hint: `Commit or stash them first (\`git stash push -- ${dirtyFiles.join(" ")}\` in ${repo.dir}), then roll back again.`,
    };
  }
  const staged = await runGit(git, ["diff", "--cached", "--name-only", "--no-renames", "-z"]);
  if (!staged.ok) return gitFailed(staged, "checking for staged changes");
  const stagedFiles = splitNul(staged.stdout);
  if (stagedFiles.length > 0) {
    return {
      ok: false,
      kind: "staged-changes",
      files: stagedFiles,
      message: `${taskId} was not rolled back: ${stagedFiles.join(", ")} ${stagedFiles.length === 1 ? "is" : "are"} staged, and undoing a conflicted revert would discard staged changes.`,
      hint: `Commit them, or unstage them with \`git restore --staged ${stagedFiles.join(" ")}\` (your edits stay in the files), then roll back again.`,
    };
  }

  const revert = await tryGit(`git revert --no-commit ${target.sha}`, git.revert(target.sha, { "--no-commit": null }));
  if (!revert.ok) {
    const unmerged = await runGit(git, ["diff", "--name-only", "--diff-filter=U", "-z"]);
    const restored = await abortRevert(git);
    if (restored !== undefined) return restored;
    const conflicted = unmerged.ok ? splitNul(unmerged.stdout) : [];
    if (conflicted.length === 0) return gitFailed(revert, `reverting ${short(target.sha)}`, "Nothing was changed.");
    return conflictProblem(git, taskId, target.sha, conflicted);
  }

  const reverted = await runGit(git, ["diff", "--cached", "--name-only", "-z"]);
  if (!reverted.ok || splitNul(reverted.stdout).length === 0) {
    const restored = await abortRevert(git);
    if (restored !== undefined) return restored;
    if (!reverted.ok) return gitFailed(reverted, "reading the revert");
    return {
      ok: false,
      kind: "nothing-to-revert",
      message: `${taskId}'s changes from ${short(target.sha)} are no longer in the files (later commits undid them); nothing was committed.`,
      hint: "The task's output is already gone; rebuild it if you want it back.",
    };
  }
  const commit = await commitWithMessage(git, formatRollbackMessage(taskId, target.sha, target.subject), []);
  if (!commit.ok) {
    const restored = await abortRevert(git);
    return restored ?? gitFailed(commit, `committing the rollback of ${taskId}`, "Nothing was changed; run `git revert` by hand to see why the commit failed.");
  }
  return { ok: true, revertSha: commit.value, revertedSha: target.sha, files: changes };
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** The files a commit changed and what undoing it does to each. */
async function commitChanges(git: SimpleGit, sha: string): Promise<RolledBackFile[] | GitProblem> {
  // --root: the task commit may be the repository's first; --no-renames: a
  // rename undone is one file removed and one recreated.
  const run = await runGit(git, ["diff-tree", "-r", "--root", "--no-commit-id", "--name-status", "--no-renames", "-z", sha]);
  if (!run.ok) return gitFailed(run, `listing the files of ${short(sha)}`);
  const parts = splitNul(run.stdout);
  const files: RolledBackFile[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i] ?? "";
    const path = parts[i + 1] ?? "";
    files.push({ path, change: status === "A" ? "removed" : status === "D" ? "recreated" : "restored" });
  }
  return files;
}

/** Undoes a `revert --no-commit`; a problem only if the repository could not be restored. */
async function abortRevert(git: SimpleGit): Promise<GitProblem | undefined> {
  const abort = await runGit(git, ["revert", "--abort"]);
  if (abort.ok) return undefined;
  // --abort refuses when the sequencer state is gone; reset --merge is what it would have run.
  const reset = await runGit(git, ["reset", "--merge"]);
  return reset.ok ? undefined : gitFailed(reset, "undoing a failed revert", "Run `git revert --abort` (or `git reset --merge`) in the output dir and check `git status`.");
}

async function conflictProblem(git: SimpleGit, taskId: string, sha: string, conflicted: string[]): Promise<GitProblem> {
  const later = await laterChanges(git, sha, conflicted);
  const laterTasks = [...new Set(later.flatMap((c) => (c.taskId === undefined ? [] : [c.taskId])))];
  const by = later.map((c) => `${c.taskId ?? "a commit"} (${short(c.sha)} "${c.subject}")`).join(", ");
  const order = [...laterTasks.map((t) => `specwright rollback ${t}`), `specwright rollback ${taskId}`].join(", then ");
  return {
    ok: false,
    kind: "revert-conflict",
    files: conflicted,
    laterChanges: later,
    message: `${taskId} was not rolled back: undoing it conflicts with later changes to ${conflicted.join(", ")}${by === "" ? "" : ` by ${by}`}. Nothing was changed.`,
    hint:
      laterTasks.length > 0
        ? `Roll back the later tasks first, newest first: ${order}. Or undo ${taskId}'s part of those files by hand and commit.`
        : `Undo ${taskId}'s part of those files by hand and commit, or run \`git revert ${short(sha)}\` and resolve the conflicts.`,
  };
}

/** Commits after `sha` on HEAD that touched any of `files`, newest first. */
async function laterChanges(git: SimpleGit, sha: string, files: string[]): Promise<LaterChange[]> {
  // Raw: simple-git's typed log takes one path (as `file`, adding --follow), not a pathspec list.
  const format = `%H%x1f%s%x1f%(trailers:key=${SPEC_TASK_TRAILER},valueonly)`;
  const log = await runGit(git, ["log", "-z", `--format=${format}`, `${sha}..HEAD`, "--", ...files.map(literalPathspec)]);
  if (!log.ok) return [];
  const changes: LaterChange[] = [];
  for (const record of splitNul(log.stdout)) {
    const [laterSha = "", subject = "", tasks = ""] = record.split("\x1f");
    const touched = await runGit(git, ["diff-tree", "-r", "--no-commit-id", "--name-only", "--no-renames", "-z", laterSha]);
    const taskId = tasks.split("\n").map((t) => t.trim()).find((t) => t !== "");
    changes.push({
      sha: laterSha,
      subject,
      ...(taskId === undefined ? {} : { taskId }),
      files: touched.ok ? splitNul(touched.stdout).filter((f) => files.includes(f)) : [],
    });
  }
  return changes;
}
