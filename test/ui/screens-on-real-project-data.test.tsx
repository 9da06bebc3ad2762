import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { STEP_MS } from "../helpers/budget.js";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CALC_PLAN, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
  fake = undefined;
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake?.close();
  await cleanup();
});

/** A port nothing listens on: Ollama is down. */
const DOWN = "http://127.0.0.1:9";

const FINDINGS = {
  version: 1,
  audits: {},
  counters: { CALC: 2 },
  findings: [
    { id: "CALC-1", spec: "CALC", file: "specs/calc.smd", line: 1, section: "Behavior", issue: "Division by zero is not specified", suggestion: "Say what divide does when b is 0", severity: "error", status: "open", history: [] },
    { id: "CALC-2", spec: "CALC", file: "specs/calc.smd", line: 1, section: "Behavior", issue: "Overflow is not mentioned", suggestion: "State the integer range", severity: "warning", status: "open", history: [] },
  ],
};

describe("navigation and help", () => {
  it("switches screens with number keys and shows the keys of the current screen on ?", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN) });
    await app.waitFor((f) => f.includes("[1 Overview]"), "the overview tab");
    await app.press("?");
    let f = await app.waitFor((x) => x.includes("Keys on Overview"), "the help overlay");
    expect(f).toContain("switch screen");
    await app.press(KEY.escape);
    await app.waitFor((x) => !x.includes("Keys on Overview"), "help closed by Esc");
    await app.press("4");
    f = await app.waitFor((x) => x.includes("[4 Plan]") && x.includes("T003"), "the plan screen");
    // The footer comes from the keymap: the plan screen's own keys are listed.
    expect(f).toMatch(/s skip · m manual · n notes/);
    await app.press("?");
    f = await app.waitFor((x) => x.includes("Keys on Plan"), "the plan help");
    expect(f).toContain("toggle skip for the selected task");
    // At 24 rows every description is whole (wrapped, never cut) and the list scrolls to its last key.
    expect(f).toContain("show the task graph (build order, what each task needs) or the table");
    expect(f).toContain("edit the selected task's verify commands (separated by ' ;; ')");
    expect(f.split("\n").length).toBeLessThan(24);
    // Two pages: the Ollama banner (wrapped whole, three rows at 100 columns) leaves the help fewer rows.
    await app.press("\u001b[6~", "\u001b[6~");
    f = await app.waitFor((x) => /\bq\s+quit \(asks while a build runs\)/.test(x), "the help scrolled to its end");
    await app.press(KEY.escape);
    await app.press("6");
    await app.waitFor((x) => x.includes("[6 Traces]") && x.includes("No runs recorded yet"), "the traces screen");
  });

  it("quits on a second Ctrl-C after the first says how, with exit code 130", async () => {
    let clock = 10_000;
    const exits: number[] = [];
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), now: () => clock, onExit: (code) => exits.push(code) });
    await app.waitFor((f) => f.includes("[1 Overview]"), "the app");
    await app.press(KEY.ctrlC);
    await app.waitFor((f) => f.includes("press Ctrl-C again within 3 s to quit"), "the first Ctrl-C's message");
    clock += 500;
    const before = app.frames().length;
    await app.press(KEY.ctrlC);
    // The exit code is handed over from an effect after the render: wait for it, not for a fixed time.
    await vi.waitFor(() => expect(exits).toEqual([130]), { timeout: STEP_MS, interval: 20 });
    // Ink renders nothing more once the app exited.
    await app.press("4");
    expect(app.frames().slice(before).some((f) => f.includes("[4 Plan]"))).toBe(false);
  });
});

describe("overview", () => {
  it("shows specs, open findings and plan progress, and a banner with the fix when Ollama is down", async () => {
    await writeFile(join(dir, ".specwright/findings.json"), JSON.stringify(FINDINGS));
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN) });
    const f = await app.waitFor((x) => x.includes("Findings") && x.includes("Plan ") && x.includes("not reachable"), "the overview");
    expect(f).toMatch(/! Ollama.*not reachable/i);
    expect(f).toMatch(/fix: .*ollama serve/);
    expect(f).toMatch(/Specs 2 files: ✓ valid/);
    expect(f).toMatch(/Findings 1 error 1 warning open/);
    expect(f).toMatch(/Plan 3 tasks: 0 done, 3 to build, 0 failed · 5 \(Build\), then b/);
    expect(f).toContain("Last build none yet");
  });

  it("shows the model per role as installed when Ollama answers", async () => {
    fake = await startFakeOllama();
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url) });
    const f = await app.waitFor((x) => x.includes("Ollama ✓"), "the reachable Ollama");
    // The model count before the version: a long version is what the width cuts.
    expect(f).toMatch(/Ollama ✓ http:\/\/127\.0\.0\.1:\d+ · 1 model · version /);
    expect(f).toMatch(/audit, planner, build, fixer, reviewer, drafter\s+qwen2\.5-coder:14b ✓/);
    expect(f).not.toContain("! Ollama");
  });
});

describe("plan screen", () => {
  const COMMENTED = CALC_PLAN.replace('[[task]]\nid = "T002"', '# Tests come after the module they test.\n[[task]]\nid = "T002"').replace(
    'verify = ["python3 -m unittest tests/test_arith.py"]',
    'verify = ["python3 -m unittest tests/test_arith.py"]  # keep the unittest runner',
  );

  it("toggles a task's skip status and edits its notes in plan.toml, keeping every other byte", async () => {
    await writeFile(join(dir, ".specwright/plan.toml"), COMMENTED);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => f.includes("T002") && f.includes("plan.toml is valid"), "the plan table");
    await app.press(KEY.down, "s");
    await app.waitFor((f) => f.includes("T002 is now skip"), "the skip confirmation");
    const t2 = COMMENTED.indexOf('id = "T002"');
    const statusAt = COMMENTED.indexOf('status = "auto"', t2);
    const skipped = COMMENTED.slice(0, statusAt) + 'status = "skip"' + COMMENTED.slice(statusAt + 'status = "auto"'.length);
    expect(await readFile(join(dir, ".specwright/plan.toml"), "utf8")).toBe(skipped);
    await app.waitFor((f) => /› T002\s+Arithmetic tests.*skip/.test(f), "the table showing skip");

    await app.press("n");
    await app.waitFor((f) => f.includes("Notes for T002"), "the notes prompt");
    await app.press("needs edge casesX", KEY.backspace, KEY.enter);
    await app.waitFor((f) => f.includes("T002 notes saved") && f.includes("notes: needs edge cases"), "the notes saved and reloaded");
    const withNotes = skipped.slice(0, statusAt) + 'status = "skip"\nnotes = "needs edge cases"' + skipped.slice(statusAt + 'status = "skip"'.length);
    expect(await readFile(join(dir, ".specwright/plan.toml"), "utf8")).toBe(withNotes);

    // And back: s again restores "auto" in place.
    await app.press("s");
    await app.waitFor((f) => f.includes("T002 is now auto"), "the toggle back");
    expect(await readFile(join(dir, ".specwright/plan.toml"), "utf8")).toBe(withNotes.replace('status = "skip"', 'status = "auto"'));
  });

  it("shows validation diagnostics live after an edit breaks the plan", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan" });
    await app.waitFor((f) => f.includes("plan.toml is valid"), "a valid plan");
    await app.press(KEY.down, "v");
    await app.waitFor((f) => f.includes("Verify commands for T002"), "the verify prompt");
    // Clear the field (Ctrl-U) and name a program that is not installed.
    await app.press("\u0015", "no-such-program-xyz --check", KEY.enter);
    const f = await app.waitFor((x) => x.includes("plan.toml: 1 error"), "the diagnostic");
    expect(f).toContain("no-such-program-xyz");
    expect(await readFile(join(dir, ".specwright/plan.toml"), "utf8")).toContain('verify = ["no-such-program-xyz --check"]');
  });
});

describe("audit screen", () => {
  it("dismisses a finding with a reason and saves it to findings.json", async () => {
    await writeFile(join(dir, ".specwright/findings.json"), JSON.stringify(FINDINGS));
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "audit" });
    await app.waitFor((f) => f.includes("CALC-1") && f.includes("Division by zero"), "the findings");
    await app.press("d");
    await app.waitFor((f) => f.includes("Why dismiss CALC-1?"), "the reason prompt");
    await app.press("divide raises ZeroDivisionError like Python", KEY.enter);
    await app.waitFor((f) => f.includes("CALC-1 dismissed"), "the dismissal");
    const saved = JSON.parse(await readFile(join(dir, ".specwright/findings.json"), "utf8")) as typeof FINDINGS;
    expect(saved.findings[0]).toMatchObject({ id: "CALC-1", status: "dismissed", reason: "divide raises ZeroDivisionError like Python" });
    expect(saved.findings[1]).toMatchObject({ id: "CALC-2", status: "open" });
  });
});

describe("trace browser", () => {
  it("walks from the build run to a failed attempt's response and verify log, and back", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }) });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build" });
    await app.waitFor((f) => f.includes("No build"), "the build screen");
    await app.press("b");
    await app.waitFor((f) => f.includes("3 built"), "the build");
    await lockReleased(dir);
    await app.press("6");
    await app.waitFor((f) => /› \S+-build\s+build\s+4 calls/.test(f), "the run list");
    await app.press(KEY.enter);
    const list = await app.waitFor((f) => f.includes("tasks/T002/attempt-2") && /attempt-1\s+verify failed/.test(f), "the calls of the run, with their verify verdicts");
    // The call itself answered; the attempt failed its verify, and the list says so rather than "ok".
    expect(list).toMatch(/tasks\/T002\/attempt-1\s+verify failed/);
    expect(list).toMatch(/tasks\/T002\/attempt-2\s+ok/);
    await app.press(KEY.down, KEY.enter);
    // The part's text loads after its header shows: wait for both.
    await app.waitFor((x) => x.includes("tasks/T002/attempt-1 ") && x.includes("[response]") && x.includes("self.assertEqual(add(2, 2), 5)"), "the attempt's response");
    await app.press(KEY.right);
    await app.waitFor((x) => x.includes("[verify.log]") && x.includes("AssertionError: 4 != 5"), "the verify log");
    await app.press(KEY.right);
    await app.waitFor((x) => x.includes("[meta]") && x.includes('"outcome": "ok"'), "the meta");
    await app.press(KEY.escape);
    await app.waitFor((x) => x.includes("Enter opens a call"), "back at the calls");
  });
});
