// `specwright compare`: the plan (or some tasks of it) built once per model and
// run, each into its own scratch folder under .specwright/compare/<id>/, with
// the same prompts, verify commands, verification cases and fix budget. The
// build engine runs unchanged; only where it writes differs: a scratch output
// dir with its own git repository, a scratch state.json and trace folder, so
// the project's output/, state.json, case records, intent log and git history
// are never touched. Models run one after another on the configured endpoint
// (each one a model load). The result is saved after every settled task, so
// Ctrl-C loses at most the task in flight: a rerun with the same id keeps the
// finished runs and the tasks already settled, and goes on from there.
//
// With [[model.endpoints]], one model's run spreads its tasks over the
// endpoints that serve it, like a build does. When every compared model has
// endpoints of its own (compare-placement.ts), the models run side by side:
// one lane per model, each restricted to its own endpoints, all at once; the
// shared result document is written by one ResultSaver, one write at a time.
// `build.parallel` is the machine's and its servers' capacity, not one run's:
// every run's pool shares one CallLimit, so side by side the models together
// have at most that many model calls out at once.

import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { modelFault, type ModelFault } from "../../models/errors.js";
import { parseOllamaHost, redactHostCredentials } from "../../models/host.js";
import { findInstalled, listInstalledModels, type InstalledModel } from "../../models/model-facts.js";
import { buildTaskGraph, descendantsOf, ancestorsOf } from "../../plans/graph.js";
import type { Plan, Task } from "../../plans/plan.js";
import type { BuildEvent, BuildSummary } from "../build/build-events.js";
import { runBuild } from "../build/engine.js";
import { CallLimit } from "../build/model-slots.js";
import { engineSettings, openBuildModels } from "../build/run-project-build.js";
import type { BuildContext } from "../build/load-build-context.js";
import { taskMessages, taskPreparer } from "../build/prepare-task.js";
import { casesKeyPart } from "../build/cases-step.js";
import { roleModel, type LoadedConfig, type SpecwrightConfig } from "../config/types.js";
import { ModelSession } from "../model-session.js";
import { lockRunScope } from "../run-scope.js";
import { emptyState, readState, writeState } from "../state/state-file.js";
import { Redactor, redactValue, secretsFromEnv } from "../traces/redact.js";
import { redactModelEvents } from "../traces/redact-model-events.js";
import { TraceRun } from "../traces/trace-run.js";
import { safeSegment } from "../traces/layout.js";
import type { ModelEvent } from "../../models/events.js";
import { estimateCompare, sideBySideWallMs, type CompareEstimate, type TaskSize } from "./compare-estimate.js";
import { compareDir, modelFolders, readCompareResult, writeCompareResult } from "./compare-folder.js";
import { COMPARE_SCHEMA, compareFinished, type CompareDocument, type CompareModel, type CompareRun, type CompareTaskRecord } from "./compare-result.js";
import { scratchCommitter } from "./scratch-committer.js";
import { endpointFacts, placeModels, type ComparePlacement } from "./compare-placement.js";
import type { EndpointConfig } from "../config/types.js";

export interface CompareInput {
  loaded: LoadedConfig;
  context: BuildContext;
  models: readonly string[];
  /** Task ids to compare on (with what they depend on); empty: the whole plan. */
  only: readonly string[];
  runs: number;
  /** A name for the comparison; default: one made from the models and the inputs, so the same command resumes. */
  id?: string;
  env: NodeJS.ProcessEnv;
  onProgress(event: CompareProgress): void;
  /** Stops the comparison like Ctrl-C (the TUI). */
  signal?: AbortSignal;
}

export type CompareProgress =
  | {
      type: "starting";
      id: string;
      dir: string;
      resumed: boolean;
      doc: CompareDocument;
      estimate: CompareEstimate;
      pendingRuns: number;
      placement: ComparePlacement;
      estimatedWallMs?: number;
      /** Side by side, when build.parallel allows fewer model calls at once than the lanes' endpoints have slots. */
      callLimit?: number;
    }
  | { type: "run-started"; model: string; run: number; runs: number; seed: number; resumedTasks: number }
  /** `sideBySide`: other models' lines come in between, so each line names its model. */
  | { type: "build"; model: string; run: number; event: BuildEvent; sideBySide?: true }
  | { type: "run-finished"; model: string; run: number; status: CompareRun["status"]; message?: string }
  | { type: "notice"; message: string };

export type CompareOutcome =
  | { ok: true; doc: CompareDocument; dir: string; interrupted: boolean; modelUnavailable?: string; couldNotStart: string[] }
  | { ok: false; kind: "usage" | "failure"; message: string; hint: string }
  | { ok: false; kind: "model"; fault: ModelFault; message: string; hint: string };

/** The seed of run k: the configured seed (or 1) counting up, so K runs differ and a rerun repeats them. */
export function runSeed(config: SpecwrightConfig, run: number): number {
  return (config.model.seed ?? 1) + run - 1;
}

/**
 * The config a model's run builds with: that model for the build role, the
 * run's seed; everything else as configured. The judge (reviewer role) stays
 * the configured one, so every model is judged by the same reviewer.
 */
export function compareConfig(config: SpecwrightConfig, model: string, seed: number): SpecwrightConfig {
  const build = roleModel(config, "build");
  return {
    ...config,
    model: {
      ...config.model,
      seed,
      roles: { ...config.model.roles, build: { model, think: build.think }, reviewer: roleModel(config, "reviewer") },
    },
  };
}

/** The plan a comparison builds: the selected tasks and everything they depend on, in plan order. */
export function comparedPlan(plan: Plan, only: readonly string[]): Plan {
  if (only.length === 0) return plan;
  const graph = buildTaskGraph(plan.tasks);
  const keep = new Set<string>();
  for (const id of only) {
    keep.add(id);
    for (const a of ancestorsOf(graph, id)) keep.add(a);
  }
  return { tasks: plan.tasks.filter((t) => keep.has(t.id)) };
}

export async function runCompare(input: CompareInput): Promise<CompareOutcome> {
  const { loaded, context, env } = input;
  const { root, config } = loaded;
  const redactor = new Redactor(secretsFromEnv(env));
  const progress = (event: CompareProgress) => input.onProgress(redactValue(redactor, event));
  const plan = comparedPlan(context.plan, input.only);
  const sizes = await firstPrompts(input.loaded, input.context, plan);
  const hash = inputsHash(plan, sizes.material, config);
  const id = input.id ?? defaultId(input.models, input.only, input.runs, hash);
  const dir = compareDir(root, id);

  const host = parseOllamaHost(config.model.host);
  const locked = await lockRunScope({
    root,
    command: "compare",
    config,
    env,
    info: { compare: id },
    ...(input.signal ? { signal: input.signal } : {}),
    onInterrupt: (message) => progress({ type: "notice", message }),
  });
  if (!locked.ok) return { ok: false, kind: "failure", message: locked.message, hint: locked.hint };
  const scope = locked.scope;
  if (locked.notice) progress({ type: "notice", message: locked.notice });
  try {
    const previous = await readCompareResult(dir);
    if (previous.kind === "unreadable") return { ok: false, kind: "failure", message: previous.message, hint: `move it away to start comparison ${id} again, or give another --id` };
    // With [[model.endpoints]] each model run spreads its tasks over the endpoints that serve it,
    // as a build does; each Ollama endpoint is asked what it has, which decides side by side.
    const endpoints = config.model.endpoints;
    let installed: InstalledModel[] = [];
    let placement: ComparePlacement = { kind: "one-after-another", why: "one endpoint" };
    if (endpoints.length > 0) {
      const facts = await endpointFacts(endpoints, scope.signal);
      // The first endpoint that has a model names its digest and size (for the record and the estimate).
      installed = facts.flatMap((f) => f ?? []);
      placement = placeModels(input.models, endpoints, facts, config.build.review ? roleModel(config, "reviewer").model : undefined);
    }
    if (endpoints.length === 0) {
      const listed = await listInstalledModels(host, scope.signal);
      if (!listed.ok) return { ok: false, kind: "model", fault: modelFault(listed.error), message: listed.error.message, hint: listed.error.hint };
      installed = listed.value;
      const missing = input.models.filter((m) => !findInstalled(installed, m));
      if (missing.length > 0) {
        return {
          ok: false,
          kind: "model",
          fault: "unavailable",
          message: `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not installed on ${host.url}`,
          hint: missing.map((m) => `ollama pull ${m}`).join(" && "),
        };
      }
    }
    const where = endpoints.length === 0 ? host.url : endpoints.map((e) => redactHostCredentials(e.url)).join(", ");
    const fresh = newDocument(id, where, hash, plan, input, config, installed);
    let doc: CompareDocument;
    if (previous.kind === "read") {
      const mismatch = sameComparison(previous.doc, fresh);
      if (mismatch !== undefined) {
        return { ok: false, kind: "usage", message: `comparison ${id} was made ${mismatch}`, hint: "give another --id, or leave --id out to name the comparison after its models and inputs" };
      }
      doc = previous.doc;
    } else doc = fresh;
    if (placement.kind === "side-by-side") doc.sideBySide = placement.lanes.map((l) => ({ model: l.model, endpoints: l.labels }));
    else delete doc.sideBySide;
    await mkdir(dir, { recursive: true });
    await writeCompareResult(dir, doc);

    const pending = doc.models.flatMap((m) => m.runs.filter((r) => r.status !== "done").map(() => m));
    const estimate = estimateCompare(sizes.tasks, doc.models.map((m) => ({ model: m.model, ...(m.sizeBytes !== undefined ? { sizeBytes: m.sizeBytes } : {}) })), 1);
    // The wall time to go: side by side the longest lane (longer when build.parallel makes the lanes
    // take turns), else the sum of every pending run.
    const laneMs = doc.models.map((m, i) => (estimate.models[i]?.ms === undefined ? undefined : estimate.models[i]!.ms! * m.runs.filter((r) => r.status !== "done").length));
    // Unset, build.parallel is every endpoint's slots added up (config/load.ts): then it limits nothing
    // the lanes' own slots do not.
    const laneSlots = placement.kind === "side-by-side" ? placement.lanes.reduce((n, l) => n + l.endpoints.reduce((k, e) => k + e.slots, 0), 0) : 0;
    const callLimit = config.build.parallel < laneSlots ? { callLimit: config.build.parallel } : {};
    const estimatedWallMs = laneMs.some((ms) => ms === undefined) ? undefined : placement.kind === "side-by-side" ? sideBySideWallMs(laneMs as number[], callLimit.callLimit) : (laneMs as number[]).reduce((s, ms) => s + ms, 0);
    progress({ type: "starting", id, dir: relative(root, dir), resumed: previous.kind === "read", doc, estimate, pendingRuns: pending.length, placement, ...(estimatedWallMs !== undefined ? { estimatedWallMs } : {}), ...callLimit });

    const saver = new ResultSaver(dir, doc);
    const calls = new CallLimit(config.build.parallel);
    const couldNotStart: string[] = [];
    // Servers that went away: one after another that stops everything; side by side only that model's lane.
    const unavailable: string[] = [];
    // One lane: a model's pending runs in turn (on its own endpoints when given); "unavailable" ends the lane.
    const lane = async (models: readonly CompareModel[], own?: EndpointConfig[]): Promise<void> => {
      for (const m of models) {
        for (const run of m.runs) {
          // A run that could not start (git missing, a model that cannot chat) is tried again: it did no work.
          if (run.status === "done") continue;
          if (scope.signal.aborted || (own === undefined && unavailable.length > 0)) return;
          const ended = await runModel({ input, plan, model: m, run, dir, root, signal: scope.signal, saver, calls, progress, ...(own ? { endpoints: own } : {}) });
          if (ended.kind === "unavailable") {
            unavailable.push(own === undefined ? ended.message : `${m.model}'s endpoint: ${ended.message}`);
            return;
          }
          if (ended.kind === "could-not-start") couldNotStart.push(`${m.model}: ${ended.message}`);
        }
      }
    };
    if (placement.kind === "side-by-side") {
      const lanes = placement.lanes;
      await Promise.all(doc.models.map((m) => lane([m], lanes.find((l) => l.model === m.model)!.endpoints)));
    } else await lane(doc.models);
    await saver.flush();
    const interrupted = scope.signal.aborted && !compareFinished(doc);
    return { ok: true, doc, dir, interrupted, ...(unavailable.length > 0 ? { modelUnavailable: unavailable.join("; ") } : {}), couldNotStart };
  } finally {
    await scope.release();
  }
}

interface ModelRunInput {
  input: CompareInput;
  plan: Plan;
  model: CompareModel;
  run: CompareRun;
  dir: string;
  root: string;
  signal: AbortSignal;
  saver: ResultSaver;
  /** build.parallel over the whole comparison: every run's pool counts its calls against it. */
  calls: CallLimit;
  progress(event: CompareProgress): void;
  /** Side by side: the endpoints this model's run is restricted to. */
  endpoints?: EndpointConfig[];
}

type ModelRunEnd = { kind: "done" | "interrupted" } | { kind: "could-not-start" | "unavailable"; message: string };

/** One model's run (or the rest of it) on one endpoint, into its scratch folder. */
async function runModel(m: ModelRunInput): Promise<ModelRunEnd> {
  const { input, model, run, root } = m;
  const compared = compareConfig(input.loaded.config, model.model, run.seed);
  const config = m.endpoints ? { ...compared, model: { ...compared.model, endpoints: m.endpoints } } : compared;
  const runDir = join(root, run.dir);
  const outputDir = join(runDir, "output");
  const stateLoad = await readState(runDir);
  // A scratch state that cannot be read is started over: the scratch folder is ours, not the person's.
  const state = stateLoad.ok ? stateLoad.state : emptyState();
  // A task the scratch state has but result.json never recorded (a kill -9 between the two saves, or
  // a commit Ctrl-C cut short) has no figures: it is built again, not passed over as up to date.
  for (const id of Object.keys(state.tasks)) if (run.tasks[id] === undefined) delete state.tasks[id];
  const plan = remainingPlan(m.plan, run);
  m.progress({ type: "run-started", model: model.model, run: run.run, runs: model.runs.length, seed: run.seed, resumedTasks: Object.keys(run.tasks).length });

  const segmentStart = Date.now();
  let lastSettledAt = segmentStart;
  let segmentModelMs = 0;
  let segmentVerifyMs = 0;
  const onModel = (event: ModelEvent) => {
    if (event.type === "model-loaded") {
      run.loads += 1;
      segmentModelMs += event.wallMs;
    } else if (event.type === "call-finished") segmentModelMs += event.metrics.wallMs;
  };
  // Tasks the server's loss stopped, and tasks blocked behind them, are not the model's failures:
  // like a task Ctrl-C stopped they are not recorded, and the rerun builds them.
  const graph = buildTaskGraph(plan.tasks);
  const lost = new Set<string>();
  const notTheModels = (event: Extract<BuildEvent, { type: "task-finished" }>) =>
    event.serverLost === true || (event.outcome === "blocked" && [...ancestorsOf(graph, event.id)].some((a) => lost.has(a)));
  const onEvent = (event: BuildEvent) => {
    if (event.type === "model") onModel(event.event);
    else if (event.type === "verify-finished") segmentVerifyMs += event.result.durationMs;
    else if (event.type === "setup-finished") segmentVerifyMs += event.results.reduce((s, r) => s + r.durationMs, 0);
    if (event.type === "task-finished" && notTheModels(event)) lost.add(event.id);
    else if (event.type === "task-finished" && (event.outcome === "done" || event.outcome === "failed" || event.outcome === "blocked")) {
      run.tasks[event.id] = taskRecordOf(event);
      lastSettledAt = Date.now();
      run.modelMs += segmentModelMs;
      run.verifyMs += segmentVerifyMs;
      segmentModelMs = 0;
      segmentVerifyMs = 0;
      m.saver.save();
    }
    m.progress({ type: "build", model: model.model, run: run.run, event, ...(m.endpoints ? { sideBySide: true as const } : {}) });
  };
  const session = new ModelSession(config, redactModelEvents(new Redactor(secretsFromEnv(input.env)), (event) => onEvent({ type: "model", id: "caller" in event ? event.caller : "-", event })), m.signal);
  let trace: TraceRun | undefined;
  const openModel = openBuildModels(session, config);
  const outcome = await runBuild({
    root: runDir,
    sourceRoot: root,
    outputDir,
    layout: input.context.layout,
    plan,
    state,
    selection: { kind: "all" },
    force: false,
    ...engineSettings(config),
    prepare: taskPreparer({ root, outputDir, config, plan, state, groups: input.context.groups, cases: input.context.cases }),
    cases: input.context.cases,
    messages: taskMessages,
    openModel: async (largestPromptTokens) => {
      const opened = await openModel(largestPromptTokens);
      if (opened.ok) opened.pool.share(m.calls);
      return opened;
    },
    ...(config.build.git ? { openCommitter: () => scratchCommitter(outputDir) } : {}),
    openTrace: async () => {
      const opened = await TraceRun.open({ projectRoot: runDir, command: "build", env: input.env, keepRuns: 0, info: { compare: relative(root, m.dir), model: model.model, run: run.run, seed: run.seed } });
      trace = opened.run;
      return trace;
    },
    signal: m.signal,
    onEvent,
    // The scratch folder is ours: a file changed there is overwritten; a failed task is not retried.
    decide: async (question) => (question.kind === "overwrite-hand-edit" ? { kind: "overwrite-hand-edit", overwrite: true } : { kind: "retry-failed", retry: false }),
    saveState: (s) => writeState(runDir, s),
  });
  const interrupted = m.signal.aborted;
  if (!outcome.started) {
    if (interrupted) return { kind: "interrupted" };
    const message = outcome.hint ? `${outcome.message} (${outcome.hint})` : outcome.message;
    // "Unavailable" is the server gone (stop everything) or this model unusable (an embedding
    // model cannot chat): the server still listing its models says which.
    // (With several endpoints the pool already tried each: none left is the servers gone.)
    const unavailable = outcome.reason === "model" && outcome.fault === "unavailable";
    const serverUp = !unavailable || (config.model.endpoints.length === 0 && (await listInstalledModels(parseOllamaHost(config.model.host), m.signal)).ok);
    if (!serverUp) {
      run.message = message;
      m.progress({ type: "run-finished", model: model.model, run: run.run, status: run.status, message });
      return { kind: "unavailable", message };
    }
    run.status = "could-not-start";
    run.message = message;
    await m.saver.flush();
    m.progress({ type: "run-finished", model: model.model, run: run.run, status: run.status, message });
    return { kind: "could-not-start", message };
  }
  const summary: BuildSummary = outcome.summary;
  await trace?.finish({ summary, models: await session.describe(), interrupted });
  if (trace) run.traceRuns.push(trace.id);
  blockBehindFailures(m.plan, run);
  if (interrupted || summary.modelUnavailable !== undefined) {
    run.wallMs += lastSettledAt - segmentStart;
    run.status = "partial";
    if (summary.modelUnavailable !== undefined) run.message = summary.modelUnavailable;
  } else {
    run.wallMs += Date.now() - segmentStart;
    run.modelMs += segmentModelMs;
    run.verifyMs += segmentVerifyMs;
    run.status = "done";
    delete run.message;
  }
  await m.saver.flush();
  m.progress({ type: "run-finished", model: model.model, run: run.run, status: run.status, ...(run.message !== undefined ? { message: run.message } : {}) });
  if (summary.modelUnavailable !== undefined && !interrupted) return { kind: "unavailable", message: summary.modelUnavailable };
  return { kind: interrupted ? "interrupted" : "done" };
}

/**
 * The plan for the rest of a run: tasks that failed or were blocked earlier
 * in the run are not tried again (skip), nor is anything behind them — a
 * resumed run must give no task a second chance the first segment did not.
 */
function remainingPlan(plan: Plan, run: CompareRun): Plan {
  const graph = buildTaskGraph(plan.tasks);
  const notAgain = new Set<string>();
  for (const [id, t] of Object.entries(run.tasks)) {
    if (t.outcome === "done") continue;
    notAgain.add(id);
    for (const d of descendantsOf(graph, id)) notAgain.add(d);
  }
  return { tasks: plan.tasks.map((t): Task => (notAgain.has(t.id) ? { ...t, status: "skip" } : t)) };
}

/** Tasks behind a failure that the engine never reached (skipped on resume) are recorded as blocked. */
function blockBehindFailures(plan: Plan, run: CompareRun): void {
  const graph = buildTaskGraph(plan.tasks);
  for (const [id, t] of Object.entries({ ...run.tasks })) {
    if (t.outcome === "done") continue;
    for (const d of descendantsOf(graph, id)) {
      run.tasks[d] ??= { outcome: "blocked", attempts: 0, promptTokens: 0, cachedPromptTokens: 0, evalTokens: 0, evalMs: 0, modelMs: 0, durationMs: 0, message: `needs ${id}, which did not finish` };
    }
  }
}

function taskRecordOf(event: Extract<BuildEvent, { type: "task-finished" }>): CompareTaskRecord {
  const sum = (pick: (m: (typeof event.metrics)[number]) => number | undefined) => event.metrics.reduce((s, m) => s + (pick(m) ?? 0), 0);
  return {
    outcome: event.outcome as CompareTaskRecord["outcome"],
    attempts: event.attempts,
    promptTokens: sum((m) => m.promptTokens ?? m.promptEvalCount),
    cachedPromptTokens: sum((m) => m.cachedPromptTokens),
    evalTokens: event.evalTokens,
    evalMs: event.evalMs,
    modelMs: sum((m) => m.wallMs),
    durationMs: event.durationMs,
    ...(event.message !== undefined ? { message: event.message } : {}),
  };
}

/** Saves result.json after every settled task, one write at a time, newest state last. */
class ResultSaver {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly dir: string,
    private readonly doc: CompareDocument,
  ) {}

  save(): void {
    this.chain = this.chain.then(() => {
      this.doc.updatedAt = new Date().toISOString();
      return writeCompareResult(this.dir, this.doc);
    });
  }

  flush(): Promise<void> {
    this.save();
    return this.chain;
  }
}

/** Every selected task's first prompt as a fresh scratch folder would send it: the inputs' hash and the estimate. */
export async function firstPrompts(loaded: LoadedConfig, context: BuildContext, plan: Plan): Promise<{ material: string[]; tasks: TaskSize[] }> {
  const state = emptyState();
  const prepare = taskPreparer({
    root: loaded.root,
    // No scratch folder yet: dependencies' files are absent, as in a fresh run's first prompts.
    outputDir: join(loaded.root, ".specwright", "compare", ".none"),
    config: loaded.config,
    plan,
    state,
    groups: context.groups,
    cases: context.cases,
  });
  const material: string[] = [];
  const tasks: TaskSize[] = [];
  for (const task of plan.tasks) {
    if (task.status === "skip") continue;
    const prepared = await prepare(task, {});
    material.push(JSON.stringify([task.id, prepared.messages, task.verify, prepared.expected, casesKeyPart(context.cases.get(task.id)) ?? null]));
    if (task.copy.length === 0 && task.status !== "manual") tasks.push({ promptTokens: prepared.estimatedTokens, files: prepared.expected.length });
  }
  return { material, tasks };
}

function inputsHash(plan: Plan, material: readonly string[], config: SpecwrightConfig): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(plan.tasks.map((t) => [t.id, t.dependsOn, t.outputs, t.edits, t.copy, t.status])));
  for (const m of material) h.update(m);
  const b = config.build;
  h.update(JSON.stringify([b.maxFixAttempts, b.review, b.maxReviewAttempts, b.setup, b.verify, b.maxOutputTokens, config.model.temperature, config.model.numCtx]));
  return h.digest("hex");
}

/** `qwen2.5-coder-7b-vs-llama3.1-8b-3f9a1c2e`: readable, and the same for the same command on the same inputs. */
function defaultId(models: readonly string[], only: readonly string[], runs: number, hash: string): string {
  const h = createHash("sha256").update(JSON.stringify([models, [...only].sort(), runs, hash])).digest("hex").slice(0, 8);
  return `${safeSegment(models.join("-vs-")).slice(0, 41).replace(/[.-]+$/, "")}-${h}`;
}

function newDocument(id: string, host: string, hash: string, plan: Plan, input: CompareInput, config: SpecwrightConfig, installed: readonly InstalledModel[]): CompareDocument {
  const now = new Date().toISOString();
  const folders = modelFolders(input.models);
  return {
    schema: COMPARE_SCHEMA,
    id,
    createdAt: now,
    updatedAt: now,
    host,
    inputs: {
      hash,
      tasks: plan.tasks.filter((t) => t.status !== "skip").map((t) => t.id),
      only: [...input.only],
      maxFixAttempts: config.build.maxFixAttempts,
      review: config.build.review,
      temperature: config.model.temperature,
      runs: input.runs,
    },
    models: input.models.map((model, i) => {
      const facts = findInstalled(installed, model);
      return {
        model,
        folder: folders[i]!,
        ...(facts?.digest ? { digest: facts.digest } : {}),
        ...(facts?.quantization ? { quantization: facts.quantization } : {}),
        ...(facts?.parameterSize ? { parameterSize: facts.parameterSize } : {}),
        ...(facts && facts.sizeBytes > 0 ? { sizeBytes: facts.sizeBytes } : {}),
        runs: Array.from({ length: input.runs }, (_, k): CompareRun => {
          const seed = runSeed(config, k + 1);
          return {
            run: k + 1,
            seed,
            status: "pending",
            dir: join(".specwright", "compare", id, folders[i]!, `run-${k + 1}`),
            wallMs: 0,
            modelMs: 0,
            verifyMs: 0,
            loads: 0,
            traceRuns: [],
            tasks: {},
          };
        }),
      };
    }),
  };
}

/** Why a saved comparison is not this one (other models, runs, inputs), or undefined when it is. */
function sameComparison(saved: CompareDocument, now: CompareDocument): string | undefined {
  const models = (d: CompareDocument) => d.models.map((m) => m.model).join(",");
  if (models(saved) !== models(now)) return `for other models (${models(saved)})`;
  if (saved.inputs.runs !== now.inputs.runs) return `with --runs ${saved.inputs.runs}`;
  if (saved.inputs.hash !== now.inputs.hash) return "on other inputs (the plan, specs, context or build settings changed since)";
  const digests = saved.models.filter((m, i) => m.digest !== undefined && now.models[i]!.digest !== undefined && m.digest !== now.models[i]!.digest);
  if (digests.length > 0) return `with another build of ${digests.map((m) => m.model).join(", ")} (re-pulled since)`;
  return undefined;
}
