import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { CALC_PLAN, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, PROJECT_TOML, writeProject } from "../helpers/spec-project.js";
import { checkMove } from "../../ui/data/plan-data.js";
import type { Task } from "../../plans/plan.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-plan-"));
  fake = undefined;
  app = undefined;
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake?.close();
  await cleanup();
});

const DOWN = "http://127.0.0.1:9";
const planToml = () => readFile(join(dir, ".specwright/plan.toml"), "utf8");
const answer = (tasks: { key: string; title: string; outputs: string[]; depends_on?: string[]; refs: string[]; verify: string[] }[]) => ({
  content: JSON.stringify({ tasks: tasks.map((t) => ({ description: "", depends_on: [], ...t })) }),
});

describe("planning from the plan screen", () => {
  it("plans the specs with the planner model and writes plan.toml", async () => {
    await writeProject(dir, { "specwright.toml": PROJECT_TOML, "specs/calc.smd": CALC_SMD, "specs/calc.amd": CALC_AMD });
    fake = await startFakeOllama();
    fake.script(
      answer([
        { key: "1", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["requirements/add", "requirements/divide", "components/Arith"], verify: ["python3 -m py_compile calc/arith.py"] },
        { key: "2", title: "CLI", outputs: ["calc/cli.py"], depends_on: ["1"], refs: ["components/Cli"], verify: ["python3 -m py_compile calc/cli.py"] },
      ]),
    );
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "plan" });
    await app.waitFor((f) => f.includes("No plan yet"), "the empty plan screen");
    await app.press("P");
    const f = await app.waitFor((x) => x.includes("wrote .specwright/plan.toml: 2 tasks, 1 model call") && /T002\s+CLI/.test(x), "the new plan in the table");
    expect(f).toMatch(/CALC\s+2 tasks \(0 kept from the previous plan\)/);
    expect(app.history()).toMatch(/planning with the planner model…/);
    const text = await planToml();
    expect(text.startsWith("# specwright build plan")).toBe(true);
    expect(text).toMatch(/id = "T002"\nspec = "CALC"\ntitle = "CLI"/);
    expect(text).toContain('depends_on = ["T001"]');
    // Planned like the command does: state.json records the spec as planned, so P again asks nothing.
    const state = JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { planned: Record<string, { by: string }> };
    expect(state.planned.CALC?.by).toBe("planner");
    await lockReleased(dir);
    await app.press("P");
    await app.waitFor((x) => x.includes("the plan is up to date"), "the up-to-date plan");
    expect(fake.promptRequests()).toHaveLength(1);
  });

  it("derives the plan from the architecture without a model call", async () => {
    await writeProject(dir, { "specwright.toml": PROJECT_TOML, "specs/calc.smd": CALC_SMD, "specs/calc.amd": CALC_AMD });
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => f.includes("No plan yet"), "the empty plan screen");
    await app.press("A");
    await app.waitFor((f) => f.includes("wrote .specwright/plan.toml: 2 tasks, 0 model calls") && /T002\s+Cli/.test(f), "the derived plan");
    expect(await planToml()).toMatch(/id = "T001"\nspec = "CALC"\ntitle = "Arith"/);
  });
});

describe("reordering tasks", () => {
  const COMMENTED = CALC_PLAN.replace('[[task]]\nid = "T003"', '# The entry point comes last.\n[[task]]\nid = "T003"');

  it("moves a task up with its comment, and refuses to move it above a task it depends on", async () => {
    await writeCalcProject(dir);
    await writeFile(join(dir, ".specwright/plan.toml"), COMMENTED);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => f.includes("T003") && f.includes("plan.toml is valid"), "the plan table");
    await app.press(KEY.down, KEY.down, "K");
    await app.waitFor((f) => f.includes("T003 moved up") && /› T003/.test(f), "the moved task, still selected");
    // Built by hand: T003's block (comment included) now stands between T001 and T002.
    const t2 = COMMENTED.indexOf("[[task]]\nid = \"T002\"");
    const t3 = COMMENTED.indexOf("# The entry point comes last.");
    const expected = COMMENTED.slice(0, t2) + COMMENTED.slice(t3) + "\n" + COMMENTED.slice(t2, t3).replace(/\n+$/, "\n");
    expect(await planToml()).toBe(expected);
    await app.waitFor((f) => f.indexOf("T003") < f.indexOf("T002") && f.includes("plan.toml is valid"), "the table in the new order");

    await app.press("K");
    await app.waitFor((f) => f.includes("T003 depends on T001, so T001 stays above it"), "the refusal");
    expect(await planToml()).toBe(expected);
  });

  it("refuses a move that breaks dependency order in either direction", () => {
    const task = (id: string, dependsOn: string[]): Task => ({ id, spec: "S", title: id, description: "", outputs: [], copy: [], edits: [], dependsOn, refs: [], context: [], covers: [], verify: [], status: "auto", notes: "" });
    const tasks = [task("T001", []), task("T002", ["T001"]), task("T003", [])];
    expect(checkMove(tasks, "T001", 1)).toEqual({ ok: false, message: "T002 depends on T001, so T001 stays above it" });
    expect(checkMove(tasks, "T002", -1)).toMatchObject({ ok: false });
    expect(checkMove(tasks, "T002", 1)).toEqual({ ok: true, toIndex: 2 });
    expect(checkMove(tasks, "T001", -1)).toEqual({ ok: false, message: "T001 is already the first task" });
  });
});

describe("the tokens column", () => {
  it("compares each task's prompt with the build model's context and marks tasks that do not fit", async () => {
    await writeCalcProject(dir);
    fake = await startFakeOllama({ models: [{ name: "qwen2.5-coder:14b", contextLength: 32768 }] });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "plan" });
    const f = await app.waitFor((x) => /T003.* \/ 32k/.test(x), "the tokens against 32k");
    expect(f).toContain("context: 32k (the build model's maximum, from Ollama)");
    expect(f).not.toMatch(/!\d/);
    app.unmount();
    await fake.close();

    // A model whose window cannot hold a prompt plus the reply budget (8192).
    fake = await startFakeOllama({ models: [{ name: "qwen2.5-coder:14b", contextLength: 8192 }] });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "plan" });
    // 8192 tokens show as 8.2k; every calc task's prompt plus 8192 is more than that.
    const small = await app.waitFor((x) => /T003.* \/ 8\.2k/.test(x), "the tokens against 8.2k");
    for (const id of ["T001", "T002", "T003"]) expect(small).toMatch(new RegExp(`${id} .* ![\\d.]+k? \\/ 8\\.2k`));
  });

  it("falls back to the configured num_ctx, or ? when Ollama is down", async () => {
    await writeCalcProject(dir);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((x) => /T003.* \/ \?/.test(x), "the unknown context");
    app.unmount();
    app = renderApp({ cwd: dir, env: { ...testEnv(dir, DOWN), SPECWRIGHT_MODEL_NUM_CTX: "16384" }, screen: "plan" });
    const f = await app.waitFor((x) => /T003.* \/ 16k/.test(x), "the configured num_ctx");
    expect(f).toContain("context: 16k (model.num_ctx)");
  });
});

describe("plan.toml is the person's until a new plan is complete", () => {
  it("X then y with Ollama down leaves plan.toml byte for byte and says so", async () => {
    await writeCalcProject(dir);
    const edited = CALC_PLAN.replace('title = "CLI"', 'title = "CLI" # reviewed by hand');
    await writeFile(join(dir, ".specwright/plan.toml"), edited);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => f.includes("T003") && f.includes("plan.toml is valid"), "the plan table");
    await app.press("X");
    await app.waitFor((f) => f.includes("Re-plan every spec from scratch?"), "the re-plan question");
    await app.press("y");
    const f = await app.waitFor((x) => x.includes("not reachable") && x.includes(".specwright/plan.toml is unchanged"), "the failed re-plan");
    expect(f).toContain("T003");
    await lockReleased(dir);
    expect(await planToml()).toBe(edited);
  });

  it("an edit from the plan screen takes the run lock: while a build holds it, nothing is written", async () => {
    await writeCalcProject(dir);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => f.includes("T003") && f.includes("plan.toml is valid"), "the plan table");
    // A headless build elsewhere holds the lock (this process is alive, so the lock is live).
    const holder = { pid: process.pid, command: "specwright build --yes", startedAt: new Date().toISOString(), host: (await import("node:os")).hostname(), token: "held-by-test" };
    await writeFile(join(dir, ".specwright/lock"), JSON.stringify(holder) + "\n");
    await app.press("s");
    await app.waitFor((f) => f.includes("not saved: another specwright run holds the project lock") && f.includes("specwright build --yes"), "the refused edit");
    expect(await planToml()).toBe(CALC_PLAN);
    // Once the build is done the same key works (pressed again if the screen was still reloading after the refusal).
    await (await import("node:fs/promises")).rm(join(dir, ".specwright/lock"));
    for (let tries = 0; tries < 20; tries++) {
      await app.press("s");
      const f = await app.waitFor((x) => x.includes("T001 is now skip") || x.includes("press the key again in a moment"), "the saved edit");
      if (f.includes("T001 is now skip")) break;
    }
    await app.waitFor((f) => f.includes("T001 is now skip"), "the saved edit");
    expect(await planToml()).toContain('status = "skip"');
  });
});
