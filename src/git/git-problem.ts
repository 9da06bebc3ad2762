// What can go wrong with the output repository, as values: each problem says
// what happened in the user's terms and what to do about it. Failures a user
// or their repository can cause never throw.

import type { GitFailure } from "./git-command.js";

interface ProblemBase {
  ok: false;
  /** One or two sentences saying what happened; names files and commits. */
  message: string;
  /** What the user can do next, usually a command to run. */
  hint: string;
}

/** A later commit that changed files of the task being rolled back. */
export interface LaterChange {
  sha: string;
  subject: string;
  /** The task it built, from its Spec-Task trailer; undefined for a person's own commit. */
  taskId?: string;
  /** Which of the conflicting files it touched. */
  files: string[];
}

export type GitProblem =
  | (ProblemBase & {
      kind:
        | "git-not-installed"
        | "git-too-old"
        | "not-a-directory"
        | "not-a-repository"
        | "repository-unreadable"
        | "detached-head"
        | "invalid-task-id"
        | "no-task-commit"
        | "already-rolled-back"
        | "nothing-to-revert";
    })
  | (ProblemBase & { kind: "operation-in-progress"; operation: "merge" | "rebase" | "cherry-pick" | "revert" })
  | (ProblemBase & { kind: "invalid-path"; paths: { path: string; reason: string }[] })
  | (ProblemBase & {
      /** Files under the output dir that the enclosing repository already tracks. */
      kind: "output-tracked-by-enclosing-repo";
      repository: string;
      files: string[];
    })
  | (ProblemBase & { kind: "uncommitted-changes" | "staged-changes"; files: string[] })
  | (ProblemBase & { kind: "revert-conflict"; files: string[]; laterChanges: LaterChange[] })
  | (ProblemBase & { kind: "git-failed"; command: string; stderr: string });

/** The problem for a git command that failed where no specific diagnosis applies. */
export function gitFailed(run: GitFailure, doing: string, hint?: string): GitProblem {
  if (run.notInstalled) return gitNotInstalled();
  const stderr = run.stderr.trim();
  return {
    ok: false,
    kind: "git-failed",
    command: run.command,
    stderr,
    message: `git failed while ${doing}: ${stderr === "" ? `exit code ${String(run.exitCode)}` : stderr}`,
    hint: hint ?? `Run \`${run.command}\` in the output dir to see the full error.`,
  };
}

/** The problem when the git binary cannot be started. */
export function gitNotInstalled(): GitProblem {
  return {
    ok: false,
    kind: "git-not-installed",
    message: "git is not installed or not on PATH, and build.git is on.",
    hint: "Install git (https://git-scm.com), or set `git = false` under [build] in specwright.toml.",
  };
}

/**
 * The problem for a task id that cannot be used. Ids become trailer values
 * and `git log --grep` arguments; letters, digits, ".", "_" and "-" keep both
 * unambiguous.
 */
export function invalidTaskId(taskId: string): GitProblem | undefined {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(taskId)) return undefined;
  return {
    ok: false,
    kind: "invalid-task-id",
    message: `The task id ${JSON.stringify(taskId)} cannot be used in a commit trailer.`,
    hint: 'Task ids are letters, digits, ".", "_" or "-", like T003.',
  };
}
