// The figures of the compare table, from run records worked out by hand: what
// counts as first try, after fixes and failed, the spread over K runs, that an
// unfinished run is left out, and the time estimate from model size and tokens.

import { describe, expect, it } from "vitest";
import { compareRows, type CompareDocument, type CompareRun, type CompareTaskRecord } from "../../src/compare/compare-result.js";
import { estimateCompare, sideBySideWallMs } from "../../src/compare/compare-estimate.js";
import { spreadCell } from "../../src/compare/spread.js";
import { comparedPlan, compareConfig, runSeed } from "../../src/compare/run-compare.js";
import { defaultConfig } from "../../src/config/schema.js";
import type { Task } from "../../plans/plan.js";

const task = (outcome: CompareTaskRecord["outcome"], attempts: number, promptTokens = 100, evalTokens = 50, evalMs = 1000): CompareTaskRecord => ({
  outcome,
  attempts,
  promptTokens,
  cachedPromptTokens: 0,
  evalTokens,
  evalMs,
  modelMs: evalMs,
  durationMs: evalMs + 100,
});

const run = (n: number, status: CompareRun["status"], tasks: Record<string, CompareTaskRecord>, wallMs: number): CompareRun => ({
  run: n,
  seed: n,
  status,
  dir: `x/run-${n}`,
  wallMs,
  modelMs: wallMs - 10,
  verifyMs: 5,
  loads: 1,
  traceRuns: [],
  tasks,
});

function doc(models: { model: string; runs: CompareRun[] }[]): CompareDocument {
  return {
    schema: 1,
    id: "x",
    createdAt: "",
    updatedAt: "",
    host: "http://127.0.0.1:11434",
    inputs: { hash: "", tasks: ["T1", "T2", "T3"], only: [], maxFixAttempts: 2, review: false, temperature: 0.2, runs: 2 },
    models: models.map((m) => ({ ...m, folder: m.model })),
  };
}

describe("compare figures", () => {
  it("counts first try, after fixes and failed (blocked counts as failed) per run, and spreads them over runs", () => {
    const rows = compareRows(
      doc([
        {
          model: "a",
          runs: [
            run(1, "done", { T1: task("done", 1), T2: task("done", 3), T3: task("failed", 2) }, 10_000),
            run(2, "done", { T1: task("done", 1), T2: task("done", 1), T3: task("done", 2) }, 20_000),
          ],
        },
        { model: "b", runs: [run(1, "done", { T1: task("failed", 2), T2: task("blocked", 0), T3: task("blocked", 0) }, 5_000), run(2, "partial", { T1: task("done", 1) }, 1_000)] },
      ]),
    );
    expect(rows[0]).toMatchObject({
      model: "a",
      runs: 2,
      unfinished: 0,
      firstTry: { n: 2, mean: 1.5, min: 1, max: 2 },
      afterFixes: { n: 2, mean: 1, min: 1, max: 1 },
      failed: { n: 2, mean: 0.5, min: 0, max: 1 },
      attempts: { n: 2, mean: 5, min: 4, max: 6 },
      tokens: { n: 2, mean: 450, min: 450, max: 450 },
      wallMs: { n: 2, mean: 15_000, min: 10_000, max: 20_000 },
      tokensPerSecond: { n: 2, mean: 50, min: 50, max: 50 },
    });
    // b's second run is unfinished: left out of every figure, counted as unfinished.
    expect(rows[1]).toMatchObject({ model: "b", runs: 1, unfinished: 1, firstTry: { n: 1, mean: 0 }, failed: { n: 1, mean: 3 }, attempts: { n: 1, mean: 2 } });
    expect(spreadCell(rows[0]!.firstTry)).toBe("1.5 (1–2)");
    expect(spreadCell(rows[0]!.afterFixes)).toBe("1");
    expect(spreadCell({ n: 0 })).toBe("–");
  });

  it("estimates each model's time from its size and the plan's tokens", () => {
    // 4 GB at 400 GB/s: 100 tok/s generating, 2,000 tok/s on prompts; load 2 s.
    // 2 tasks: 3,000 prompt tokens, 3 files × 600 = 1,800 output tokens × 1.5 attempts.
    const e = estimateCompare([{ promptTokens: 1000, files: 1 }, { promptTokens: 2000, files: 2 }], [{ model: "a", sizeBytes: 4e9 }, { model: "b" }], 2);
    expect(e.promptTokens).toBe(3000);
    expect(e.outputTokens).toBe(1800);
    expect(e.models[0]).toEqual({ model: "a", sizeBytes: 4e9, ms: 2000 + 1500 + 27_000, tokensPerSecond: 100 });
    expect(e.models[1]).toEqual({ model: "b" });
    expect(e.totalMs).toBeUndefined();
  });

  it("builds with the compared model for the build role, the configured judge, and seeds counting up", () => {
    const base = defaultConfig("x");
    const config = { ...base, model: { ...base.model, default: "judge:14b", seed: 7 } };
    const c = compareConfig(config, "small:7b", runSeed(config, 3));
    expect(c.model.roles.build).toEqual({ model: "small:7b", think: false });
    expect(c.model.roles.reviewer).toEqual({ model: "judge:14b", think: false });
    expect(c.model.seed).toBe(9);
    expect(runSeed({ ...config, model: { ...config.model, seed: undefined } } as never, 1)).toBe(1);
  });

  it("--only keeps the named tasks and what they depend on, in plan order", () => {
    const t = (id: string, dependsOn: string[] = []) => ({ id, dependsOn }) as unknown as Task;
    const plan = { tasks: [t("T1"), t("T2", ["T1"]), t("T3", ["T1"]), t("T4", ["T3"])] };
    expect(comparedPlan(plan, ["T4"]).tasks.map((x) => x.id)).toEqual(["T1", "T3", "T4"]);
    expect(comparedPlan(plan, []).tasks).toHaveLength(4);
  });

  it("estimates side by side as the longest lane, unless build.parallel makes the lanes take turns", () => {
    // Lanes of 20 s and 30 s, each one call at a time.
    expect(sideBySideWallMs([20_000, 30_000])).toBe(30_000);
    // Two calls at once over both: each lane still has its one, so the longest lane.
    expect(sideBySideWallMs([20_000, 30_000], 2)).toBe(30_000);
    // One call at once over both: they take turns, 20 s + 30 s.
    expect(sideBySideWallMs([20_000, 30_000], 1)).toBe(50_000);
    // Three lanes of 30 s under two calls at once: 90 s of work, two at a time.
    expect(sideBySideWallMs([30_000, 30_000, 30_000], 2)).toBe(45_000);
  });
});
