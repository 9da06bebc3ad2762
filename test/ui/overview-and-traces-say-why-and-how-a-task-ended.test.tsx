// Issue 10 items 12 and 13 in the TUI: a build attempt whose verify failed is
// "verify failed" in the trace browser's call view as in its call list (the
// core's callOutcome), and after the config names another model the Overview
// counts and explains the tasks to build exactly as `specwright status` does.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { loadConfig } from "../../src/config/load.js";
import { loadOverview } from "../../src/project/project-overview.js";
import { formatProjectStatus } from "../../src/cli/project-status.js";
import { palette } from "../../src/cli/style.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake?.close();
  await cleanup();
});

describe("after a build whose T002 failed its verify once", () => {
  it("the call view names the failed attempt 'verify failed'; with another model configured the Overview says why every task is to build, as status does", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }) });
    const env = testEnv(dir, fake.url);
    app = renderApp({ cwd: dir, env, screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the build screen");
    await app.press("b");
    await app.waitFor((f) => f.includes("3 built"), "the build");
    await lockReleased(dir);
    await app.press("6");
    await app.waitFor((f) => /› \S+-build\s+build\s+4 calls/.test(f), "the run list");
    await app.press(KEY.enter);
    await app.waitFor((f) => /tasks\/T002\/attempt-1\s+verify failed/.test(f), "the call list");
    // ↓ and Enter in one read, as a terminal delivers keys typed faster than frames: Enter acts where ↓ went.
    await app.press(KEY.down + KEY.enter);
    const failed = await app.waitFor((f) => f.includes("[response]") && f.includes("tasks/T002/attempt-1 "), "the failed attempt's call view");
    expect(failed.split("\n").find((l) => l.includes("[response]"))).toMatch(/^tasks\/T002\/attempt-1 verify failed /);
    await app.press(KEY.escape);
    await app.press(KEY.down + KEY.enter);
    const passed = await app.waitFor((f) => f.includes("[response]") && f.includes("tasks/T002/attempt-2 "), "the second attempt's call view");
    expect(passed.split("\n").find((l) => l.includes("[response]"))).toMatch(/^tasks\/T002\/attempt-2 ok /);
    app.unmount();

    // The config now names another model for every role (the demo's case: built with the scripted one).
    const other = { ...env, SPECWRIGHT_MODEL: "qwen2.5-coder:7b" };
    const { loaded } = await loadConfig({ cwd: dir, env: other, flags: {} });
    const status = formatProjectStatus(await loadOverview(loaded, other), loaded.root, palette(false));
    const planLine = status.find((l) => l.startsWith("Plan"))!;
    expect(planLine).toContain("3 tasks: 0 done, 3 to build, 0 failed");
    const why = "3 tasks: built with qwen2.5-coder:14b; the config now names qwen2.5-coder:7b";
    expect(status).toContain(`           ${why}`);

    app = renderApp({ cwd: dir, env: other });
    const overview = await app.waitFor((f) => f.includes("Plan 3 tasks") && f.includes("Last build"), "the overview");
    const lines = overview.split("\n");
    const plan = lines.findIndex((l) => l.startsWith("Plan "));
    // Same counts as status (the last build's "3 built" is no longer "done": the model changed), and the reason right under them.
    expect(lines[plan]).toMatch(/^Plan 3 tasks: 0 done, 3 to build, 0 failed · 5 \(Build\), then b/);
    expect(lines[plan + 1]).toBe(`  ${why}`);
    expect(overview).toMatch(/Last build ✓ 3 built, 0 up to date/);

    // The Plan screen says it for the selected task.
    await app.press("4");
    const planScreen = await app.waitFor((f) => f.includes("[4 Plan]") && f.includes("to build:"), "the plan screen's reason");
    expect(planScreen).toMatch(/^to build: built with qwen2\.5-coder:14b; the config now names qwen2\.5-coder:7b$/m);
    app.unmount();

    // At 70 columns the reason wraps under its label instead of losing the model's name.
    app = renderApp({ cwd: dir, env: other, columns: 70 });
    const narrow = await app.waitFor((f) => f.includes("Plan 3 tasks") && f.includes("Last build"), "the overview at 70 columns");
    const at = narrow.split("\n").findIndex((l) => l.startsWith("  3 tasks: built with"));
    expect(narrow.split("\n").slice(at, at + 2).map((l) => l.trimEnd())).toEqual(["  3 tasks: built with qwen2.5-coder:14b; the config now names", "  qwen2.5-coder:7b"]);
    await app.press("4");
    const plan80 = await app.waitFor((f) => f.includes("[4 Plan]") && f.includes("to build:"), "the plan screen at 70 columns");
    const from = plan80.split("\n").findIndex((l) => l.startsWith("to build:"));
    expect(plan80.split("\n").slice(from, from + 2).map((l) => l.trimEnd())).toEqual(["to build: built with qwen2.5-coder:14b; the config now names", "          qwen2.5-coder:7b"]);
  });
});
