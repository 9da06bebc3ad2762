// The report over run folders written by the real trace writers, with every
// expected figure worked out by hand from the calls below.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errorFingerprint } from "../../src/build/verify-failure.js";
import { reportProject } from "../../src/report/project-report.js";
import { tempDir } from "../helpers/cli.js";
import { DIGEST, MODEL, pytestFailure, writeSyntheticRun, type SyntheticAttempt } from "../helpers/synthetic-build-runs.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const PYTEST = "python3 -m pytest -q tests";
const pass: SyntheticAttempt = { verify: { pass: true } };
const fail = (task: string, n: number, extra: Partial<SyntheticAttempt> = {}): SyntheticAttempt => ({ verify: { pass: false, command: PYTEST, output: pytestFailure(task, n) }, ...extra });

async function twoRuns(): Promise<void> {
  await writeSyntheticRun(dir, {
    startedAt: "2026-11-20T10:00:00Z",
    finishedAt: "2026-11-20T10:05:00Z",
    tasks: {
      T001: { attempts: [pass] },
      T002: { attempts: [fail("T002", 1, { cachedPromptTokens: 0 }), { ...pass, cachedPromptTokens: 800 }] },
      T003: { outcome: "failed", attempts: [fail("T003", 1), fail("T003", 2), fail("T003", 3)] },
    },
  });
  await writeSyntheticRun(dir, {
    startedAt: "2026-11-21T10:00:00Z",
    finishedAt: "2026-11-21T10:05:00Z",
    tasks: {
      T001: { attempts: [pass] },
      T002: { attempts: [fail("T002", 4, { cachedPromptTokens: 0 }), fail("T002", 5, { cachedPromptTokens: 800 }), { ...pass, cachedPromptTokens: 800 }] },
      T003: { attempts: [pass] },
    },
  });
}

describe("report over synthetic build runs", () => {
  it("counts each task's attempts, first-try passes, fixes, failures, tokens, cache share and time", async () => {
    await twoRuns();
    const result = await reportProject(dir);
    if (!result.ok) throw new Error(result.message);
    const { tasks, totals } = result.report;
    expect(totals).toEqual({ runs: 2, taskRuns: 6, calls: 11, attempts: 11, reviews: 0, reviewReasks: 0, other: 0 });
    const [t1, t2, t3] = tasks;
    expect(t1).toMatchObject({ task: "T001", runs: 2, attempts: 2, meanAttempts: 1, firstTry: 2, passedAfterFixes: 0, failed: 0, last: "passed first try", promptTokens: 2000, evalTokens: 400, cacheShare: undefined, timeMs: 12_000, recurring: [] });
    // T002: 1 fix in the first run, 2 in the second; 2400 of its 5000 prompt tokens came from the cache.
    expect(t2).toMatchObject({ task: "T002", runs: 2, attempts: 5, meanAttempts: 2.5, firstTry: 0, passedAfterFixes: 2, meanFixes: 1.5, failed: 0, last: "passed after 2 fixes", promptTokens: 5000, cacheShare: 0.48 });
    expect(t3).toMatchObject({ task: "T003", runs: 2, attempts: 4, firstTry: 1, passedAfterFixes: 0, failed: 1, last: "passed first try" });
    // The same error with other numbers and temp paths is one fingerprint — the fix loop's own.
    const fingerprint = errorFingerprint({ command: PYTEST, output: pytestFailure("T002", 1) });
    expect(fingerprint).toBe(errorFingerprint({ command: PYTEST, output: pytestFailure("T002", 5) }));
    expect(t2!.recurring).toEqual([{ fingerprint, headline: "E ModuleNotFoundError: No module named 'helpers'", count: 3 }]);
    expect(t3!.recurring.map((r) => r.count)).toEqual([3]);
  });

  it("rates each model by name@digest and quantization", async () => {
    await twoRuns();
    const result = await reportProject(dir);
    if (!result.ok) throw new Error(result.message);
    expect(result.report.models).toEqual([
      {
        key: `${MODEL}@${DIGEST.slice(7, 19)}`,
        model: MODEL,
        digest: DIGEST,
        quantization: "Q4_K_M",
        taskRuns: 6,
        calls: 11,
        // T001 twice and T003 once passed first try; only T003's first run failed.
        firstTryRate: 3 / 6,
        finalRate: 5 / 6,
        meanAttempts: 11 / 6,
        // 200 tokens in 4 s per call; prompt evaluation 500 ms of each call's 4.5 s.
        tokensPerSecond: 50,
        promptEvalShare: 500 / 4500,
        thinkingExhausted: 0,
      },
    ]);
  });

  it("shows the trend across runs and the failures that repeat, with hints", async () => {
    await twoRuns();
    const result = await reportProject(dir);
    if (!result.ok) throw new Error(result.message);
    const { report } = result;
    expect(report.runs.map((r) => [r.tasks, r.firstTry, r.passed, r.failed, r.calls])).toEqual([
      [3, 1, 2, 1, 6],
      [3, 2, 3, 0, 5],
    ]);
    expect(report.trend).toEqual({ runs: 2, firstTryRate: { first: 1 / 3, last: 2 / 3 }, finalRate: { first: 2 / 3, last: 1 } });
    expect(report.crossTask).toEqual([{ headline: "E ModuleNotFoundError: No module named 'helpers'", tasks: ["T002", "T003"], attempts: 6 }]);
    expect(report.hints.map((h) => h.kind)).toEqual(["needs-fixes", "repeated-failure"]);
    // T002 needed fixes in both runs; T003 in one of two, which is not "most".
    expect(report.hints[0]!.message).toBe("T002 needed fixes in 2 of 2 runs (1.5 fixes on average); its refs hold no Example — an Example or the exact algorithm in the spec usually helps");
  });

  it("says when a task that keeps needing fixes already has an Example in its refs", async () => {
    const withExample = { specPart: "## Examples\n\n### Two words\n\n```sh\n# a shell comment, not a heading\nprintf 'a b'\n```" };
    for (const day of ["20", "21"]) {
      await writeSyntheticRun(dir, { startedAt: `2026-11-${day}T10:00:00Z`, finishedAt: `2026-11-${day}T10:05:00Z`, tasks: { T004: { attempts: [fail("T004", 1, withExample), { ...pass, ...withExample }] } } });
    }
    const result = await reportProject(dir);
    if (!result.ok) throw new Error(result.message);
    expect(result.report.hints[0]!.message).toContain("its refs already hold an Example");
  });

  it("hints at prompts over half the context and at thinking that used up the output budget", async () => {
    const exhausted = { kind: "thinking-exhausted" as const, caller: "T001", evalCount: 2048, thinking: "…", message: "qwen3 thought until the budget ran out", hint: "raise it" };
    await writeSyntheticRun(dir, {
      startedAt: "2026-11-20T10:00:00Z",
      finishedAt: "2026-11-20T10:05:00Z",
      models: [{ model: "qwen3:8b", digest: "sha256:ffff000011112222", quantization: "Q8_0", numCtx: 8192 }],
      tasks: {
        T001: { outcome: "failed", attempts: [{ model: "qwen3:8b", digest: "sha256:ffff000011112222", think: true, error: exhausted }] },
        T002: { attempts: [{ model: "qwen3:8b", digest: "sha256:ffff000011112222", promptTokens: 4097, numCtx: 8192, ...pass }] },
        T003: { attempts: [{ model: "qwen3:8b", digest: "sha256:ffff000011112222", promptTokens: 4096, numCtx: 8192, ...pass }] },
      },
    });
    const result = await reportProject(dir);
    if (!result.ok) throw new Error(result.message);
    const hints = result.report.hints;
    expect(hints.map((h) => h.kind)).toEqual(["prompt-over-half-context", "thinking-exhausted"]);
    expect(hints[0]!.message).toContain("T002's prompt reached 4097 tokens of num_ctx 8192 with qwen3:8b");
    expect(hints[1]!.message).toBe("qwen3:8b@ffff00001111 spent its whole output budget thinking in 1 of 3 attempts: raise [build] max_output_tokens or turn thinking off for its role");
    expect(result.report.models[0]).toMatchObject({ quantization: "Q8_0", thinkingExhausted: 1, firstTryRate: 2 / 3, finalRate: 2 / 3 });
  });

  it("reads a run that crashed mid-call: finished tasks count, the cut task is interrupted and left out of the rates", async () => {
    await writeSyntheticRun(dir, { startedAt: "2026-11-22T09:00:00Z", tasks: { T001: { attempts: [pass] }, T002: { attempts: [fail("T002", 1), { crashed: true }] } } });
    const result = await reportProject(dir);
    if (!result.ok) throw new Error(result.message);
    const { report } = result;
    expect(report.runs).toMatchObject([{ unfinished: true, tasks: 2, passed: 1, interrupted: 1, calls: 3 }]);
    expect(report.tasks.map((t) => t.last)).toEqual(["passed first try", "interrupted"]);
    expect(report.models[0]).toMatchObject({ taskRuns: 2, firstTryRate: 1, finalRate: 1 });
    // A crashed run's quantization is unknown: run.json never got its models.
    expect(report.models[0]!.quantization).toBeUndefined();
  });

  it("adds the reviewer's verdicts when an attempt has review.json, and does without them otherwise", async () => {
    await writeSyntheticRun(dir, {
      startedAt: "2026-11-20T10:00:00Z",
      finishedAt: "2026-11-20T10:05:00Z",
      tasks: {
        T001: { attempts: [{ ...pass, review: { outcome: "findings-left", model: MODEL, items: [], pass: 3, fail: 1, cannotTell: 1, findings: [{ item: "R2", file: "src/a.py", quote: "x", reason: "ignores empty input" }] } }] },
        T002: { attempts: [pass] },
      },
    });
    const result = await reportProject(dir);
    if (!result.ok) throw new Error(result.message);
    expect(result.report.tasks[0]!.reviews).toEqual({ reviewed: 1, pass: 3, fail: 1, cannotTell: 1 });
    expect(result.report.tasks[1]!.reviews).toBeUndefined();
    expect(result.records[0]!.tasks[0]!.attempts[0]!.review!.findings).toEqual([{ item: "R2", reason: "ignores empty input" }]);
  });

  it("selects runs by id, prefix or last, and by --since; refuses a run that does not exist", async () => {
    await twoRuns();
    const last = await reportProject(dir, { runs: ["last"] });
    expect(last.ok && last.report.runs.map((r) => r.id)).toEqual(["2026-11-21T10-00-00Z-build"]);
    const prefix = await reportProject(dir, { runs: ["2026-11-20"] });
    expect(prefix.ok && prefix.report.totals.taskRuns).toBe(3);
    const since = await reportProject(dir, { since: new Date("2026-11-21T00:00:00Z") });
    expect(since.ok && since.report.runs.map((r) => r.id)).toEqual(["2026-11-21T10-00-00Z-build"]);
    const missing = await reportProject(dir, { runs: ["1999"] });
    expect(missing).toMatchObject({ ok: false, message: expect.stringContaining("no run '1999'") });
  });

  it("reports nothing, without failing, for a project with no runs", async () => {
    const result = await reportProject(dir);
    expect(result.ok && result.report).toMatchObject({ runs: [], tasks: [], models: [], hints: [], trend: undefined, totals: { runs: 0, taskRuns: 0, calls: 0 } });
  });
});
