import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CALC_PLAN, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { KEY, lockReleased, renderApp, testEnv, tick, type AppHarness } from "./render-app.js";

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

type State = { tasks: Record<string, { status: string; attempts?: number }> };
const state = async (): Promise<State> => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8").catch(() => '{"tasks":{}}')) as State;
/** The tasks the fake was asked to write, in order. */
const asked = () => fake!.promptRequests().map((r) => taskOf(r));
/**
 * T001 stays running until the test lets it finish: its verify command waits
 * for a gate file (a real `sh` loop), so a key pressed "while T001 runs" is
 * pressed while it runs, however loaded the machine is.
 */
async function gateT001(): Promise<() => Promise<void>> {
  const gate = join(dir, "t001-may-finish");
  await writeFile(
    join(dir, ".specwright/plan.toml"),
    CALC_PLAN.replace('verify = ["python3 -m py_compile calc/arith.py"]', `verify = ["python3 -m py_compile calc/arith.py", "while [ ! -e '${gate}' ]; do sleep 0.05; done"]`),
  );
  return () => writeFile(gate, "");
}

async function startBuild(until: RegExp = /T001 Arithmetic · attempt 1 · (generating|verifying)/): Promise<AppHarness> {
  const harness = renderApp({ cwd: dir, env: testEnv(dir, fake!.url), screen: "build" });
  await harness.waitFor((f) => f.includes("No build in this session yet"), "the idle build screen");
  await harness.press("b");
  await harness.waitFor((f) => until.test(f), "T001 running");
  return harness;
}

describe("pausing a build", () => {
  it("finishes the running task, starts nothing new while paused, and continues on resume", async () => {
    const release = await gateT001();
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    app = await startBuild();
    await app.press("p");
    // The status line says so in full; the header's "· pausing after the running task…" is cut at 80 columns on a slow run.
    await app.waitFor((f) => f.includes("pausing: the running task finishes"), "the pausing notice");
    await release();
    // The status line says it is paused, with no spinner and no clock; the header's clock stops and
    // promises no time left (the header is cut at 80 columns on a slow run: its start is enough).
    const paused = await app.waitFor((f) => f.includes("build paused · p resumes · Esc stops"), "the paused build");
    expect(paused).toMatch(/✓ T001\s+Arithmetic\s+done/);
    expect(paused).toMatch(/· T002\s+Arithmetic tests\s+pending/);
    expect(paused).toMatch(/paused at \d/);
    expect(paused).not.toMatch(/left|◐/);
    const header = (f: string) => f.split("\n").find((l) => l.startsWith("build "));
    // Paused means paused: time passes (past a clock tick) and the model is asked for nothing more.
    await tick(1500);
    expect(asked()).toEqual(["T001"]);
    expect((await state()).tasks.T001?.status).toBe("done");
    expect(app.frame()).toContain("build paused · p resumes");
    expect(header(app.frame())).toBe(header(paused));
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(true);

    await app.press("p");
    const end = await app.waitFor((f) => f.includes("3 built, 0 up to date"), "the resumed build's end");
    expect(end).not.toContain("paused");
    expect(asked()).toEqual(["T001", "T002", "T003"]);
    expect(Object.values((await state()).tasks).map((t) => t.status)).toEqual(["done", "done", "done"]);
  });
});

describe("skipping a task", () => {
  it("never builds a queued task that was skipped, and builds the rest", async () => {
    const release = await gateT001();
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    app = await startBuild();
    // The cursor starts on the running task; T003 is two rows down.
    await app.press(KEY.down, KEY.down, "s");
    await app.waitFor((f) => /› · T003\s+CLI\s+pending\s+skip requested/.test(f), "the skip request on T003");
    await release();
    const end = await app.waitFor((f) => f.includes("2 built, 0 up to date, 1 skipped"), "the build's end");
    expect(end).toMatch(/- T003\s+CLI\s+skipped\s+skipped in this run/);
    expect(asked()).toEqual(["T001", "T002"]);
    const s = await state();
    expect(s.tasks.T002?.status).toBe("done");
    expect(s.tasks.T003).toBeUndefined();
  });

  it("stops a running task that was skipped, counts it as skipped, and blocks what needs its files", async () => {
    // T001's reply starts and then never ends on its own: only the skip can stop it.
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [{ content: ARITH, fault: { kind: "hang", afterChunks: 3 } }], T002: [TEST_RIGHT], T003: [CLI] }) });
    app = await startBuild();
    // The skip must land on a call in flight, not before its request (the race this test once had).
    while (fake.promptRequests().length === 0) await fake.waitForRequests(fake.requests.filter((r) => r.path === "/api/chat").length + 1);
    await app.press("s");
    const end = await app.waitFor((f) => f.includes("0 built") && f.includes("2 blocked"), "the build's end");
    expect(end).toMatch(/- T001\s+Arithmetic\s+skipped\s+skipped while it ran/);
    expect(end).not.toMatch(/T001\s+Arithmetic\s+(failed|interrupted)/);
    expect(end).toMatch(/! T002\s+Arithmetic tests\s+blocked\s+needs T001 \(skipped/);
    // The model stream was closed, and no task after it was asked for.
    const call = fake.promptRequests()[0]!;
    await call.socketClosed;
    // The fake was still holding the reply open ("hung"): specwright closed the connection.
    expect(call.clientClosedAt).toBeDefined();
    expect(asked()).toEqual(["T001"]);
    expect((await state()).tasks.T001?.status).not.toBe("done");
  });
});

describe("retrying a failed task", () => {
  // The same wrong test file twice ends the fix loop (the fix changed nothing); the third reply is right.
  const replies = () => routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_WRONG, TEST_RIGHT], T003: [CLI] });

  it("asks when a task fails and, on yes, builds it again in the same build until it passes", async () => {
    fake = await startFakeOllama({ defaultReply: replies() });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the idle screen");
    await app.press("b");
    const question = await app.waitFor((f) => f.includes("T002 failed. Try it again from the start?"), "the retry question");
    expect(question).toContain("the fix attempt changed nothing");
    await app.press("y");
    const end = await app.waitFor((f) => f.includes("3 built, 0 up to date"), "the build's end");
    expect(end).toMatch(/✓ T002\s+Arithmetic tests\s+done \(3 attempts\)/);
    expect(asked().filter((t) => t === "T002")).toHaveLength(3);
    const s = await state();
    expect(s.tasks.T002).toMatchObject({ status: "done", attempts: 3 });
    // The retry's attempt has a trace folder of its own; the failed ones are kept.
    const runs = join(dir, ".specwright/runs");
    const run = (await import("node:fs/promises")).readdir(runs);
    const [runId] = (await run).filter((r) => r.endsWith("-build"));
    for (const n of [1, 2, 3]) expect(existsSync(join(runs, runId!, `tasks/T002/attempt-${n}/response.md`))).toBe(true);
  });

  it("on no leaves it failed; r then builds just that task and what depends on it", async () => {
    fake = await startFakeOllama({ defaultReply: replies() });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the idle screen");
    await app.press("b");
    await app.waitFor((f) => f.includes("T002 failed. Try it again from the start?"), "the retry question");
    await app.press("n");
    const failed = await app.waitFor((f) => f.includes("2 built, 0 up to date, 1 failed (T002)"), "the failed build");
    expect(failed).toContain("· t trace · r retry");
    // The build operation has ended (the tab loses its busy mark), not just released the lock: only then does r start a build.
    await app.waitFor((f) => f.includes("[5 Build]"), "the build screen idle");
    await lockReleased(dir);
    // The cursor rests on the failed task.
    expect(failed).toMatch(/› ✗ T002/);
    await app.press("r");
    const end = await app.waitFor((f) => f.includes("build T002+") && f.includes("1 built, 0 up to date"), "the retry build");
    expect(end).toMatch(/✓ T002\s+Arithmetic tests\s+done/);
    expect(end).toMatch(/- T001\s+Arithmetic\s+not-selected/);
    // T003 (done in the first build) was not asked again; T002 twice, then once more.
    expect(asked().sort()).toEqual(["T001", "T002", "T002", "T002", "T003"]);
    expect(asked().at(-1)).toBe("T002");
    expect((await state()).tasks.T002?.status).toBe("done");
  });
});
