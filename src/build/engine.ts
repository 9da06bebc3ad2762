// The build engine: runs the plan's tasks in dependency order against the
// model, writes their files safely, proves them with verify commands, and
// loops on failures within bounds. Up to `build.parallel` model calls run at
// once; a task's verify runs while the next independent task generates.
// Up-to-date decisions come from task keys and output hashes on disk, so an
// interrupted build never leaves a stale dependent. Emits events; asks
// questions through `decide`; never prints. An optional BuildControl lets a
// person pause, skip and retry (the TUI); without one nothing ever waits.

import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { CallMetrics, ChatMessage } from "../../models/call-record.js";
import { isModelUnavailable, modelFault, type ModelError } from "../../models/errors.js";
import type { ModelRun } from "../../models/model-run.js";
import { buildTaskGraph, selectTasks, topologicalOrder, type TaskSelection } from "../../plans/graph.js";
import type { ProjectLayout } from "../../plans/output-path.js";
import type { Plan, Task } from "../../plans/plan.js";
import type { StateFile } from "../state/state-file.js";
import type { TraceRun } from "../traces/trace-run.js";
import { taskAttemptPath } from "../traces/layout.js";
import type { BuildControl } from "./build-control.js";
import { filesWrittenEvent, type BuildAnswer, type BuildEvent, type BuildQuestion, type BuildSummary } from "./build-events.js";
import type { TaskOutcome, TaskPlanState } from "./task-state.js";
import { dependencyOutputs, lastWrittenHashes, setTaskRecord, taskRecord, type TaskRecord } from "./build-state.js";
import { parseReply } from "./reply-protocol.js";
import { recoverStagedWrites, safeWrite, type FileToWrite } from "./safe-write.js";
import { copyProjectFiles } from "./copy-task.js";
import { hashFile, staleReasons as taskStaleReasons } from "./freshness.js";
import { classifyVerifyFailure, errorFingerprint } from "./verify-failure.js";
import { formatVerifyLog } from "./verify-log.js";
import { runVerify } from "./verify-runner.js";

/** What a task's prompt and key are, given its dependencies' outputs. */
export interface PreparedTask {
  messages: ChatMessage[];
  /** outputs then edits: the files the reply must hold. */
  expected: string[];
  /** The key with the model digest recorded at the task's last build (see prepare-task.ts). */
  key: string;
  components: Record<string, string>;
  /** The key with another model digest: what a successful build records. */
  keyFor(digest: string): { key: string; components: Record<string, string> };
  estimatedTokens: number;
  /** Set when the task cannot be prompted (a ref that no longer resolves). */
  problem?: string;
}

/** Per dependency task id: path → sha256 of the files it last wrote. */
export type DependencyOutputs = Record<string, Record<string, string>>;

export interface TaskMessages {
  /** The previous attempt's messages plus its reply and the verify failure. */
  fix(previous: ChatMessage[], reply: string, failure: { command: string; output: string; attempt: number }): ChatMessage[];
  /** The previous attempt's messages plus its malformed reply and the parser's problem. */
  reask(previous: ChatMessage[], reply: string, problem: string): ChatMessage[];
}

export interface OutputCommitter {
  commit(task: Task, files: string[], trace: string): Promise<{ ok: true; sha?: string } | { ok: false; message: string }>;
}

export interface BuildEngineInput {
  root: string;
  /** Absolute output dir. */
  outputDir: string;
  /** Where the project's own files are: no task may write them. */
  layout: ProjectLayout;
  plan: Plan;
  state: StateFile;
  selection: TaskSelection;
  force: boolean;
  parallel: number;
  /**
   * Let another task generate while a task's verify runs (default true). With
   * false, a task keeps its model slot through verify into its fix attempts.
   */
  overlapVerify?: boolean;
  maxFixAttempts: number;
  verifyTimeoutMs: number;
  setup: string[];
  prepare(task: Task, dependencies: DependencyOutputs): Promise<PreparedTask>;
  messages: TaskMessages;
  /** Opens the model run once the engine knows the largest prompt it will send. */
  openModel(largestPromptTokens: number): Promise<{ ok: true; run: ModelRun } | { ok: false; error: ModelError }>;
  committer?: OutputCommitter;
  trace: TraceRun;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
  decide(question: BuildQuestion): Promise<BuildAnswer>;
  saveState(state: StateFile): Promise<void>;
  /** Pause, skip and retry from a person (the TUI). Absent: the build runs through, as headless builds do. */
  control?: BuildControl;
}

/** Room for a fix attempt's extra messages (the previous reply and the verify output), in tokens. */
const FIX_ROOM_TOKENS = 1500;

/**
 * Model-call slots, handed out by priority rather than arrival: a fix attempt
 * continues a conversation whose prefix Ollama still has cached, so it goes
 * before any task's first attempt; first attempts go in plan order.
 */
class ModelSlots {
  private waiting: { rank: number; grant: () => void }[] = [];
  constructor(private free: number) {}
  async acquire(rank: number): Promise<() => void> {
    if (this.free > 0) this.free--;
    else
      await new Promise<void>((grant) => {
        const at = this.waiting.findIndex((w) => w.rank > rank);
        this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { rank, grant });
      });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    };
  }
}

/** First attempts wait behind every fix attempt (ranked by attempt number), in plan order. */
const FIRST_ATTEMPT_RANK = 1_000_000;

/** A model slot reserved for a task's first attempt: taken by it, or dropped (released) unused. */
interface SlotTicket {
  slot: Promise<() => void>;
  /** True the first time: the caller then awaits `slot` and owns the release. */
  take(): boolean;
  /** Releases the slot if nobody took it. */
  drop(): void;
}

function slotTicket(slot: Promise<() => void>): SlotTicket {
  let taken = false;
  return {
    slot,
    take() {
      if (taken) return false;
      taken = true;
      return true;
    },
    drop() {
      if (taken) return;
      taken = true;
      void slot.then((release) => release());
    },
  };
}

export async function runBuild(input: BuildEngineInput): Promise<BuildSummary> {
  const started = Date.now();
  const { plan, state } = input;
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const graph = buildTaskGraph(plan.tasks);
  const order = topologicalOrder(graph);
  if (!order.ok) throw new Error(`plan has a cycle (${order.cycle.join(" -> ")}); plan validation should have stopped the build`);
  const selection = selectTasks(graph, input.selection);
  if (!selection.ok) throw new Error("task selection was not validated by the caller");
  const selected = new Set(selection.ids);
  const summary: BuildSummary = {
    runId: input.trace.id,
    traceDir: relative(input.root, input.trace.dir),
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
  };
  let saving = Promise.resolve();
  const save = () => {
    saving = saving.then(() => input.saveState(state));
    return saving;
  };

  // A crash between moving staged files into place and recording them: finish the set, record the hashes.
  const recovery = await recoverStagedWrites(input.outputDir);
  if (recovery.refused !== undefined) input.onEvent({ type: "notice", message: recovery.refused });
  if (recovery.completed.length > 0) {
    for (const { path, sha256 } of recovery.completed) {
      const owner = plan.tasks.find((t) => t.outputs.includes(path) || t.edits.includes(path));
      if (!owner) continue;
      const record = taskRecord(state, owner.id) ?? { status: "written", outputs: {} };
      record.outputs[path] = sha256;
      setTaskRecord(state, owner.id, record);
    }
    input.onEvent({ type: "notice", message: `finished ${recovery.completed.length} file write(s) an interrupted build left staged` });
    await save();
  }

  // Plan each selected task against what is on disk now. Tasks whose
  // dependencies will be rebuilt are decided again when their turn comes.
  const initial = new Map<string, TaskPlanState>();
  const prepared = new Map<string, PreparedTask>();
  for (const id of order.order) {
    const task = byId.get(id)!;
    if (!selected.has(id)) initial.set(id, { kind: "not-selected" });
    else if (task.status === "skip") initial.set(id, { kind: "skipped" });
    else {
      const p = await input.prepare(task, dependencyOutputs(state, task));
      prepared.set(id, p);
      const reasons = await staleReasons(task, p);
      initial.set(id, reasons.length === 0 ? { kind: "up-to-date" } : task.status === "manual" ? { kind: "manual" } : { kind: "pending", reasons });
    }
  }
  input.onEvent({
    type: "build-started",
    runId: input.trace.id,
    tasks: order.order.map((id) => ({ id, title: byId.get(id)!.title, state: initial.get(id)! })),
  });

  const toBuild = [...initial.entries()].filter(([, s]) => s.kind === "pending").map(([id]) => id);
  // Copy tasks need no model: a build of copies alone never opens one.
  const toGenerate = toBuild.filter((id) => byId.get(id)!.copy.length === 0);
  let model: ModelRun | undefined;
  if (toGenerate.length > 0) {
    const largest = Math.max(...toGenerate.map((id) => prepared.get(id)!.estimatedTokens));
    const opened = await input.openModel(Math.round(largest * 1.25) + FIX_ROOM_TOKENS);
    if (!opened.ok) {
      if (isModelUnavailable(opened.error)) summary.modelUnavailable = opened.error.message;
      else summary.modelProblem = { message: opened.error.message, fault: modelFault(opened.error) };
      input.onEvent({ type: "notice", message: `${opened.error.message} — ${opened.error.hint}` });
      summary.durationMs = Date.now() - started;
      input.onEvent({ type: "build-finished", summary });
      return summary;
    }
    model = opened.run;
  }

  const freshBuild = !Object.keys(state.tasks).some((id) => taskRecord(state, id)?.status === "done");
  if (freshBuild && input.setup.length > 0 && toBuild.length > 0) {
    input.onEvent({ type: "setup-started", commands: input.setup });
    await mkdir(input.outputDir, { recursive: true });
    const setup = await runVerify(input.setup, { cwd: input.outputDir, timeoutMs: input.verifyTimeoutMs, signal: input.signal });
    summary.verifyRuns += setup.results.length;
    await writeFile(input.trace.path("setup.log"), input.trace.redact(formatVerifyLog(setup, input.outputDir)));
    input.onEvent({ type: "setup-finished", ok: setup.ok, results: setup.results });
    if (!setup.ok) {
      for (const id of toBuild) summary.blocked.push(id);
      summary.durationMs = Date.now() - started;
      input.onEvent({ type: "build-finished", summary });
      return summary;
    }
  }

  const outcomeList: Record<TaskOutcome, string[]> = {
    done: summary.done,
    failed: summary.failed,
    interrupted: summary.interrupted,
    blocked: summary.blocked,
    skipped: summary.skipped,
  };
  const slots = new ModelSlots(Math.max(1, input.parallel));
  const planIndex = new Map(plan.tasks.map((t, i) => [t.id, i]));
  /** Tasks whose files changed in this run: their dependents must be prepared again. */
  const rebuilt = new Set<string>();
  const outcome = new Map<string, TaskOutcome | "up-to-date" | "not-selected">();
  const running = new Map<string, Promise<void>>();
  /** Tasks a person skipped in this run (through `control`). */
  const skippedInRun = new Set<string>();
  let stopAll = false;
  const control = input.control;

  for (;;) {
    for (const id of order.order) {
      if (outcome.has(id) || running.has(id)) continue;
      const state0 = initial.get(id)!;
      if (state0.kind === "not-selected") {
        outcome.set(id, "not-selected");
        continue;
      }
      if (state0.kind === "skipped") {
        outcome.set(id, "skipped");
        summary.skipped.push(id);
        continue;
      }
      const deps = byId.get(id)!.dependsOn;
      // A dependency skipped in this run only blocks when it has never been built: its last outputs serve otherwise.
      const unbuilt = deps.find((d) => skippedInRun.has(d) && taskRecord(state, d)?.status !== "done");
      if (deps.some((d) => ["failed", "blocked", "interrupted"].includes(outcome.get(d) as string)) || unbuilt !== undefined) {
        outcome.set(id, "blocked");
        summary.blocked.push(id);
        const message = unbuilt !== undefined && !deps.some((d) => ["failed", "blocked", "interrupted"].includes(outcome.get(d) as string)) ? `needs ${unbuilt} (skipped in this run, never built)` : `a task it depends on did not finish`;
        input.onEvent({ type: "task-finished", id, outcome: "blocked", attempts: 0, durationMs: 0, evalTokens: 0, evalMs: 0, metrics: [], message });
        continue;
      }
      if (stopAll || input.signal.aborted) continue;
      if (control?.skipped(id)) {
        outcome.set(id, skipInRun(id));
        continue;
      }
      if (!deps.every((d) => outcome.has(d))) continue;
      if (control?.paused()) continue;
      // The model slot is reserved now, while tasks start in plan order; a task
      // that turns out up to date (or manual) hands it back unused.
      const task = byId.get(id)!;
      const ticket = task.status === "manual" || task.copy.length > 0 ? undefined : slotTicket(slots.acquire(FIRST_ATTEMPT_RANK + (planIndex.get(id) ?? 0)));
      running.set(
        id,
        runTask(task, ticket)
          .finally(() => ticket?.drop())
          .then((result) => {
            outcome.set(id, result);
            running.delete(id);
          }),
      );
    }
    if (running.size === 0) {
      // Paused with nothing working: wait for the person, then schedule again.
      if (control?.paused() && !stopAll && !input.signal.aborted && order.order.some((id) => !outcome.has(id))) {
        await control.waitWhilePaused(input.signal);
        continue;
      }
      break;
    }
    await Promise.race(running.values());
  }
  for (const id of order.order) if (!outcome.has(id) && initial.get(id)!.kind !== "not-selected") summary.interrupted.push(id);

  await save();
  summary.durationMs = Date.now() - started;
  input.onEvent({ type: "build-finished", summary });
  return summary;

  /** Records a task a person skipped before it started. */
  function skipInRun(id: string): "skipped" {
    skippedInRun.add(id);
    summary.skipped.push(id);
    input.onEvent({ type: "task-finished", id, outcome: "skipped", attempts: 0, durationMs: 0, evalTokens: 0, evalMs: 0, metrics: [], message: "skipped in this run" });
    return "skipped";
  }

  /** Why a task must be built; empty when it is up to date. */
  async function staleReasons(task: Task, p: PreparedTask): Promise<string[]> {
    if (input.force) return ["--force"];
    return taskStaleReasons(task, p.key, taskRecord(state, task.id), input.outputDir);
  }

  async function runTask(task: Task, ticket: SlotTicket | undefined): Promise<TaskOutcome | "up-to-date"> {
    const t0 = Date.now();
    // A dependency rebuilt in this run changes this task's inputs: prepare again from disk.
    const initialP = prepared.get(task.id);
    const p = initialP && !task.dependsOn.some((d) => rebuilt.has(d)) ? initialP : await input.prepare(task, dependencyOutputs(state, task));
    const planned = initial.get(task.id);
    const reasons = p === initialP && planned?.kind === "pending" ? planned.reasons : await staleReasons(task, p);
    if (reasons.length === 0) {
      summary.upToDate.push(task.id);
      input.onEvent({ type: "task-up-to-date", id: task.id });
      return "up-to-date";
    }
    let started = false;
    const announce = () => {
      if (started) return;
      started = true;
      input.onEvent({ type: "task-started", id: task.id, title: task.title, reasons, estimatedTokens: p.estimatedTokens });
    };
    const metrics: CallMetrics[] = [];
    const finish = async (result: TaskOutcome, attempts: number, trace: string | undefined, message?: string): Promise<TaskOutcome> => {
      const evalTokens = metrics.reduce((s, m) => s + (m.evalCount ?? 0), 0);
      const evalMs = metrics.reduce((s, m) => s + (m.evalMs ?? 0), 0);
      summary.evalTokens += evalTokens;
      summary.evalMs += evalMs;
      for (const m of metrics) {
        summary.promptTokens += m.promptTokens ?? m.promptEvalCount ?? 0;
        summary.cachedPromptTokens += m.cachedPromptTokens ?? 0;
      }
      announce();
      outcomeList[result].push(task.id);
      if (result === "failed") {
        // No key: the next build tries again. The hashes stay: the files on disk are ours, not hand edits.
        const outputs = taskRecord(state, task.id)?.outputs ?? {};
        setTaskRecord(state, task.id, { status: "failed", outputs, error: message ?? "failed", ...(trace !== undefined ? { trace } : {}) });
        await save();
      }
      input.onEvent({
        type: "task-finished",
        id: task.id,
        outcome: result,
        attempts,
        durationMs: Date.now() - t0,
        evalTokens,
        evalMs,
        metrics,
        ...(trace !== undefined ? { trace } : {}),
        ...(message !== undefined ? { message } : {}),
      });
      return result;
    };

    if (p.problem) return finish("failed", 0, undefined, p.problem);
    if (task.copy.length > 0) return copyOnly(task, p, finish, announce);
    if (task.status === "manual") return verifyOnly(task, p, finish);

    // Skipping a running task aborts its model call or verify through its own signal.
    const skip = new AbortController();
    const signal = control ? AbortSignal.any([input.signal, skip.signal]) : input.signal;
    const unsubscribe = control?.onSkip(task.id, () => skip.abort(new Error("skipped in this run")));
    const skippedWhileRunning = (attempt: number, trace: string | undefined) => {
      skippedInRun.add(task.id);
      return finish("skipped", attempt, trace, "skipped while it ran");
    };
    try {
      for (let first = 1; ; ) {
        const ended = await attempts(first);
        if (ended.kind === "outcome") return await ended.outcome;
        if (control?.askRetry && ended.askable && !stopAll && !signal.aborted) {
          const answer = await input.decide({ kind: "retry-failed", task: task.id, message: ended.message });
          if (skip.signal.aborted && !input.signal.aborted) return await skippedWhileRunning(ended.attempt, ended.trace);
          if (answer.kind === "retry-failed" && answer.retry && !signal.aborted) {
            input.onEvent({ type: "notice", message: `${task.id}: trying again from the start, as asked` });
            first = ended.attempt + 1;
            continue;
          }
        }
        return await finish("failed", ended.attempt, ended.trace, ended.message);
      }
    } finally {
      unsubscribe?.();
    }

    type AttemptsEnd =
      | { kind: "outcome"; outcome: Promise<TaskOutcome> }
      /** A failure a retry from scratch could fix (`askable`); finished by the caller. */
      | { kind: "failed"; attempt: number; trace: string; message: string; askable: boolean };

    /** Attempts from `firstAttempt` on (numbers continue after a retry, so trace folders stay apart). */
    async function attempts(firstAttempt: number): Promise<AttemptsEnd> {
      const settled = (outcome: Promise<TaskOutcome>): AttemptsEnd => ({ kind: "outcome", outcome });
      const failed = (attempt: number, trace: string, message: string, askable = true): AttemptsEnd => ({ kind: "failed", attempt, trace, message, askable });
      let messages = p.messages;
      let kind: "implement" | "fix" | "re-ask" = "implement";
      let reasked = false;
      let fixes = 0;
      let previousFingerprint: string | undefined;
      let previousFiles: Map<string, string> | undefined;
      // Without overlap the task keeps the model slot from its generation through
      // its verify into its fix, so the fix finds its prompt still in Ollama's cache.
      let heldSlot: (() => void) | undefined;
      try {
        for (let attempt = firstAttempt; ; attempt++) {
          const tracePath = taskAttemptPath(task.id, attempt);
          const traceShown = relative(input.root, input.trace.path(tracePath));
          // Events follow the slot: a task waiting for the model has not started yet.
          const rank = kind === "implement" ? FIRST_ATTEMPT_RANK + (planIndex.get(task.id) ?? 0) : attempt;
          let release = heldSlot ?? (ticket?.take() ? await ticket.slot : await slots.acquire(rank));
          heldSlot = undefined;
          if (!started && control) {
            // Pausing starts nothing new: a task that was waiting for the model has not started yet.
            while (control.paused() && !input.signal.aborted) {
              release();
              await control.waitWhilePaused(input.signal);
              release = await slots.acquire(rank);
            }
            if (control.skipped(task.id)) {
              release();
              return settled(Promise.resolve(skipInRun(task.id)));
            }
          }
          announce();
          input.onEvent({ type: "attempt-started", id: task.id, attempt, kind, trace: traceShown });
          let reply;
          try {
            summary.modelCalls++;
            reply = await model!.call({ caller: task.id, messages, recorder: input.trace.recorder(tracePath), signal });
          } finally {
            if (input.overlapVerify === false) heldSlot = release;
            else release();
          }
          if (skip.signal.aborted && !input.signal.aborted) return settled(skippedWhileRunning(attempt, traceShown));
          let text: string;
          let doneReason: string | undefined;
          if (reply.ok) {
            metrics.push(reply.value.metrics);
            text = reply.value.content;
            doneReason = reply.value.doneReason;
          } else if (reply.error.kind === "output-truncated") {
            text = reply.error.reply;
            doneReason = "length";
          } else {
            if (reply.error.kind === "aborted" || input.signal.aborted) return settled(finish("interrupted", attempt, traceShown, "interrupted"));
            if (isModelUnavailable(reply.error)) {
              stopAll = true;
              summary.modelUnavailable = reply.error.message;
            }
            return failed(attempt, traceShown, `${reply.error.message} — ${reply.error.hint}`, !stopAll);
          }

          const parsed = parseReply({ reply: text, expected: p.expected, ...(doneReason !== undefined ? { doneReason } : {}) });
          if (!parsed.ok) {
            input.onEvent({ type: "reply-malformed", id: task.id, attempt, problem: parsed.problem });
            if (reasked) return failed(attempt, traceShown, `the reply was malformed twice: ${parsed.problem}`);
            reasked = true;
            kind = "re-ask";
            messages = input.messages.reask(messages, text, parsed.problem);
            continue;
          }

          const files: FileToWrite[] = parsed.files.map((f) => ({ path: f.path, content: f.content }));
          let written = await safeWrite({
            outputDir: input.outputDir,
            layout: input.layout,
            files,
            outputs: task.outputs,
            edits: task.edits,
            lastWritten: lastWrittenHashes(state),
            force: input.force,
            stagingId: `${task.id}-${attempt}`,
          });
          if (!written.ok && written.kind === "conflict") {
            const answer = await input.decide({ kind: "overwrite-hand-edit", task: task.id, files: written.conflicts.map((c) => ({ path: c.path, message: c.message })) });
            if (answer.kind === "overwrite-hand-edit" && answer.overwrite) {
              written = await safeWrite({ outputDir: input.outputDir, layout: input.layout, files, outputs: task.outputs, edits: task.edits, lastWritten: lastWrittenHashes(state), force: true, stagingId: `${task.id}-${attempt}-force` });
            } else {
              // The person just said no: asking whether to retry would only ask again.
              return failed(
                attempt,
                traceShown,
                `${written.conflicts.map((c) => c.path).join(", ")} changed by hand since specwright wrote ${written.conflicts.length === 1 ? "it" : "them"}; not overwritten (rerun with --force to overwrite, or set the task's status to "manual")`,
                false,
              );
            }
          }
          if (!written.ok) return failed(attempt, traceShown, written.message, false);
          if (written.written.length > 0) rebuilt.add(task.id);
          const record: TaskRecord = taskRecord(state, task.id) ?? { status: "written", outputs: {} };
          setTaskRecord(state, task.id, { ...record, status: "written", outputs: { ...record.outputs, ...written.hashes }, trace: traceShown });
          await save();
          input.onEvent(filesWrittenEvent(task.id, attempt, written));

          if (parsed.missing.length > 0) {
            return failed(attempt, traceShown, `the reply did not include ${parsed.missing.join(", ")}; the task declares ${parsed.missing.length === 1 ? "it" : "them"}`);
          }
          const current = new Map(parsed.files.map((f) => [f.path, f.content]));
          if (previousFiles && [...current].every(([path, content]) => previousFiles!.get(path) === content)) {
            return failed(attempt, traceShown, "the fix attempt changed nothing; stopping the fix loop");
          }
          previousFiles = current;

          const verify = await runVerify(task.verify, {
            cwd: input.outputDir,
            timeoutMs: input.verifyTimeoutMs,
            signal,
            onCommandStart: (command) => input.onEvent({ type: "verify-started", id: task.id, attempt, command }),
            onOutput: (chunk, command) => input.onEvent({ type: "verify-output", id: task.id, attempt, command, chunk }),
          });
          summary.verifyRuns += verify.results.length;
          await writeFile(input.trace.path(join(tracePath, "verify.log")), input.trace.redact(formatVerifyLog(verify, input.outputDir)));
          for (const result of verify.results) input.onEvent({ type: "verify-finished", id: task.id, attempt, result });
          if (skip.signal.aborted && !input.signal.aborted) return settled(skippedWhileRunning(attempt, traceShown));
          if (verify.aborted || input.signal.aborted) return settled(finish("interrupted", attempt, traceShown, "interrupted during verify"));
          if (verify.ok) {
            const outputs = { ...record.outputs, ...written.hashes };
            const built = p.keyFor(model!.facts.digest ?? "");
            const done: TaskRecord = { status: "done", key: built.key, components: built.components, outputs, builtAt: new Date().toISOString(), attempts: attempt, trace: traceShown, model: model!.model };
            await commitFiles(task, Object.keys(written.hashes), traceShown, done);
            setTaskRecord(state, task.id, done);
            await save();
            return settled(finish("done", attempt, traceShown));
          }

          const failedCommand = verify.results.at(-1)!;
          const failure = classifyVerifyFailure(failedCommand);
          if (failure.kind === "command") {
            return failed(attempt, traceShown, `verify command \`${failedCommand.command}\` failed on its own (${failure.reason}): a plan problem, not a code problem — fix it in plan.toml`, false);
          }
          const reason = failure.kind === "timeout" ? `\`${failedCommand.command}\` timed out` : `\`${failedCommand.command}\` failed (${failedCommand.exitCode === null ? failedCommand.signal : `exit ${failedCommand.exitCode}`})`;
          input.onEvent({ type: "attempt-failed", id: task.id, attempt, reason });
          const fingerprint = errorFingerprint(failedCommand);
          if (fingerprint === previousFingerprint) return failed(attempt, traceShown, `${reason}, with the same error as the previous attempt; stopping the fix loop`);
          previousFingerprint = fingerprint;
          if (fixes >= input.maxFixAttempts) return failed(attempt, traceShown, `${reason}; no fix attempts left (max_fix_attempts = ${input.maxFixAttempts})`);
          fixes++;
          kind = "fix";
          messages = input.messages.fix(messages, text, { command: failedCommand.command, output: failedCommand.output, attempt });
        }
      } finally {
        heldSlot?.();
      }
    }
  }

  /** Commits a finished task's files (when git is on) and notes the commit in its record. */
  async function commitFiles(task: Task, files: string[], trace: string, done: TaskRecord): Promise<void> {
    if (!input.committer) return;
    const committed = await input.committer.commit(task, files, trace);
    if (committed.ok && committed.sha) {
      done.commit = committed.sha;
      input.onEvent({ type: "committed", id: task.id, sha: committed.sha });
    } else if (!committed.ok) input.onEvent({ type: "notice", message: `${task.id}: not committed: ${committed.message}` });
  }

  /** A copy task: its files are copied from the project (copy-task.ts), then verified and committed like a built task. */
  async function copyOnly(
    task: Task,
    p: PreparedTask,
    finish: (r: TaskOutcome, attempts: number, trace: string | undefined, message?: string) => Promise<TaskOutcome>,
    announce: () => void,
  ): Promise<TaskOutcome> {
    announce();
    const copy = (force: boolean) =>
      copyProjectFiles({ root: input.root, outputDir: input.outputDir, layout: input.layout, task, lastWritten: lastWrittenHashes(state), force, stagingId: `${task.id}-copy${force ? "-force" : ""}` });
    let written = await copy(input.force);
    if (!written.ok && written.kind === "conflict") {
      const answer = await input.decide({ kind: "overwrite-hand-edit", task: task.id, files: written.conflicts.map((c) => ({ path: c.path, message: c.message })) });
      if (!(answer.kind === "overwrite-hand-edit" && answer.overwrite)) {
        return finish("failed", 0, undefined, `${written.conflicts.map((c) => c.path).join(", ")} changed by hand; not overwritten (rerun with --force to overwrite)`);
      }
      written = await copy(true);
    }
    if (!written.ok) return finish("failed", 0, undefined, written.message);
    if (written.written.length > 0) rebuilt.add(task.id);
    const record: TaskRecord = taskRecord(state, task.id) ?? { status: "written", outputs: {} };
    setTaskRecord(state, task.id, { ...record, status: "written", outputs: { ...record.outputs, ...written.hashes } });
    await save();
    input.onEvent(filesWrittenEvent(task.id, 1, written));
    return verifyOnly(task, p, finish, true);
  }

  /** A manual task: a person writes the files; specwright only runs its verify commands. `commit`: commit the files (a copy task's). */
  async function verifyOnly(
    task: Task,
    p: PreparedTask,
    finish: (r: TaskOutcome, attempts: number, trace: string | undefined, message?: string) => Promise<TaskOutcome>,
    commit = false,
  ): Promise<TaskOutcome> {
    const tracePath = taskAttemptPath(task.id, 1);
    const traceShown = relative(input.root, input.trace.path(tracePath));
    await mkdir(input.trace.path(tracePath), { recursive: true });
    const missing: string[] = [];
    const outputs: Record<string, string> = {};
    for (const path of [...task.outputs, ...task.edits]) {
      const h = await hashFile(join(input.outputDir, path));
      if (h === undefined) missing.push(path);
      else outputs[path] = h;
    }
    if (missing.length > 0) return finish("failed", 0, traceShown, `manual task: write ${missing.join(", ")} yourself, then build again`);
    const verify = await runVerify(task.verify, {
      cwd: input.outputDir,
      timeoutMs: input.verifyTimeoutMs,
      signal: input.signal,
      onCommandStart: (command) => input.onEvent({ type: "verify-started", id: task.id, attempt: 1, command }),
      onOutput: (chunk, command) => input.onEvent({ type: "verify-output", id: task.id, attempt: 1, command, chunk }),
    });
    summary.verifyRuns += verify.results.length;
    await writeFile(input.trace.path(join(tracePath, "verify.log")), input.trace.redact(formatVerifyLog(verify, input.outputDir)));
    for (const result of verify.results) input.onEvent({ type: "verify-finished", id: task.id, attempt: 1, result });
    if (input.signal.aborted) return finish("interrupted", 1, traceShown, "interrupted during verify");
    if (!verify.ok) return finish("failed", 1, traceShown, `manual task: \`${verify.results.at(-1)!.command}\` failed; fix the files by hand`);
    rebuilt.add(task.id);
    const done: TaskRecord = { status: "done", key: p.key, components: p.components, outputs, builtAt: new Date().toISOString(), attempts: 1, trace: traceShown };
    if (commit) await commitFiles(task, Object.keys(outputs), traceShown, done);
    setTaskRecord(state, task.id, done);
    await save();
    return finish("done", 1, traceShown);
  }
}
