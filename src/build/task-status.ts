// Every task of the plan with its state, whether it is up to date, and why
// not: what `specwright status` prints and the TUI's overview and plan show.

import { dependencyOutputs, taskRecord } from "./build-state.js";
import { recordedState, type TaskState } from "./task-state.js";
import { staleReasons } from "./freshness.js";
import type { BuildContext } from "./load-build-context.js";

export interface TaskStatusRow {
  id: string;
  title: string;
  spec: string;
  state: TaskState;
  upToDate: boolean;
  reasons: string[];
  attempts?: number;
  commit?: string;
  trace?: string;
  error?: string;
}

export async function taskStatuses(b: BuildContext): Promise<TaskStatusRow[]> {
  const rows: TaskStatusRow[] = [];
  for (const task of b.plan.tasks) {
    const record = taskRecord(b.state, task.id);
    const base = { id: task.id, title: task.title, spec: task.spec };
    if (task.status === "skip") {
      rows.push({ ...base, state: "skipped", upToDate: true, reasons: [] });
      continue;
    }
    const prepared = await b.prepare(task, dependencyOutputs(b.state, task));
    const reasons = prepared.problem ? [prepared.problem] : await staleReasons(task, prepared.key, record, b.outputDir);
    rows.push({
      ...base,
      state: !record ? (task.status === "manual" ? "manual" : "pending") : recordedState(record.status),
      upToDate: reasons.length === 0,
      reasons,
      ...(record?.attempts !== undefined ? { attempts: record.attempts } : {}),
      ...(record?.commit ? { commit: record.commit } : {}),
      ...(record?.trace ? { trace: record.trace } : {}),
      ...(record?.error ? { error: record.error } : {}),
    });
  }
  return rows;
}
