import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CALC_PLAN, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { KEY, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-graph-"));
  app = undefined;
});
afterEach(async () => {
  app?.unmount();
  await cleanup();
});

const DOWN = "http://127.0.0.1:9";
/** The graph's lines in a frame: from the header to the relations line, without the rest of the screen. */
const graphPart = (frame: string) => {
  const lines = frame.split("\n");
  const start = lines.findIndex((l) => l.includes("task graph"));
  return lines.slice(start, lines.findIndex((l, i) => i > start && /^\S+ · needs /.test(l)) + 1).map((l) => l.trimEnd());
};

describe("the task graph on the plan screen", () => {
  it("toggles between the table and the graph, with the selected task's relatives named", async () => {
    await writeCalcProject(dir);
    // T003 skipped: its glyph says so.
    await writeFile(join(dir, ".specwright/plan.toml"), CALC_PLAN.replace(/(id = "T003"[\s\S]*?)status = "auto"/, '$1status = "skip"'));
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => /T003.*skip/.test(f) && f.includes("plan.toml is valid"), "the plan table");
    await app.press("t");
    const f = await app.waitFor((x) => x.includes("task graph"), "the graph");
    expect(graphPart(f)).toEqual([
      "  task graph · ✓ done ✗ failed • to build – skip ✎ manual",
      "› • T001 Arithmetic",
      "  ├─ • T002 Arithmetic tests",
      "  └─ – T003 CLI",
      "T001 · needs nothing · needed by T002, T003",
    ]);
    expect(f).not.toContain("TOKENS/CTX");
    expect(f).toContain("t graph");

    // The cursor walks the graph; the relations line follows it.
    await app.press(KEY.down);
    const second = await app.waitFor((x) => x.includes("› ├─ • T002"), "T002 selected");
    expect(second).toContain("T002 · needs T001 · needed by nothing");

    // t again shows the table with the same task selected; Esc also leaves the graph.
    await app.press("t");
    await app.waitFor((x) => x.includes("TOKENS/CTX") && /› T002/.test(x), "the table, T002 still selected");
    await app.press("t", KEY.escape);
    await app.waitFor((x) => x.includes("TOKENS/CTX") && !x.includes("task graph"), "the table after Esc");
  });

  it("scrolls a graph taller than the screen to keep the selected task in sight", async () => {
    await writeCalcProject(dir);
    // 30 tasks: the calc plan's three, then a chain of 27 more after T003.
    let plan = CALC_PLAN;
    for (let i = 4; i <= 30; i++) {
      const id = `T${String(i).padStart(3, "0")}`;
      const previous = `T${String(i - 1).padStart(3, "0")}`;
      plan += `\n[[task]]\nid = "${id}"\nspec = "CALC"\ntitle = "Module ${i}"\noutputs = ["calc/m${i}.py"]\ndepends_on = ["${previous}"]\nrefs = ["components/Cli"]\nverify = ["python3 -m py_compile calc/m${i}.py"]\nstatus = "auto"\n`;
    }
    await writeFile(join(dir, ".specwright/plan.toml"), plan);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => f.includes("T001") && f.includes("plan.toml"), "the plan table");
    await app.press("t");
    const top = await app.waitFor((x) => x.includes("task graph · 1–"), "the top of the graph");
    expect(top).toContain("› • T001 Arithmetic");
    expect(top).not.toContain("T030");
    await app.press("G");
    const bottom = await app.waitFor((x) => /› .*T030 Module 30/.test(x), "the last task selected");
    expect(bottom).toMatch(/task graph · \d+–30 of 30/);
    expect(bottom).not.toContain("T001 Arithmetic");
    expect(bottom).toContain("T030 · needs T001, ");
    expect(bottom).toContain("needed by nothing");
  });
});
