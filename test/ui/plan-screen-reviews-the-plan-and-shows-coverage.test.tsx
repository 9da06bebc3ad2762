import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama, type ReplyScript } from "../fake-ollama/server.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

// The Plan screen and the plan judge: R asks the reviewer (over real HTTP to
// the fake Ollama) and the findings land in findings.json through the core;
// the selected task's finding shows under the table, f lists them all, d, a
// and o triage them (the same core function as `audit --dismiss`); c shows
// the coverage table and scrolls it.

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let app: AppHarness | undefined;

const FINDINGS = {
  findings: [
    { kind: "weak-verify", task: "T003", item: "", issue: "T003 only compiles calc/cli.py; nothing runs the command line", suggestion: "run `python3 -m calc.cli 1 2`" },
    { kind: "uncovered", task: "", item: "requirements/divide", issue: "no test exercises divide", suggestion: "ref requirements/divide in T002" },
  ],
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-plan-review-"));
  await writeCalcProject(dir);
  fake = await startFakeOllama({ defaultReply: (): ReplyScript => ({ content: JSON.stringify(FINDINGS) }) });
});
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await lockReleased(dir);
  await fake.close();
  await cleanup();
});

type Stored = { findings: { id: string; spec: string; status: string; reason?: string }[] };
const stored = async () => JSON.parse(await readFile(join(dir, ".specwright/findings.json"), "utf8")) as Stored;
const statusOf = async (id: string) => (await stored()).findings.find((f) => f.id === id);

describe("the plan judge on the Plan screen", () => {
  it("runs the review with R, shows each task's findings, and dismisses, accepts and reopens them through the core", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "plan" });
    await app.waitFor((f) => /T003\s+CLI/.test(f), "the plan table");
    // Never reviewed: no review line takes a row.
    expect(app.frame()).not.toContain("review:");

    await app.press("R");
    await app.waitFor((f) => f.includes("plan review: 2 new, 0 seen before, 0 no longer reported · 2 open (f lists them)"), "the review's outcome");
    expect(app.history()).toContain("reviewing the plan with the reviewer model");
    expect(fake.promptRequests()).toHaveLength(1);
    expect((await stored()).findings.map((f) => [f.id, f.status])).toEqual([["PLAN-1", "open"], ["PLAN-2", "open"]]);

    // T001 (selected) has none of its own; the header counts the open ones.
    let f = await app.waitFor((x) => x.includes("review: no plan finding for T001"), "T001's review line");
    expect(f).toContain("· review: 2 open (f)");
    await app.press("j", "j");
    f = await app.waitFor((x) => x.includes("review: PLAN-1 weak-verify · d dismiss · a accept: T003 only compiles calc/cli.py"), "T003's finding under the table");

    // d asks for a reason, then the core writes it.
    await app.press("d");
    await app.waitFor((x) => x.includes("Why dismiss PLAN-1?"), "the reason prompt");
    await app.press(..."covered by T002's tests");
    await app.press(KEY.enter);
    await app.waitFor((x) => x.includes("PLAN-1 dismissed"), "the dismissal");
    expect(await statusOf("PLAN-1")).toMatchObject({ status: "dismissed", reason: "covered by T002's tests" });
    f = await app.waitFor((x) => x.includes("review: PLAN-1 weak-verify (dismissed) · o reopen"), "the dismissed finding, reopenable");
    await app.press("o");
    await app.waitFor((x) => x.includes("PLAN-1 reopened"), "the reopen");
    expect((await statusOf("PLAN-1"))?.status).toBe("open");

    // f lists every finding with its task, in plan.toml order (the one about the specs, naming no task, points at
    // its first line), opened at the selected task's. Ids are whole.
    await app.press("f");
    f = await app.waitFor((x) => x.includes("Plan review · 2 open of 2 findings"), "the findings view");
    expect(f).toMatch(/ {2}PLAN-2 -\s+uncovered\s+open\s+no test exercises divide\n› PLAN-1 T003 weak-verify open\s+T003 only compiles/);
    expect(f).toContain("suggestion: run `python3 -m calc.cli 1 2`");
    await app.press("k", "a");
    await app.waitFor((x) => x.includes("PLAN-2 accepted as is"), "the acceptance");
    expect((await statusOf("PLAN-2"))?.status).toBe("accepted");
    // Open ones come first: PLAN-2 moves down, and the selection moves with it.
    await app.waitFor((x) => /PLAN-1 T003 weak-verify open\s+T003[^\n]*\n› PLAN-2 -\s+uncovered\s+accepted/.test(x), "PLAN-2 accepted, still selected");
    await app.press("a");
    await app.waitFor((x) => x.includes("PLAN-2 is accepted; o reopens it"), "no second acceptance");

    // A second review keeps the ids and the decisions.
    await app.press("R");
    await app.waitFor((x) => x.includes("plan review: 0 new, 2 seen before"), "the second review");
    expect((await stored()).findings.map((x) => [x.id, x.status])).toEqual([["PLAN-1", "open"], ["PLAN-2", "accepted"]]);
    await app.press(KEY.escape);
    await app.waitFor((x) => /T003\s+CLI/.test(x) && !x.includes("Plan review ·"), "back at the table");
  });

  it("says why findings.json cannot be read instead of hiding the review", async () => {
    await writeFile(join(dir, ".specwright/findings.json"), "{ not json");
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "plan" });
    await app.waitFor((f) => /T003\s+CLI/.test(f) && f.includes("review: ") && f.includes("findings.json"), "the problem on the review line");
  });
});

describe("coverage on the Plan screen", () => {
  it("shows every spec item with its tasks, checks and result, and scrolls", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "plan" });
    await app.waitFor((f) => /T003\s+CLI/.test(f) && f.includes("coverage: "), "the plan table with the coverage line");
    await app.press("c");
    let f = await app.waitFor((x) => x.includes("Coverage · ") && x.includes("ITEM"), "the coverage view");
    expect(f).toMatch(/Coverage · 3 items: 0 pass, 3 not run · c or Esc back/);
    expect(f).toMatch(/› CALC\s+requirements\/add\s+T001,T002\s+2 verify\s+not run\s+smd:15/);
    expect(f).toMatch(/ {2}\s+requirements\/divide\s+T001\s+1 verify\s+not run\s+smd:27/);
    expect(f).toContain("specs/calc.smd:15 CALC requirements/add — Add numbers");
    expect(f).toContain("checked by: python3 -m py_compile calc/arith.py (T001): not-run");
    await app.press("G");
    f = await app.waitFor((x) => x.includes("amd:") && x.includes("specs/calc.amd:"), "the last item selected");
    expect(f).toMatch(/› \s*components\/Arith\/contracts\/1/);
    await app.press("c");
    await app.waitFor((x) => /T003\s+CLI/.test(x) && !x.includes("Coverage · "), "back at the table");
  });
});
