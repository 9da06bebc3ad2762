// Reads build runs back from their trace folders into plain records for the
// report: per task, its attempts with their call metrics, verify outcome and
// review verdicts, and every model call of the run counted by kind, as
// `specwright traces` counts them (listCalls). Only meta.json, verify.log,
// review.json and run.json are read; prompts and replies stay on disk. A torn or missing file is read as
// unknown, never as an error: an interrupted run is still worth reporting.
//
// The files are read synchronously, one run at a time with a turn of the event
// loop between runs: thousands of small reads through fs/promises spent most
// of their time hopping to the thread pool (measured in bench/report.ts:
// 1.2 s per 1,000 calls with fs/promises).

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { META_FILE } from "../traces/call-recorder.js";
import { listRunIds, runsDir } from "../traces/run-folder.js";
import { RUN_FILE } from "../traces/trace-run.js";
import { failureOf, parseVerifyLog, type VerifyFailureDigest } from "./verify-log-reader.js";

export const REVIEW_FILE = "review.json";
/** The judge's call on an attempt, inside the attempt's folder (review-step.ts); its re-asks are `review-2`, `review-3`…. */
const REVIEW_CALL_DIR = "review";

/** What the judges' reviewer said about an attempt (review.json), when a review ran. */
export interface ReviewDigest {
  outcome: string;
  pass: number;
  fail: number;
  cannotTell: number;
  findings: { item: string; reason: string }[];
}

export interface AttemptRecord {
  attempt: number;
  /** Run-relative folder, e.g. tasks/T003/attempt-2. */
  path: string;
  model: string | undefined;
  digest: string | undefined;
  /** The call's outcome: "in-progress" when the run died during it, "unknown" without a readable meta.json. */
  call: "ok" | "failed" | "in-progress" | "unknown";
  errorKind: string | undefined;
  errorMessage: string | undefined;
  doneReason: string | undefined;
  numCtx: number | undefined;
  numPredict: number | undefined;
  think: boolean;
  promptTokens: number;
  /** Undefined when the server did not say (prompt_eval_cached_count arrived with Ollama 0.33). */
  cachedPromptTokens: number | undefined;
  evalTokens: number;
  evalMs: number;
  promptEvalMs: number;
  /** Server time (total_duration, else its parts); 0 when the server never answered. */
  serverMs: number;
  wallMs: number;
  /** "passed"/"failed"/"aborted" from verify.log; undefined when verify did not run. */
  verify: "passed" | "failed" | "aborted" | undefined;
  verifyMs: number;
  failure: VerifyFailureDigest | undefined;
  review: ReviewDigest | undefined;
  /** The judge's call folders in the attempt's folder: `review`, then `review-2`… for its re-asks (review-step.ts). */
  reviewCalls: number;
}

export type TaskRunOutcome = "passed" | "failed" | "interrupted" | "blocked" | "skipped";

export interface TaskRunRecord {
  task: string;
  outcome: TaskRunOutcome;
  attempts: AttemptRecord[];
}

export interface RunModel {
  model: string;
  digest: string | undefined;
  quantization: string | undefined;
  numCtx: number | undefined;
}

export interface RunRecord {
  id: string;
  startedAt: string;
  finishedAt: string | undefined;
  scriptedDemo: boolean;
  models: RunModel[];
  /** Tasks that made at least one model call in this run. */
  tasks: TaskRunRecord[];
  /** Call folders under `calls/`: model calls made outside a task (`calls/<caller>-<n>`). */
  otherCalls: number;
}

/** Build runs, oldest first; `ids` limits them (already resolved), `since` drops runs that started before it. */
export async function readBuildRuns(projectRoot: string, options: { ids?: readonly string[]; since?: Date } = {}): Promise<RunRecord[]> {
  const ids = options.ids ?? (await listRunIds(projectRoot)).filter((id) => /-build(?:-\d+)?$/.test(id));
  const runs: RunRecord[] = [];
  for (const id of ids) {
    runs.push(readBuildRun(projectRoot, id));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return runs.filter((r) => options.since === undefined || Date.parse(r.startedAt) >= options.since.getTime());
}

export function readBuildRun(projectRoot: string, id: string): RunRecord {
  const dir = join(runsDir(projectRoot), id);
  const info = readJson(join(dir, RUN_FILE)) ?? {};
  const summary = record(info["summary"]);
  const settled = new Map<string, TaskRunOutcome>();
  for (const [key, outcome] of [["done", "passed"], ["failed", "failed"], ["interrupted", "interrupted"], ["blocked", "blocked"], ["skipped", "skipped"]] as const) {
    const list = summary?.[key];
    if (Array.isArray(list)) for (const task of list) if (typeof task === "string") settled.set(task, outcome);
  }
  const taskIds = subdirs(join(dir, "tasks")).sort();
  const tasks: TaskRunRecord[] = [];
  for (const task of taskIds) {
    const numbers = subdirs(join(dir, "tasks", task))
      .map((a) => /^attempt-(\d+)$/.exec(a))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    if (numbers.length === 0) continue;
    const attempts = numbers.map((n) => readAttempt(dir, task, n));
    tasks.push({ task, attempts, outcome: settled.get(task) ?? outcomeFromAttempts(attempts) });
  }
  const started = typeof info["startedAt"] === "string" ? info["startedAt"] : stampOf(id);
  return {
    id,
    startedAt: started,
    finishedAt: typeof info["finishedAt"] === "string" ? info["finishedAt"] : undefined,
    scriptedDemo: typeof info["scriptedDemo"] === "string",
    models: Array.isArray(info["models"]) ? info["models"].map(record).filter((m) => typeof m?.["model"] === "string").map((m) => runModel(m!)) : [],
    tasks,
    otherCalls: subdirs(join(dir, "calls")).length,
  };
}

/** A run that ended without settling a task (a crash): its last attempt says what happened. */
function outcomeFromAttempts(attempts: readonly AttemptRecord[]): TaskRunOutcome {
  const last = attempts[attempts.length - 1]!;
  if (last.verify === "passed" && (last.review === undefined || last.review.outcome !== "fix-requested")) return "passed";
  if (last.call === "in-progress" || last.call === "unknown" || last.verify === "aborted") return "interrupted";
  return "failed";
}

function readAttempt(runDir: string, task: string, attempt: number): AttemptRecord {
  const path = `tasks/${task}/attempt-${attempt}`;
  const dir = join(runDir, path);
  const meta = readJson(join(dir, META_FILE));
  const verifyText = readText(join(dir, "verify.log"));
  // Most attempts have no review.json: a stat is cheaper than a failed open (and its exception), a listing dearer than both.
  const review = existsSync(join(dir, REVIEW_FILE)) ? readJson(join(dir, REVIEW_FILE)) : undefined;
  // The judge's calls: `review/` is there whenever it was asked (even if the run died before review.json), and
  // `review-2`… only after it; so only a reviewed attempt's folder is listed. listCalls counts the same folders.
  const reviewCalls = existsSync(join(dir, REVIEW_CALL_DIR)) ? subdirs(dir).filter((d) => /^review(?:-\d+)?$/.test(d)).length : 0;
  const metrics = record(meta?.["metrics"]);
  const options = record(meta?.["options"]);
  const error = record(meta?.["error"]);
  const log = verifyText === undefined ? undefined : parseVerifyLog(verifyText);
  const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const outcome = meta?.["outcome"];
  const promptEvalMs = n(metrics?.["promptEvalMs"]);
  const evalMs = n(metrics?.["evalMs"]);
  return {
    attempt,
    path,
    model: str(meta?.["model"]),
    digest: str(meta?.["digest"]),
    call: outcome === "ok" || outcome === "failed" || outcome === "in-progress" ? outcome : "unknown",
    errorKind: str(error?.["kind"]),
    errorMessage: str(error?.["message"]),
    doneReason: str(meta?.["doneReason"]),
    numCtx: typeof options?.["numCtx"] === "number" ? options["numCtx"] : undefined,
    numPredict: typeof options?.["numPredict"] === "number" ? options["numPredict"] : undefined,
    think: options?.["think"] === true,
    // promptTokens is the whole prompt whatever the server counted; older records only have prompt_eval_count.
    promptTokens: n(metrics?.["promptTokens"] ?? metrics?.["promptEvalCount"]),
    cachedPromptTokens: typeof metrics?.["cachedPromptTokens"] === "number" ? metrics["cachedPromptTokens"] : undefined,
    evalTokens: n(metrics?.["evalCount"]),
    evalMs,
    promptEvalMs,
    serverMs: n(metrics?.["totalMs"]) || promptEvalMs + evalMs + n(metrics?.["loadMs"]),
    wallMs: n(metrics?.["wallMs"]),
    verify: log?.result ?? (log && log.commands.length > 0 ? (log.commands.every((c) => c.passed) ? "passed" : "failed") : undefined),
    verifyMs: log?.durationMs ?? 0,
    failure: log === undefined ? undefined : failureOf(log),
    review: review === undefined ? undefined : reviewDigest(review),
    reviewCalls,
  };
}

function reviewDigest(json: Record<string, unknown>): ReviewDigest {
  const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const findings = Array.isArray(json["findings"]) ? json["findings"].map(record).filter((f) => f !== undefined) : [];
  return {
    outcome: str(json["outcome"]) ?? "unknown",
    pass: n(json["pass"]),
    fail: n(json["fail"]),
    cannotTell: n(json["cannotTell"]),
    findings: findings.map((f) => ({ item: str(f!["item"]) ?? "?", reason: str(f!["reason"]) ?? "" })),
  };
}

function runModel(m: Record<string, unknown>): RunModel {
  return {
    model: m["model"] as string,
    digest: str(m["digest"]),
    quantization: str(m["quantization"]),
    numCtx: typeof m["numCtx"] === "number" ? m["numCtx"] : undefined,
  };
}

/** `2026-11-21T10-03-12Z-build` → `2026-11-21T10:03:12Z`. */
function stampOf(id: string): string {
  return `${id.slice(0, 10)}T${id.slice(11, 19).replace(/-/g, ":")}Z`;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  try {
    return record(JSON.parse(text));
  } catch {
    return undefined;
  }
}
