// What status, why, rollback, build and the TUI share: the project's specs, the
// validated plan, the state, and the task preparer — without a model run.
// Problems come back as values (message plus diagnostics with their source
// texts) so a command can print them and the TUI can show them.

import { join } from "node:path";
import { hasErrors, type Diagnostic } from "../../grammar/diagnostic.js";
import type { ProjectLayout } from "../../plans/output-path.js";
import { PLAN_FILE, type Plan, type Task } from "../../plans/plan.js";
import { projectLayout } from "../config/project-layout.js";
import type { LoadedConfig } from "../config/types.js";
import { makePathLookup } from "../fs/path-lookup.js";
import { ossaturePlanHint } from "../planning/import-ossature.js";
import { checkPlan, readPlanFile } from "../planning/plan-file.js";
import { loadProjectSpecs, specIndexOf, type SpecGroup } from "../specs/project-specs.js";
import { readState, type StateFile } from "../state/state-file.js";
import type { DependencyOutputs, PreparedTask } from "./build-input.js";
import { taskPreparer } from "./prepare-task.js";
import { assignCases, type TaskCases } from "./cases-step.js";
import { caseUnitsOf, type CaseUnit } from "../cases/case-units.js";
import { readIntentLog } from "../intent/intent-log.js";

export interface BuildContext {
  root: string;
  outputDir: string;
  /** Where the project's own files are: plan checks and safe writes refuse them as outputs. */
  layout: ProjectLayout;
  plan: Plan;
  state: StateFile;
  prepare(task: Task, dependencies: DependencyOutputs): Promise<PreparedTask>;
  /** The verification cases each task's build runs after its verify commands. */
  cases: TaskCases;
  /** The project's specs, grouped per spec id (dependencies first). */
  groups: readonly SpecGroup[];
  /** Every verification case of the specs, owned by a task or not. */
  units: readonly CaseUnit[];
  /** The same specs and plan with another state: a build reads state.json again once it holds the run lock. */
  withState(state: StateFile): BuildContext;
}

export type BuildContextLoad =
  | { ok: true; context: BuildContext }
  | {
      ok: false;
      /** One line: what stops the build and the command that shows or fixes it. */
      message: string;
      /** Spec or plan diagnostics behind the message (empty when there are none). */
      diagnostics: Diagnostic[];
      /** Texts of the files the diagnostics point into, for excerpts: [file, text]. */
      sources: [string, string][];
    };

export async function readBuildContext(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<BuildContextLoad> {
  const { root, config } = loaded;
  const specs = await loadProjectSpecs(loaded);
  const sources: [string, string][] = specs.sources.map((s) => [s.file, s.text]);
  if (hasErrors(specs.diagnostics)) {
    return { ok: false, message: "the specs have errors; `specwright validate` shows them", diagnostics: specs.diagnostics, sources };
  }
  const planLoad = await readPlanFile(root);
  if (planLoad.kind === "missing") {
    const ossature = await ossaturePlanHint(root);
    return { ok: false, message: `there is no ${PLAN_FILE} yet — ${ossature ?? "run `specwright plan` first"}`, diagnostics: [], sources: [] };
  }
  if (planLoad.kind === "unreadable") return { ok: false, message: planLoad.diagnostic.message, diagnostics: [planLoad.diagnostic], sources: [] };
  const layout = projectLayout(config);
  const problems = checkPlan(planLoad, specs.groups.map(specIndexOf), makePathLookup(env.PATH), layout);
  if (!planLoad.plan || hasErrors(problems)) {
    return { ok: false, message: `${PLAN_FILE} has errors`, diagnostics: problems, sources: [...sources, [PLAN_FILE, planLoad.text]] };
  }
  const stateLoad = await readState(root);
  if (!stateLoad.ok) return { ok: false, message: stateLoad.problem, diagnostics: [], sources: [] };
  const outputDir = join(root, config.output.dir);
  const plan = withProjectVerify(planLoad.plan, config.build.verify);
  const units = caseUnitsOf(specs.groups);
  const cases = assignCases(plan, units);
  // The judge reads the accepted words behind each task's refs; an unreadable log never stops a build (`specwright intent` reports it).
  const log = await readIntentLog(root);
  const intents = log.ok ? log.entries : [];
  const contextFor = (state: StateFile): BuildContext => ({
    root,
    outputDir,
    layout,
    plan,
    state,
    prepare: taskPreparer({ root, outputDir, config, plan, state, groups: specs.groups, cases, intents }),
    cases,
    groups: specs.groups,
    units,
    withState: contextFor,
  });
  return { ok: true, context: contextFor(stateLoad.state) };
}

/**
 * The plan as builds run it: every task's verify commands followed by the
 * project-wide ones (build.verify) that the task does not already run. The
 * task key holds them, so changing build.verify rebuilds what it checks.
 */
export function withProjectVerify(plan: Plan, commands: readonly string[]): Plan {
  if (commands.length === 0) return plan;
  return { tasks: plan.tasks.map((task) => ({ ...task, verify: [...task.verify, ...commands.filter((c) => !task.verify.includes(c))] })) };
}
