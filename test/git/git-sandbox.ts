// Real git in temp dirs, isolated from the machine's git config: HOME and
// XDG_CONFIG_HOME point into the sandbox for the whole test (simple-git reads
// process.env at each spawn), so a developer's global hooks, signing or
// identity cannot leak in. The tests' own git calls also skip system config.

import { afterEach, beforeEach } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { prepareOutputRepo, type CommitTaskResult, type OutputRepo, type PrepareOutputRepoResult } from "../../src/git/git-output.js";

export const TEST_USER = { name: "Ada Lovelace", email: "ada@example.com" } as const;

export interface GitSandbox {
  /** Real path of the sandbox root; projects go below it. */
  root: string;
  /** The isolated HOME; its .gitconfig holds TEST_USER unless a test removes it. */
  home: string;
}

/** Registers hooks giving each test a fresh sandbox; read `sandbox.root` inside tests. */
export function useGitSandbox(): GitSandbox {
  const sandbox: GitSandbox = { root: "", home: "" };
  const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
  beforeEach(async () => {
    sandbox.root = await realpath(await mkdtemp(join(tmpdir(), "specwright-git-")));
    sandbox.home = join(sandbox.root, "home");
    await mkdir(sandbox.home);
    await writeFile(join(sandbox.home, ".gitconfig"), `[user]\n\tname = ${TEST_USER.name}\n\temail = ${TEST_USER.email}\n`);
    process.env.HOME = sandbox.home;
    process.env.XDG_CONFIG_HOME = join(sandbox.home, ".config");
  });
  afterEach(async () => {
    restore("HOME", saved.HOME);
    restore("XDG_CONFIG_HOME", saved.XDG_CONFIG_HOME);
    await rm(sandbox.root, { recursive: true, force: true });
  });
  return sandbox;
}

function restore(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

/** Runs git synchronously in `cwd` with the sandbox's config; returns stdout. Throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("GIT_")) env[key] = value;
  env.GIT_CONFIG_NOSYSTEM = "1";
  return execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Number of commits reachable from HEAD (0 before the first commit). */
export function commitCount(cwd: string): number {
  try {
    return Number(git(cwd, "rev-list", "--count", "HEAD").trim());
  } catch {
    return 0;
  }
}

/** Writes files (path relative to `dir`), creating parent dirs. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** The repo of a successful prepare; fails the test with the problem's message otherwise. */
export function preparedRepo(result: PrepareOutputRepoResult): OutputRepo {
  if (!result.ok) throw new Error(`expected a prepared repo, got ${result.kind}: ${result.message}`);
  return result.repo;
}

/** prepareOutputRepo that must succeed. */
export async function prepare(outputDir: string, projectRoot: string): Promise<OutputRepo> {
  return preparedRepo(await prepareOutputRepo(outputDir, projectRoot));
}

/** The sha of a commit that must have happened. */
export function committedSha(result: CommitTaskResult): string {
  if (!result.ok) throw new Error(`expected a commit, got ${result.kind}: ${result.message}`);
  if (result.outcome !== "committed") throw new Error("expected a commit, got nothing-to-commit");
  return result.sha;
}

/** `git status --porcelain` lines of `cwd`, sorted. */
export function statusLines(cwd: string): string[] {
  return git(cwd, "status", "--porcelain=v1", "--untracked-files=all").split("\n").filter((l) => l !== "").sort();
}
