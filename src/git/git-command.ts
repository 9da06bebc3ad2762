// Runs git for the output repository through simple-git and turns every
// outcome into a value: output on success, exit code and stderr on failure,
// "not installed" when the binary is missing. Callers decide what a failure
// means; nothing here throws for something git or the user did.
//
// simple-git's typed commands (init, add, commit, log, revert, revparse) are
// used through `tryGit`; `runGit` runs the rest raw, where simple-git has no
// typed form (ls-files, symbolic-ref, diff-tree -z) or where a quiet exit
// code is the answer (`config --get` exits 1 for an unset key, `check-ignore`
// exits 1 for a path that is not ignored), which its typed forms hide.
//
// Two simple-git 4 traps shape this file. It refuses GIT_* variables passed
// through .env() (and strips inherited ones), so commit identity and every
// other setting go in as `-c key=value` config args. And by default it only
// rejects when git exits non-zero *and* wrote to stderr, so a quiet failure
// (`git config --get` of an unset key exits 1 silently) would look like
// success; the `errors` hook below rejects on every non-zero exit instead.

import { GitError, simpleGit, type SimpleGit } from "simple-git";

/** Settings passed with `-c` to every git command specwright runs. */
const BASE_CONFIG: readonly string[] = [
  // A user's log.showSignature=true would print gpg output into `git log --format` results.
  "log.showSignature=false",
];

// A git command that prints nothing for this long is stuck (a stale
// index.lock is reported at once, so this is for a hung credential or gpg
// prompt); killing it turns a frozen build into a reported problem.
const BLOCK_TIMEOUT_MS = 120_000;

/**
 * A git command that ran and failed, or could not start. Extends simple-git's
 * GitError because simple-git wraps any other error in one, losing our fields.
 */
export class GitExitError extends GitError {
  constructor(
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    readonly notInstalled: boolean,
  ) {
    super(undefined, stderr.trim() === "" ? `git exited with code ${String(exitCode)}` : stderr.trim());
    this.name = "GitExitError";
  }
}

/** A git command that failed or could not start. */
export interface GitFailure {
  ok: false;
  /** The command as typed, e.g. "git revert --no-commit 1a2b3c". */
  command: string;
  /** Exit code; null when git could not be started. */
  exitCode: number | null;
  stderr: string;
  stdout: string;
  /** True when the git binary was not found on PATH. */
  notInstalled: boolean;
}

/** The outcome of one raw git command. */
export type GitRun = { ok: true; stdout: string } | GitFailure;

/** The outcome of one typed simple-git command. */
export type GitResult<T> = { ok: true; value: T } | GitFailure;

/**
 * A simple-git instance for `dir` with specwright's base settings plus
 * `config` (each "key=value", passed as `-c`).
 */
export function openGit(dir: string, config: readonly string[] = []): SimpleGit {
  return simpleGit({
    baseDir: dir,
    config: [...BASE_CONFIG, ...config],
    maxConcurrentProcesses: 1,
    timeout: { block: BLOCK_TIMEOUT_MS },
    errors: (error, result) => {
      if (result.exitCode === 0 && error === undefined) return undefined;
      const spawnError = error instanceof Error ? (error as NodeJS.ErrnoException) : undefined;
      const notInstalled = spawnError?.code === "ENOENT" || /spawn \S*git ENOENT/.test(spawnError?.message ?? "");
      return new GitExitError(
        notInstalled ? null : result.exitCode,
        Buffer.concat(result.stdOut).toString("utf8"),
        Buffer.concat(result.stdErr).toString("utf8") || (spawnError?.message ?? ""),
        notInstalled,
      );
    },
  });
}

/** Runs `git <args>`; never rejects for a failing git, only for bugs (e.g. simple-git refusing an argument). */
export async function runGit(git: SimpleGit, args: readonly string[]): Promise<GitRun> {
  const result = await tryGit(`git ${args.join(" ")}`, git.raw([...args]));
  return result.ok ? { ok: true, stdout: result.value } : result;
}

/**
 * Awaits a typed simple-git command (`git.commit(…)`, `git.log(…)`); `command`
 * names it in problems. Never rejects for a failing git, only for bugs.
 */
export async function tryGit<T>(command: string, pending: Promise<T>): Promise<GitResult<T>> {
  try {
    return { ok: true, value: await pending };
  } catch (error) {
    if (!(error instanceof GitExitError)) throw error;
    return { ok: false, command, exitCode: error.exitCode, stderr: error.stderr, stdout: error.stdout, notInstalled: error.notInstalled };
  }
}

/** Splits NUL-separated output (from `-z`), dropping the empty tail. */
export function splitNul(stdout: string): string[] {
  return stdout.split("\0").filter((part) => part !== "");
}

/**
 * A pathspec that matches exactly `path`: without `:(literal)` a generated
 * file named `a[1].txt` or `*.md` would be read as a glob and stage others.
 */
export function literalPathspec(path: string): string {
  return `:(literal)${path}`;
}
