// The plan screen's findings view: the plan judge's PLAN-n findings, open
// first, one line each with the task it is about (ids never cut: `audit
// --dismiss` needs them whole), and the selected one's issue, suggestion and
// triage reason underneath. Triage is the screen's (through the core).

import { Box, Text } from "ink";
import type { PlanFinding, PlanReviewFindings } from "../data/plan-data.js";
import { cell, plural, wrapWords } from "../format.js";
import { fitColumns, widest } from "../table-columns.js";
import { CURSOR, inColor, severityTone, theme, toneColor } from "../theme.js";

export interface PlanFindingsViewProps {
  review: PlanReviewFindings;
  cursor: number;
  /** Rows for the whole view. */
  height: number;
  width: number;
}

/** `uncovered`, `too-large`, `weak-verify`, `other`: the first word of the finding's section. */
export function findingKind(f: PlanFinding): string {
  return f.finding.section.split(" ")[0] ?? "";
}

export function PlanFindingsView({ review, cursor, height, width }: PlanFindingsViewProps) {
  if (!review.ok) return <Text color={theme.error}>{review.problem}</Text>;
  const findings = review.findings;
  const count = (status: string) => findings.filter((f) => f.finding.status === status).length;
  const header = (
    <Text bold wrap="truncate-end">
      Plan review · {count("open")} open of {plural(findings.length, "finding")}
      <Text dimColor> · R reviews again · d dismiss · a accept · o reopen · Esc back</Text>
    </Text>
  );
  if (findings.length === 0) {
    return (
      <Box flexDirection="column">
        {header}
        <Text>No plan findings. R asks the plan judge (the reviewer model) whether the plan covers the specs.</Text>
      </Box>
    );
  }
  const selected = findings[Math.min(cursor, findings.length - 1)]!;
  const f = selected.finding;
  const detail = [f.issue, ...(f.suggestion ? [`suggestion: ${f.suggestion}`] : []), ...(f.reason ? [`${f.status}: ${f.reason}`] : [])].flatMap((text) => wrapWords(text, width - 2));
  const detailRows = Math.min(detail.length, Math.max(1, Math.floor((height - 2) / 3)));
  const listRows = Math.max(1, height - 2 - detailRows);
  const first = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), findings.length - listRows));
  const [idWidth, taskWidth, kindWidth, statusWidth] = fitColumns(
    [
      { natural: widest(findings.map((x) => x.finding.id)), whole: true },
      { natural: widest(findings.map((x) => x.task ?? "-")), whole: true },
      { natural: widest(findings.map(findingKind)), min: 0, giveWay: 2 },
      { natural: widest(findings.map((x) => x.finding.status)), min: 0, giveWay: 1 },
      { natural: 30, min: 16, giveWay: 3 },
    ],
    width - 2,
  ) as [number, number, number, number, number];
  return (
    <Box flexDirection="column">
      {header}
      {findings.slice(first, first + listRows).map((x, i) => (
        <Text key={x.finding.id} wrap="truncate-end" dimColor={x.finding.status === "dismissed"}>
          {first + i === cursor ? CURSOR : " "} {cell(x.finding.id, idWidth)} {cell(x.task ?? "-", taskWidth)}{" "}
          {kindWidth > 0 ? <Text {...inColor(toneColor(severityTone(x.finding.severity)))}>{cell(findingKind(x), kindWidth)} </Text> : null}
          {statusWidth > 0 ? `${cell(x.finding.status, statusWidth)} ` : ""}
          {x.finding.issue}
        </Text>
      ))}
      <Text wrap="truncate-end" color={theme.accent}>
        {f.id} · {f.file}:{f.line} § {f.section}
      </Text>
      {detail.slice(0, detailRows).map((line, i) => (
        <Text key={i}>{line === "" ? " " : line}</Text>
      ))}
    </Box>
  );
}
