// Runs the built CLI (dist/) as a separate process, the way users run it.

import { execa } from "execa";
import { createServer, type AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { STEP_MS } from "./budget.js";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const CLI = join(REPO_ROOT, "dist", "src", "cli", "main.js");
/** Test inputs inside the repository: a fresh clone has nothing beside it. */
export const FIXTURES = resolve(REPO_ROOT, "test", "fixtures");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `specwright <args>` in `cwd` with a clean, colourless environment. */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult> {
  const result = await execa("node", [CLI, ...args], {
    cwd: options.cwd,
    reject: false,
    stdin: "ignore",
    env: {
      NO_COLOR: "1",
      // Keep the user's own config out of tests.
      XDG_CONFIG_HOME: join(options.cwd, ".no-user-config"),
      OLLAMA_HOST: undefined,
      SPECWRIGHT_MODEL: undefined,
      // The blind judge (build.review, on by default) adds a review call after every verified
      // task; tests of other behaviour script and count requests, so it is off unless a test
      // turns it on (the review tests do, and one of them relies on the default).
      SPECWRIGHT_BUILD_REVIEW: "off",
      // Likewise the focused audit after an applied ask (audit.after_ask, on by default): the
      // intent tests that count calls after an accept turn it on (and one relies on the default).
      SPECWRIGHT_AUDIT_AFTER_ASK: "off",
      ...options.env,
    },
    extendEnv: true,
    timeout: options.timeoutMs ?? STEP_MS,
    stripFinalNewline: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A fresh temp dir, removed by the returned cleanup. */
export async function tempDir(prefix = "specwright-test-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** http://127.0.0.1:<port> where nothing listens (a port just freed): connections are refused at once. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
