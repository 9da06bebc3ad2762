import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
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
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake?.close();
  await cleanup();
});

const state = async () => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { tasks: Record<string, { status: string; attempts?: number }> };

describe("the build screen", () => {
  it("streams replies, shows the failing verify and the fix attempt, and ends with every task built", async () => {
    // Slow deltas so the live region is on screen long enough to be seen.
    const slow = (content: string) => ({ content, chunkDelayMs: 2 });
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [slow(ARITH)], T002: [slow(TEST_WRONG), slow(TEST_RIGHT)], T003: [slow(CLI)] }) });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build in this session yet"), "the idle build screen");
    await app.press("b");
    const end = await app.waitFor((f) => f.includes("3 built, 0 up to date"), "the build summary");

    const seen = app.history();
    // The reply streamed into the live region, line by line.
    expect(seen).toContain("def add(a: int, b: int) -> int:");
    // The failing verify output of T002's first attempt, then its fix attempt.
    expect(seen).toMatch(/\$ python3 -m unittest tests\/test_arith\.py/);
    expect(seen).toContain("FAILED (failures=1)");
    expect(seen).toMatch(/T002 +Arithmetic tests +generating \(2 attempts\) +attempt 1: `python3 -m unittest/);
    expect(seen).toMatch(/T002 Arithmetic tests · attempt 2 \(fix\)/);
    // The finished list: every task done, T002 after two attempts.
    expect(end).toMatch(/✓ T001\s+Arithmetic\s+done/);
    expect(end).toMatch(/✓ T002\s+Arithmetic tests\s+done \(2 attempts\)/);
    expect(end).toMatch(/✓ T003\s+CLI\s+done/);
    expect(end).toMatch(/tok\/s/);
    // The same engine and wiring as the headless command: state, trace and lock.
    const s = await state();
    expect(Object.values(s.tasks).map((t) => t.status)).toEqual(["done", "done", "done"]);
    expect(s.tasks.T002!.attempts).toBe(2);
    // The summary is drawn from the build-finished event; the lock goes a moment later, when the run closes.
    await app.waitFor(() => !existsSync(join(dir, ".specwright/lock")), "the lock to be released");
  });

  it("keeps the live region inside the terminal while streaming a long reply", async () => {
    const long = ARITH.replace("def divide", `${Array.from({ length: 120 }, (_, i) => `# line ${i}`).join("\n")}\ndef divide`);
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [{ content: long, chunkDelayMs: 1 }], T002: [TEST_RIGHT], T003: [CLI] }) });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the idle screen");
    await app.press("b");
    // Frames are sampled every 100 ms, so which line is on screen mid-stream depends on timing.
    await app.waitFor((f) => /# line \d+/.test(f), "the long reply streaming");
    // ink-testing-library reports no rows: the app assumes 24 and must stay below it.
    expect(app.frame().split("\n").length).toBeLessThan(24);
    await app.waitFor((f) => f.includes("3 built"), "the end of the build");
    for (const frame of app.frames()) expect(frame.split("\n").length).toBeLessThan(24);
  });

  it("stops a running build on Esc: the task is interrupted, not done, and the next build resumes it", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [{ content: ARITH, chunkDelayMs: 200 }], T002: [TEST_RIGHT], T003: [CLI] }) });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the idle screen");
    await app.press("b");
    await app.waitFor((f) => /T001 Arithmetic · attempt 1 · generating/.test(f) && f.includes("calc/arith.py"), "T001 streaming");
    const requests = fake.promptRequests().length;
    await app.press(KEY.escape);
    const end = await app.waitFor((f) => f.includes("interrupted"), "the interrupted summary");
    expect(end).toMatch(/! T001\s+Arithmetic\s+interrupted/);
    // The model stream was closed: the fake saw the client go away, and no further call was made.
    const call = fake.promptRequests()[requests - 1]!;
    await call.socketClosed;
    expect(call.outcome).toBe("client-closed");
    expect(fake.promptRequests().length).toBe(requests);
    const s = JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8").catch(() => '{"tasks":{}}')) as { tasks: Record<string, { status: string }> };
    expect(s.tasks.T001?.status).not.toBe("done");
    await app.waitFor(() => !existsSync(join(dir, ".specwright/lock")), "the lock to be released");
  });
});
