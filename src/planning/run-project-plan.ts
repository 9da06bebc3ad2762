// One planning of a project, wired the same way for every consumer: which
// specs need (re-)planning, the architecture-derived plan or the planner model
// (with the run lock, trace folder and a model session sized for the largest
// prompt), and writing plan.toml and the planned hashes in state.json.
// `specwright plan` and the TUI's plan screen both call this; they differ
// only in how they show events and ask for confirmation.

import type { ModelError } from "../../models/errors.js";
import type { ModelEvent } from "../../models/events.js";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import type { Plan } from "../../plans/plan.js";
import { validatePlan } from "../../plans/validate-plan.js";
import type { LoadedConfig } from "../config/types.js";
import { ModelSession } from "../model-session.js";
import { withRunLock } from "../lock.js";
import { openRunScope } from "../run-scope.js";
import { redactValue } from "../traces/redact.js";
import { redactModelEvents } from "../traces/redact-model-events.js";
import { specIndexOf, type ProjectSpecs } from "../specs/project-specs.js";
import { readState, writeState } from "../state/state-file.js";
import { contextInventory } from "./context-inventory.js";
import { nextTaskNumber, planFromArchitecture } from "./from-architecture.js";
import { planText, writePlanFile, type PlanLoad } from "./plan-file.js";
import { plannerMessages } from "./planner-prompt.js";
import { PLANNER_OUTPUT_BUDGET, plannerInputFor, replaceSpecTasks, runPlanner, specPlanHash, tasksFromAnswer, type PlannerEvent } from "./run-planner.js";
import { projectLayout } from "../config/project-layout.js";

export type ProjectPlanEvent =
  | PlannerEvent
  /** --from-architecture: the spec has no architecture with components; the planner model must plan it. */
  | { type: "plan-needs-planner"; spec: string }
  | { type: "notice"; message: string };

export interface ProjectPlanInput {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  /** The validated specs (at least one group, no errors). */
  specs: ProjectSpecs;
  /** plan.toml as read; a loaded plan that does not parse must come with `replan`. */
  existing: PlanLoad;
  /** Plan every spec from scratch, discarding the current plan (the caller has confirmed). */
  replan: boolean;
  /** Derive tasks from the architecture specs instead of asking the planner model. */
  fromArchitecture: boolean;
  isOnPath: (program: string) => boolean;
  onEvent(event: ProjectPlanEvent): void;
  onModelEvent(event: ModelEvent): void;
  /** Stops the planner like Ctrl-C does in the headless command. */
  signal?: AbortSignal;
}

export type ProjectPlanResult =
  /** Nothing was planned: state.json cannot be read, or the lock is held. */
  | { kind: "not-started"; message: string; hint?: string }
  /** No spec changed since it was planned; nothing was written. */
  | { kind: "up-to-date"; plan: Plan }
  | { kind: "planned"; plan: Plan; text: string; calls: number }
  /**
   * The planner failed (model down, an error answer, Ctrl-C): plan.toml and
   * state.json are exactly as they were; `plan` is the plan still on disk.
   */
  | { kind: "failed"; plan: Plan; error: ModelError; diagnostics: Diagnostic[]; traceDir: string; interrupted: boolean; calls: number }
  /** The new plan as a whole has problems the old one did not (e.g. no tasks at all): nothing was written. */
  | { kind: "invalid"; plan: Plan; diagnostics: Diagnostic[]; calls: number };

export async function runProjectPlan(input: ProjectPlanInput): Promise<ProjectPlanResult> {
  const { loaded, specs, existing, replan } = input;
  const root = loaded.root;
  const stateLoad = await readState(root);
  if (!stateLoad.ok) return { kind: "not-started", message: stateLoad.problem };
  const state = stateLoad.state;
  if (existing.kind === "unreadable") return { kind: "not-started", message: existing.diagnostic.message, ...(existing.diagnostic.hint ? { hint: existing.diagnostic.hint } : {}) };
  const before: Plan = replan || existing.kind === "missing" || !existing.plan ? { tasks: [] } : existing.plan;
  const known = new Set(specs.groups.map((g) => g.id));
  // Tasks of specs that no longer exist go; specs whose files changed (or never planned) are planned.
  let tasks = before.tasks.filter((t) => known.has(t.spec));
  const changed = new Set(
    specs.groups.filter((g) => replan || state.planned[g.id]?.hash !== specPlanHash(g) || !tasks.some((t) => t.spec === g.id)).map((g) => g.id),
  );
  const by: "planner" | "architecture" = input.fromArchitecture ? "architecture" : "planner";

  if (changed.size === 0 && tasks.length === before.tasks.length) return { kind: "up-to-date", plan: { tasks } };

  // A complete new plan is validated before anything is written; it may keep
  // problems the person's plan already had, but may not add any.
  const indexes = specs.groups.map(specIndexOf);
  const layout = projectLayout(loaded.config);
  const errorsOf = (plan: Plan) => validatePlan(plan, { specs: indexes, isOnPath: input.isOnPath, layout }).filter((d) => d.severity === "error");
  const kept = new Set(errorsOf({ tasks }).filter((d) => d.code !== "plan/empty").map((d) => d.message));
  const newProblems = (plan: Plan) => errorsOf(plan).filter((d) => !kept.has(d.message));

  const save = async (plan: Plan, planned: ReadonlySet<string>): Promise<string> => {
    const prior = existing.kind === "loaded" && existing.plan && !replan ? existing : undefined;
    const text = planText(prior?.text, prior?.plan, plan);
    await writePlanFile(root, text);
    const now = new Date().toISOString();
    for (const g of specs.groups) if (planned.has(g.id)) state.planned[g.id] = { hash: specPlanHash(g), plannedAt: now, by };
    for (const id of Object.keys(state.planned)) if (!specs.groups.some((g) => g.id === id)) delete state.planned[id];
    await writeState(root, state);
    return text;
  };

  if (input.fromArchitecture) {
    const derived = planFromArchitecture(specs.groups.filter((g) => changed.has(g.id)), nextTaskNumber(tasks), { framework: loaded.config.output.framework });
    for (const group of specs.groups.filter((g) => changed.has(g.id) && !derived.needPlanner.includes(g.id))) {
      const previous = tasks.filter((t) => t.spec === group.id);
      const answer = derived.tasks
        .filter((t) => t.spec === group.id)
        .map((t) => ({ key: t.id, title: t.title, description: t.description, outputs: t.outputs, depends_on: t.dependsOn, refs: t.refs, verify: t.verify }));
      tasks = replaceSpecTasks(tasks, group.id, tasksFromAnswer(group.id, answer, previous, tasks));
    }
    for (const id of derived.needPlanner) {
      changed.delete(id);
      input.onEvent({ type: "plan-needs-planner", spec: id });
    }
    const plan = { tasks };
    const problems = newProblems(plan);
    if (problems.length > 0) return { kind: "invalid", plan, diagnostics: problems, calls: 0 };
    const saved = await withRunLock(root, "specwright plan --from-architecture", () => save(plan, changed));
    if (!saved.ok) return { kind: "not-started", message: saved.message, hint: saved.hint };
    return { kind: "planned", plan, text: saved.value, calls: 0 };
  }

  const opened = await openRunScope({
    root,
    command: "plan",
    config: loaded.config,
    env: input.env,
    info: { specs: [...changed] },
    ...(input.signal ? { signal: input.signal } : {}),
    onInterrupt: (message) => input.onEvent({ type: "notice", message }),
  });
  if (!opened.ok) return { kind: "not-started", message: opened.message, hint: opened.hint };
  if (opened.notice) input.onEvent({ type: "notice", message: opened.notice });
  const scope = opened.scope;
  // Events leave redacted like the traces (a spec or an error can quote a secret).
  const redactor = scope.trace.secrets;
  const onEvent = (event: ProjectPlanEvent) => input.onEvent(redactValue(redactor, event));
  const context = await contextInventory(root, loaded.config.project.contextDir);
  const base = { language: loaded.config.output.language, framework: loaded.config.output.framework, outputDir: loaded.config.output.dir, context };
  const session = new ModelSession(loaded.config, redactModelEvents(redactor, input.onModelEvent), scope.signal);
  const largest = Math.max(...specs.groups.filter((g) => changed.has(g.id)).map((g) => estimateMessagesTokens(plannerMessages(plannerInputFor(g, tasks, base)))));
  session.plan([{ role: "planner", largestPromptTokens: Math.round(largest * 1.2), outputBudget: PLANNER_OUTPUT_BUDGET }]);
  const result = await runPlanner({
    groups: specs.groups,
    indexes: specs.groups.map(specIndexOf),
    changed,
    existing: { tasks },
    ...base,
    isOnPath: input.isOnPath,
    layout,
    session,
    recorder: (caller) => scope.trace.nextCallRecorder(caller),
    onEvent,
  });
  if (!result.ok) {
    // Nothing is written: the plan on disk stays byte for byte what the person had,
    // hand edits and all. Specs planned before the failure are planned again next time.
    await scope.close({ calls: result.calls, ok: false, models: await session.describe() });
    const onDisk = existing.kind === "loaded" && existing.plan ? existing.plan : { tasks: [] };
    return { kind: "failed", plan: onDisk, error: result.error, diagnostics: result.diagnostics, traceDir: scope.trace.dir, interrupted: scope.interrupted(), calls: result.calls };
  }
  const plan = result.plan;
  const problems = newProblems(plan);
  if (problems.length > 0) {
    await scope.close({ calls: result.calls, ok: false, models: await session.describe() });
    return { kind: "invalid", plan, diagnostics: problems, calls: result.calls };
  }
  // Written while the run still holds the lock, so no other run sees half of it.
  const text = await save(plan, changed);
  await scope.close({ calls: result.calls, ok: true, models: await session.describe() });
  return { kind: "planned", plan, text, calls: result.calls };
}
