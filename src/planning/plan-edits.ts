// Edits a person makes to plan.toml from the TUI (a task's status, notes or
// verify commands; its place in the order), written the way every other
// project write is: under the run lock, so a build holding it is never raced,
// and only if the file is still the text the edit was made against.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { editPlanText, moveTaskInText, type TaskChanges } from "../../plans/edit-plan-text.js";
import { PLAN_FILE } from "../../plans/plan.js";
import { fileProblem } from "../fs/file-problem.js";
import { withRunLock } from "../lock.js";
import { writePlanFile } from "./plan-file.js";

export type PlanEditResult =
  | { ok: true }
  /** Nothing was written: the file changed since it was read, is gone, the lock is held, or it cannot be written. */
  | { ok: false; reason: "changed-on-disk" | "missing" | "locked" | "unwritable"; message: string };

/** Changes one task's fields in plan.toml, keeping everything else the person wrote byte for byte. */
export function editPlanTask(root: string, expectedText: string, taskId: string, changes: TaskChanges): Promise<PlanEditResult> {
  return rewritePlan(root, expectedText, `specwright (TUI: edit ${taskId} in ${PLAN_FILE})`, (text) => editPlanText(text, taskId, changes));
}

/** Moves a task (with its comments) to `toIndex` in plan.toml. The caller checks the dependency order. */
export function movePlanTask(root: string, expectedText: string, taskId: string, toIndex: number): Promise<PlanEditResult> {
  return rewritePlan(root, expectedText, `specwright (TUI: move ${taskId} in ${PLAN_FILE})`, (text) => moveTaskInText(text, taskId, toIndex));
}

async function rewritePlan(root: string, expectedText: string, command: string, edit: (text: string) => string): Promise<PlanEditResult> {
  const path = join(root, PLAN_FILE);
  let result: PlanEditResult;
  try {
    const locked = await withRunLock(root, command, async (): Promise<PlanEditResult> => {
      let current: string;
      try {
        current = await readFile(path, "utf8");
      } catch {
        return { ok: false, reason: "missing", message: `${PLAN_FILE} is gone; reloaded` };
      }
      // Someone (an editor, another specwright) changed it since the screen read it: never overwrite that.
      if (current !== expectedText) return { ok: false, reason: "changed-on-disk", message: `${PLAN_FILE} changed on disk; reloaded it — check and press the key again` };
      await writePlanFile(root, edit(current));
      return { ok: true };
    });
    result = locked.ok ? locked.value : { ok: false, reason: "locked", message: `not saved: ${locked.message}` };
  } catch (error) {
    const problem = fileProblem(error);
    if (!problem) throw error;
    result = { ok: false, reason: "unwritable", message: `not saved: ${problem.path ?? path}: ${problem.reason}` };
  }
  return result;
}
