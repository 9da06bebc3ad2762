// What status, why and rollback share with build: the project's specs, the
// validated plan, the state, and the task preparer — without a model run.

import { join } from "node:path";
import { hasErrors } from "../../../grammar/diagnostic.js";
import { PLAN_FILE, type Plan } from "../../../plans/plan.js";
import { taskPreparer } from "../../build/prepare-task.js";
import type { PreparedTask, DependencyOutputs } from "../../build/engine.js";
import type { LoadedConfig } from "../../config/types.js";
import { makePathLookup } from "../../fs/path-lookup.js";
import { checkPlan, readPlanFile } from "../../planning/plan-file.js";
import { loadProjectSpecs, specIndexOf } from "../../specs/project-specs.js";
import { readState, type StateFile } from "../../state/state-file.js";
import type { Task } from "../../../plans/plan.js";
import type { CommandContext } from "../command-context.js";
import { SourceLines, formatDiagnostics } from "../report-diagnostics.js";

export interface BuildContext {
  root: string;
  outputDir: string;
  plan: Plan;
  state: StateFile;
  prepare(task: Task, dependencies: DependencyOutputs): Promise<PreparedTask>;
}

/** Loads everything or prints why it cannot (and returns undefined: exit 1). */
export async function loadBuildContext(ctx: CommandContext, loaded: LoadedConfig): Promise<BuildContext | undefined> {
  const { root, config } = loaded;
  const specs = await loadProjectSpecs(loaded);
  const sources = new SourceLines(root, specs.sources.map((s) => [s.file, s.text]));
  const fail = (message: string) => {
    process.stderr.write(`specwright: ${message}\n`);
    return undefined;
  };
  if (hasErrors(specs.diagnostics)) {
    process.stderr.write(formatDiagnostics(specs.diagnostics, sources, ctx.err) + "\n");
    return fail("the specs have errors; `specwright validate` shows them");
  }
  const planLoad = await readPlanFile(root);
  if (planLoad.kind === "missing") return fail(`there is no ${PLAN_FILE} yet — run \`specwright plan\` first`);
  const problems = checkPlan(planLoad, specs.groups.map(specIndexOf), makePathLookup(ctx.env.PATH));
  if (!planLoad.plan || hasErrors(problems)) {
    sources.add(PLAN_FILE, planLoad.text);
    process.stderr.write(formatDiagnostics(problems, sources, ctx.err) + "\n");
    return fail(`${PLAN_FILE} has errors`);
  }
  const stateLoad = await readState(root);
  if (!stateLoad.ok) return fail(stateLoad.problem);
  const outputDir = join(root, config.output.dir);
  const plan = planLoad.plan;
  const state = stateLoad.state;
  return { root, outputDir, plan, state, prepare: taskPreparer({ root, outputDir, config, plan, state, groups: specs.groups }) };
}
