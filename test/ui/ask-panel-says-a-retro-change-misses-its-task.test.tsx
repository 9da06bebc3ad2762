// The ask panel opened from a retro recommendation (Traces, R, ←, a) shows
// what the change does to the task the recommendation names: here the editor
// model puts the Example under ## Examples, which T002 does not ref, so the
// impact says T002's next build will not see it and which ref to add — in
// full, wrapped under its label, every row within 80 columns.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { impactRows } from "../../ui/intent/ask-panel.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { tempDir } from "../helpers/cli.js";
import { CALC_SMD_WITH_EXAMPLES, DIVIDE_EXAMPLE_PROPOSAL, DIVIDE_RETRO, calcPlan, writeRetroProject } from "../helpers/retro-project.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let app: AppHarness | undefined;

const PLAN = calcPlan([
  { id: "T002", title: "Divide", outputs: ["src/divide.py"], refs: ["requirements/divide"] },
  { id: "T003", title: "Examples as tests", outputs: ["tests/test_examples.py"], refs: ["examples"] },
]);

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-retro-reach-"));
  await writeRetroProject(dir, { plan: PLAN, smd: CALC_SMD_WITH_EXAMPLES });
  fake = await startFakeOllama();
  app = undefined;
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake.close();
  await cleanup();
});

describe("the ask panel for a retro recommendation", () => {
  it("says the named task does not ref the part the change edits, wrapped within 80 columns", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "traces", columns: 80 });
    await app.waitFor((f) => f.includes("Runs (newest first)"), "the run list");
    await app.press("R");
    await app.waitFor((f) => f.includes("[Tasks]"), "the report");
    await app.press(KEY.left);
    await app.waitFor((f) => f.includes("No retrospective yet"), "the empty Retro section");
    fake.script({ content: JSON.stringify(DIVIDE_RETRO) });
    await app.press("n");
    await app.waitFor((f) => f.includes("› 1. T002"), "the recommendation");
    await app.press("a");
    await app.waitFor((f) => f.includes("your words change the spec") && f.includes("recommendation 1"), "the ask panel");

    fake.script(DIVIDE_EXAMPLE_PROPOSAL);
    await app.press(KEY.enter);
    const review = await app.waitFor((f) => f.includes("I-0001: proposal") && f.includes("(or re-plan)"), "the proposal and its impact");
    for (const line of review.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    // The whole sentence is on screen, its rows joined back in order: wrapped, not cut.
    const text = review.split("\n").map((l) => l.replace(/^[│|]\s?/, "").replace(/\s*[│|]$/, "").trim()).join(" ").replace(/ +/g, " ");
    expect(text).toContain(
      "misses: T002 (named by the retro) does not reference CALC#examples, which this change edits: its next build will not see it. Add `examples` to T002's refs in .specwright/plan.toml (or re-plan)",
    );
    expect(review).toContain("rebuilds: T003 Examples as tests");

    const request = JSON.parse((await readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).split("\n")[0]!) as { context: Record<string, unknown> };
    expect(request.context).toMatchObject({ spec: "CALC", anchor: "divide", tasks: ["T002"] });
  });
});

describe("the ask panel's impact rows", () => {
  const miss = "misses:   T002 (named by the retro) does not reference CALC#examples, which this change edits: its next build will not see it. Add `examples` to T002's refs in .specwright/plan.toml (or re-plan)";
  const lines = ["changes:  CALC#examples", "rebuilds: T003 Examples as tests — section examples", "rebuilds: T004 Report — section examples", "then maybe: T005 (if the rebuilt files come out different)", "breaks:   T006 ref \"x\" would no longer resolve — fix plan.toml or re-plan", miss];

  it("wrap each line under its label and keep a miss whole when the others do not all fit", () => {
    const rows = impactRows(lines, 60, 12);
    for (const r of rows) expect(r.text.length, r.text).toBeLessThanOrEqual(60);
    const missRows = rows.filter((r) => r.tone === "warning");
    expect(missRows.length).toBeGreaterThan(1);
    expect(missRows.slice(1).every((r) => r.text.startsWith(" ".repeat(10)))).toBe(true);
    expect(missRows.map((r) => r.text.trim()).join(" ").replace(/ +/g, " ")).toBe(miss.replace(/ +/g, " "));
    // Beside a long miss the others keep two rows, in order, then how many did not fit.
    expect(rows.filter((r) => r.tone !== "warning").map((r) => r.text)).toEqual([lines[0], lines[1], "… 3 more impact lines"]);
    // A third of a 30-row panel is 10 rows: 4 for the miss, 6 for the rest — all of it, `breaks:` in two rows.
    const tall = impactRows(lines, 60, 30);
    expect(tall.map((r) => r.tone)).toEqual(["info", "info", "info", "info", "error", "error", "warning", "warning", "warning", "warning"]);
    // With room, everything shows in its order.
    expect(impactRows(lines, 200, 60).map((r) => r.text)).toEqual(lines);
  });
});
