// Reading, checking and writing .specwright/plan.toml. Writing an existing
// plan edits its text task by task, so people's comments and formatting in
// tasks a re-plan does not touch survive byte for byte.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { diagnostic, type Diagnostic } from "../../grammar/diagnostic.js";
import type { ProjectLayout } from "../../plans/output-path.js";
import { appendTaskToText, editPlanText, removeTaskFromText } from "../../plans/edit-plan-text.js";
import { PLAN_FILE, TASK_FIELDS, parsePlan, type Plan, type Task } from "../../plans/plan.js";
import { serializePlan } from "../../plans/serialize-plan.js";
import type { SpecIndex } from "../../plans/spec-index.js";
import { validatePlan } from "../../plans/validate-plan.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { fileProblem } from "../fs/file-problem.js";

export type PlanLoad =
  | { kind: "missing" }
  /** plan.toml exists but cannot be read (a directory, no permission): nothing may plan over it. */
  | { kind: "unreadable"; diagnostic: Diagnostic }
  | { kind: "loaded"; text: string; plan?: Plan; diagnostics: Diagnostic[]; locate: (path: readonly (string | number)[]) => { line: number; column: number; length?: number } };

export async function readPlanFile(root: string): Promise<PlanLoad> {
  let text: string;
  try {
    text = await readFile(join(root, PLAN_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    const problem = fileProblem(error);
    if (!problem) throw error;
    return { kind: "unreadable", diagnostic: diagnostic("error", PLAN_FILE, 1, 1, `cannot read ${PLAN_FILE}: ${problem.reason}`, { hint: problem.hint, code: "plan/unreadable" }) };
  }
  const parsed = parsePlan(text, PLAN_FILE);
  return {
    kind: "loaded",
    text,
    ...(parsed.plan ? { plan: parsed.plan } : {}),
    diagnostics: parsed.diagnostics,
    locate: (path) => parsed.source.locate(path),
  };
}

/** Shape and semantic diagnostics of a loaded plan, positioned in plan.toml. */
export function checkPlan(
  load: Extract<PlanLoad, { kind: "loaded" }>,
  specs: readonly SpecIndex[],
  isOnPath: (p: string) => boolean,
  layout: ProjectLayout,
): Diagnostic[] {
  if (!load.plan) return load.diagnostics;
  return [...load.diagnostics, ...validatePlan(load.plan, { file: PLAN_FILE, locate: load.locate, specs, isOnPath, layout })];
}

/**
 * The new plan.toml text: a fresh serialization when there is no file, else
 * the old text with removed tasks cut out, changed fields edited in place and
 * new tasks appended.
 */
export function planText(previous: string | undefined, before: Plan | undefined, after: Plan): string {
  if (previous === undefined || before === undefined) return serializePlan(after);
  let text = previous;
  const afterIds = new Set(after.tasks.map((t) => t.id));
  for (const task of before.tasks) if (!afterIds.has(task.id)) text = removeTaskFromText(text, task.id);
  const beforeById = new Map(before.tasks.map((t) => [t.id, t]));
  for (const task of after.tasks) {
    const old = beforeById.get(task.id);
    if (!old) {
      text = appendTaskToText(text, task);
      continue;
    }
    const changes: Partial<Task> = {};
    for (const field of TASK_FIELDS) {
      const key = field.property;
      if (key === "id" || isDeepStrictEqual(old[key], task[key])) continue;
      Object.assign(changes, { [key]: task[key] });
    }
    if (Object.keys(changes).length > 0) text = editPlanText(text, task.id, changes);
  }
  return text;
}

export async function writePlanFile(root: string, text: string): Promise<void> {
  await writeFileAtomic(join(root, PLAN_FILE), text);
}
