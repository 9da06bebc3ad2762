import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { CLI as CLI_JS, runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, routedReplies, writeCalcProject } from "../helpers/calc-build.js";

// DESIGN.md promises that nothing a verify command starts outlives specwright:
// the whole group is dead within 2 s. These builds run a verify command that
// ignores SIGTERM, then end specwright the two ways that skip a graceful stop.

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
/** A sleep duration no other process uses, so the checks below see only this test's sleepers. */
let marker: string;
/** The build a test started, if any. */
let build: Awaited<ReturnType<typeof buildUntilVerify>>["child"] | undefined;

beforeEach(async () => {
  build = undefined;
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  marker = `300.${process.pid}${Date.now() % 100000}`;
  const plan = await readFile(join(dir, ".specwright/plan.toml"), "utf8");
  await writeFile(join(dir, ".specwright/plan.toml"), plan.replace('verify = ["python3 -m py_compile calc/arith.py"]', `verify = ["trap '' TERM; sleep ${marker}"]`));
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
});
afterEach(async () => {
  // A failed test may leave its build running: end it before its files are removed.
  if (build?.exitCode === null && build.pid !== undefined) {
    build.kill("SIGKILL");
    await build;
  }
  for (const pid of await sleepers()) process.kill(pid, "SIGKILL");
  await fake.close();
  await cleanup();
});

/** Running (not zombie) processes whose command line is `sleep <marker>`. */
async function sleepers(): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = (await readFile(`/proc/${name}/cmdline`, "utf8")).split("\0").filter(Boolean).join(" ");
      const stat = await readFile(`/proc/${name}/stat`, "utf8");
      if (cmdline === `sleep ${marker}` && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z") found.push(Number(name));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** Polls until the verify command's shell has started its sleep (it starts a moment after verify-started). */
async function sleeperStarted(): Promise<number[]> {
  for (;;) {
    const found = await sleepers();
    if (found.length > 0) return found;
    if (build?.exitCode !== null) throw new Error("the build ended before its verify command started sleeping");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls until no sleeper runs, or `ms` passed; returns those still running. */
async function sleepersAfter(ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = await sleepers();
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts `specwright build --json` and resolves once T001's verify command has started (wrapped: a subprocess is itself a promise). */
// Its type is inferred: execa's declared ResultPromise does not hold under exactOptionalPropertyTypes.
async function buildUntilVerify() {
  const child = execa("node", [CLI_JS, "build", "--json"], {
    cwd: dir, reject: false, stdin: "ignore", env: { NO_COLOR: "1", OLLAMA_HOST: fake.url, XDG_CONFIG_HOME: join(dir, ".none") },
  });
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      if (/"type":"verify-started","id":"T001"/.test(seen)) resolve();
    });
    void child.then((r) => reject(new Error(`build ended before verify started (exit ${r.exitCode}): ${String(r.stderr)}`)));
  });
  return { child };
}

describe("verify process groups", () => {
  it("are dead within 2 s when two Ctrl-C's end the build at once", async () => {
    const { child } = await buildUntilVerify();
    build = child;
    expect(await sleeperStarted()).toHaveLength(1);
    child.kill("SIGINT");
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(await sleepersAfter(2000)).toEqual([]);
  });

  it("left running by a build killed with -9 are ended by the next build, which takes over its lock", async () => {
    const { child } = await buildUntilVerify();
    build = child;
    await sleeperStarted();
    const lockPath = join(dir, ".specwright/lock");
    // The lock lists the live group once its rewrite lands.
    for (;;) {
      const lock = JSON.parse(await readFile(lockPath, "utf8")) as { groups?: { pgid: number }[] };
      if ((lock.groups ?? []).length === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGKILL");
    await child;
    const orphans = await sleepers();
    expect(orphans).toHaveLength(1);

    const plan = await readFile(join(dir, ".specwright/plan.toml"), "utf8");
    await writeFile(join(dir, ".specwright/plan.toml"), plan.replace(`verify = ["trap '' TERM; sleep ${marker}"]`, 'verify = ["true"]'));
    const next = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/took over the lock of pid \d+ \(specwright build\), which is no longer running; ended 1 process group\(s\) it left running/);
    expect(await sleepersAfter(2000)).toEqual([]);
  });
});
