// The retro's digest: built from run folders written by the real trace
// writers, it holds refs, outcomes, failure lines and review findings, never
// whole traces, and stays within its budget however many tasks there are.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { estimateTokens } from "../../models/token-estimate.js";
import { loadConfig } from "../../src/config/load.js";
import { RETRO_DIGEST_BUDGET, retroMessages } from "../../src/report/retro.js";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import { retroDigest, type PlannedTaskInfo } from "../../src/report/retro-digest.js";
import { readBuildRuns } from "../../src/report/run-records.js";
import { tempDir } from "../helpers/cli.js";
import { pytestFailure, writeSyntheticRun, type SyntheticAttempt } from "../helpers/synthetic-build-runs.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const id = (n: number) => `T${String(n).padStart(3, "0")}`;

/** `count` tasks in one run; every task fails twice (a long pytest log) before it passes. */
async function manyTasks(count: number): Promise<Map<string, PlannedTaskInfo>> {
  const tasks: Record<string, { attempts: SyntheticAttempt[] }> = {};
  const plan = new Map<string, PlannedTaskInfo>();
  for (let n = 1; n <= count; n++) {
    const long = pytestFailure(id(n), n, `AssertionError: expected the ranking of task ${n} to break ties alphabetically\n${"    at frame\n".repeat(80)}`);
    tasks[id(n)] = { attempts: [{ verify: { pass: false, command: "python3 -m pytest -q", output: long } }, { verify: { pass: false, command: "python3 -m pytest -q", output: long } }, { verify: { pass: true } }] };
    plan.set(id(n), { title: `Task number ${n}`, spec: "WORDS", refs: ["requirements/count-words", `requirements/rank-${n}`, "constraints"] });
  }
  await writeSyntheticRun(dir, { startedAt: "2026-11-20T10:00:00Z", finishedAt: "2026-11-20T11:00:00Z", tasks });
  return plan;
}

describe("the retro digest", () => {
  it("holds each task's refs, builds, failures and review findings, newest first, and no prompt or reply", async () => {
    await writeSyntheticRun(dir, {
      startedAt: "2026-11-20T10:00:00Z",
      finishedAt: "2026-11-20T10:05:00Z",
      tasks: {
        T001: { attempts: [{ verify: { pass: true } }] },
        T002: {
          attempts: [
            { verify: { pass: false, command: "python3 -m pytest -q", output: pytestFailure("T002", 1) } },
            { verify: { pass: true }, review: { outcome: "findings-left", pass: 2, fail: 1, cannotTell: 0, findings: [{ item: "R3", file: "src/a.py", quote: "x", reason: "an empty text is not rejected" }] } },
          ],
        },
      },
    });
    const plan = new Map([["T002", { title: "Ranking", spec: "WORDS", refs: ["requirements/top-words", "examples"] }]]);
    const digest = retroDigest(await readBuildRuns(dir), plan, { last: 20, budgetTokens: RETRO_DIGEST_BUDGET });
    expect(digest.tasks).toEqual(["T002", "T001"]);
    expect(digest.text).toContain("## T002 Ranking (spec WORDS)\nrefs: requirements/top-words, examples\nbuilds: 1 · needed fixes in 1 of 1 · newest: passed after 1 fix");
    expect(digest.text).toContain("- 1× `python3 -m pytest -q`: E ModuleNotFoundError: No module named 'helpers'");
    expect(digest.text).toContain("review findings: R3: an empty text is not rejected");
    expect(digest.text).toContain("## T001 (no longer in the plan)");
    // The traces' prompts and replies stay out.
    expect(digest.text).not.toContain("You are a code generator");
    expect(digest.text).not.toContain("```python");
  });

  it("stays within its budget for 100 tasks with long failures, dropping detail before tasks", async () => {
    const plan = await manyTasks(100);
    const runs = await readBuildRuns(dir);
    const all = retroDigest(runs, plan, { last: 100, budgetTokens: RETRO_DIGEST_BUDGET });
    expect(all.tokens).toBeLessThanOrEqual(RETRO_DIGEST_BUDGET);
    expect(estimateTokens(all.text)).toBe(all.tokens);
    expect(all.excerptChars).toBe(0);
    expect(all.tasks.length + all.leftOut.length).toBe(100);
    // The newest tasks are kept; the oldest go first.
    expect(all.tasks[0]).toBe("T100");
    expect(all.leftOut[all.leftOut.length - 1]).toBe("T001");

    const twenty = retroDigest(runs, plan, { last: 20, budgetTokens: RETRO_DIGEST_BUDGET });
    expect(twenty.tasks).toHaveLength(20);
    expect(twenty.leftOut).toEqual([]);
    expect(twenty.tokens).toBeLessThanOrEqual(RETRO_DIGEST_BUDGET);
    expect(twenty.excerptChars).toBeGreaterThan(0);

    // The whole retro prompt for N = 20 (the figure the issue asks for).
    await writeFile(join(dir, "specwright.toml"), '[project]\nname = "words"\n');
    const { loaded } = await loadConfig({ cwd: dir, env: {}, flags: {} });
    const promptTokens = estimateMessagesTokens(retroMessages(loaded, twenty, []));
    console.log(`retro prompt for N = 20 tasks with two long failures each: ~${promptTokens} tokens (digest ${twenty.tokens}, excerpts ${twenty.excerptChars} chars)`);
    expect(promptTokens).toBeLessThan(RETRO_DIGEST_BUDGET + 1000);
  });
});
