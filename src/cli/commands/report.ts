// `specwright report [RUN…] [--since DATE] [--json]`: what the build runs'
// traces say about tasks, models and the trend, with hints. No model.

import { describeReportSince, parseSince } from "../../report/since.js";
import type { Report } from "../../report/build-report.js";
import { reportProject } from "../../report/project-report.js";
import { runsDir } from "../../traces/run-folder.js";
import { parseCommand, UsageError } from "../args.js";
import { openProject, type CommandContext } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { formatTable } from "../table.js";
import { describeCalls, modelCells, percent, seconds, tokens } from "../../report/report-format.js";

export async function run(args: string[]): Promise<number> {
  let since: Date | undefined;
  const parsed = parseCommand("report", args, { since: { type: "string" } }, Number.MAX_SAFE_INTEGER, (p) => {
    if (p.values.since !== undefined) {
      since = parseSince(p.values.since, new Date());
      if (since === undefined) throw new UsageError(`--since '${p.values.since}' is not a date`, "give a date (2026-11-20), a time (2026-11-20T10:00Z) or an age (7d, 12h)");
    }
  });
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded: { root } } = project;
  const result = await reportProject(root, { runs: parsed.positionals, ...(since ? { since } : {}) });
  if (!result.ok) {
    process.stderr.write(`specwright: ${result.message} — hint: ${result.hint}\n`);
    return EXIT.failure;
  }
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ runsDir: runsDir(root), ...(since ? { since: since.toISOString() } : {}), ...result.report }, null, 2) + "\n");
    return EXIT.ok;
  }
  process.stdout.write(renderReport(ctx, result.report, since) + "\n");
  return EXIT.ok;
}

export function renderReport(ctx: Pick<CommandContext, "out">, report: Report, since?: Date): string {
  const out: string[] = [];
  if (report.runs.length === 0) {
    return since ? `No build runs since ${describeReportSince(since)}.` : "No build runs recorded yet: `specwright build` records one.";
  }
  const first = report.runs[0]!.startedAt.slice(0, 16).replace("T", " ");
  const last = report.runs[report.runs.length - 1]!.startedAt.slice(0, 16).replace("T", " ");
  // The calls are every model call in the runs' folders, as `specwright traces` counts them; attempts are one kind.
  out.push(
    ctx.out.bold(`Report over ${plural(report.totals.runs, "build run")}`) +
      `, ${first === last ? first : `${first} → ${last}`} UTC: ${plural(report.totals.taskRuns, "task build")}, ${describeCalls(report.totals)}`,
  );
  const scripted = report.runs.filter((r) => r.scriptedDemo).length;
  if (scripted > 0) out.push(`${plural(scripted, "run")} talked to the scripted demo, not a model.`);

  out.push("", ctx.out.bold("Tasks"));
  const reviewed = report.tasks.some((t) => t.reviews !== undefined);
  out.push(
    formatTable(
      ["TASK", "RUNS", "ATTEMPTS", "FIRST TRY", "AFTER FIXES", "FAILED", "LAST RUN", "PROMPT", "OUTPUT", "CACHE", "TIME", ...(reviewed ? ["REVIEW"] : [])],
      report.tasks.map((t) => [
        t.task,
        String(t.runs),
        t.meanAttempts.toFixed(1),
        String(t.firstTry),
        t.passedAfterFixes === 0 ? "0" : `${t.passedAfterFixes} (${t.meanFixes.toFixed(1)} fixes)`,
        String(t.failed),
        t.last,
        tokens(t.promptTokens),
        tokens(t.evalTokens),
        percent(t.cacheShare),
        seconds(t.timeMs),
        ...(reviewed ? [t.reviews ? `${t.reviews.pass} pass · ${t.reviews.fail} fail` : "–"] : []),
      ]),
    ),
  );
  const recurring = report.tasks.flatMap((t) => t.recurring.map((r) => [t.task, `${r.count}×`, r.fingerprint.slice(0, 8), r.headline]));
  if (recurring.length > 0) out.push("", ctx.out.bold("Recurring failures"), formatTable(["TASK", "SEEN", "FINGERPRINT", "FIRST ERROR LINE (normalised)"], recurring));
  if (report.crossTask.length > 0) {
    out.push("", ctx.out.bold("Failures shared by several tasks"), formatTable(["TASKS", "ATTEMPTS", "FIRST ERROR LINE (normalised)"], report.crossTask.map((f) => [f.tasks.join(","), String(f.attempts), f.headline])));
  }

  out.push("", ctx.out.bold("Models"));
  out.push(
    formatTable(
      ["MODEL", "QUANT", "TASKS", "FIRST TRY", "FINAL", "ATTEMPTS", "TOK/S", "PROMPT EVAL"],
      report.models.map(modelCells),
    ),
  );

  out.push("", ctx.out.bold("Runs"));
  // ATTEMPTS only when some run made other calls (reviews): otherwise it is CALLS again.
  const attemptsApart = report.totals.attempts !== report.totals.calls;
  out.push(
    formatTable(
      ["RUN", "TASKS", "FIRST TRY", "PASSED", "FAILED", "CALLS", ...(attemptsApart ? ["ATTEMPTS"] : []), "TOKENS", "TIME", "MODELS"],
      report.runs.map((r) => [
        r.id + (r.unfinished ? " (unfinished)" : "") + (r.scriptedDemo ? " (scripted)" : ""),
        String(r.tasks),
        String(r.firstTry),
        String(r.passed),
        String(r.failed) + (r.interrupted > 0 ? ` +${r.interrupted} interrupted` : ""),
        String(r.calls),
        ...(attemptsApart ? [String(r.attempts)] : []),
        tokens(r.promptTokens + r.evalTokens),
        seconds(r.timeMs),
        r.models.join(", "),
      ]),
    ),
  );
  if (attemptsApart) out.push("  CALLS: every model call of the run, as `specwright traces` counts them; ATTEMPTS, TOKENS and TIME: its build attempts");
  if (report.trend) {
    const t = report.trend;
    out.push(`  first-try pass rate ${percent(t.firstTryRate.first)} → ${percent(t.firstTryRate.last)}, final ${percent(t.finalRate.first)} → ${percent(t.finalRate.last)} (first run → last of ${t.runs})`);
  }
  out.push("", ctx.out.bold("Hints"));
  if (report.hints.length === 0) out.push("  none: no task needed fixes in most runs, no failure repeats across tasks, no prompt filled half its context, no thinking ran out");
  else for (const h of report.hints) out.push(`  - ${h.message}`);
  return out.join("\n");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
