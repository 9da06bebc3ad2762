// The report over build runs: per task, per model, per run (the trend), the
// failures that recur, and deterministic hints where the numbers support them.
// Pure: records in, a Report out; reading the folders is run-records.ts's job.

import type { AttemptRecord, RunRecord, TaskRunOutcome, TaskRunRecord } from "./run-records.js";

export interface TaskReport {
  task: string;
  /** Runs in which the task made at least one model call. */
  runs: number;
  attempts: number;
  meanAttempts: number;
  firstTry: number;
  /** Runs in which it passed after one or more fixes, and the mean number of fixes those took. */
  passedAfterFixes: number;
  meanFixes: number;
  failed: number;
  interrupted: number;
  /** The newest run's result, e.g. "passed after 2 fixes". */
  last: string;
  promptTokens: number;
  cachedPromptTokens: number;
  /** Cached share of the prompt tokens of the calls whose server reported it; undefined when none did. */
  cacheShare: number | undefined;
  evalTokens: number;
  /** Model wall time plus verify time, over all its attempts. */
  timeMs: number;
  /** Failure fingerprints seen in two or more of its attempts. */
  recurring: { fingerprint: string; headline: string; count: number }[];
  reviews: { reviewed: number; pass: number; fail: number; cannotTell: number } | undefined;
}

export interface ModelReport {
  /** name@digest (first 12 hex digits), or the name alone when no digest was recorded. */
  key: string;
  model: string;
  digest: string | undefined;
  quantization: string | undefined;
  /** Task builds (a task in a run) whose first attempt this model answered. */
  taskRuns: number;
  /** Build attempts this model answered (the judge's review calls are not among them). */
  calls: number;
  firstTryRate: number | undefined;
  finalRate: number | undefined;
  meanAttempts: number | undefined;
  tokensPerSecond: number | undefined;
  /** Prompt evaluation's share of the server's time for this model's calls. */
  promptEvalShare: number | undefined;
  thinkingExhausted: number;
}

/**
 * A run's model calls by kind, from its folder: `calls` is all of them, the
 * number `specwright traces` and the Traces screen's run list show for the run.
 */
export interface CallCounts {
  /** Every model call recorded: attempts + reviews + reviewReasks + other. */
  calls: number;
  /** Build attempts (tasks/<task>/attempt-N): first tries, fixes, and re-asks of a malformed reply. */
  attempts: number;
  /** The judge's review calls, one per reviewed attempt (attempt-N/review). */
  reviews: number;
  /** The judge asked again after an answer it could not read (attempt-N/review-2…). */
  reviewReasks: number;
  /** Calls outside a task (calls/<caller>-N). */
  other: number;
}

export interface RunReport extends CallCounts {
  id: string;
  startedAt: string;
  /** The run has no finishedAt: it crashed or was killed. */
  unfinished: boolean;
  scriptedDemo: boolean;
  models: string[];
  tasks: number;
  firstTry: number;
  passed: number;
  failed: number;
  interrupted: number;
  /** Over the run's attempts (the review calls' tokens and time are not read). */
  promptTokens: number;
  evalTokens: number;
  timeMs: number;
}

export interface CrossTaskFailure {
  headline: string;
  tasks: string[];
  attempts: number;
}

export type Hint =
  | { kind: "needs-fixes"; task: string; message: string }
  | { kind: "repeated-failure"; tasks: string[]; message: string }
  | { kind: "prompt-over-half-context"; task: string; model: string; message: string }
  | { kind: "thinking-exhausted"; model: string; message: string };

export interface Report {
  runs: RunReport[];
  tasks: TaskReport[];
  models: ModelReport[];
  crossTask: CrossTaskFailure[];
  trend: { firstTryRate: { first: number; last: number }; finalRate: { first: number; last: number }; runs: number } | undefined;
  hints: Hint[];
  totals: { runs: number; taskRuns: number } & CallCounts;
}

export interface ReportInput {
  runs: readonly RunRecord[];
  /** Whether a task's refs (its newest prompt's spec part) hold an Example; only asked for tasks that needed fixes. */
  refsHaveExample?: (task: string) => boolean | undefined;
}

export function buildReport(input: ReportInput): Report {
  const runs = [...input.runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  const byTask = new Map<string, TaskRunRecord[]>();
  for (const run of runs) for (const t of run.tasks) push(byTask, t.task, t);
  const tasks = [...byTask.entries()].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true })).map(([task, list]) => taskReport(task, list));
  const models = modelReports(runs);
  const crossTask = crossTaskFailures(runs);
  const runReports = runs.map(runReport);
  const settled = runReports.filter((r) => r.tasks - r.interrupted > 0);
  const rate = (r: RunReport, n: number) => n / (r.tasks - r.interrupted);
  const trend =
    settled.length >= 2
      ? {
          runs: settled.length,
          firstTryRate: { first: rate(settled[0]!, settled[0]!.firstTry), last: rate(settled[settled.length - 1]!, settled[settled.length - 1]!.firstTry) },
          finalRate: { first: rate(settled[0]!, settled[0]!.passed), last: rate(settled[settled.length - 1]!, settled[settled.length - 1]!.passed) },
        }
      : undefined;
  return {
    runs: runReports,
    tasks,
    models,
    crossTask,
    trend,
    hints: hints(runs, tasks, models, crossTask, input.refsHaveExample ?? (() => undefined)),
    totals: { runs: runs.length, taskRuns: runs.reduce((s, r) => s + r.tasks.length, 0), ...addCounts(runReports) },
  };
}

function taskReport(task: string, list: readonly TaskRunRecord[]): TaskReport {
  const attempts = list.flatMap((t) => t.attempts);
  const passed = list.filter((t) => t.outcome === "passed");
  const afterFixes = passed.filter((t) => t.attempts.length > 1);
  const promptTokens = sum(attempts, (a) => a.promptTokens);
  const withCache = attempts.filter((a) => a.cachedPromptTokens !== undefined);
  const cachedPromptTokens = sum(withCache, (a) => a.cachedPromptTokens!);
  const counts = new Map<string, { headline: string; count: number }>();
  for (const a of attempts) {
    if (!a.failure) continue;
    const seen = counts.get(a.failure.fingerprint) ?? { headline: a.failure.headline, count: 0 };
    seen.count++;
    counts.set(a.failure.fingerprint, seen);
  }
  const reviewed = attempts.filter((a) => a.review !== undefined);
  return {
    task,
    runs: list.length,
    attempts: attempts.length,
    meanAttempts: attempts.length / list.length,
    firstTry: passed.filter((t) => t.attempts.length === 1).length,
    passedAfterFixes: afterFixes.length,
    meanFixes: afterFixes.length === 0 ? 0 : sum(afterFixes, (t) => t.attempts.length - 1) / afterFixes.length,
    failed: list.filter((t) => t.outcome === "failed").length,
    interrupted: list.filter((t) => t.outcome === "interrupted").length,
    last: describeOutcome(list[list.length - 1]!),
    promptTokens,
    cachedPromptTokens,
    // Only over the calls whose server reported its cache: an older server's silence is not a 0 % hit rate.
    cacheShare: withCache.length > 0 && sum(withCache, (a) => a.promptTokens) > 0 ? cachedPromptTokens / sum(withCache, (a) => a.promptTokens) : undefined,
    evalTokens: sum(attempts, (a) => a.evalTokens),
    timeMs: sum(attempts, (a) => a.wallMs + a.verifyMs),
    recurring: [...counts.entries()]
      .filter(([, v]) => v.count >= 2)
      .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
      .map(([fingerprint, v]) => ({ fingerprint, ...v })),
    reviews:
      reviewed.length === 0
        ? undefined
        : { reviewed: reviewed.length, pass: sum(reviewed, (a) => a.review!.pass), fail: sum(reviewed, (a) => a.review!.fail), cannotTell: sum(reviewed, (a) => a.review!.cannotTell) },
  };
}

/** "passed first try", "passed after 2 fixes", "failed after 3 attempts", "interrupted". */
export function describeOutcome(t: Pick<TaskRunRecord, "outcome" | "attempts">): string {
  const n = t.attempts.length;
  const outcome: TaskRunOutcome = t.outcome;
  if (outcome === "passed") return n <= 1 ? "passed first try" : `passed after ${n - 1} fix${n - 1 === 1 ? "" : "es"}`;
  if (outcome === "failed") return `failed after ${n} attempt${n === 1 ? "" : "s"}`;
  return outcome;
}

function modelKey(model: string, digest: string | undefined): string {
  return digest ? `${model}@${digest.replace(/^sha256:/, "").slice(0, 12)}` : model;
}

function modelReports(runs: readonly RunRecord[]): ModelReport[] {
  interface Tally {
    model: string;
    digest: string | undefined;
    quantization: string | undefined;
    taskRuns: TaskRunRecord[];
    calls: AttemptRecord[];
  }
  const tallies = new Map<string, Tally>();
  const tally = (model: string, digest: string | undefined, run: RunRecord): Tally => {
    const key = modelKey(model, digest);
    let t = tallies.get(key);
    if (!t) {
      t = { model, digest, quantization: undefined, taskRuns: [], calls: [] };
      tallies.set(key, t);
    }
    t.quantization ??= run.models.find((m) => m.model === model && (m.digest === undefined || digest === undefined || m.digest === digest))?.quantization;
    return t;
  };
  for (const run of runs) {
    for (const t of run.tasks) {
      const first = t.attempts[0]!;
      if (first.model !== undefined) tally(first.model, first.digest, run).taskRuns.push(t);
      for (const a of t.attempts) if (a.model !== undefined) tally(a.model, a.digest, run).calls.push(a);
    }
  }
  return [...tallies.entries()]
    .map(([key, t]) => {
      const settled = t.taskRuns.filter((x) => x.outcome === "passed" || x.outcome === "failed");
      const evalMs = sum(t.calls, (a) => a.evalMs);
      const serverMs = sum(t.calls, (a) => a.serverMs);
      return {
        key,
        model: t.model,
        digest: t.digest,
        quantization: t.quantization,
        taskRuns: t.taskRuns.length,
        calls: t.calls.length,
        firstTryRate: settled.length === 0 ? undefined : settled.filter((x) => x.outcome === "passed" && x.attempts.length === 1).length / settled.length,
        finalRate: settled.length === 0 ? undefined : settled.filter((x) => x.outcome === "passed").length / settled.length,
        meanAttempts: t.taskRuns.length === 0 ? undefined : sum(t.taskRuns, (x) => x.attempts.length) / t.taskRuns.length,
        tokensPerSecond: evalMs > 0 ? sum(t.calls, (a) => a.evalTokens) / (evalMs / 1000) : undefined,
        promptEvalShare: serverMs > 0 ? sum(t.calls, (a) => a.promptEvalMs) / serverMs : undefined,
        thinkingExhausted: t.calls.filter((a) => a.errorKind === "thinking-exhausted").length,
      };
    })
    .sort((a, b) => b.taskRuns - a.taskRuns || a.key.localeCompare(b.key));
}

/** A run's calls by kind, counted from the folders as listCalls counts them. */
export function callCounts(run: RunRecord): CallCounts {
  let attempts = 0;
  let reviews = 0;
  let reviewReasks = 0;
  for (const t of run.tasks) {
    attempts += t.attempts.length;
    for (const a of t.attempts) {
      if (a.reviewCalls > 0) reviews++;
      reviewReasks += Math.max(0, a.reviewCalls - 1);
    }
  }
  return { calls: attempts + reviews + reviewReasks + run.otherCalls, attempts, reviews, reviewReasks, other: run.otherCalls };
}

function addCounts(list: readonly CallCounts[]): CallCounts {
  const total: CallCounts = { calls: 0, attempts: 0, reviews: 0, reviewReasks: 0, other: 0 };
  for (const c of list) for (const key of Object.keys(total) as (keyof CallCounts)[]) total[key] += c[key];
  return total;
}

function runReport(run: RunRecord): RunReport {
  const attempts = run.tasks.flatMap((t) => t.attempts);
  const models = new Set<string>();
  for (const a of attempts) if (a.model !== undefined) models.add(modelKey(a.model, a.digest));
  return {
    id: run.id,
    startedAt: run.startedAt,
    unfinished: run.finishedAt === undefined,
    scriptedDemo: run.scriptedDemo,
    models: [...models],
    tasks: run.tasks.length,
    firstTry: run.tasks.filter((t) => t.outcome === "passed" && t.attempts.length === 1).length,
    passed: run.tasks.filter((t) => t.outcome === "passed").length,
    failed: run.tasks.filter((t) => t.outcome === "failed").length,
    interrupted: run.tasks.filter((t) => t.outcome === "interrupted").length,
    ...callCounts(run),
    promptTokens: sum(attempts, (a) => a.promptTokens),
    evalTokens: sum(attempts, (a) => a.evalTokens),
    timeMs: sum(attempts, (a) => a.wallMs + a.verifyMs),
  };
}

/** Failures whose headline (the normalised error line) shows up in two or more tasks. */
function crossTaskFailures(runs: readonly RunRecord[]): CrossTaskFailure[] {
  const byHeadline = new Map<string, { tasks: Set<string>; attempts: number }>();
  for (const run of runs) {
    for (const t of run.tasks) {
      for (const a of t.attempts) {
        if (!a.failure) continue;
        const entry = byHeadline.get(a.failure.headline) ?? { tasks: new Set<string>(), attempts: 0 };
        entry.tasks.add(t.task);
        entry.attempts++;
        byHeadline.set(a.failure.headline, entry);
      }
    }
  }
  return [...byHeadline.entries()]
    .filter(([, v]) => v.tasks.size >= 2)
    .map(([headline, v]) => ({ headline, tasks: [...v.tasks].sort(), attempts: v.attempts }))
    .sort((a, b) => b.tasks.length - a.tasks.length || b.attempts - a.attempts || a.headline.localeCompare(b.headline));
}

function hints(runs: readonly RunRecord[], tasks: readonly TaskReport[], models: readonly ModelReport[], crossTask: readonly CrossTaskFailure[], refsHaveExample: (task: string) => boolean | undefined): Hint[] {
  const out: Hint[] = [];
  for (const t of tasks) {
    // "Most runs": more than half of at least two runs in which the task was built.
    const settled = t.runs - t.interrupted;
    const needed = t.passedAfterFixes + t.failed;
    if (settled < 2 || needed * 2 <= settled) continue;
    const fixes = (t.attempts - t.runs) / t.runs;
    const example = refsHaveExample(t.task);
    const advice =
      example === false
        ? "its refs hold no Example — an Example or the exact algorithm in the spec usually helps"
        : example === true
          ? "its refs already hold an Example — spell out the algorithm or the edge case it keeps missing, or split the task"
          : "an Example or the exact algorithm in the spec usually helps";
    out.push({ kind: "needs-fixes", task: t.task, message: `${t.task} needed fixes in ${needed} of ${settled} runs (${fixes.toFixed(1)} fixes on average); ${advice}` });
  }
  for (const f of crossTask) {
    out.push({
      kind: "repeated-failure",
      tasks: f.tasks,
      message: `the same failure in ${f.tasks.length} tasks (${f.tasks.join(", ")}; ${f.attempts} attempts): "${f.headline}" — a convention the model keeps missing belongs in the spec as a Constraint`,
    });
  }
  const overHalf = new Map<string, { task: string; model: string; tokens: number; numCtx: number }>();
  for (const run of runs) {
    for (const t of run.tasks) {
      for (const a of t.attempts) {
        if (a.numCtx === undefined || a.model === undefined || a.promptTokens * 2 <= a.numCtx) continue;
        const key = `${t.task}\0${a.model}`;
        const seen = overHalf.get(key);
        if (!seen || seen.tokens < a.promptTokens) overHalf.set(key, { task: t.task, model: a.model, tokens: a.promptTokens, numCtx: a.numCtx });
      }
    }
  }
  for (const o of [...overHalf.values()].sort((a, b) => a.task.localeCompare(b.task, "en", { numeric: true }))) {
    out.push({
      kind: "prompt-over-half-context",
      task: o.task,
      model: o.model,
      message: `${o.task}'s prompt reached ${o.tokens} tokens of num_ctx ${o.numCtx} with ${o.model} (over half): fewer refs or context files, or a split, leaves the model room and keeps fixes from dropping earlier attempts`,
    });
  }
  for (const m of models) {
    if (m.thinkingExhausted === 0) continue;
    out.push({
      kind: "thinking-exhausted",
      model: m.key,
      message: `${m.key} spent its whole output budget thinking in ${m.thinkingExhausted} of ${m.calls} attempts: raise [build] max_output_tokens or turn thinking off for its role`,
    });
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  let s = 0;
  for (const item of items) s += f(item);
  return s;
}
