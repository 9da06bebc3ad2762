// One build of a project, wired the same way for every consumer: the run lock
// and trace folder, the model session for the build role, the git committer,
// and the engine. `specwright build` and the TUI's build screen both call
// this; they differ only in how they show events and answer questions.

import { stat } from "node:fs/promises";
import type { ModelError, ModelFault } from "../../models/errors.js";
import type { TaskSelection } from "../../plans/graph.js";
import type { LoadedConfig, SpecwrightConfig } from "../config/types.js";
import { ModelSession, noEndpointCanServe, noEndpointListsModel, type EndpointRuns } from "../model-session.js";
import type { Role } from "../config/types.js";
import { EndpointPool, type BuildEndpoint, type UnusableEndpoint } from "./endpoint-pool.js";
import { lockRunScope, type RunScope } from "../run-scope.js";
import { readState, writeState } from "../state/state-file.js";
import { Redactor, redactValue, secretsFromEnv } from "../traces/redact.js";
import { redactModelEvents } from "../traces/redact-model-events.js";
import type { BuildControl } from "./build-control.js";
import type { BuildEngineInput } from "./build-input.js";
import type { BuildAnswer, BuildEvent, BuildQuestion, BuildSummary } from "./build-events.js";
import { runBuild } from "./engine.js";
import { gitCommitter } from "../git/git-committer.js";
import type { BuildContext } from "./load-build-context.js";
import { buildOutputBudget, taskMessages } from "./prepare-task.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { requiredCoverageDiagnostics } from "../cases/required-coverage.js";

export interface ProjectBuildInput {
  loaded: LoadedConfig;
  /** The plan as it was when the build started, whatever happens to the file meanwhile. */
  context: BuildContext;
  selection: TaskSelection;
  force: boolean;
  env: NodeJS.ProcessEnv;
  onEvent(event: BuildEvent): void;
  decide(question: BuildQuestion): Promise<BuildAnswer>;
  /** Stops the build like Ctrl-C does in the headless command. */
  signal?: AbortSignal;
  /** Pause, skip and retry (the TUI); headless builds pass none. */
  control?: BuildControl;
}

export type ProjectBuildResult =
  | { ok: true; summary: BuildSummary; interrupted: boolean }
  /**
   * The build did not start: the lock is held, state.json cannot be read, the
   * model run cannot be opened (`modelFault` decides the exit code: 3 when
   * there is no model to talk to), or the output repository cannot be set up.
   * Nothing was written: no run folder, no git init.
   */
  | {
      ok: false;
      message: string;
      hint?: string;
      modelFault?: ModelFault;
      /** Spec problems that stop the build before it starts ([test] require_coverage), with the texts they point into. */
      diagnostics?: Diagnostic[];
      sources?: [string, string][];
    };

export async function runProjectBuild(input: ProjectBuildInput): Promise<ProjectBuildResult> {
  const { config, root } = input.loaded;
  // Every event leaves redacted like the traces (the same secrets): `build --json` lands in CI logs.
  const redactor = new Redactor(secretsFromEnv(input.env));
  const report = (event: BuildEvent) => input.onEvent(redactValue(redactor, event));
  const notDirectory = await outputDirProblem(input.context.outputDir, config.output.dir);
  if (notDirectory) return { ok: false, ...notDirectory };
  // [test] require_coverage: a requirement no verification case covers stops the build before anything is written.
  const uncovered = requiredCoverageDiagnostics(input.context.groups, input.context.plan, config.test.requireCoverage);
  if (uncovered.length > 0) {
    return {
      ok: false,
      message: `${uncovered.length} requirement${uncovered.length === 1 ? " has" : "s have"} no verification case, and [test] require_coverage is on`,
      hint: "add the cases (or `covers` to a task, or {.no-verify} to the heading); `specwright plan --check` lists them",
      diagnostics: uncovered,
      sources: input.context.groups.map((g): [string, string] => [g.smd.file, g.smd.text]),
    };
  }
  const locked = await lockRunScope({
    root,
    command: "build",
    config,
    env: input.env,
    info: { selection: input.selection, force: input.force },
    ...(input.signal ? { signal: input.signal } : {}),
    onInterrupt: (message) => report({ type: "notice", message }),
  });
  if (!locked.ok) return { ok: false, message: locked.message, hint: locked.hint };
  if (locked.notice) report({ type: "notice", message: locked.notice });
  // state.json as it is now that no other run can write it: a copy read before
  // the lock may predate a build that finished meanwhile, and saving it would
  // drop that build's records.
  const stateLoad = await readState(root);
  if (!stateLoad.ok) {
    await locked.scope.release();
    return { ok: false, message: stateLoad.problem };
  }
  const { plan, state, outputDir, prepare, cases } = input.context.withState(stateLoad.state);
  const modelEvents = redactModelEvents(redactor, (event) => input.onEvent({ type: "model", id: "caller" in event ? event.caller : "-", event }));
  const session = new ModelSession(config, modelEvents, locked.scope.signal, input.env);
  let scope: RunScope | undefined;

  const outcome = await runBuild({
    root,
    outputDir,
    layout: input.context.layout,
    plan,
    state,
    selection: input.selection,
    force: input.force,
    ...engineSettings(config),
    prepare,
    cases,
    messages: taskMessages,
    openModel: openBuildModels(session, config),
    ...(config.build.git ? { openCommitter: () => gitCommitter(outputDir, root, (message) => report({ type: "notice", message })) } : {}),
    openTrace: async () => {
      scope = await locked.scope.openTrace();
      return scope.trace;
    },
    signal: locked.scope.signal,
    onEvent: report,
    decide: input.decide,
    saveState: (state) => writeState(root, state),
    ...(input.control ? { control: input.control } : {}),
  });
  if (!outcome.started) {
    if (scope) await scope.close({ ok: false });
    else await locked.scope.release();
    return { ok: false, message: outcome.message, ...(outcome.hint !== undefined ? { hint: outcome.hint } : {}), ...(outcome.reason === "model" ? { modelFault: outcome.fault } : {}) };
  }
  await scope!.close({ summary: outcome.summary, models: await session.describe() });
  return { ok: true, summary: outcome.summary, interrupted: locked.scope.interrupted() };
}

/** The engine's settings from the config: the same for a build and for each of compare's runs. */
export function engineSettings(config: SpecwrightConfig): Pick<BuildEngineInput, "parallel" | "outputBudget" | "overlapVerify" | "maxFixAttempts" | "review" | "verifyTimeoutMs" | "setup"> {
  return {
    parallel: config.build.parallel,
    outputBudget: buildOutputBudget(config),
    overlapVerify: config.build.overlapVerify,
    maxFixAttempts: config.build.maxFixAttempts,
    ...(config.build.review ? { review: { maxAttempts: config.build.maxReviewAttempts, maxOutputTokens: buildOutputBudget(config) } } : {}),
    verifyTimeoutMs: config.build.verifyTimeoutMs,
    setup: config.build.setup,
  };
}

/** The engine's `openModel`: the build's model and reviewer sized for the largest conversation, on every endpoint that serves them. */
export function openBuildModels(session: ModelSession, config: SpecwrightConfig): BuildEngineInput["openModel"] {
  return async (largestPromptTokens) => {
    // The reviewer's prompt holds the refs and the written files: no larger than a fix conversation.
    session.plan([
      { role: "build", largestPromptTokens, outputBudget: buildOutputBudget(config) },
      ...(config.build.review ? [{ role: "reviewer" as const, largestPromptTokens, outputBudget: buildOutputBudget(config) }] : []),
    ]);
    return openEndpointPool(session, config.build.review);
  };
}

/**
 * The build's model (and reviewer) on every endpoint that serves them: the
 * pool of those that opened, the others listed with why. None: the one
 * endpoint's own error, or every endpoint's reason (its kind decides the exit code).
 */
export async function openEndpointPool(session: ModelSession, review: boolean): Promise<{ ok: true; pool: EndpointPool } | { ok: false; error: ModelError }> {
  const roles: Role[] = review ? ["build", "reviewer"] : ["build"];
  const opened = await session.endpointRuns(roles);
  const model = session.modelFor("build");
  if (opened.length === 0) return { ok: false, error: noEndpointListsModel(model, session.endpoints) };
  // A reviewer that cannot open is named as such, as the build's own model is not.
  const errorOf = (e: Extract<EndpointRuns, { ok: false }>): ModelError => (e.role === "reviewer" ? { ...e.error, message: `the reviewer: ${e.error.message}` } : e.error);
  const usable: BuildEndpoint[] = [];
  const unusable: UnusableEndpoint[] = [];
  for (const e of opened) {
    if (!e.ok) {
      unusable.push({ label: e.label, kind: e.endpoint.kind, slots: e.endpoint.slots, reason: errorOf(e).message });
      continue;
    }
    const reviewer = e.runs.get("reviewer");
    usable.push({ label: e.label, kind: e.endpoint.kind, slots: e.endpoint.slots, model: e.runs.get("build")!, ...(reviewer ? { reviewer } : {}) });
  }
  if (usable.length === 0) {
    const failures = opened.flatMap((e) => (e.ok ? [] : [{ label: e.label, error: errorOf(e) }]));
    // Ctrl-C while opening is a cancel, whatever else failed.
    const cancelled = failures.find((f) => f.error.kind === "aborted");
    if (cancelled) return { ok: false, error: cancelled.error };
    return { ok: false, error: failures.length === 1 ? failures[0]!.error : noEndpointCanServe(model, failures) };
  }
  return { ok: true, pool: new EndpointPool(usable, unusable) };
}

/** An output dir that exists but is not a directory stops the build before anything runs. */
async function outputDirProblem(outputDir: string, configured: string): Promise<{ message: string; hint: string } | undefined> {
  const info = await stat(outputDir).catch(() => undefined);
  if (!info || info.isDirectory()) return undefined;
  return {
    message: `the output dir ${outputDir} is a file, not a directory`,
    hint: `move the file away, or set output.dir in specwright.toml (now "${configured}") to a directory`,
  };
}
