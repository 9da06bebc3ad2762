import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeCalcProject } from "../helpers/calc-build.js";
import { closedPortUrl, tempDir } from "../helpers/cli.js";
import { lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";


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
  await lockReleased(dir);
  await cleanup();
});

describe("the build screen without a reachable Ollama", () => {
  it("shows why the build could not start, never a green summary of nothing", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "build" });
    await app.waitFor((f) => f.includes("No build in this session yet"), "the idle build screen");
    await app.press("b");
    // The build screen's problem lines (the banner above says "fix:", not "hint:").
    const frame = await app.waitFor((f) => /hint: /.test(f), "the problem");
    expect(frame).toMatch(/Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+[^\n]*\n\s*hint: /);
    expect(app.history()).not.toMatch(/✓ 0 built|0 built, 0 up to date/);
    expect(existsSync(join(dir, ".specwright/runs"))).toBe(false);
    expect(existsSync(join(dir, "output/.git"))).toBe(false);
  });
});
