// Runs a build from the TUI with the same wiring as `specwright build`: a fresh
// config and build context on every start, so edits made since the last build
// count. What could not run comes back as problem lines, never as a throw.

import { buildTaskGraph, selectTasks, type TaskSelection } from "../../plans/graph.js";
import type { BuildControl } from "../../src/build/build-control.js";
import type { BuildAnswer, BuildEvent, BuildQuestion } from "../../src/build/build-events.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { runProjectBuild } from "../../src/build/run-project-build.js";
import { loadConfig } from "../../src/config/load.js";
import { hasErrors } from "../../grammar/diagnostic.js";
import { diagnosticLines } from "../format.js";

/** Loads a fresh config and build context, then runs the build; returns problem lines when it could not run. */
export async function buildProject(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  force: boolean;
  selection: TaskSelection;
  control: BuildControl;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
  decide(question: BuildQuestion): Promise<BuildAnswer>;
}): Promise<string[] | undefined> {
  const { loaded, diagnostics } = await loadConfig({ cwd: options.cwd, env: options.env, flags: {} });
  if (hasErrors(diagnostics)) return ["the configuration has errors; fix specwright.toml", ...diagnosticLines(diagnostics, [])];
  if (loaded.projectKind === "none") return ["no specwright.toml (or ossature.toml) here — press 1 (Overview), then i to create one"];
  const context = await readBuildContext(loaded, options.env);
  if (!context.ok) return [context.message, ...diagnosticLines(context.diagnostics, context.sources)];
  const selected = selectTasks(buildTaskGraph(context.context.plan.tasks), options.selection);
  if (!selected.ok) return [selected.message, ...("hint" in selected && selected.hint ? [`hint: ${selected.hint}`] : [])];
  const result = await runProjectBuild({
    loaded,
    context: context.context,
    selection: options.selection,
    force: options.force,
    env: options.env,
    signal: options.signal,
    control: options.control,
    onEvent: options.onEvent,
    decide: options.decide,
  });
  if (!result.ok) return [result.message, ...(result.hint ? [`hint: ${result.hint}`] : []), ...diagnosticLines(result.diagnostics ?? [], result.sources ?? [])];
  return undefined;
}
