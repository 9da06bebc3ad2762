// One build's bookkeeping, in one object: the summary, the state file and its
// saves, the event stream, and what the run learned about each task (settled
// outcomes, files rebuilt, skips). Every record, verify log and task-finished
// event is made here, once, whichever path through the engine leads to it.

import type { TaskCases } from "./cases-step.js";
import type { CaseUnit } from "../cases/case-units.js";
import type { Redactor } from "../traces/redact.js";
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { CallMetrics, CallRecorder } from "../../models/call-record.js";
import type { ProjectLayout } from "../../plans/output-path.js";
import type { Task } from "../../plans/plan.js";
import type { StateFile } from "../state/state-file.js";
import { taskAttemptPath } from "../traces/layout.js";
import type { TraceRun } from "../traces/trace-run.js";
import type { BuildEvent, BuildSummary } from "./build-events.js";
import { setTaskRecord, taskRecord, type TaskRecord } from "./build-state.js";
import type { TaskOutcome } from "./task-state.js";
import type { ReviewRecord } from "./review-step.js";
import { formatVerifyLog } from "./verify-log.js";
import { runVerify, type VerifyRunResult } from "./verify-runner.js";

export interface BuildRunInput {
  root: string;
  outputDir: string;
  /** Where the project's own files are: no task may write them. */
  layout: ProjectLayout;
  state: StateFile;
  trace: TraceRun;
  verifyTimeoutMs: number;
  /** The verification cases each task owns (cases-step.ts). */
  cases?: TaskCases;
  onEvent(event: BuildEvent): void;
  saveState(state: StateFile): Promise<void>;
}

/** Where one attempt's trace files go: `path` inside the run folder, `shown` relative to the project (for people). */
export interface AttemptTrace {
  attempt: number;
  path: string;
  shown: string;
}

/** What a task that passed verify records (see recordVerified and recordDone). */
export interface VerifiedRecord {
  /** The implementation judge's reviews of this build's attempts (review-step.ts), when it ran. */
  review?: ReviewRecord[];
  key: string;
  components: Record<string, string>;
  outputs: Record<string, string>;
  attempts: number;
  trace: string;
  model?: string;
}

export interface DoneRecord extends VerifiedRecord {
  commit?: string;
}

/** A dependency's outcome that keeps its dependents from starting. */
const UNFINISHED: ReadonlySet<string> = new Set<TaskOutcome>(["failed", "blocked", "interrupted"]);

export class BuildRun {
  readonly summary: BuildSummary;
  readonly state: StateFile;
  /** Tasks whose files changed in this run: their dependents must be prepared again. */
  readonly rebuilt = new Set<string>();
  /** Tasks a person skipped in this run (through the build control). */
  readonly skippedInRun = new Set<string>();
  /** Tasks settled in this run and how; a task is scheduled at most once. */
  readonly outcomes = new Map<string, TaskOutcome | "up-to-date" | "not-selected">();
  /** Set when the model became unreachable: nothing new starts. */
  stopped = false;
  private saving: Promise<void> = Promise.resolve();
  private readonly startedAt = Date.now();

  constructor(private readonly io: BuildRunInput) {
    this.state = io.state;
    this.summary = {
      runId: io.trace.id,
      traceDir: relative(io.root, io.trace.dir),
      done: [],
      upToDate: [],
      failed: [],
      blocked: [],
      skipped: [],
      interrupted: [],
      modelCalls: 0,
      verifyRuns: 0,
      evalTokens: 0,
      evalMs: 0,
      promptTokens: 0,
      cachedPromptTokens: 0,
      durationMs: 0,
      reviews: { calls: 0, promptTokens: 0, cachedPromptTokens: 0, evalTokens: 0, discarded: 0, failed: 0 },
    };
  }

  emit(event: BuildEvent): void {
    this.io.onEvent(event);
  }

  /** Saves the state file after every save asked for earlier (saves never overlap or reorder). */
  save(): Promise<void> {
    this.saving = this.saving.then(() => this.io.saveState(this.state));
    return this.saving;
  }

  get outputDir(): string {
    return this.io.outputDir;
  }

  get root(): string {
    return this.io.root;
  }

  get verifyTimeoutMs(): number {
    return this.io.verifyTimeoutMs;
  }

  /** Redacts the run's secrets from command output (verify, cases). */
  get secrets(): Redactor {
    return this.io.trace.secrets;
  }

  /** The verification cases a task's build runs (cases-step.ts). */
  casesOf(taskId: string): readonly CaseUnit[] | undefined {
    return this.io.cases?.get(taskId);
  }

  get layout(): ProjectLayout {
    return this.io.layout;
  }

  /** Records the model calls of one attempt into its trace folder. */
  recorder(trace: AttemptTrace): CallRecorder {
    return this.io.trace.recorder(trace.path);
  }

  /** The absolute path of a file in the run folder (review.json beside an attempt's call). */
  traceFile(pathInRun: string): string {
    return this.io.trace.path(pathInRun);
  }

  /** A text with the run's secrets redacted, for files written into the run folder. */
  redact(text: string): string {
    return this.io.trace.redact(text);
  }

  attemptTrace(taskId: string, attempt: number): AttemptTrace {
    const path = taskAttemptPath(taskId, attempt);
    return { attempt, path, shown: relative(this.io.root, this.io.trace.path(path)) };
  }

  /** Why `task` cannot start in this run, or undefined when its dependencies allow it. */
  blockReason(task: Task): string | undefined {
    if (task.dependsOn.some((d) => UNFINISHED.has(this.outcomes.get(d) ?? ""))) return "a task it depends on did not finish";
    // A dependency skipped in this run only blocks when it has never been built: its last outputs serve otherwise.
    const unbuilt = task.dependsOn.find((d) => this.skippedInRun.has(d) && taskRecord(this.state, d)?.status !== "done");
    return unbuilt === undefined ? undefined : `needs ${unbuilt} (skipped in this run, never built)`;
  }

  /** A task that never starts: blocked by a dependency, or skipped by a person before it started. */
  settleUnstarted(id: string, outcome: "blocked" | "skipped", message: string): TaskOutcome {
    if (outcome === "skipped") this.skippedInRun.add(id);
    this.summary[outcome].push(id);
    this.emit({ type: "task-finished", id, outcome, attempts: 0, durationMs: 0, evalTokens: 0, evalMs: 0, metrics: [], message });
    return outcome;
  }

  upToDate(id: string): "up-to-date" {
    this.summary.upToDate.push(id);
    this.emit({ type: "task-up-to-date", id });
    return "up-to-date";
  }

  /** Starts a task's tally; `task-started` is emitted when it really starts (see TaskProgress.announce). */
  beginTask(task: Task, reasons: string[], estimatedTokens: number): TaskProgress {
    return new TaskProgress(this, task, reasons, estimatedTokens);
  }

  /** Ends a started task: totals into the summary, a failed task's record, then one `task-finished`. */
  async finishTask(progress: TaskProgress, outcome: TaskOutcome, attempts: number, trace: string | undefined, message?: string, serverLost?: true): Promise<TaskOutcome> {
    const { task, metrics } = progress;
    const evalTokens = metrics.reduce((s, m) => s + (m.evalCount ?? 0), 0);
    const evalMs = metrics.reduce((s, m) => s + (m.evalMs ?? 0), 0);
    this.summary.evalTokens += evalTokens;
    this.summary.evalMs += evalMs;
    for (const m of metrics) {
      this.summary.promptTokens += m.promptTokens ?? m.promptEvalCount ?? 0;
      this.summary.cachedPromptTokens += m.cachedPromptTokens ?? 0;
    }
    progress.announce();
    if (outcome === "skipped") this.skippedInRun.add(task.id);
    this.summary[outcome].push(task.id);
    if (outcome === "failed") {
      const record = taskRecord(this.state, task.id);
      if (record?.status === "verified") {
        // Verified work whose commit failed stays verified: the next build commits it without the model.
        setTaskRecord(this.state, task.id, { ...record, error: message ?? "failed" });
      } else {
        // No key: the next build tries again. The hashes stay: the files on disk are ours, not hand edits.
        setTaskRecord(this.state, task.id, { status: "failed", outputs: record?.outputs ?? {}, error: message ?? "failed", ...(trace !== undefined ? { trace } : {}) });
      }
      await this.save();
    }
    this.emit({
      type: "task-finished",
      id: task.id,
      outcome,
      attempts,
      durationMs: Date.now() - progress.startedAt,
      evalTokens,
      evalMs,
      metrics,
      ...(trace !== undefined ? { trace } : {}),
      ...(message !== undefined ? { message } : {}),
      ...(serverLost ? { serverLost } : {}),
    });
    return outcome;
  }

  /** Records files an attempt wrote before it is known whether the attempt succeeds. */
  async recordWritten(taskId: string, hashes: Record<string, string>, trace: string): Promise<void> {
    const record: TaskRecord = taskRecord(this.state, taskId) ?? { status: "written", outputs: {} };
    setTaskRecord(this.state, taskId, { ...record, status: "written", outputs: { ...record.outputs, ...hashes }, trace });
    await this.save();
  }

  /** Records a task as verified with its commit still to make (build.git on). */
  async recordVerified(taskId: string, verified: VerifiedRecord): Promise<void> {
    setTaskRecord(this.state, taskId, { status: "verified", ...verified, builtAt: new Date().toISOString() });
    await this.save();
  }

  /** Records a task as built, verified and (when git is on) committed: the only place a "done" record is made. */
  async recordDone(taskId: string, done: DoneRecord): Promise<void> {
    setTaskRecord(this.state, taskId, { status: "done", ...done, builtAt: new Date().toISOString() });
    await this.save();
  }

  /** Runs a task attempt's verify commands: events as they run, verify.log in the attempt's trace folder. */
  async verify(taskId: string, trace: AttemptTrace, commands: readonly string[], signal: AbortSignal): Promise<VerifyRunResult> {
    const { attempt } = trace;
    const result = await runVerify(commands, {
      cwd: this.io.outputDir,
      timeoutMs: this.io.verifyTimeoutMs,
      signal,
      redactor: this.io.trace.secrets,
      onCommandStart: (command) => this.emit({ type: "verify-started", id: taskId, attempt, command }),
      onOutput: (chunk, command) => this.emit({ type: "verify-output", id: taskId, attempt, command, chunk }),
    });
    await this.logVerify(result, join(trace.path, "verify.log"));
    for (const r of result.results) this.emit({ type: "verify-finished", id: taskId, attempt, result: r });
    return result;
  }

  /** Runs build.setup before a fresh build: events around it, setup.log in the run folder. */
  async setup(commands: readonly string[], signal: AbortSignal): Promise<VerifyRunResult> {
    this.emit({ type: "setup-started", commands: [...commands] });
    await mkdir(this.io.outputDir, { recursive: true });
    const result = await runVerify(commands, { cwd: this.io.outputDir, timeoutMs: this.io.verifyTimeoutMs, signal, redactor: this.io.trace.secrets });
    await this.logVerify(result, "setup.log");
    this.emit({ type: "setup-finished", ok: result.ok, results: result.results });
    return result;
  }

  /** Saves the state a last time and reports the summary. */
  async end(): Promise<BuildSummary> {
    await this.save();
    return this.report();
  }

  /** Reports the summary as it stands (a build that stops before any task ran saves nothing). */
  report(): BuildSummary {
    this.summary.durationMs = Date.now() - this.startedAt;
    this.emit({ type: "build-finished", summary: this.summary });
    return this.summary;
  }

  private async logVerify(result: VerifyRunResult, pathInRun: string): Promise<void> {
    this.summary.verifyRuns += result.results.length;
    const file = this.io.trace.path(pathInRun);
    await mkdir(join(file, ".."), { recursive: true });
    await writeFile(file, this.io.trace.redact(formatVerifyLog(result, this.io.outputDir)));
  }
}

/** One task's part of the run: when it started, its calls' metrics, and whether it was announced. */
export class TaskProgress {
  readonly metrics: CallMetrics[] = [];
  readonly startedAt = Date.now();
  private announced = false;

  constructor(
    private readonly run: BuildRun,
    readonly task: Task,
    private readonly reasons: string[],
    private readonly estimatedTokens: number,
  ) {}

  /** True once `task-started` was emitted: the task got the model (or its verify began). */
  get started(): boolean {
    return this.announced;
  }

  /** Emits `task-started` once. Events follow the slot: a task waiting for the model has not started yet. */
  announce(): void {
    if (this.announced) return;
    this.announced = true;
    this.run.emit({ type: "task-started", id: this.task.id, title: this.task.title, reasons: this.reasons, estimatedTokens: this.estimatedTokens });
  }

  /** `serverLost`: a failure because no endpoint was left to serve the task (task-finished says so). */
  finish(outcome: TaskOutcome, attempts: number, trace: string | undefined, message?: string, serverLost?: true): Promise<TaskOutcome> {
    return this.run.finishTask(this, outcome, attempts, trace, message, serverLost);
  }
}
