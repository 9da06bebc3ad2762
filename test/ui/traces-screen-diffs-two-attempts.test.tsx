import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { previousAttempt, tracesReducer, type TracesLocation } from "../../ui/traces/traces-state.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-traces-"));
  await writeCalcProject(dir);
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }) });
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake.close();
  await cleanup();
});

describe("the footer offers only the keys that do something in the view shown", () => {
  it("lists mark and diff on the call list, not on the run list or the report, and → on the report", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the build screen");
    await app.press("b");
    await app.waitFor((f) => f.includes("3 built"), "the build");
    await lockReleased(dir);
    await app.press("6");
    const footerOf = (frame: string) => frame.trimEnd().split("\n").at(-1) ?? "";
    const runs = await app.waitFor((f) => /› \S+-build\s+build\s+4 calls/.test(f), "the run list");
    expect(footerOf(runs)).toMatch(/Enter open/);
    expect(footerOf(runs)).not.toMatch(/m mark|d diff|→ part/);
    await app.press(KEY.enter);
    const callsFrame = await app.waitFor((f) => f.includes("tasks/T002/attempt-2") && /m mark/.test(footerOf(f)), "the calls, with mark and diff offered");
    expect(footerOf(callsFrame)).toMatch(/d diff/);
    await app.press("R");
    const report = await app.waitFor((f) => !/m mark/.test(footerOf(f)) && !f.includes("tasks/T002/attempt-2 "), "the report without the call keys");
    expect(footerOf(report)).not.toMatch(/Enter open|m mark|d diff/);
    expect(footerOf(report)).toMatch(/→ part/);
    expect(footerOf(report)).toMatch(/\? help · q quit/);
    await app.press("R");
    await app.waitFor((f) => f.includes("tasks/T002/attempt-2") && /m mark/.test(footerOf(f)), "the calls again, with their keys");
  });
});

describe("comparing two attempts in the trace browser", () => {
  it("shows the changed lines of two attempts' responses and verify logs", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the build screen");
    await app.press("b");
    await app.waitFor((f) => f.includes("3 built"), "the build");
    await lockReleased(dir);
    await app.press("6");
    await app.waitFor((f) => /› \S+-build\s+build\s+4 calls/.test(f), "the run list");
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes("tasks/T002/attempt-2"), "the calls of the run");
    // Mark attempt 1, select attempt 2, compare.
    await app.press(KEY.down, "m");
    await app.waitFor((f) => /›\*tasks\/T002\/attempt-1/.test(f), "attempt 1 marked");
    await app.press(KEY.down, "d");
    const response = await app.waitFor((f) => f.includes("[response]") && f.includes("-        self.assertEqual(add(2, 2), 5)"), "the response diff");
    expect(response).toContain("tasks/T002/attempt-1 → tasks/T002/attempt-2");
    expect(response).toMatch(/^\+ {8}self\.assertEqual\(add\(2, 2\), 4\)$/m);
    // Unchanged lines are context, not changes.
    expect(response).toMatch(/^ class AddTest\(unittest\.TestCase\):$/m);
    expect(response).not.toMatch(/^[-+]class AddTest/m);

    await app.press(KEY.right);
    const verify = await app.waitFor((f) => f.includes("[verify.log]") && f.includes("AssertionError: 4 != 5"), "the verify log diff");
    expect(verify).toMatch(/^-.*AssertionError: 4 != 5/m);
    expect(verify).toMatch(/^-F$/m);
    expect(verify).toMatch(/^\+\.$/m);
    // The diff is longer than the screen: G scrolls to its end, past the first lines.
    expect(verify).toMatch(/lines 1–\d+ of \d+ /);
    await app.press("G");
    const end = await app.waitFor((f) => /lines \d+–(\d+) of \1 /.test(f), "the end of the verify diff");
    expect(end).toMatch(/^-FAILED \(failures=1\)$/m);
    expect(end).toMatch(/^\+OK$/m);
    expect(end).not.toMatch(/^-F$/m);
    await app.press(KEY.escape);
    await app.waitFor((f) => f.includes("Enter opens a call"), "back at the calls");
  });
});

describe("the trace browser's state", () => {
  it("compares with the marked call, and finds a task's previous attempt without one", () => {
    let at: TracesLocation = { level: "calls", runId: "r", cursor: 1, runCursor: 0 };
    at = tracesReducer(at, { type: "mark", path: "tasks/T002/attempt-1" });
    expect(at).toMatchObject({ level: "calls", marked: "tasks/T002/attempt-1" });
    at = tracesReducer(at, { type: "open-diff", left: "tasks/T002/attempt-1", right: "tasks/T002/attempt-2" });
    expect(at).toMatchObject({ level: "diff", part: "response", scroll: 0 });
    at = tracesReducer(at, { type: "part", by: 1 });
    expect(at).toMatchObject({ part: "verify" });
    at = tracesReducer(at, { type: "back" });
    expect(at).toEqual({ level: "calls", runId: "r", cursor: 1, runCursor: 0, marked: "tasks/T002/attempt-1" });
    expect(previousAttempt("tasks/T002/attempt-2", ["tasks/T002/attempt-1", "tasks/T002/attempt-2"])).toBe("tasks/T002/attempt-1");
    expect(previousAttempt("tasks/T002/attempt-1", ["tasks/T002/attempt-1"])).toBeUndefined();
    expect(previousAttempt("calls/audit-1", ["calls/audit-1"])).toBeUndefined();
  });
});
