// The prepared output repository as a plain value, and the checks every
// writing operation repeats before it touches the repository: is the output
// dir still that repository's top level, is HEAD on a branch, is no merge or
// rebase half done. Also reads specwright's commits back by their trailers.

import { access, realpath } from "node:fs/promises";
import { join } from "node:path";
import type { SimpleGit } from "simple-git";
import { openGit, runGit, tryGit, type GitResult } from "./git-command.js";
import { gitFailed, type GitProblem } from "./git-problem.js";
import { SPEC_TASK_ROLLBACK_TRAILER, SPEC_TASK_TRAILER } from "./task-commit-message.js";

/** Who commits are made as. */
export interface CommitIdentity {
  name: string;
  email: string;
  /** "git-config": the user's own user.name/user.email; "fallback": specwright's, for what git config lacked. */
  source: "git-config" | "fallback";
}

/** The identity used when git config has no user.name or user.email. */
export const FALLBACK_IDENTITY = { name: "specwright", email: "specwright@localhost" } as const;

/**
 * How the output repository was found or made:
 * "existing" — the output dir already was a repository's top level;
 * "shared-with-project" — that repository also holds the project (output = "." in a git project);
 * "initialised" — specwright ran `git init` in an output dir with no repository around it;
 * "initialised-nested" — as above, but the output dir lies inside another repository, which is left alone.
 */
export type RepoOrigin = "existing" | "shared-with-project" | "initialised" | "initialised-nested";

/** Something the user should be told once, phrased for them. */
export interface GitNotice {
  kind: "initialised" | "nested-repository" | "shared-with-project" | "identity-fallback";
  message: string;
  hint?: string;
}

/** The output dir as a git repository, ready for task commits. A plain value: safe to keep and pass around. */
export interface OutputRepo {
  /** Real path of the output dir, which is the repository's top level. */
  readonly dir: string;
  readonly origin: RepoOrigin;
  /** For "initialised-nested": the top level of the enclosing repository. */
  readonly enclosingRepository?: string;
  readonly identity: CommitIdentity;
  readonly notices: readonly GitNotice[];
}

// Commits and rollbacks in one repository run one at a time: with
// build.parallel > 1 two tasks can finish together, and two git commands
// writing one index fail on index.lock (or interleave add and commit).
const repoQueues = new Map<string, Promise<void>>();

/** Runs `work` after every earlier serialised work on the same repository has settled. */
export function serialised<T>(repo: OutputRepo, work: () => Promise<T>): Promise<T> {
  const previous = repoQueues.get(repo.dir) ?? Promise.resolve();
  const result = previous.then(work);
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  repoQueues.set(repo.dir, settled);
  void settled.then(() => {
    if (repoQueues.get(repo.dir) === settled) repoQueues.delete(repo.dir);
  });
  return result;
}

/** A simple-git instance for the repository that commits as `repo.identity`. */
export function openOutputGit(repo: OutputRepo): SimpleGit {
  // Passed even when they equal the user's config: one code path, and a
  // config change between prepare and commit cannot switch identities mid-build.
  return openGit(repo.dir, [`user.name=${repo.identity.name}`, `user.email=${repo.identity.email}`]);
}

/** Where HEAD is, once the repository passed the checks. */
export interface HeadState {
  /** The branch HEAD points at, e.g. "main". */
  branch: string;
  /** Absolute path of the git dir (per worktree). */
  gitDir: string;
}

const OPERATION_MARKERS = [
  { file: "MERGE_HEAD", operation: "merge", abort: "git merge --abort" },
  { file: "rebase-merge", operation: "rebase", abort: "git rebase --abort" },
  { file: "rebase-apply", operation: "rebase", abort: "git rebase --abort" },
  { file: "CHERRY_PICK_HEAD", operation: "cherry-pick", abort: "git cherry-pick --abort" },
  { file: "REVERT_HEAD", operation: "revert", abort: "git revert --abort" },
] as const;

/**
 * Checks that the repository may receive a commit now: the output dir is
 * still the top level (if its .git was deleted, git would find a parent
 * repository and commit there), HEAD is on a branch (a commit on a detached
 * HEAD is easily lost), and no merge, rebase, cherry-pick or revert is in
 * progress (a commit would conclude it with specwright's message).
 */
export async function checkCommittable(git: SimpleGit, repo: OutputRepo): Promise<HeadState | GitProblem> {
  const top = await runGit(git, ["rev-parse", "--show-toplevel", "--absolute-git-dir"]);
  // Split on newlines only: a directory name may end in spaces.
  const [topLevel, gitDir] = top.ok ? top.stdout.split("\n") : [];
  if (!top.ok || topLevel === undefined || gitDir === undefined || (await realpath(topLevel)) !== repo.dir) {
    if (!top.ok && top.notInstalled) return gitFailed(top, "checking the output repository");
    return {
      ok: false,
      kind: "not-a-repository",
      message: `The output dir ${repo.dir} is no longer the top level of a git repository.`,
      hint: "Run the build again so specwright can set the repository up, or set `git = false` under [build].",
    };
  }
  for (const marker of OPERATION_MARKERS) {
    if (await exists(join(gitDir, marker.file))) {
      return {
        ok: false,
        kind: "operation-in-progress",
        operation: marker.operation,
        message: `A ${marker.operation} is in progress in ${repo.dir}; specwright will not commit into it.`,
        hint: `Finish it, or run \`${marker.abort}\` in ${repo.dir}, then run specwright again.`,
      };
    }
  }
  const ref = await runGit(git, ["symbolic-ref", "-q", "HEAD"]);
  if (!ref.ok) {
    if (ref.exitCode !== 1) return gitFailed(ref, "reading HEAD");
    return {
      ok: false,
      kind: "detached-head",
      message: `HEAD is detached in ${repo.dir}; commits made there belong to no branch and are easily lost.`,
      hint: `Switch to a branch first: \`git switch main\` (or \`git switch -c <new-branch>\` to keep where you are).`,
    };
  }
  const branch = ref.stdout.trim().replace(/^refs\/heads\//, "");
  return { branch, gitDir };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

// Between the fields of a log entry: a control character no subject or trailer holds.
const FIELD_SEPARATOR = "\x1f";

/** A commit that carries a Spec-Task or Spec-Task-Rollback trailer. */
export interface SpecCommit {
  sha: string;
  subject: string;
  date: string;
  /** Values of its Spec-Task trailers. */
  tasks: string[];
  /** Values of its Spec-Task-Rollback trailers. */
  rollbacks: string[];
}

/**
 * specwright's commits reachable from HEAD that build or roll back `taskId`,
 * newest first. Matched on trailers as git itself parses them, so rewording a
 * subject (or adding a body) does not lose a task; `--grep` only narrows the
 * walk so a large project history stays cheap.
 */
export async function listSpecCommits(git: SimpleGit, taskId: string): Promise<SpecCommit[] | GitProblem> {
  const head = await runGit(git, ["rev-parse", "-q", "--verify", "HEAD"]);
  if (!head.ok) return head.exitCode === 1 ? [] : gitFailed(head, "reading HEAD");
  const format = {
    sha: "%H",
    subject: "%s",
    date: "%cI",
    tasks: `%(trailers:key=${SPEC_TASK_TRAILER},valueonly)`,
    rollbacks: `%(trailers:key=${SPEC_TASK_ROLLBACK_TRAILER},valueonly)`,
  };
  const log = await tryGit(
    `git log --grep=${taskId}`,
    git.log({ format, splitter: FIELD_SEPARATOR, "--fixed-strings": null, "--regexp-ignore-case": null, "--grep": taskId }),
  );
  if (!log.ok) return gitFailed(log, `searching history for ${taskId}`);
  const commits: SpecCommit[] = [];
  for (const entry of log.value.all) {
    const values = (field: string) => field.split("\n").map((v) => v.trim()).filter((v) => v !== "");
    const commit = { sha: entry.sha, subject: entry.subject, date: entry.date, tasks: values(entry.tasks), rollbacks: values(entry.rollbacks) };
    if (commit.tasks.includes(taskId) || commit.rollbacks.includes(taskId)) commits.push(commit);
  }
  return commits;
}

/**
 * Commits `paths` (all staged changes when empty) with `message`, skipping
 * hooks (see git-output.ts) and keeping the message byte for byte. The message
 * goes in as one `-m` argument, whose value git never parses as an option, so
 * a title that starts with "-" is safe. Resolves to the new commit's sha.
 */
export async function commitWithMessage(git: SimpleGit, message: string, paths: readonly string[]): Promise<GitResult<string>> {
  const committed = await tryGit("git commit", git.commit(message, [...paths], { "--no-verify": null, "--cleanup": "verbatim" }));
  if (!committed.ok) return committed;
  // simple-git asks for 40-digit abbreviations, so this is the full sha; its
  // summary line is parsed from git's output, so a format it cannot read falls back to HEAD.
  if (/^[0-9a-f]{40}$/.test(committed.value.commit)) return { ok: true, value: committed.value.commit };
  const head = await tryGit("git rev-parse HEAD", git.revparse(["HEAD"]));
  return head.ok ? { ok: true, value: head.value.trim() } : head;
}
