// The planner: one structured call per changed spec, in dependency order.
// Each answer becomes T-numbered tasks and goes through the same validation
// as a hand-edited plan; a violation goes back to the model once with the
// diagnostics, then stops with them. Tasks of specs that did not change stay
// as they are, and a re-planned task that produces the same files as before
// keeps its id, status, notes and verify commands.

import { createHash } from "node:crypto";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { CallRecorder } from "../../models/call-record.js";
import type { ModelError } from "../../models/errors.js";
import { componentsOf, requirementsOf } from "../../grammar/ast.js";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import type { Plan, Task } from "../../plans/plan.js";
import type { SpecIndex } from "../../plans/spec-index.js";
import type { ProjectLayout } from "../../plans/output-path.js";
import { normalizeTaskPath, validatePlan } from "../../plans/validate-plan.js";
import type { ModelSession } from "../model-session.js";
import type { SpecGroup } from "../specs/project-specs.js";
import type { ContextFile } from "./context-inventory.js";
import { nextTaskNumber, taskId } from "./from-architecture.js";
import { PLANNER_PROMPT_VERSION, PLAN_SCHEMA, plannerMessages, type PlannedTaskAnswer, type PlannerInput } from "./planner-prompt.js";

export type PlannerEvent =
  | { type: "plan-spec-started"; spec: string; estimatedTokens: number }
  | { type: "plan-spec-finished"; spec: string; tasks: Task[]; kept: number }
  | { type: "plan-spec-unchanged"; spec: string };

export interface PlannerRunInput {
  groups: SpecGroup[];
  indexes: SpecIndex[];
  /** Specs to (re-)plan. */
  changed: ReadonlySet<string>;
  existing: Plan;
  language: string;
  framework: string;
  outputDir: string;
  context: ContextFile[];
  isOnPath: (program: string) => boolean;
  /** Where the project's own files are: a planned task may not write them. */
  layout: ProjectLayout;
  session: ModelSession;
  recorder: (caller: string) => CallRecorder | undefined;
  onEvent: (event: PlannerEvent) => void;
}

export type PlannerOutcome =
  | { ok: true; plan: Plan; calls: number }
  | { ok: false; error: ModelError; plan: Plan; calls: number; diagnostics: Diagnostic[] };

/** Output budget for a plan answer: a dozen tasks with descriptions and verify commands. */
export const PLANNER_OUTPUT_BUDGET = 4096;

/** What decides whether a spec needs planning again: its files and the planner prompt version. */
export function specPlanHash(group: SpecGroup): string {
  const h = createHash("sha256").update(`planner-v${PLANNER_PROMPT_VERSION}`);
  for (const f of [group.smd, ...group.amds]) h.update("\u0000").update(f.file).update("\u0000").update(f.text);
  return h.digest("hex");
}

/** Every ref the planner may use for a spec: its sections, requirements and components. */
export function validRefs(group: SpecGroup): string[] {
  const sections = [group.smd, ...group.amds].flatMap((f) => f.ast.sections.map((s) => s.name.toLowerCase()));
  return [
    ...new Set(sections.filter((s) => s !== "requirements" && s !== "components")),
    ...requirementsOf(group.smd.ast).map((r) => `requirements/${r.anchor}`),
    ...group.amds.flatMap((a) => componentsOf(a.ast).map((c) => `components/${c.name}`)),
  ];
}

export function plannerInputFor(group: SpecGroup, tasks: readonly Task[], base: Pick<PlannerRunInput, "language" | "framework" | "outputDir" | "context">): PlannerInput {
  return {
    language: base.language,
    framework: base.framework,
    outputDir: base.outputDir,
    specId: group.id,
    specFiles: [group.smd, ...group.amds].map((f) => ({ file: f.file, text: f.text })),
    validRefs: validRefs(group),
    otherOutputs: tasks.filter((t) => t.spec !== group.id).flatMap((t) => t.outputs.map((path) => ({ path, spec: t.spec }))),
    context: base.context,
  };
}

/**
 * Turns the model's tasks into plan tasks: local keys become ids, a task that
 * produces the same files as one of the spec's earlier tasks keeps that task's
 * id, status, notes and verify commands.
 */
export function tasksFromAnswer(spec: string, answer: readonly PlannedTaskAnswer[], previous: readonly Task[], allTasks: readonly Task[]): Task[] {
  const byOutputs = new Map(previous.map((t) => [t.outputs.map(normalizeTaskPath).sort().join("\n"), t]));
  let n = nextTaskNumber(allTasks);
  const ids = new Map<string, string>();
  const used = new Set<Task>();
  const drafts = answer.map((a) => {
    const old = byOutputs.get(a.outputs.map(normalizeTaskPath).sort().join("\n"));
    const reuse = old && !used.has(old) ? old : undefined;
    if (reuse) used.add(reuse);
    const id = reuse?.id ?? taskId(n++);
    ids.set(a.key, id);
    return { a, reuse, id };
  });
  return drafts.map(({ a, reuse, id }) => ({
    id,
    spec,
    title: a.title,
    description: a.description,
    // A model's "./src/a.py" is the plan's "src/a.py": spelling drift costs no re-ask.
    outputs: a.outputs.map(normalizeTaskPath),
    copy: [],
    edits: (a.edits ?? []).map(normalizeTaskPath),
    // A key of this answer, or an existing task id (a task of another spec).
    dependsOn: a.depends_on.map((d) => ids.get(d) ?? d),
    refs: a.refs,
    context: a.context ?? [],
    covers: reuse?.covers ?? [],
    verify: reuse ? reuse.verify : a.verify,
    status: reuse?.status ?? "auto",
    notes: reuse?.notes ?? "",
  }));
}

/** Replaces a spec's tasks in plan order: where its first old task stood, else at the end. */
export function replaceSpecTasks(tasks: readonly Task[], spec: string, fresh: readonly Task[]): Task[] {
  const at = tasks.findIndex((t) => t.spec === spec);
  const rest = tasks.filter((t) => t.spec !== spec);
  if (at === -1) return [...rest, ...fresh];
  const before = tasks.slice(0, at).filter((t) => t.spec !== spec);
  return [...before, ...fresh, ...rest.slice(before.length)];
}

export async function runPlanner(input: PlannerRunInput): Promise<PlannerOutcome> {
  let tasks = [...input.existing.tasks];
  let calls = 0;
  const run = await input.session.run("planner");
  if (!run.ok) return { ok: false, error: run.error, plan: { tasks }, calls, diagnostics: [] };
  for (const group of input.groups) {
    if (!input.changed.has(group.id)) {
      input.onEvent({ type: "plan-spec-unchanged", spec: group.id });
      continue;
    }
    const previous = tasks.filter((t) => t.spec === group.id);
    const messages = plannerMessages(plannerInputFor(group, tasks, input));
    input.onEvent({ type: "plan-spec-started", spec: group.id, estimatedTokens: estimateMessagesTokens(messages) });
    let lastDiagnostics: Diagnostic[] = [];
    const caller = `plan-${group.id}`;
    const reply = await run.value.callStructured<Task[]>({
      caller,
      messages,
      schema: PLAN_SCHEMA,
      outputBudget: PLANNER_OUTPUT_BUDGET,
      ...(input.recorder(caller) ? { recorder: () => input.recorder(caller)! } : {}),
      accept: (value) => {
        const answer = (value as { tasks: PlannedTaskAnswer[] }).tasks;
        const keys = answer.map((a) => a.key);
        const dupKey = keys.find((k, i) => keys.indexOf(k) !== i);
        if (dupKey !== undefined) return { ok: false, problems: [`task key "${dupKey}" is used twice; give every task its own key`] };
        const fresh = tasksFromAnswer(group.id, answer, previous, tasks);
        const check = (list: Task[]) => validatePlan({ tasks: list }, { specs: input.indexes, isOnPath: input.isOnPath, layout: input.layout }).filter((d) => d.severity === "error");
        // Blame the answer only for problems it introduces, not for ones the rest of the plan already has.
        const baseline = new Set(check(tasks.filter((t) => t.spec !== group.id)).map((d) => d.message));
        const diagnostics = check(replaceSpecTasks(tasks, group.id, fresh)).filter((d) => !baseline.has(d.message));
        lastDiagnostics = diagnostics;
        if (diagnostics.length === 0) return { ok: true, value: fresh };
        const keyOf = new Map([...fresh.map((t, i) => [t.id, answer[i]!.key] as const)]);
        return {
          ok: false,
          problems: diagnostics.map((d) => {
            const text = d.message.replace(/\bT\d{3,}\b/g, (id) => (keyOf.has(id) ? `task "${keyOf.get(id)}"` : id));
            return d.hint ? `${text} (${d.hint})` : text;
          }),
        };
      },
    });
    calls += reply.ok ? reply.value.asks : 1;
    if (!reply.ok) return { ok: false, error: reply.error, plan: { tasks }, calls, diagnostics: lastDiagnostics };
    tasks = replaceSpecTasks(tasks, group.id, reply.value.value);
    const kept = reply.value.value.filter((t) => previous.some((p) => p.id === t.id)).length;
    input.onEvent({ type: "plan-spec-finished", spec: group.id, tasks: reply.value.value, kept });
  }
  return { ok: true, plan: { tasks }, calls };
}

