// `specwright status`: every task of the plan with its state, whether it is
// up to date, and why not. Needs no model.

import { taskRecord } from "../../build/build-state.js";
import type { DependencyOutputs } from "../../build/engine.js";
import { staleReasons } from "../../build/freshness.js";
import type { Task } from "../../../plans/plan.js";
import { parseCommand } from "../args.js";
import { commandContext, loadCommandConfig } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { formatTable } from "../table.js";
import { loadBuildContext, type BuildContext } from "./build-context.js";

export interface TaskStatusRow {
  id: string;
  title: string;
  spec: string;
  state: string;
  upToDate: boolean;
  reasons: string[];
  attempts?: number;
  commit?: string;
  trace?: string;
  error?: string;
}

export function dependencyOutputsOf(task: Task, b: BuildContext): DependencyOutputs {
  return Object.fromEntries(task.dependsOn.map((d) => [d, { ...(taskRecord(b.state, d)?.outputs ?? {}) }]));
}

export async function taskStatuses(b: BuildContext): Promise<TaskStatusRow[]> {
  const rows: TaskStatusRow[] = [];
  for (const task of b.plan.tasks) {
    const record = taskRecord(b.state, task.id);
    const base = { id: task.id, title: task.title, spec: task.spec };
    if (task.status === "skip") {
      rows.push({ ...base, state: "skip", upToDate: true, reasons: [] });
      continue;
    }
    const prepared = await b.prepare(task, dependencyOutputsOf(task, b));
    const reasons = prepared.problem ? [prepared.problem] : await staleReasons(task, prepared.key, record, b.outputDir);
    rows.push({
      ...base,
      state: !record ? (task.status === "manual" ? "manual" : "pending") : record.status === "written" ? "interrupted" : record.status,
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

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("status", args, {});
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const outcome = await loadCommandConfig(ctx);
  if (!outcome.ok) return outcome.exitCode;
  const b = await loadBuildContext(ctx, outcome.loaded);
  if (!b) return EXIT.failure;
  const rows = await taskStatuses(b);
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ tasks: rows }, null, 2) + "\n");
    return EXIT.ok;
  }
  const table = formatTable(
    ["ID", "TITLE", "STATE", "UP TO DATE", "COMMIT", "WHY NOT"],
    rows.map((r) => [r.id, r.title, r.state === "rolled-back" ? "rolled back" : r.state, r.upToDate ? "yes" : "no", r.commit?.slice(0, 8) ?? "-", r.reasons.join("; ") || "-"]),
  );
  const stale = rows.filter((r) => !r.upToDate).length;
  process.stdout.write(`${table}\n\n${stale === 0 ? "everything is up to date" : `${stale} task${stale === 1 ? "" : "s"} to build — \`specwright build\``}\n`);
  return EXIT.ok;
}
