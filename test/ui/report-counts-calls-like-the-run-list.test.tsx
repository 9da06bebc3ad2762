// The report's "calls" are the run list's: every model call in the run folder
// (attempts, the judge's review calls and its re-asks), by kind. One build run
// with reviews, a judge's re-ask and a build re-ask (an attempt after a
// malformed reply), read by listRuns, `specwright traces --json`, `specwright
// report` (text and --json) and the TUI's run list and Report header.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listRuns } from "../../src/traces/read-traces.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { pytestFailure, writeSyntheticRun } from "../helpers/synthetic-build-runs.js";
import { KEY, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;
let reviewed: string;
let plain: string;

const verdicts = { outcome: "passed", model: "qwen2.5-coder:7b", items: [], pass: 2, fail: 0, cannotTell: 0, findings: [] };

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-report-calls-"));
  await writeFile(join(dir, "specwright.toml"), '[project]\nname = "t"\n');
  // 5 attempts (T002's second is the re-ask of a malformed reply: an attempt folder like any other),
  // 3 review calls and 1 judge's re-ask (T002 attempt-3/review-2): 9 model calls.
  reviewed = await writeSyntheticRun(dir, {
    startedAt: "2026-11-20T10:00:00Z",
    finishedAt: "2026-11-20T10:05:00Z",
    tasks: {
      T001: { attempts: [{ verify: { pass: true }, reviewCalls: 1, review: verdicts }] },
      T002: {
        attempts: [
          {}, // malformed: the call answered, no file block, so verify never ran
          { verify: { pass: false, command: "python3 -m pytest -q", output: pytestFailure("T002", 1) } },
          { verify: { pass: true }, reviewCalls: 2, review: verdicts },
        ],
      },
      T003: { attempts: [{ verify: { pass: true }, reviewCalls: 1, review: verdicts }] },
    },
  });
  // A run without the judge: its calls are its attempts.
  plain = await writeSyntheticRun(dir, {
    startedAt: "2026-11-21T10:00:00Z",
    finishedAt: "2026-11-21T10:05:00Z",
    tasks: { T001: { attempts: [{ verify: { pass: true } }] }, T002: { attempts: [{ verify: { pass: false, command: "python3 -m pytest -q", output: pytestFailure("T002", 2) } }, { verify: { pass: true } }] } },
  });
});
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await cleanup();
});

describe("the report counts a run's calls as the run list does", () => {
  it("in listRuns, `specwright traces --json` and `specwright report --json`", async () => {
    const listed = new Map((await listRuns(dir)).map((r) => [r.id, r.calls]));
    expect(Object.fromEntries(listed)).toEqual({ [reviewed]: 9, [plain]: 3 });
    const traces = await runCli(["traces", "--json"], { cwd: dir });
    expect(traces.exitCode).toBe(0);
    expect((JSON.parse(traces.stdout) as { runs: { id: string; calls: number }[] }).runs.map((r) => [r.id, r.calls])).toEqual([...listed]);

    const r = await runCli(["report", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout) as { runs: { id: string; calls: number }[]; totals: Record<string, number> };
    for (const run of json.runs) expect(run.calls, run.id).toBe(listed.get(run.id));
    expect(json.runs).toMatchObject([
      { id: reviewed, calls: 9, attempts: 5, reviews: 3, reviewReasks: 1, other: 0 },
      { id: plain, calls: 3, attempts: 3, reviews: 0, reviewReasks: 0, other: 0 },
    ]);
    expect(json.totals).toEqual({ runs: 2, taskRuns: 5, calls: 12, attempts: 8, reviews: 3, reviewReasks: 1, other: 0 });
    // The Tasks section's attempts stay attempts: T002 made 3 + 2.
    expect((json as unknown as { tasks: { task: string; attempts: number }[] }).tasks.map((t) => [t.task, t.attempts])).toEqual([["T001", 2], ["T002", 5], ["T003", 1]]);
  });

  it("in `specwright report`'s text: the headline by kind and the Runs section's CALLS", async () => {
    const r = await runCli(["report"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("5 task builds, 12 model calls (8 attempts, 3 reviews, 1 review re-ask)");
    // RUN, TASKS, FIRST TRY, PASSED, FAILED, CALLS, ATTEMPTS.
    expect(r.stdout).toMatch(new RegExp(`${reviewed} +3 +2 +3 +0 +9 +5 `));
    expect(r.stdout).toMatch(new RegExp(`${plain} +2 +1 +2 +0 +3 +3 `));
    expect(r.stdout).toContain("CALLS: every model call of the run, as `specwright traces` counts them");
  });

  it("in the TUI: the run list's count is the Report view's, at 100 and at 80 columns", async () => {
    for (const columns of [100, 80]) {
      app = renderApp({ cwd: dir, env: testEnv(dir, "http://127.0.0.1:9"), screen: "traces", columns });
      const list = await app.waitFor((f) => f.includes("Runs (newest first)") && f.includes(reviewed), "the run list");
      expect(list).toMatch(new RegExp(`${reviewed} +build +9 calls`));
      await app.press("R");
      const header = await app.waitFor((f) => f.includes("[Tasks]") && f.includes("T002"), "the report");
      // At 80 columns the line gives up "task builds" and says "re-ask", never the figures.
      if (columns === 100) expect(header).toContain("2 build runs · 5 task builds · 12 model calls (8 attempts, 3 reviews, 1 review re-ask) · 1 hint");
      else expect(header).toContain("2 build runs · 12 model calls (8 attempts, 3 reviews, 1 re-ask) · 1 hint");
      await app.press(KEY.right, KEY.right, KEY.right);
      const runs = await app.waitFor((f) => f.includes("[Runs]") && f.includes("CALLS"), "the runs section");
      expect(runs).toMatch(new RegExp(`${reviewed} +3 +2 +3 +0 +9 +5 `));
      for (const line of runs.split("\n")) expect(line.length, line).toBeLessThanOrEqual(columns);
      app.unmount();
      app = undefined;
    }
  });
});
