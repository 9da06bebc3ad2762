import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa, execaSync } from "execa";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { CLI as CLI_JS, runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";

// With build.git on, a task is done only once its files are committed. These
// builds are cut off while T001's commit runs: a prepare-commit-msg hook (git
// runs it even with --no-verify) holds the commit until the test says go.

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let out: string;
let marks: string;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  out = join(dir, "output");
  marks = join(dir, "marks");
  await mkdir(marks);
  git("init", "-q", "-b", "main", out);
  await writeFile(join(out, ".git/hooks/prepare-commit-msg"), [
    "#!/bin/sh",
    `M=${JSON.stringify(marks)}`,
    // Refuses to commit while the test says so.
    'if [ -e "$M/fail" ]; then echo "hook refused the commit" >&2; exit 1; fi',
    // Holds the first commit until the test says go; later commits pass.
    '[ -e "$M/started" ] && exit 0',
    'touch "$M/started"',
    'while [ ! -e "$M/go" ]; do sleep 0.05; done',
  ].join("\n") + "\n");
  await chmod(join(out, ".git/hooks/prepare-commit-msg"), 0o755);
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

function git(...args: string[]): string {
  return execaSync("git", args, { cwd: dir, env: { GIT_CONFIG_NOSYSTEM: "1" } }).stdout;
}
const gitOut = (...args: string[]) => git("-C", out, ...args);
const state = async () => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { tasks: Record<string, { status: string; commit?: string; error?: string }> };
const asksFor = (id: string) => fake.promptRequests().filter((r) => taskOf(r) === id).length;
const build = (...args: string[]) => runCli(["build", ...args], { cwd: dir, env: { OLLAMA_HOST: fake.url } });

/** True once a commit of `task` is on HEAD (false before the first commit, when git log fails). */
function committed(task: string): boolean {
  try {
    return gitOut("log", "--format=%s").includes(task);
  } catch {
    return false;
  }
}

async function until(test: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await test())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** `specwright build` in a process group of its own, as a terminal runs it: Ctrl-C there reaches git too. */
function spawnInTerminal() {
  return execa("node", [CLI_JS, "build"], { cwd: dir, reject: false, stdin: "ignore", detached: true, env: { NO_COLOR: "1", OLLAMA_HOST: fake.url, XDG_CONFIG_HOME: join(dir, ".none") } });
}

describe("a task is done only with its commit", () => {
  it("finishes a commit that Ctrl-C cut short, and records the task done with it", async () => {
    const child = spawnInTerminal();
    await until(() => existsSync(join(marks, "started")));
    // The terminal's Ctrl-C: SIGINT to the whole foreground group, git and its hook included.
    process.kill(-child.pid!, "SIGINT");
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(130);
    const s = await state();
    expect(s.tasks.T001!.status).toBe("done");
    expect(s.tasks.T001!.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(gitOut("log", "--format=%H %s")).toBe(`${s.tasks.T001!.commit} T001 Arithmetic`);
  });

  it("finishes on the next build, without the model, a commit that kill -9 left undone", async () => {
    const child = execa("node", [CLI_JS, "build"], { cwd: dir, reject: false, stdin: "ignore", env: { NO_COLOR: "1", OLLAMA_HOST: fake.url, XDG_CONFIG_HOME: join(dir, ".none") } });
    await until(() => existsSync(join(marks, "started")));
    child.kill("SIGKILL");
    await child;
    expect((await state()).tasks.T001!.status).toBe("verified");
    // git was not killed with specwright: let it run, or not, as it may — here it finishes on its own.
    await writeFile(join(marks, "go"), "");
    await until(() => committed("T001") && !existsSync(join(out, ".git/index.lock")));
    const asked = asksFor("T001");

    const next = await build();
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toContain("T001: committed the files an interrupted build verified");
    expect(asksFor("T001")).toBe(asked);
    const s = await state();
    expect(s.tasks.T001!.status).toBe("done");
    expect(gitOut("log", "--format=%H", "--grep=Spec-Task: T001")).toBe(s.tasks.T001!.commit);
  });

  it("is not done when git refuses the commit; the next build commits it without the model", async () => {
    await writeFile(join(marks, "started"), "");
    await writeFile(join(marks, "fail"), "");
    const first = await build();
    expect(first.exitCode).toBe(1);
    expect(first.stderr).toMatch(/T001 failed after 1 attempt: verified, but not committed: .*hook refused the commit/);
    expect(first.stdout).toMatch(/2 blocked/);
    expect((await state()).tasks.T001!.status).toBe("verified");

    await rm(join(marks, "fail"));
    const asked = asksFor("T001");
    const second = await build();
    expect(second.exitCode, second.stderr).toBe(0);
    expect(asksFor("T001")).toBe(asked);
    expect((await state()).tasks.T001!.status).toBe("done");
    const subjects = gitOut("log", "--format=%s", "--reverse").split("\n");
    expect(subjects[0]).toBe("T001 Arithmetic");
    expect(subjects.sort()).toEqual(["T001 Arithmetic", "T002 Arithmetic tests", "T003 CLI"]);
  });

  it("rolls the staged files of an unfinished commit back when they were changed since, and builds the task anew", async () => {
    await writeFile(join(marks, "started"), "");
    await writeFile(join(marks, "fail"), "");
    await build();
    expect(gitOut("diff", "--cached", "--name-only")).toBe("calc/arith.py");
    await writeFile(join(out, "calc/arith.py"), "# edited by hand\n");
    await rm(join(marks, "fail"));

    const next = await build();
    // Not committed, and nothing left staged: the hand edit is kept and reported, as for any hand edit.
    expect(next.exitCode).toBe(1);
    expect(next.stderr).toMatch(/calc\/arith\.py changed by hand/);
    expect(gitOut("diff", "--cached", "--name-only")).toBe("");
    expect(await readFile(join(out, "calc/arith.py"), "utf8")).toBe("# edited by hand\n");
    expect((await state()).tasks.T001!.status).not.toBe("done");
  });
});
