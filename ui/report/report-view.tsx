// The Report view of the Traces screen: `specwright report` over every build
// run of the project, one section at a time (Tasks, Failures, Models, Runs,
// Hints), scrolled with the list keys. Loads on open; r reloads.

import { Box, Text } from "ink";
import type { Loaded } from "../use-loader.js";
import type { ProjectReport } from "../../src/report/project-report.js";
import { theme } from "../theme.js";
import { REPORT_SECTIONS, SECTION_TITLES, reportLines, type ReportLine } from "./report-lines.js";
import type { ReportViewState } from "./report-view-state.js";

export interface ReportViewProps {
  /** The report as loaded by the screen (reportProject). */
  report: Loaded<ProjectReport>;
  at: ReportViewState;
  /** Rows the view may use, header included. */
  height: number;
  width: number;
}

/** The lines of the current section (the screen needs their count to bound the scroll). */
export function reportViewLines(report: Loaded<ProjectReport>, at: ReportViewState, width: number): ReportLine[] {
  const value = report.value;
  if (!value || !value.ok) return [];
  return reportLines(value.report, at.section, width);
}

export function ReportView({ report, at, height, width }: ReportViewProps) {
  const value = report.value;
  const bodyRows = Math.max(1, height - 2);
  const header = (
    <Text wrap="truncate-end">
      <Text bold>Report</Text> {REPORT_SECTIONS.map((s) => (s === at.section ? `[${SECTION_TITLES[s]}]` : ` ${SECTION_TITLES[s]} `)).join("")}
      <Text dimColor> ←→ · Esc back</Text>
    </Text>
  );
  if (report.state === "failed") return <Box flexDirection="column">{header}<Text color={theme.error}>could not read the runs: {report.error}</Text></Box>;
  if (!value) return <Box flexDirection="column">{header}<Text dimColor>reading the build runs…</Text></Box>;
  if (!value.ok) return <Box flexDirection="column">{header}<Text color={theme.error}>{value.message}</Text></Box>;
  const r = value.report;
  if (r.runs.length === 0) return <Box flexDirection="column">{header}<Text dimColor>No build runs recorded yet: a build (5, then b) records one.</Text></Box>;
  const lines = reportLines(r, at.section, width - 1);
  const shown = lines.slice(at.scroll, at.scroll + bodyRows - 1);
  return (
    <Box flexDirection="column">
      {header}
      <Text dimColor wrap="truncate-end">
        {r.totals.runs} build run{r.totals.runs === 1 ? "" : "s"} · {r.totals.taskRuns} task builds · {r.totals.calls} calls · {r.hints.length} hint{r.hints.length === 1 ? "" : "s"}
      </Text>
      {shown.map((l, i) => (
        <Text key={at.scroll + i} bold={l.tone === "header"} dimColor={l.tone === "dim"} {...(l.tone === "warning" ? { color: theme.warning } : l.tone === "error" ? { color: theme.error } : {})} wrap="truncate-end">
          {l.text === "" ? " " : l.text}
        </Text>
      ))}
      {lines.length > bodyRows - 1 ? (
        <Text dimColor>
          lines {at.scroll + 1}–{Math.min(lines.length, at.scroll + bodyRows - 1)} of {lines.length}
        </Text>
      ) : null}
    </Box>
  );
}
