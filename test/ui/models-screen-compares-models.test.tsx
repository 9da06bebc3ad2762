// The Models screen's "compare these" (c) on the calc project against the fake
// Ollama: the build model starts marked, Space marks another, Enter runs the
// comparison in scratch folders and shows the same table `specwright compare`
// prints; the project's output/ and state.json are never written.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-compare-"));
  await writeCalcProject(dir);
  // Both models get the same replies, in order: the first model's T002 needs a fix, the second's does not.
  fake = await startFakeOllama({
    models: [{ name: "llama3.2:3b" }, { name: "qwen2.5-coder:14b" }, { name: "qwen3:8b" }],
    defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }),
  });
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake?.close();
  await cleanup();
});

describe("the models screen's compare", () => {
  it("marks the build model, adds one with Space, runs on Enter and shows the table", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake!.url), screen: "models" });
    await app.waitFor((f) => f.includes("qwen3:8b"), "the installed models");
    await app.press("c");
    await app.waitFor((f) => f.includes("Compare these") && f.includes("[x] qwen2.5-coder:14b"), "the build model marked");
    // One model is not a comparison.
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes("mark two or more models"), "the refusal");
    await app.press(KEY.down, KEY.down, " ");
    await app.waitFor((f) => f.includes("[x] qwen3:8b") && f.includes("2 marked"), "the second mark");
    await app.press(KEY.enter);
    const done = await app.waitFor((f) => f.includes("Comparison finished"), "the table");
    const rows = done.split("\n").filter((l) => /^\s+(qwen2\.5-coder:14b|qwen3:8b)\s{2}/.test(l)).map((l) => l.trim().split(/\s{2,}/).slice(0, 5));
    expect(rows).toEqual([
      ["qwen2.5-coder:14b", "2", "1", "0", "4"],
      ["qwen3:8b", "3", "0", "0", "3"],
    ]);
    expect(existsSync(join(dir, "output"))).toBe(false);
    expect(existsSync(join(dir, ".specwright/state.json"))).toBe(false);
    await app.press(KEY.escape);
    await app.waitFor((f) => f.includes("Roles · Enter picks a model"), "back to the roles");
  });
});
