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
    const reasons = prepared.problem ? [prepared.problem] : await staleReasons(task, prepared, record, b.outputDir);
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

/** The reason most tasks to build share, for one-line summaries (the status without a terminal, the TUI's Overview). */
export interface StaleSummary {
  /** E.g. "built with specwright-demo:scripted; the config now names qwen2.5-coder:14b". */
  reason: string;
  /** How many of the tasks to build give this reason. */
  tasks: number;
  /** How many other distinct reasons the tasks to build give. */
  otherReasons: number;
}

export function staleSummary(rows: readonly Pick<TaskStatusRow, "upToDate" | "reasons" | "state">[]): StaleSummary | undefined {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.upToDate || row.state === "skipped") continue;
    // "never built" needs no explaining next to "0 done".
    for (const reason of new Set(row.reasons)) if (reason !== "never built") counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  let best: [string, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  return best ? { reason: best[0], tasks: best[1], otherReasons: counts.size - 1 } : undefined;
}

/** The plan's tasks in four groups that add up to the whole: done (and up to date), to build, failed, skipped. */
export interface PlanCounts {
  done: number;
  toBuild: number;
  failed: number;
  skipped: number;
}

export function planCounts(rows: readonly Pick<TaskStatusRow, "state" | "upToDate">[]): PlanCounts {
  const counts: PlanCounts = { done: 0, toBuild: 0, failed: 0, skipped: 0 };
  for (const row of rows) {
    if (row.state === "skipped") counts.skipped++;
    else if (row.state === "failed") counts.failed++;
    else if (row.upToDate) counts.done++;
    else counts.toBuild++;
  }
  return counts;
}

/** "4 tasks: built with A; the config now names B" (+ "and 2 other reasons — `specwright status` lists them"). */
export function describeStale(s: StaleSummary): string {
  const others = s.otherReasons > 0 ? ` (and ${plural(s.otherReasons, "other reason")} — \`specwright status\` lists them)` : "";
  return `${s.tasks === 1 ? "1 task" : `${s.tasks} tasks`}: ${s.reason}${others}`;
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}
