import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { CALC_SMD } from "../helpers/spec-project.js";
import { ARITH, ARITH_V2, CLI, TEST_RIGHT, TEST_WRONG, builtCalcProject, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});
const built = builtCalcProject();
afterAll(() => built.cleanup());
/** Starts from the calc project as its first build left it (see builtCalcProject). */
const fromBuilt = async () => {
  await cleanup();
  await built.copyTo(dir);
};

const build = (...args: string[]) => runCli(["build", ...args], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const state = async () => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { tasks: Record<string, { status: string; attempts?: number; trace?: string; commit?: string }> };
const gitLog = async () => (await execa("git", ["log", "--format=%s%n%b%n--"], { cwd: join(dir, "output") })).stdout;

describe("specwright build", () => {
  it("builds a multi-file project, fixes a failing task, and rebuilds nothing when nothing changed", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readFile(join(dir, "output/calc/arith.py"), "utf8")).toContain("def divide");
    expect(await readFile(join(dir, "output/tests/test_arith.py"), "utf8")).toContain("add(2, 2), 4");
    expect(r.stderr).toContain("T002 attempt 2 (fix)");
    expect(r.stdout).toMatch(/^3 built, 0 up to date/m);

    // The fix continued the task's conversation: attempt 2's prompt is attempt 1's plus the reply and the failure.
    const t2 = fake.promptRequests().filter((q) => taskOf(q) === "T002");
    expect(t2).toHaveLength(2);
    expect(t2[1]!.messages!.slice(0, t2[0]!.messages!.length)).toEqual(t2[0]!.messages);
    expect(t2[1]!.messages!.at(-2)).toMatchObject({ role: "assistant", content: TEST_WRONG });
    expect(t2[1]!.messages!.at(-1)!.content).toContain("python3 -m unittest tests/test_arith.py");
    expect(t2[1]!.messages!.at(-1)!.content).toMatch(/AssertionError: 4 != 5/);

    // State, traces and one git commit per task.
    const s = await state();
    expect(Object.fromEntries(Object.entries(s.tasks).map(([id, t]) => [id, t.status]))).toEqual({ T001: "done", T002: "done", T003: "done" });
    expect(s.tasks.T002!.attempts).toBe(2);
    const verifyLog = await readFile(join(dir, s.tasks.T002!.trace!.replace("attempt-2", "attempt-1"), "verify.log"), "utf8");
    expect(verifyLog).toContain("python3 -m unittest tests/test_arith.py");
    expect(verifyLog).toMatch(/exit 1|exit code 1/);
    expect(existsSync(join(dir, s.tasks.T002!.trace!, "prompt.md"))).toBe(true);
    const log = await gitLog();
    expect(log.match(/^T00\d /gm)).toEqual(["T003 ", "T002 ", "T001 "].sort((a, b) => (log.indexOf(a) - log.indexOf(b))));
    expect(log).toContain("Spec-Task: T002");
    expect(log).toContain("Spec-Refs: requirements/add");

    // A no-op rebuild: zero requests to Ollama, zero verify runs.
    const before = fake.requests.length;
    const again = await build();
    expect(again.exitCode, again.stderr).toBe(0);
    expect(fake.requests.length).toBe(before);
    expect(again.stdout).toMatch(/^0 built, 3 up to date/m);
    expect(again.stdout).toContain("0 model calls, 0 verify runs");
  });

  it("rebuilds exactly the task whose requirement changed; identical output stops the cascade; why explains it", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH, ARITH, ARITH_V2], T002: [TEST_RIGHT], T003: [CLI] }) });
    expect((await build()).exitCode).toBe(0);
    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD.replace("**Returns:** The quotient as a float.", "**Returns:** The quotient as a float, never rounded."));

    const why = await runCli(["why", "T001"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(why.exitCode).toBe(0);
    expect(why.stdout).toContain("requirement `divide` changed");
    const whyT3 = await runCli(["why", "T003"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(whyT3.stdout).toContain("up to date");

    const n = fake.promptRequests().length;
    const same = await build();
    expect(same.exitCode, same.stderr).toBe(0);
    const asked = fake.promptRequests().slice(n).map(taskOf);
    expect(asked).toEqual(["T001"]); // rebuilt to identical bytes: T002 and T003 stay up to date
    expect(same.stdout).toMatch(/^1 built, 2 up to date/m);

    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD.replace("**Returns:** The quotient as a float.", "**Returns:** The quotient, always a float."));
    const m = fake.promptRequests().length;
    const changed = await build();
    expect(changed.exitCode, changed.stderr).toBe(0);
    expect(fake.promptRequests().slice(m).map(taskOf).sort()).toEqual(["T001", "T002", "T003"]);
    expect(await readFile(join(dir, "output/calc/arith.py"), "utf8")).toContain("float(a) / b");
  });

  it("rolls back a task's commit and rebuilds only that task", async () => {
    await fromBuilt();
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const r = await runCli(["rollback", "T003"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(dir, "output/calc/cli.py"))).toBe(false);
    expect(await gitLog()).toMatch(/^Revert "T003 CLI"/m);
    const status = await runCli(["status"], { cwd: dir });
    expect(status.stdout).toMatch(/T003\s+CLI\s+\S*\s*(pending|rolled back)/);
    const n = fake.promptRequests().length;
    const again = await build();
    expect(again.exitCode, again.stderr).toBe(0);
    expect(fake.promptRequests().slice(n).map(taskOf)).toEqual(["T003"]);
  });

  it("never overwrites a hand-edited file without --force", async () => {
    await fromBuilt();
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const mine = "# my own CLI\nprint('hi')\n";
    await writeFile(join(dir, "output/calc/cli.py"), mine);
    const r = await build();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("calc/cli.py changed by hand");
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toBe(mine);
    const forced = await build("--force", "--only", "T003");
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toContain("def main");
  });

  it("traces every attempt in its own folder", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }) });
    await build();
    const runs = await readdir(join(dir, ".specwright/runs"));
    const t2 = await readdir(join(dir, ".specwright/runs", runs[0]!, "tasks", "T002"));
    expect(t2.sort()).toEqual(["attempt-1", "attempt-2"]);
    const response = await readFile(join(dir, ".specwright/runs", runs[0]!, "tasks/T002/attempt-1/response.md"), "utf8");
    expect(response).toContain("add(2, 2), 5");
    // run.json says which model and options produced the run.
    const run = JSON.parse(await readFile(join(dir, ".specwright/runs", runs[0]!, "run.json"), "utf8")) as { models: { model: string; numCtx: number; temperature: number; digest?: string }[] };
    expect(run.models).toEqual([expect.objectContaining({ model: "qwen2.5-coder:14b", temperature: 0.2, think: false })]);
    expect(run.models[0]!.numCtx).toBeGreaterThanOrEqual(8192);
    expect(run.models[0]!.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
