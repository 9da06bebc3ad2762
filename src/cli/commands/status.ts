// `specwright status`: every task of the plan with its state, whether it is
// up to date, and why not. Needs no model.

import { taskStatuses } from "../../build/task-status.js";
import { parseCommand } from "../args.js";
import { commandContext, loadCommandConfig } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { formatTable } from "../table.js";
import { loadBuildContext } from "../build-context.js";
import type { BuildContext } from "../../build/load-build-context.js";
import { computeCoverage, type CoverageItem } from "../../cases/coverage.js";
import { readCaseRecords } from "../../cases/case-record.js";
import type { CommandContext } from "../command-context.js";

export { taskStatuses, type TaskStatusRow } from "../../build/task-status.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("status", args, { coverage: { type: "boolean" } });
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const outcome = await loadCommandConfig(ctx);
  if (!outcome.ok) return outcome.exitCode;
  const b = await loadBuildContext(ctx, outcome.loaded);
  if (!b) return EXIT.failure;
  if (parsed.values.coverage === true) return coverage(ctx, b);
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

/** `smd:26`: the extension is enough while the spec has one file of that kind; else the file's name. */
function where(item: CoverageItem, items: readonly CoverageItem[]): string {
  const ext = item.file.slice(item.file.lastIndexOf(".") + 1);
  const alone = new Set(items.filter((i) => i.spec === item.spec && i.file.endsWith(`.${ext}`)).map((i) => i.file)).size === 1;
  return `${alone ? ext : item.file.slice(item.file.lastIndexOf("/") + 1)}:${item.line}`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `status --coverage`: every spec item, the tasks that reference it, what checks it and its last result. */
async function coverage(ctx: CommandContext, b: BuildContext): Promise<number> {
  const items = computeCoverage({ groups: b.groups, plan: b.plan, state: b.state, units: b.units, owners: b.cases, caseRecords: await readCaseRecords(b.root) });
  const count = (f: (i: CoverageItem) => boolean) => items.filter(f).length;
  const summary = {
    items: items.length,
    pass: count((i) => i.result === "pass"),
    fail: count((i) => i.result === "fail"),
    notRun: count((i) => i.result === "not-run"),
    unchecked: count((i) => i.result === "unchecked" && !i.noVerify),
    unreferenced: count((i) => i.tasks.length === 0 && !i.noVerify),
  };
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ items, summary }, null, 2) + "\n");
    return EXIT.ok;
  }
  const checks = (i: CoverageItem) => {
    const n = (k: string) => i.checks.filter((c) => c.kind === k).length;
    const parts = [n("verify") ? `${n("verify")} verify` : "", n("case") ? `${n("case")} case${n("case") === 1 ? "" : "s"}` : "", n("judge") ? "judge" : ""].filter(Boolean);
    return parts.join(", ") || "-";
  };
  const result = (i: CoverageItem) => (i.noVerify ? "no-verify" : i.result === "fail" ? ctx.out.red("FAIL") : i.result === "pass" ? ctx.out.green("pass") : i.result === "unchecked" ? ctx.out.yellow("unchecked") : "not run");
  const out: string[] = [];
  for (const spec of [...new Set(items.map((i) => i.spec))]) {
    out.push(ctx.out.bold(spec));
    out.push(
      formatTable(
        ["ITEM", "TASKS", "CHECKED BY", "RESULT", "WHERE"],
        items.filter((i) => i.spec === spec).map((i) => [shorten(i.kind === "case" ? `case ${i.text}` : i.id, 26), i.tasks.join(",") || ctx.out.yellow("none"), checks(i), result(i), where(i, items)]),
      ),
      "",
    );
  }
  out.push(`(WHERE: the line in the spec's .smd, .amd or .vmd file; --json gives paths)`, `${summary.items} items: ${summary.pass} pass, ${summary.fail} fail, ${summary.notRun} not run, ${summary.unchecked} unchecked; ${summary.unreferenced} referenced by no task${summary.unreferenced > 0 ? " (`specwright plan --check` lists them)" : ""}`);
  process.stdout.write(out.join("\n") + "\n");
  return EXIT.ok;
}
