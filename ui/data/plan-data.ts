// The plan screen's data: plan.toml's text and tasks, live validation
// diagnostics, each task's build state and estimated prompt size; and the
// edits the screen makes, written through editPlanText so everything else the
// person wrote in plan.toml stays byte for byte.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { hasErrors, type Diagnostic } from "../../grammar/diagnostic.js";
import { editPlanText, type TaskChanges } from "../../plans/edit-plan-text.js";
import { PLAN_FILE, type Task } from "../../plans/plan.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { dependencyOutputsOf, taskStatuses } from "../../src/build/task-status.js";
import type { LoadedConfig } from "../../src/config/types.js";
import { makePathLookup } from "../../src/fs/path-lookup.js";
import { checkPlan, readPlanFile, writePlanFile } from "../../src/planning/plan-file.js";
import { loadProjectSpecs, specIndexOf } from "../../src/specs/project-specs.js";

export interface PlanRow {
  task: Task;
  /** The last build's result for the task (pending, done, failed…), when the plan is valid. */
  state: string | undefined;
  upToDate: boolean | undefined;
  estimatedTokens: number | undefined;
}

export type PlanData =
  | { kind: "missing" }
  | { kind: "loaded"; text: string; rows: PlanRow[]; diagnostics: Diagnostic[]; sources: [string, string][] };

export async function loadPlanData(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<PlanData> {
  const planLoad = await readPlanFile(loaded.root);
  if (planLoad.kind === "missing") return { kind: "missing" };
  const specs = await loadProjectSpecs(loaded);
  const diagnostics = hasErrors(specs.diagnostics) ? planLoad.diagnostics : checkPlan(planLoad, specs.groups.map(specIndexOf), makePathLookup(env.PATH));
  const sources: [string, string][] = [[PLAN_FILE, planLoad.text]];
  const tasks = planLoad.plan?.tasks ?? [];
  const rows: PlanRow[] = tasks.map((task) => ({ task, state: undefined, upToDate: undefined, estimatedTokens: undefined }));
  if (planLoad.plan && !hasErrors(diagnostics)) {
    const context = await readBuildContext(loaded, env);
    if (context.ok) {
      const statuses = await taskStatuses(context.context);
      for (const row of rows) {
        const status = statuses.find((s) => s.id === row.task.id);
        row.state = status?.state;
        row.upToDate = status?.upToDate;
        if (row.task.status !== "skip") {
          const prepared = await context.context.prepare(row.task, dependencyOutputsOf(row.task, context.context));
          row.estimatedTokens = prepared.estimatedTokens;
        }
      }
    } else {
      diagnostics.push(...context.diagnostics.filter((d) => !diagnostics.includes(d)));
    }
  }
  return { kind: "loaded", text: planLoad.text, rows, diagnostics, sources };
}

export type PlanEditResult = { ok: true } | { ok: false; reason: "changed-on-disk" | "missing" };

/**
 * Changes one task in plan.toml, unless the file changed since `expectedText`
 * was read (someone edited it meanwhile): then nothing is written and the
 * screen reloads, so an outside edit is never overwritten.
 */
export async function editPlanTask(root: string, expectedText: string, taskId: string, changes: TaskChanges): Promise<PlanEditResult> {
  let current: string;
  try {
    current = await readFile(join(root, PLAN_FILE), "utf8");
  } catch {
    return { ok: false, reason: "missing" };
  }
  if (current !== expectedText) return { ok: false, reason: "changed-on-disk" };
  await writePlanFile(root, editPlanText(current, taskId, changes));
  return { ok: true };
}

/** Verify commands are edited on one line, separated by " ;; " (a plain ";" belongs to the shell). */
export const VERIFY_SEPARATOR = " ;; ";

export function splitVerify(line: string): string[] {
  return line
    .split(/\s;;\s/)
    .map((c) => c.trim())
    .filter((c) => c !== "");
}
