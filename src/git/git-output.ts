// Git for the output dir (`build.git`): find or create the repository, commit
// each finished task as one commit with Spec-Task/Spec-Refs/Trace trailers,
// (output-repo.ts finds them again by trailer). Rollback is git-rollback.ts.
//
// Where the repository lives (prepareOutputRepo):
// - the output dir is a repository's top level: use it. When that repository
//   also holds the project (output = "." in a git project), commits go into
//   the user's own history, so a notice says so. Nothing else a user has
//   staged is ever committed (commits name their paths).
// - the output dir is inside another repository (output = "output" in a git
//   project): `git init` a separate repository in the output dir. Committing
//   into the enclosing one would interleave a commit per task with the user's
//   own work on whatever branch they happen to be on, and `rollback` would
//   revert in their history. The enclosing repository's history and files are
//   not touched; it sees the output dir as an untracked embedded repository,
//   and the notice suggests ignoring it (we never write outside the output
//   dir, so we do not edit its .gitignore ourselves).
//   Exception: if the enclosing repository already tracks files in the output
//   dir, the user has chosen to version them there; a nested repository would
//   leave those files in two histories at once, so this is refused with both
//   ways out spelled out.
// - no repository anywhere: `git init` with branch main.
//
// Hooks: task commits pass --no-verify. A pre-commit hook that reformats
// files (prettier, black via lint-staged) would commit bytes that differ from
// the hashes specwright recorded, and the next build would take its own output
// for a hand edit; a hook that lints could refuse code that passed the task's
// verify commands, stalling the build on a gate it cannot see. The task's
// verify commands are the gate for generated code; the user's hooks still run
// for their own commits. prepare-commit-msg and post-commit hooks cannot be
// skipped by git and still run; they cannot change what was committed.

import { lstat, mkdir, realpath, stat } from "node:fs/promises";
import type { SimpleGit } from "simple-git";
import { dirname, join, relative, sep } from "node:path";
import { literalPathspec, openGit, runGit, splitNul, tryGit } from "./git-command.js";
import { gitFailed, gitNotInstalled, invalidTaskId, type GitProblem } from "./git-problem.js";
import {
  FALLBACK_IDENTITY,
  checkCommittable,
  commitWithMessage,
  openOutputGit,
  serialised,
  type CommitIdentity,
  type GitNotice,
  type OutputRepo,
  type RepoOrigin,
} from "./output-repo.js";
import { canonicalPath, outputPathProblem } from "../../plans/output-path.js";
import { formatTaskCommitMessage } from "./task-commit-message.js";

export type { CommitIdentity, GitNotice, OutputRepo, RepoOrigin } from "./output-repo.js";
export type { GitProblem, LaterChange } from "./git-problem.js";

/** The branch a repository specwright initialises starts on. */
export const DEFAULT_BRANCH = "main";

export type PrepareOutputRepoResult = { ok: true; repo: OutputRepo } | GitProblem;

/**
 * Makes the output dir a git repository ready for task commits (see the
 * module comment for the rule about enclosing repositories). Creates the
 * output dir if missing. Never rewrites history; the only change it can make
 * is `git init` in the output dir, which is reported in `repo.notices`.
 */
export async function prepareOutputRepo(outputDir: string, projectRoot: string): Promise<PrepareOutputRepoResult> {
  const dir = await ensureDirectory(outputDir);
  if (typeof dir !== "string") return dir;
  const git = openGit(dir);
  const version = await runGit(git, ["--version"]);
  if (!version.ok) return version.notInstalled ? gitNotInstalled() : gitFailed(version, "checking the git version");
  const tooOld = checkGitVersion(version.stdout);
  if (tooOld !== undefined) return tooOld;

  const notices: GitNotice[] = [];
  let origin: RepoOrigin;
  let enclosingRepository: string | undefined;
  const top = await runGit(git, ["rev-parse", "--show-toplevel"]);
  if (top.ok) {
    const topLevel = await realpath(top.stdout.replace(/\n$/, ""));
    if (topLevel === dir) {
      origin = isInside(await realpathOr(projectRoot), dir) ? "shared-with-project" : "existing";
      if (origin === "shared-with-project") {
        notices.push({
          kind: "shared-with-project",
          message: `The output dir is the top level of your project's git repository (${dir}); each finished task becomes a commit in its history on the current branch.`,
          hint: "Only each task's own files go into its commit; anything else you staged stays staged. To keep generated code out of your history, set [output] dir to a subfolder.",
        });
      }
    } else {
      const nested = await initNested(dir, topLevel);
      if (!nested.ok) return nested;
      origin = "initialised-nested";
      enclosingRepository = topLevel;
      notices.push(nested.notice);
    }
  } else {
    if (top.notInstalled) return gitNotInstalled();
    // Only init when there is certainly no repository around: if git failed
    // although a .git exists (owned by another user, corrupt), an init here
    // would quietly split the user's repository in two.
    const gitEntry = await findGitEntry(dir);
    if (gitEntry !== undefined) return unreadableRepository(gitEntry, top.stderr);
    const init = await initRepository(dir);
    if (init !== undefined) return init;
    origin = "initialised";
    notices.push({ kind: "initialised", message: `Initialised a git repository in ${dir} (branch ${DEFAULT_BRANCH}); each finished task becomes one commit.` });
  }

  const identity = await readIdentity(dir);
  if ("ok" in identity) return identity;
  if (identity.source === "fallback") {
    notices.push({
      kind: "identity-fallback",
      message: `git has no user.name or user.email configured; task commits are made as "${identity.name} <${identity.email}>".`,
      hint: 'To commit as yourself: git config --global user.name "Your Name" && git config --global user.email you@example.com',
    });
  }
  const repo: OutputRepo = { dir, origin, identity, notices, ...(enclosingRepository === undefined ? {} : { enclosingRepository }) };
  return { ok: true, repo };
}

// %(trailers:key=…,valueonly), which finds tasks by trailer, is git 2.22
// (2019). An older git would print the placeholder literally and every
// lookup would quietly find nothing, so it is refused up front.
const MIN_GIT_VERSION = [2, 22] as const;

function checkGitVersion(versionOutput: string): GitProblem | undefined {
  const match = /(\d+)\.(\d+)/.exec(versionOutput);
  if (match === null) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > MIN_GIT_VERSION[0] || (major === MIN_GIT_VERSION[0] && minor >= MIN_GIT_VERSION[1])) return undefined;
  return {
    ok: false,
    kind: "git-too-old",
    message: `${versionOutput.trim()} is too old for build.git; specwright needs git ${MIN_GIT_VERSION.join(".")} or newer.`,
    hint: "Upgrade git, or set `git = false` under [build] in specwright.toml.",
  };
}

async function ensureDirectory(outputDir: string): Promise<string | GitProblem> {
  const notDir = (detail: string): GitProblem => ({
    ok: false,
    kind: "not-a-directory",
    message: `The output dir ${outputDir} cannot be used: ${detail}.`,
    hint: "Check [output] dir in specwright.toml.",
  });
  try {
    await mkdir(outputDir, { recursive: true });
    const dir = await realpath(outputDir);
    if (!(await stat(dir)).isDirectory()) return notDir("it is not a directory");
    return dir;
  } catch (error) {
    return notDir(error instanceof Error ? error.message : String(error));
  }
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/** True when `path` is `dir` or below it (both real paths). */
function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

/** The nearest `.git` (dir or worktree file) at or above `dir`, if any. */
async function findGitEntry(dir: string): Promise<string | undefined> {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, ".git");
    try {
      await lstat(candidate);
      return candidate;
    } catch {
      // not here; keep walking up
    }
    if (dirname(current) === current) return undefined;
  }
}

function unreadableRepository(gitEntry: string, stderr: string): GitProblem {
  const detail = stderr.trim();
  const ownership = detail.includes("safe.directory");
  return {
    ok: false,
    kind: "repository-unreadable",
    message: `git cannot use the repository at ${dirname(gitEntry)}, which contains the output dir${detail === "" ? "" : `: ${detail}`}`,
    hint: ownership
      ? `If you trust it, run: git config --global --add safe.directory ${dirname(gitEntry)}`
      : "Fix the repository (try `git status` there), or set `git = false` under [build].",
  };
}

async function initRepository(dir: string): Promise<GitProblem | undefined> {
  // -c rather than --initial-branch, which git before 2.28 rejects; there the
  // setting is ignored, so HEAD is pointed at main explicitly as well (safe:
  // a fresh repository has no commits on any branch).
  const git = openGit(dir, [`init.defaultBranch=${DEFAULT_BRANCH}`]);
  const init = await tryGit("git init", git.init());
  if (!init.ok) return gitFailed(init, `initialising a repository in ${dir}`);
  const head = await runGit(git, ["symbolic-ref", "HEAD", `refs/heads/${DEFAULT_BRANCH}`]);
  return head.ok ? undefined : gitFailed(head, `setting the branch of ${dir} to ${DEFAULT_BRANCH}`);
}

async function initNested(dir: string, enclosing: string): Promise<{ ok: true; notice: GitNotice } | GitProblem> {
  const inner = openGit(dir);
  // `ls-files` in a subdirectory lists only the tracked files below it.
  const tracked = await runGit(inner, ["ls-files", "-z"]);
  if (!tracked.ok) return gitFailed(tracked, `listing files ${enclosing} tracks in the output dir`);
  const files = splitNul(tracked.stdout);
  const rel = relative(enclosing, dir).split(sep).join("/");
  if (files.length > 0) {
    const shown = files.slice(0, 5).map((f) => `${rel}/${f}`).join(", ");
    return {
      ok: false,
      kind: "output-tracked-by-enclosing-repo",
      repository: enclosing,
      files,
      message: `The output dir ${rel}/ is inside the git repository ${enclosing}, which already tracks ${String(files.length)} file(s) there (${shown}${files.length > 5 ? ", …" : ""}). specwright will neither commit into that repository nor start a second one over the same files.`,
      hint: `Either set \`git = false\` under [build] and commit the output yourself, or stop tracking it in ${enclosing} (\`git rm -r --cached ${rel}\` and add \`/${rel}/\` to .gitignore) so specwright can give it its own repository.`,
    };
  }
  const ignored = await runGit(openGit(enclosing), ["check-ignore", "-q", "--", `${rel}/`]);
  const init = await initRepository(dir);
  if (init !== undefined) return init;
  return {
    ok: true,
    notice: {
      kind: "nested-repository",
      message: `The output dir ${rel}/ is inside the git repository ${enclosing}; specwright initialised a separate repository in it (branch ${DEFAULT_BRANCH}) so task commits stay out of ${enclosing}'s history.`,
      ...(ignored.ok ? {} : { hint: `Add \`/${rel}/\` to ${join(enclosing, ".gitignore")} so that repository does not pick it up as an embedded repository.` }),
    },
  };
}

async function readIdentity(dir: string): Promise<CommitIdentity | GitProblem> {
  const git = openGit(dir);
  const read = async (key: string): Promise<string | undefined | GitProblem> => {
    const run = await runGit(git, ["config", "--get", key]);
    if (run.ok) return run.stdout.trim() === "" ? undefined : run.stdout.trim();
    // Exit 1 is "not set"; anything else (a malformed config file) would break the commit too.
    return run.exitCode === 1 ? undefined : gitFailed(run, `reading ${key}`);
  };
  const name = await read("user.name");
  if (typeof name === "object") return name;
  const email = await read("user.email");
  if (typeof email === "object") return email;
  if (name !== undefined && email !== undefined) return { name, email, source: "git-config" };
  // Fill only what is missing: a user with a name but no email keeps their name.
  return { name: name ?? FALLBACK_IDENTITY.name, email: email ?? FALLBACK_IDENTITY.email, source: "fallback" };
}

/** What one finished task commits. */
export interface TaskCommitInput {
  /** e.g. "T003". */
  taskId: string;
  /** The task's title; the subject is `<taskId> <title>`. */
  title: string;
  /** Paths relative to the output dir: the task's outputs and edits. Deleted files are committed as deletions. */
  files: readonly string[];
  /** Spec refs of the task, e.g. ["requirements/add", "components/Cli"]. */
  refs: readonly string[];
  /** The attempt's trace folder, e.g. ".specwright/runs/<run>/tasks/T003/attempt-2". */
  tracePath: string;
  /** Intent entries the commit rebuilds (its `Intent:` trailer). */
  intents?: readonly string[];
}

export type CommitTaskResult =
  | {
      ok: true;
      outcome: "committed";
      sha: string;
      /** The paths the commit changed (a subset of the input: unchanged files are not in it). */
      files: string[];
      /** Input paths left out because the repository's .gitignore ignores them. */
      ignored: string[];
    }
  | { ok: true; outcome: "nothing-to-commit"; ignored: string[] }
  | GitProblem;

/**
 * Commits exactly the task's files (including deletions) as one commit with
 * subject `T003 <title>` and trailers Spec-Task, Spec-Refs and Trace. Changes
 * to other files, staged or not, stay out of the commit and keep their state.
 * Works before the first commit. Skips hooks (--no-verify; see module comment).
 */
export async function commitTask(repo: OutputRepo, input: TaskCommitInput): Promise<CommitTaskResult> {
  const idProblem = invalidTaskId(input.taskId);
  if (idProblem !== undefined) return idProblem;
  const paths = [...new Set(input.files.map(canonicalPath))];
  const invalid = paths.flatMap((path) => {
    const reason = outputPathProblem(path);
    return reason === undefined ? [] : [{ path, reason }];
  });
  if (invalid.length > 0) {
    return {
      ok: false,
      kind: "invalid-path",
      paths: invalid,
      message: `Refused to commit ${input.taskId}: ${invalid.map((p) => `${p.path}: ${p.reason}`).join("; ")}.`,
      hint: "Task files must be relative paths inside the output dir.",
    };
  }
  return serialised(repo, () => commitPaths(repo, input, paths));
}

async function commitPaths(repo: OutputRepo, input: TaskCommitInput, paths: readonly string[]): Promise<CommitTaskResult> {
  const git = openOutputGit(repo);
  const head = await checkCommittable(git, repo);
  if ("ok" in head) return head;

  // `git add` fails on a path that is neither on disk nor known to git (a
  // declared output the task never produced), so such paths are dropped.
  const tracked = new Set<string>();
  if (paths.length > 0) {
    const ls = await runGit(git, ["ls-files", "-z", "--cached", "--", ...paths.map(literalPathspec)]);
    if (!ls.ok) return gitFailed(ls, `listing ${input.taskId}'s tracked files`);
    for (const path of splitNul(ls.stdout)) tracked.add(path);
  }
  const present = await Promise.all(paths.map((p) => pathExists(join(repo.dir, p))));
  const candidates = paths.filter((p, i) => present[i] === true || tracked.has(p));
  const ignored = await ignoredPaths(git, candidates.filter((p) => !tracked.has(p)));
  if (!Array.isArray(ignored)) return ignored;
  const toStage = candidates.filter((p) => !ignored.includes(p));
  if (toStage.length === 0) return { ok: true, outcome: "nothing-to-commit", ignored };

  const specs = toStage.map(literalPathspec);
  // Since git 2.0 `add <pathspec>` also stages the deletion of a listed file.
  const add = await tryGit(`git add ${specs.join(" ")}`, git.add(specs));
  if (!add.ok) return gitFailed(add, `staging ${input.taskId}'s files`);
  const diff = await runGit(git, ["diff", "--cached", "--name-only", "--no-renames", "-z", "--", ...specs]);
  if (!diff.ok) return gitFailed(diff, `comparing ${input.taskId}'s files with HEAD`);
  const changed = splitNul(diff.stdout);
  if (changed.length === 0) return { ok: true, outcome: "nothing-to-commit", ignored };

  const message = formatTaskCommitMessage(input);
  const commit = await commitWithMessage(git, message, changed.map(literalPathspec));
  if (!commit.ok) {
    return gitFailed(commit, `committing ${input.taskId}`, `${input.taskId}'s files are written and staged but not committed; run \`git commit\` in ${repo.dir} to see why.`);
  }
  return { ok: true, outcome: "committed", sha: commit.value, files: changed, ignored };
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function ignoredPaths(git: SimpleGit, paths: readonly string[]): Promise<string[] | GitProblem> {
  if (paths.length === 0) return [];
  // ls-files rather than check-ignore: it takes -z output and literal pathspecs together.
  const run = await runGit(git, ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", ...paths.map(literalPathspec)]);
  return run.ok ? splitNul(run.stdout) : gitFailed(run, "checking .gitignore");
}

/**
 * Takes `files` out of the index again (back to HEAD), leaving the files on
 * disk as they are: what rolls back the staging of a task commit that was
 * interrupted and will not be finished.
 */
export async function unstagePaths(repo: OutputRepo, files: readonly string[]): Promise<{ ok: true } | GitProblem> {
  if (files.length === 0) return { ok: true };
  const specs = files.map((f) => literalPathspec(canonicalPath(f)));
  return serialised(repo, async () => {
    const reset = await tryGit(`git reset -- ${specs.join(" ")}`, openOutputGit(repo).reset(["-q", "--", ...specs]));
    return reset.ok ? { ok: true as const } : gitFailed(reset, "unstaging an interrupted commit's files");
  });
}
