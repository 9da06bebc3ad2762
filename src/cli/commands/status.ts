// `specwright status`: every task of the plan with its state, whether it is
// up to date, and why not. Needs no model.

import { taskStatuses } from "../../build/task-status.js";
import { parseCommand } from "../args.js";
import { commandContext, loadCommandConfig } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { formatTable } from "../table.js";
import { loadBuildContext } from "../build-context.js";

export { taskStatuses, type TaskStatusRow } from "../../build/task-status.js";

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
