// At 80×24 the Plan screen cut the "context: …" line that says what the
// TOKENS/CTX column is measured against, and the diagnostics under the table
// ("plan.toml:…: error: … — hint: …"). They wrap now; a diagnostic that does
// not fit is counted, and the table keeps the rows left.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CALC_PLAN, writeCalcProject } from "../helpers/calc-build.js";
import { closedPortUrl, tempDir } from "../helpers/cli.js";
import { renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;
let DOWN: string;

beforeEach(async () => {
  DOWN = await closedPortUrl();
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
});
afterEach(async () => {
  app?.unmount();
  await cleanup();
});

/** The frame's text with its line breaks and indents as single spaces: a wrapped sentence reads whole. */
const flat = (frame: string) => frame.split("\n").map((l) => l.trim()).join(" ");

function fits(frame: string): string[] {
  const lines = frame.split("\n");
  expect(lines.length, frame).toBeLessThanOrEqual(24);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  return lines;
}

describe("the Plan screen at 80×24", () => {
  it("wraps the context line under its label", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan", columns: 80 });
    const frame = await app.waitFor((f) => f.includes("plan.toml is valid") && f.includes("fix:"), "the plan table under the Ollama banner");
    const lines = fits(frame);
    expect(flat(frame)).toContain("context: ? (Ollama is not reachable and model.num_ctx is auto) · a task fits when its prompt and the 8.2k reply budget do (! marks those that do not)");
    expect(lines.filter((l) => l.trimEnd().endsWith("…")), frame).toEqual([]);
  });

  it("shows the diagnostics whole under the table and counts those with no room", async () => {
    const broken = CALC_PLAN.replace('depends_on = ["T001"]\nrefs = ["requirements/add"]', 'depends_on = ["T001", "T009"]\nrefs = ["requirements/add", "requirements/no-such-item"]').replace(
      'verify = ["python3 -m py_compile calc/cli.py"]',
      'verify = ["no-such-program-xyz --check calc/cli.py"]',
    );
    await writeFile(join(dir, ".specwright/plan.toml"), broken);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan", columns: 80 });
    const frame = await app.waitFor((f) => f.includes("plan.toml: ") && f.includes("fix:"), "the diagnostics under the Ollama banner");
    const lines = fits(frame);
    // The first diagnostic whole (line 18 of the plan, column 23: the "T009" written above): 16 rows under the banner
    // less the table (4), the details (5) and the state line leave 6, its 5 and the count of the other two.
    expect(flat(frame)).toContain('plan.toml: 3 errors, 0 warnings .specwright/plan.toml:18:23: error: Task T002 depends on "T009", which is not in the plan 18 | depends_on = ["T001", "T009"]');
    expect(lines).toContain('  hint: did you mean "T001"?');
    expect(lines).toContain("… 2 more diagnostics: `specwright plan --check` lists them all");
    expect(lines.filter((l) => l.trimEnd().endsWith("…")), frame).toEqual([]);
  });
});
