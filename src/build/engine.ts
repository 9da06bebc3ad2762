// The build engine: runs the plan's tasks in dependency order against the
// model, writes their files safely, proves them with verify commands, and
// loops on failures within bounds. Up to `build.parallel` model calls run at
// once (over all endpoints); a task's verify runs while the next independent task generates.
// Up-to-date decisions come from task keys and output hashes on disk, so an
// interrupted build never leaves a stale dependent. Emits events; asks
// questions through `decide`; never prints. An optional BuildControl lets a
// person pause, skip and retry (the TUI); without one nothing ever waits.
//
// The rooms: this file plans the run and schedules tasks over the graph;
// task-runner.ts takes one task to its outcome; attempt-loop.ts is the fix
// loop and its stop rules; model-slots.ts decides who calls the model next,
// and where (endpoint-pool.ts holds the endpoints);
// build-run.ts keeps the summary, the state and the event stream.

import { modelFault } from "../../models/errors.js";
import { buildTaskGraph, selectTasks, topologicalOrder } from "../../plans/graph.js";
import type { BuildEngineInput, BuildOutcome, OutputCommitter, PreparedTask } from "./build-input.js";
import { conversationTokens } from "./attempt-messages.js";
import { BuildRun } from "./build-run.js";
import { dependencyOutputs, setTaskRecord, taskRecord } from "./build-state.js";
import { onlyCommitPending } from "./freshness.js";
import type { EndpointPool } from "./endpoint-pool.js";
import { SlotTicket, firstAttemptRank } from "./model-slots.js";
import { recoverStagedWrites } from "./safe-write.js";
import type { ReviewSettings } from "./review-step.js";
import { TaskRunner, buildReasons } from "./task-runner.js";
import type { TaskPlanState } from "./task-state.js";

export async function runBuild(input: BuildEngineInput): Promise<BuildOutcome> {
  const { plan, state } = input;
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const graph = buildTaskGraph(plan.tasks);
  const order = topologicalOrder(graph);
  if (!order.ok) throw new Error(`plan has a cycle (${order.cycle.join(" -> ")}); plan validation should have stopped the build`);
  const selection = selectTasks(graph, input.selection);
  if (!selection.ok) throw new Error("task selection was not validated by the caller");

  await recoverStagedFiles(input);
  const { planned, prepared } = await planTasks(input, order.order, new Set(selection.ids));

  // What the run needs before it may start, checked before it writes anything:
  // the model (only when a task needs it), then the output repository.
  const toBuild = [...planned.entries()].filter(([, s]) => s.kind === "pending").map(([id]) => id);
  // Copy tasks, and tasks whose files were verified and only need their commit, ask nothing of the model.
  const toGenerate = toBuild.filter((id) => {
    const s = planned.get(id)!;
    return byId.get(id)!.copy.length === 0 && !(s.kind === "pending" && onlyCommitPending(taskRecord(state, id), s.reasons));
  });
  let pool: EndpointPool | undefined;
  if (toGenerate.length > 0) {
    // Sized for the conversations the tasks will send, not just their first prompts (attempt-messages.ts).
    const largest = Math.max(...toGenerate.map((id) => prepared.get(id)!.estimatedTokens));
    const opened = await input.openModel(conversationTokens(largest, input.outputBudget, input.messages.fixRequestTokens));
    if (!opened.ok) return { started: false, reason: "model", fault: modelFault(opened.error), message: opened.error.message, hint: opened.error.hint };
    pool = opened.pool;
    pool.limit(input.parallel);
  }
  const review: ReviewSettings | undefined = pool && input.review ? { maxAttempts: input.review.maxAttempts, maxOutputTokens: input.review.maxOutputTokens } : undefined;
  let committer: OutputCommitter | undefined;
  if (toBuild.length > 0 && input.openCommitter) {
    const opened = await input.openCommitter();
    if (!opened.ok) return { started: false, reason: "output-repository", message: opened.message, ...(opened.hint !== undefined ? { hint: opened.hint } : {}) };
    committer = opened.committer;
  }

  const trace = await input.openTrace();
  const run = new BuildRun({
    root: input.root,
    outputDir: input.outputDir,
    layout: input.layout,
    state,
    trace,
    verifyTimeoutMs: input.verifyTimeoutMs,
    ...(input.cases ? { cases: input.cases } : {}),
    onEvent: input.onEvent,
    saveState: input.saveState,
  });
  run.emit({ type: "build-started", runId: trace.id, tasks: order.order.map((id) => ({ id, title: byId.get(id)!.title, state: planned.get(id)! })) });
  for (const e of pool?.unusable ?? []) run.emit({ type: "endpoint-down", endpoint: e.label, reason: e.reason, left: pool!.upCount() });

  const freshBuild = !Object.keys(state.tasks).some((id) => taskRecord(state, id)?.status === "done");
  if (freshBuild && input.setup.length > 0 && toBuild.length > 0) {
    const setup = await run.setup(input.setup, input.signal);
    if (!setup.ok) {
      run.summary.blocked.push(...toBuild);
      return { started: true, summary: run.report() };
    }
  }

  const runner = new TaskRunner({ run, engine: input, pool, review, committer, planned, prepared });
  await schedule(input, run, runner, pool, order.order, planned);
  for (const id of order.order) {
    if (run.outcomes.has(id) || planned.get(id)!.kind === "not-selected") continue;
    // A task the stop kept from starting that needed nothing is up to date, not interrupted.
    if (planned.get(id)!.kind === "up-to-date" && (await runner.upToDateNow(byId.get(id)!))) run.outcomes.set(id, run.upToDate(id));
    else run.summary.interrupted.push(id);
  }
  if (pool?.several) run.summary.endpoints = pool.report();
  return { started: true, summary: await run.end() };
}

/** A crash between moving staged files into place and recording them: finish the set, record the hashes. */
async function recoverStagedFiles(input: BuildEngineInput): Promise<void> {
  const { plan, state } = input;
  const recovery = await recoverStagedWrites(input.outputDir);
  if (recovery.refused !== undefined) input.onEvent({ type: "notice", message: recovery.refused });
  if (recovery.completed.length === 0) return;
  for (const { path, sha256 } of recovery.completed) {
    const owner = plan.tasks.find((t) => t.outputs.includes(path) || t.edits.includes(path));
    if (!owner) continue;
    const record = taskRecord(state, owner.id) ?? { status: "written", outputs: {} };
    record.outputs[path] = sha256;
    setTaskRecord(state, owner.id, record);
  }
  input.onEvent({ type: "notice", message: `finished ${recovery.completed.length} file write(s) an interrupted build left staged` });
  await input.saveState(state);
}

/**
 * Decides each task against what is on disk now, and prepares the prompts of
 * those that may build. Tasks whose dependencies will be rebuilt are decided
 * again when their turn comes (task-runner.ts).
 */
async function planTasks(input: BuildEngineInput, order: readonly string[], selected: ReadonlySet<string>) {
  const byId = new Map(input.plan.tasks.map((t) => [t.id, t]));
  const planned = new Map<string, TaskPlanState>();
  const prepared = new Map<string, PreparedTask>();
  for (const id of order) {
    const task = byId.get(id)!;
    if (!selected.has(id)) planned.set(id, { kind: "not-selected" });
    else if (task.status === "skip") planned.set(id, { kind: "skipped" });
    else {
      const p = await input.prepare(task, dependencyOutputs(input.state, task));
      prepared.set(id, p);
      const reasons = await buildReasons(task, p, input.state, input.outputDir, input.force);
      planned.set(id, reasons.length === 0 ? { kind: "up-to-date" } : task.status === "manual" ? { kind: "manual" } : { kind: "pending", reasons });
    }
  }
  return { planned, prepared };
}

/**
 * Starts each task once its dependencies are settled, in plan order, until
 * nothing more can start: a task behind an unfinished dependency is blocked;
 * after Ctrl-C or a lost model nothing new starts; a pause waits for the person.
 */
async function schedule(input: BuildEngineInput, run: BuildRun, runner: TaskRunner, pool: EndpointPool | undefined, order: readonly string[], planned: ReadonlyMap<string, TaskPlanState>): Promise<void> {
  const byId = new Map(input.plan.tasks.map((t) => [t.id, t]));
  const planIndex = new Map(input.plan.tasks.map((t, i) => [t.id, i]));
  const running = new Map<string, Promise<void>>();
  const control = input.control;
  for (;;) {
    for (const id of order) {
      if (run.outcomes.has(id) || running.has(id)) continue;
      const task = byId.get(id)!;
      const decision = planned.get(id)!;
      if (decision.kind === "not-selected" || decision.kind === "skipped") {
        run.outcomes.set(id, decision.kind);
        if (decision.kind === "skipped") run.summary.skipped.push(id);
        continue;
      }
      const blocked = run.blockReason(task);
      if (blocked !== undefined) {
        // Up to date is up to date: a dependency that failed without changing its files leaves this task as it was built.
        run.outcomes.set(id, (await runner.upToDateNow(task)) ? run.upToDate(id) : run.settleUnstarted(id, "blocked", blocked));
        continue;
      }
      if (run.stopped || input.signal.aborted) continue;
      if (control?.skipped(id)) {
        run.outcomes.set(id, run.settleUnstarted(id, "skipped", "skipped in this run"));
        continue;
      }
      if (!task.dependsOn.every((d) => run.outcomes.has(d))) continue;
      if (control?.paused()) continue;
      // The model slot is reserved now, while tasks start in plan order; a task
      // that turns out up to date (or manual) hands it back unused.
      // Manual and copy tasks never call the model: no slot for them.
      // The slot also places the task: the endpoint it comes from serves all of the task's calls.
      const placement = task.status === "manual" || task.copy.length > 0 ? undefined : pool?.placement();
      const ticket = placement && new SlotTicket(placement.acquire(firstAttemptRank(planIndex.get(id) ?? 0)));
      running.set(
        id,
        runner
          .run(task, ticket, placement)
          .finally(() => {
            ticket?.drop();
            placement?.leave();
          })
          .then((outcome) => {
            run.outcomes.set(id, outcome);
            running.delete(id);
          }),
      );
    }
    if (running.size === 0) {
      // Paused with nothing working: wait for the person, then schedule again.
      if (control?.paused() && !run.stopped && !input.signal.aborted && order.some((id) => !run.outcomes.has(id))) {
        await control.waitWhilePaused(input.signal);
        continue;
      }
      return;
    }
    await Promise.race(running.values());
  }
}
