// `specwright status`: every task of the plan with its state, whether it is
// up to date, and why not. Needs no model.

import { taskStatuses } from "../../build/task-status.js";
import { parseCommand } from "../args.js";
import { EXIT } from "../exit-codes.js";
import { formatTable } from "../table.js";
import { openBuild } from "../build-context.js";
import type { BuildContext } from "../../build/load-build-context.js";
import { checksText, computeCoverage, itemLabel, resultText, whereText, type CoverageItem } from "../../cases/coverage.js";
import { readCaseRecords } from "../../cases/case-record.js";
import type { CommandContext } from "../command-context.js";
import { requiredCoverageDiagnostics } from "../../cases/required-coverage.js";
import type { LoadedConfig } from "../../config/types.js";
import { SourceLines, formatDiagnostics } from "../report-diagnostics.js";

export { taskStatuses, type TaskStatusRow } from "../../build/task-status.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("status", args, { coverage: { type: "boolean" } });
  if (typeof parsed === "number") return parsed;
  const project = await openBuild(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded, build: b } = project;
  if (parsed.values.coverage === true) return coverage(ctx, b, loaded);
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

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `status --coverage`: every spec item, the tasks that reference it, what checks it and its last result. */
async function coverage(ctx: CommandContext, b: BuildContext, loaded: LoadedConfig): Promise<number> {
  const items = computeCoverage({ groups: b.groups, plan: b.plan, state: b.state, units: b.units, owners: b.cases, caseRecords: await readCaseRecords(b.root) });
  // [test] require_coverage: a requirement no verification case covers fails the command (the table is still shown).
  const required = requiredCoverageDiagnostics(b.groups, b.plan, loaded.config.test.requireCoverage);
  const exit = required.length > 0 ? EXIT.failure : EXIT.ok;
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
    process.stdout.write(JSON.stringify({ items, summary, diagnostics: required }, null, 2) + "\n");
    return exit;
  }
  const result = (i: CoverageItem) => {
    const text = resultText(i);
    return i.noVerify ? text : i.result === "fail" ? ctx.out.red(text) : i.result === "pass" ? ctx.out.green(text) : i.result === "unchecked" ? ctx.out.yellow(text) : text;
  };
  const out: string[] = [];
  for (const spec of [...new Set(items.map((i) => i.spec))]) {
    out.push(ctx.out.bold(spec));
    out.push(
      formatTable(
        ["ITEM", "TASKS", "CHECKED BY", "RESULT", "WHERE"],
        items.filter((i) => i.spec === spec).map((i) => [shorten(itemLabel(i), 26), i.tasks.join(",") || ctx.out.yellow("none"), checksText(i), result(i), whereText(i, items)]),
      ),
      "",
    );
  }
  out.push(`(WHERE: the line in the spec's .smd, .amd or .vmd file; --json gives paths)`, `${summary.items} items: ${summary.pass} pass, ${summary.fail} fail, ${summary.notRun} not run, ${summary.unchecked} unchecked; ${summary.unreferenced} referenced by no task${summary.unreferenced > 0 ? " (`specwright plan --check` lists them)" : ""}`);
  process.stdout.write(out.join("\n") + "\n");
  if (required.length > 0) {
    const sources = new SourceLines(b.root, b.groups.map((g): [string, string] => [g.smd.file, g.smd.text]));
    process.stderr.write(`${formatDiagnostics(required, sources, ctx.err)}\nspecwright: ${required.length} requirement${required.length === 1 ? " has" : "s have"} no verification case, and [test] require_coverage is on\n`);
  }
  return exit;
}
