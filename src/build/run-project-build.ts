// One build of a project, wired the same way for every consumer: the run lock
// and trace folder, the model session for the build role, the git committer,
// and the engine. `specwright build` and the TUI's build screen both call
// this; they differ only in how they show events and answer questions.

import type { TaskSelection } from "../../plans/graph.js";
import type { LoadedConfig } from "../config/types.js";
import { ModelSession } from "../model-session.js";
import { openRunScope } from "../run-scope.js";
import { writeState } from "../state/state-file.js";
import type { BuildControl } from "./build-control.js";
import type { BuildAnswer, BuildEvent, BuildQuestion, BuildSummary } from "./build-events.js";
import { runBuild } from "./engine.js";
import { gitCommitter } from "../git/git-committer.js";
import type { BuildContext } from "./load-build-context.js";
import { buildOutputBudget, taskMessages } from "./prepare-task.js";

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
  /** The build did not start: the lock is held, or the output repository cannot be set up. */
  | { ok: false; message: string; hint?: string };

export async function runProjectBuild(input: ProjectBuildInput): Promise<ProjectBuildResult> {
  const { config, root } = input.loaded;
  const { plan, state, outputDir, prepare } = input.context;
  const report = input.onEvent;
  const opened = await openRunScope({
    root,
    command: "build",
    config,
    env: input.env,
    info: { selection: input.selection, force: input.force },
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (!opened.ok) return { ok: false, message: opened.message, hint: opened.hint };
  const scope = opened.scope;
  if (opened.notice) report({ type: "notice", message: opened.notice });
  const session = new ModelSession(config, (event) => report({ type: "model", id: "caller" in event ? event.caller : "-", event }), scope.signal);
  const committer = config.build.git ? await gitCommitter(outputDir, root, (message) => report({ type: "notice", message })) : undefined;
  if (committer && !committer.ok) {
    await scope.close({ ok: false });
    return { ok: false, message: committer.message };
  }

  const summary = await runBuild({
    root,
    outputDir,
    layout: input.context.layout,
    plan,
    state,
    selection: input.selection,
    force: input.force,
    parallel: config.build.parallel,
    overlapVerify: config.build.overlapVerify,
    maxFixAttempts: config.build.maxFixAttempts,
    verifyTimeoutMs: config.build.verifyTimeoutMs,
    setup: config.build.setup,
    prepare,
    messages: taskMessages,
    openModel: async (largestPromptTokens) => {
      session.plan([{ role: "build", largestPromptTokens, outputBudget: buildOutputBudget(config) }]);
      const run = await session.run("build");
      return run.ok ? { ok: true, run: run.value } : run;
    },
    ...(committer?.ok ? { committer: committer.committer } : {}),
    trace: scope.trace,
    signal: scope.signal,
    onEvent: report,
    decide: input.decide,
    saveState: (state) => writeState(root, state),
    ...(input.control ? { control: input.control } : {}),
  });
  await scope.close({ summary, models: await session.describe() });
  return { ok: true, summary, interrupted: scope.interrupted() };
}
