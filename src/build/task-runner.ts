// One task from its turn to its outcome: prepared again when a dependency was
// rebuilt in this run, up to date or not, verified only (a manual task), or
// built through the attempt loop — with a person's skip and retry when a
// build control is present. Everything it learns goes through the BuildRun.

import { onlyCasesChanged, rerunCasesOnly } from "./cases-step.js";
import { join } from "node:path";
import type { Task } from "../../plans/plan.js";
import { AttemptLoop, handEditsKept } from "./attempt-loop.js";
import type { StateFile } from "../state/state-file.js";
import { filesWrittenEvent } from "./build-events.js";
import { copyProjectFiles } from "./copy-task.js";
import type { BuildEngineInput, OutputCommitter, PreparedTask } from "./build-input.js";
import type { BuildRun, TaskProgress } from "./build-run.js";
import { dependencyOutputs, lastWrittenHashes, setTaskRecord, taskRecord, type TaskRecord } from "./build-state.js";
import { completeVerified } from "./commit-step.js";
import { handEdits, hashFile, onlyCommitPending, staleReasons } from "./freshness.js";
import type { EndpointPool } from "./endpoint-pool.js";
import type { SlotTicket, TaskPlacement } from "./model-slots.js";
import type { ReviewSettings } from "./review-step.js";
import type { TaskOutcome, TaskPlanState } from "./task-state.js";

/** Why a task must be built in this run; empty when it is up to date. */
export async function buildReasons(task: Task, prepared: PreparedTask, state: StateFile, outputDir: string, force: boolean): Promise<string[]> {
  if (force) return ["--force"];
  return staleReasons(task, prepared, taskRecord(state, task.id), outputDir);
}

export interface TaskRunnerInput {
  run: BuildRun;
  engine: BuildEngineInput;
  /** The endpoints with the build's model open, when the run has tasks to build; a run where every task is up to date opens none. */
  pool: EndpointPool | undefined;
  /** The implementation judge, opened with the model on every endpoint (build.review on). */
  review: ReviewSettings | undefined;
  /** Commits each finished task (build.git on). */
  committer: OutputCommitter | undefined;
  /** What planning decided for each task, and the prompt it prepared. */
  planned: ReadonlyMap<string, TaskPlanState>;
  prepared: ReadonlyMap<string, PreparedTask>;
}

export class TaskRunner {
  private readonly planIndex: ReadonlyMap<string, number>;
  /** Tasks whose hand-edited files a person said may be overwritten in this run. */
  private readonly overwriteAllowed = new Set<string>();

  constructor(private readonly ctx: TaskRunnerInput) {
    this.planIndex = new Map(ctx.engine.plan.tasks.map((t, i) => [t.id, i]));
  }

  /**
   * Whether a task that will not start in this run (a dependency did not
   * finish, the run stopped) is up to date all the same: prepared from the
   * state as it is now, its key and files match its last build. Such a task
   * is reported up to date, never blocked or interrupted.
   */
  async upToDateNow(task: Task): Promise<boolean> {
    const { run, engine } = this.ctx;
    if (engine.force || task.status === "skip") return false;
    const prepared = await engine.prepare(task, dependencyOutputs(run.state, task));
    if (prepared.problem) return false;
    return (await buildReasons(task, prepared, run.state, run.outputDir, false)).length === 0;
  }

  async run(task: Task, ticket: SlotTicket | undefined, placement: TaskPlacement | undefined): Promise<TaskOutcome | "up-to-date"> {
    const { run, engine } = this.ctx;
    // A dependency rebuilt in this run changes this task's inputs: prepare again from disk.
    const first = this.ctx.prepared.get(task.id);
    const prepared = first && !task.dependsOn.some((d) => run.rebuilt.has(d)) ? first : await engine.prepare(task, dependencyOutputs(run.state, task));
    const planned = this.ctx.planned.get(task.id);
    const reasons = prepared === first && planned?.kind === "pending" ? planned.reasons : await buildReasons(task, prepared, run.state, run.outputDir, engine.force);
    if (reasons.length === 0) return run.upToDate(task.id);

    const progress = run.beginTask(task, reasons, prepared.estimatedTokens);
    const record = taskRecord(run.state, task.id);
    if (record?.status === "verified") {
      if (onlyCommitPending(record, reasons)) return this.finishCommit(task, record, progress);
      const rolledBack = await this.rollBackCommit(task, record);
      if (rolledBack !== undefined) return progress.finish("failed", 0, record.trace, rolledBack);
    }
    if (prepared.problem) return progress.finish("failed", 0, undefined, prepared.problem);
    if (task.copy.length > 0) return this.copyOnly(task, prepared, progress);
    if (task.status === "manual") return this.verifyOnly(task, prepared, progress);
    // Only its cases changed: they rerun against the files as they are; the model is asked only if one fails.
    if (record?.status === "done" && onlyCasesChanged(reasons) && (await rerunCasesOnly(run, task, prepared, engine.signal))) {
      progress.announce();
      return progress.finish("done", 0, record.trace);
    }
    const pool = this.ctx.pool;
    if (!pool || !placement) throw new Error(`${task.id} needs building but the engine opened no model run`);
    const overwrite = await this.handEditsAllowed(task);
    if (overwrite !== true) return progress.finish("failed", 0, undefined, overwrite);
    return this.build(task, prepared, progress, pool, placement, ticket);
  }

  /**
   * A hand edit in the way is found before the model call, not after a
   * generation the write would refuse: a person is asked first (the TUI, a
   * terminal); a headless build stops here unless --force. True: the task may
   * overwrite (forced, nothing edited, or the person said yes); else why not.
   */
  private async handEditsAllowed(task: Task): Promise<true | string> {
    const { run, engine } = this.ctx;
    if (engine.force) return true;
    const edits = await handEdits(task, run.outputDir, lastWrittenHashes(run.state));
    if (edits.length === 0) return true;
    const answer = await engine.decide({ kind: "overwrite-hand-edit", task: task.id, files: edits.map((c) => ({ path: c.path, message: c.message })) });
    if (!(answer.kind === "overwrite-hand-edit" && answer.overwrite)) return handEditsKept(edits.map((c) => c.path));
    this.overwriteAllowed.add(task.id);
    return true;
  }

  /** The attempt loop, run again from scratch when a person asks for a retry (the TUI). */
  private async build(task: Task, prepared: PreparedTask, progress: TaskProgress, pool: EndpointPool, placement: TaskPlacement, ticket: SlotTicket | undefined): Promise<TaskOutcome> {
    const { run, engine } = this.ctx;
    // Skipping a running task aborts its model call or verify through its own signal.
    const control = engine.control;
    const skip = new AbortController();
    const taskSignal = control ? AbortSignal.any([engine.signal, skip.signal]) : engine.signal;
    const unsubscribe = control?.onSkip(task.id, () => skip.abort(new Error("skipped in this run")));
    const skippedWhileRunning = () => skip.signal.aborted && !engine.signal.aborted;
    try {
      for (let firstAttempt = 1; ; ) {
        const loop = new AttemptLoop({
          run,
          task,
          prepared,
          progress,
          pool,
          messages: engine.messages,
          placement,
          sessionId: `${run.summary.runId}/${task.id}`,
          ticket,
          planIndex: this.planIndex.get(task.id) ?? 0,
          holdSlotThroughVerify: engine.overlapVerify === false,
          maxFixAttempts: engine.maxFixAttempts,
          review: this.ctx.review,
          outputBudget: engine.outputBudget,
          force: engine.force || this.overwriteAllowed.has(task.id),
          decide: engine.decide,
          committer: this.ctx.committer,
          control,
          signal: engine.signal,
          taskSignal,
          skippedWhileRunning,
        });
        const ended = await loop.run(firstAttempt);
        if (ended.kind === "settled") return ended.outcome;
        if (ended.kind === "moved") {
          // Its endpoint went down: the task starts over on another, a fresh loop with fresh stop rules.
          placement.unplace();
          firstAttempt = ended.nextAttempt;
          continue;
        }
        if (control?.askRetry && ended.askable && !run.stopped && !taskSignal.aborted) {
          const answer = await engine.decide({ kind: "retry-failed", task: task.id, message: ended.message });
          if (skippedWhileRunning()) return progress.finish("skipped", ended.attempt, ended.trace, "skipped while it ran");
          if (answer.kind === "retry-failed" && answer.retry && !taskSignal.aborted) {
            run.emit({ type: "notice", message: `${task.id}: trying again from the start, as asked` });
            firstAttempt = ended.attempt + 1;
            continue;
          }
        }
        return progress.finish("failed", ended.attempt, ended.trace, ended.message, ended.serverLost);
      }
    } finally {
      unsubscribe?.();
    }
  }

  /**
   * Finishes the commit an earlier build left undone: the files are the ones
   * that passed verify (unchanged since), so no model call is needed.
   */
  private async finishCommit(task: Task, record: TaskRecord, progress: TaskProgress): Promise<TaskOutcome> {
    const { run, committer, engine } = this.ctx;
    const trace = record.trace ?? "";
    const attempts = record.attempts ?? 0;
    progress.announce();
    const verified = { key: record.key ?? "", components: record.components ?? {}, outputs: record.outputs, attempts, trace, ...(record.model !== undefined ? { model: record.model } : {}) };
    // build.git turned off since: there is nothing to commit, and the task is done.
    const notDone = await completeVerified(run, committer, task, verified, Object.keys(record.outputs), engine.signal);
    if (notDone?.interrupted) return progress.finish("interrupted", attempts, trace, `its commit was interrupted again (${notDone.message})`);
    if (notDone) return progress.finish("failed", attempts, trace, `verified, but not committed: ${notDone.message}`);
    if (committer) run.emit({ type: "notice", message: `${task.id}: committed the files an interrupted build verified` });
    return progress.finish("done", attempts, trace);
  }

  /**
   * A verified task whose files or inputs changed since: its interrupted
   * commit will not be finished, so its files leave the index again (they may
   * have been staged when the commit was cut short) and it is built anew.
   * Returns a problem when git could not unstage them.
   */
  private async rollBackCommit(task: Task, record: TaskRecord): Promise<string | undefined> {
    const { run, committer } = this.ctx;
    if (committer) {
      const unstaged = await committer.unstage(Object.keys(record.outputs));
      if (!unstaged.ok) return `its interrupted commit could not be rolled back: ${unstaged.message}`;
    }
    const { status: _verified, key: _key, ...rest } = record;
    setTaskRecord(run.state, task.id, { ...rest, status: "written" });
    await run.save();
    return undefined;
  }

  /** A copy task: its files are copied from the project (copy-task.ts), then verified and committed like a built task. */
  private async copyOnly(task: Task, prepared: PreparedTask, progress: TaskProgress): Promise<TaskOutcome> {
    const { run, engine } = this.ctx;
    progress.announce();
    const copy = (force: boolean) =>
      copyProjectFiles({ root: engine.sourceRoot ?? engine.root, outputDir: run.outputDir, layout: run.layout, task, lastWritten: lastWrittenHashes(run.state), force, stagingId: `${task.id}-copy${force ? "-force" : ""}` });
    let written = await copy(engine.force);
    if (!written.ok && written.kind === "conflict") {
      const answer = await engine.decide({ kind: "overwrite-hand-edit", task: task.id, files: written.conflicts.map((c) => ({ path: c.path, message: c.message })) });
      if (!(answer.kind === "overwrite-hand-edit" && answer.overwrite)) {
        return progress.finish("failed", 0, undefined, `${written.conflicts.map((c) => c.path).join(", ")} changed by hand; not overwritten (rerun with --force to overwrite)`);
      }
      written = await copy(true);
    }
    if (!written.ok) return progress.finish("failed", 0, undefined, written.message);
    if (written.written.length > 0) run.rebuilt.add(task.id);
    await run.recordWritten(task.id, written.hashes, run.attemptTrace(task.id, 1).shown);
    run.emit(filesWrittenEvent(task.id, 1, written));
    return this.verifyOnly(task, prepared, progress, true);
  }

  /** A manual task: a person writes the files; specwright only runs its verify commands. `commit`: commit the files (a copy task's). */
  private async verifyOnly(task: Task, prepared: PreparedTask, progress: TaskProgress, commit = false): Promise<TaskOutcome> {
    const { run, engine } = this.ctx;
    const trace = run.attemptTrace(task.id, 1);
    const missing: string[] = [];
    const outputs: Record<string, string> = {};
    for (const path of [...task.outputs, ...task.edits]) {
      const hash = await hashFile(join(run.outputDir, path));
      if (hash === undefined) missing.push(path);
      else outputs[path] = hash;
    }
    if (missing.length > 0) return progress.finish("failed", 0, trace.shown, `manual task: write ${missing.join(", ")} yourself, then build again`);
    progress.announce();
    const verify = await run.verify(task.id, trace, task.verify, engine.signal);
    if (engine.signal.aborted) return progress.finish("interrupted", 1, trace.shown, "interrupted during verify");
    if (!verify.ok) return progress.finish("failed", 1, trace.shown, `manual task: \`${verify.results.at(-1)!.command}\` failed; fix the files by hand`);
    run.rebuilt.add(task.id);
    const verified = { key: prepared.key, components: prepared.components, outputs, attempts: 1, trace: trace.shown };
    // A copy task's files are specwright's, committed like a built task's; a manual task's are the person's.
    const notDone = await completeVerified(run, commit ? this.ctx.committer : undefined, task, verified, Object.keys(outputs), engine.signal);
    if (notDone?.interrupted) return progress.finish("interrupted", 1, trace.shown, `verified; its commit was interrupted (${notDone.message}); the next build commits it`);
    if (notDone) return progress.finish("failed", 1, trace.shown, `verified, but not committed: ${notDone.message}`);
    return progress.finish("done", 1, trace.shown);
  }
}
