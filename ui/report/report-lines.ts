// The report as screen lines, one list per section, each line at most `width`
// columns: the Report view scrolls them. Pure, so a test can check what 80
// columns show without rendering.

import type { Report } from "../../src/report/build-report.js";
import { describeCalls, modelCells, percent, seconds } from "../../src/report/report-format.js";
import { cell, plural } from "../format.js";
import { fitColumns, widest } from "../table-columns.js";

export const REPORT_SECTIONS = ["tasks", "failures", "models", "runs", "hints"] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export const SECTION_TITLES: Record<ReportSection, string> = { tasks: "Tasks", failures: "Failures", models: "Models", runs: "Runs", hints: "Hints" };

/** A line and how it should look: a column header, a warning-coloured row, or plain text. */
export interface ReportLine {
  text: string;
  tone?: "header" | "warning" | "error" | "dim";
}

/**
 * The line over the sections: runs, task builds, the model calls by kind (as
 * the run list counts them) and hints, shortened until it fits `width`.
 */
export function reportHeadline(report: Report, width: number): string {
  const t = report.totals;
  const runs = plural(t.runs, "build run");
  const builds = plural(t.taskRuns, "task build");
  const hints = plural(report.hints.length, "hint");
  const forms = [
    [runs, builds, describeCalls(t), hints],
    [runs, builds, describeCalls(t, "short"), hints],
    [runs, describeCalls(t, "short"), hints],
    [runs, describeCalls(t, "short")],
  ].map((parts) => parts.join(" · "));
  return forms.find((f) => f.length <= width) ?? forms[forms.length - 1]!;
}

export function reportLines(report: Report, section: ReportSection, width: number): ReportLine[] {
  const lines = linesOf(report, section, width);
  return lines.map((l) => ({ ...l, text: l.text.length > width ? l.text.slice(0, Math.max(0, width - 1)) + "…" : l.text }));
}

function linesOf(report: Report, section: ReportSection, width: number): ReportLine[] {
  switch (section) {
    case "tasks": {
      const reviewed = report.tasks.some((t) => t.reviews !== undefined);
      const header = ["TASK", "RUNS", "ATT", "1ST", "FIXED", "FAIL", "LAST RUN", "CACHE", "TIME", ...(reviewed ? ["REVIEW"] : [])];
      const rows = report.tasks.map((t) => [
        t.task,
        String(t.runs),
        t.meanAttempts.toFixed(1),
        String(t.firstTry),
        t.passedAfterFixes === 0 ? "0" : `${t.passedAfterFixes} (${t.meanFixes.toFixed(1)})`,
        String(t.failed),
        t.last,
        percent(t.cacheShare),
        seconds(t.timeMs),
        ...(reviewed ? [t.reviews ? `${t.reviews.pass}✓ ${t.reviews.fail}✗` : "–"] : []),
      ]);
      // Each column as wide as its widest value; the task id is never cut, the last run's outcome gives way last.
      const widths = fitColumns(
        header.map((title, i) => ({
          natural: widest([title, ...rows.map((r) => r[i]!)]),
          ...(i === 0 ? { whole: true } : i === 6 ? { min: 12, giveWay: 3 } : i === 7 ? { min: 5, giveWay: 1 } : i === 8 ? { min: 5, giveWay: 2 } : { min: title.length }),
        })),
        width,
      );
      const row = (c: string[]) => c.map((value, i) => cell(value, widths[i]!)).join(" ").trimEnd();
      return [
        { text: row(header), tone: "header" },
        ...report.tasks.map((t, i) => ({
          text: row(rows[i]!),
          ...(t.failed > 0 ? { tone: "error" as const } : t.passedAfterFixes > 0 ? { tone: "warning" as const } : {}),
        })),
      ];
    }
    case "failures": {
      const out: ReportLine[] = [];
      const recurring = report.tasks.filter((t) => t.recurring.length > 0);
      if (recurring.length === 0 && report.crossTask.length === 0) return [{ text: "No failure happened twice.", tone: "dim" }];
      if (recurring.length > 0) out.push({ text: "Recurring in a task (same fingerprint)", tone: "header" });
      for (const t of recurring) for (const r of t.recurring) out.push({ text: `${cell(t.task, 6)} ${cell(`${r.count}×`, 4)} ${r.headline}` });
      if (report.crossTask.length > 0) out.push({ text: "" }, { text: "Shared by several tasks (same error line)", tone: "header" });
      for (const f of report.crossTask) out.push({ text: `${f.tasks.join(", ")} · ${plural(f.attempts, "attempt")}` }, { text: `  ${f.headline}`, tone: "dim" });
      return out;
    }
    case "models": {
      const keyWidth = Math.max(16, width - 50);
      const row = (c: string[]) => [cell(c[0]!, keyWidth), cell(c[1]!, 7), cell(c[2]!, 5), cell(c[3]!, 5), cell(c[4]!, 5), cell(c[5]!, 5), cell(c[6]!, 6), cell(c[7]!, 5)].join(" ").trimEnd();
      return [
        { text: row(["MODEL", "QUANT", "TASKS", "1ST", "FINAL", "ATT", "TOK/S", "PEVAL"]), tone: "header" },
        ...report.models.map((m) => ({ text: row(modelCells(m)) })),
        { text: "" },
        { text: "1ST/FINAL: passed first try / at all · ATT: attempts per task · PEVAL: prompt eval's share of server time", tone: "dim" },
      ];
    }
    case "runs": {
      // CALLS is the run list's number (every model call); ATT, only when it differs somewhere, the build attempts.
      const attemptsApart = report.totals.attempts !== report.totals.calls;
      const widths = [28, 5, 4, 6, 6, 5, ...(attemptsApart ? [4] : []), 10];
      const row = (c: string[]) => c.map((value, i) => cell(value, widths[i]!)).join(" ").trimEnd();
      const out: ReportLine[] = [
        { text: row(["RUN", "TASKS", "1ST", "PASSED", "FAILED", "CALLS", ...(attemptsApart ? ["ATT"] : []), "TIME"]), tone: "header" },
        ...report.runs.map((r) => ({
          text: row([r.id + (r.unfinished ? "!" : ""), String(r.tasks), String(r.firstTry), String(r.passed), String(r.failed), String(r.calls), ...(attemptsApart ? [String(r.attempts)] : []), seconds(r.timeMs)]),
          ...(r.unfinished ? { tone: "warning" as const } : {}),
        })),
      ];
      if (report.runs.some((r) => r.unfinished)) out.push({ text: "! the run did not finish (crash or kill)", tone: "dim" });
      if (attemptsApart) out.push({ text: "CALLS: every model call, as in the run list · ATT, TIME: build attempts", tone: "dim" });
      if (report.trend) {
        const t = report.trend;
        out.push({ text: "" }, { text: `first try ${percent(t.firstTryRate.first)} → ${percent(t.firstTryRate.last)} · final ${percent(t.finalRate.first)} → ${percent(t.finalRate.last)} (first → last of ${t.runs} runs)` });
      }
      return out;
    }
    case "hints": {
      if (report.hints.length === 0) return [{ text: "No hints: no task needed fixes in most runs, no failure repeats across tasks, no prompt filled half its context, no thinking ran out.", tone: "dim" }];
      const out: ReportLine[] = [];
      for (const h of report.hints) {
        wrapWords(`• ${h.message}`, width, "  ").forEach((text) => out.push({ text }));
        out.push({ text: "" });
      }
      return out;
    }
  }
}

/** Wraps at spaces; continuation lines start with `indent`. */
function wrapWords(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line === "" ? word : `${line} ${word}`;
    if (next.length > width && line !== "") {
      out.push(line);
      line = indent + word;
    } else line = next;
  }
  if (line !== "") out.push(line);
  return out;
}
