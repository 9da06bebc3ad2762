// The audit screen's findings: a header with the open count, the run's
// progress, the table (grouped by spec, the cursor's row kept in view) and,
// for the selected finding, where it points, the spec lines there and its
// issue, suggestion and reason in the rows that are left.

import { Box, Text } from "ink";
import type { ReactElement } from "react";
import type { Finding } from "../../src/audit/findings.js";
import { cell, plural } from "../format.js";
import { usePlain } from "../plain-mode.js";
import { CURSOR, inColor, severityTone, theme, toneColor } from "../theme.js";
import { progressLines } from "./audit-progress.js";
import { EXCERPT_AROUND, excerptLines, findingColumns, findingDetailLines, specLabel } from "./finding-lines.js";
import type { AuditViewHandle } from "./use-audit-view.js";

interface FindingsViewProps {
  findings: Finding[];
  cursor: number;
  /** The selected finding's spec file, once read. */
  specText: string | undefined;
  audit: Pick<AuditViewHandle, "view" | "paced">;
  /** The line that says a fix is being asked for, above the selected finding. */
  askingLine: ReactElement | null;
  /** Rows the view may use, header included. */
  height: number;
  width: number;
}

export function FindingsView({ findings, cursor, specText, audit, askingLine, height, width }: FindingsViewProps) {
  const plain = usePlain();
  const { view, paced } = audit;
  const progress = progressLines(view, Math.max(1, Math.floor(height / 4)), plain, paced);
  const header = (
    <Text bold wrap="truncate-end">
      Findings · {findings.filter((f) => f.status === "open").length} open of {plural(findings.length, "finding")}
      <Text dimColor> · R audits · f asks for a fix</Text>
    </Text>
  );
  if (findings.length === 0) {
    return (
      <Box flexDirection="column">
        {header}
        {progress}
        {view.run.phase === "idle" ? <Text>No findings yet. R asks the audit model to look for gaps and contradictions in the specs.</Text> : null}
      </Box>
    );
  }

  const selected = findings[Math.min(cursor, findings.length - 1)];
  const excerpt = selected && specText !== undefined ? excerptLines(specText, selected.line, EXCERPT_AROUND) : [];
  const detail = selected ? findingDetailLines(selected, width - 2) : [];
  const fixed = (askingLine ? 1 : 0) + 1 + excerpt.length;
  const detailRows = Math.min(detail.length, Math.max(1, height - 1 - progress.length - fixed - 3));
  const listRows = Math.max(1, height - 1 - progress.length - fixed - detailRows);
  const first = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), findings.length - listRows));
  const [specWidth, idWidth, severityWidth, statusWidth] = findingColumns(findings, width - 2);
  return (
    <Box flexDirection="column">
      {header}
      {progress}
      {findings.slice(first, first + listRows).map((f, i) => {
        const showSpec = first + i === 0 || findings[first + i - 1]!.spec !== f.spec;
        return (
          <Text key={f.id} wrap="truncate-end" dimColor={f.status !== "open"}>
            {first + i === cursor ? CURSOR : " "} {specWidth > 0 ? `${cell(showSpec ? specLabel(f) : "", specWidth)} ` : ""}
            {cell(f.id, idWidth)} <Text {...inColor(toneColor(severityTone(f.severity)))}>{cell(f.severity, severityWidth)}</Text> {statusWidth > 0 ? `${cell(f.status, statusWidth)} ` : ""}
            {f.issue}
          </Text>
        );
      })}
      {selected ? (
        <Box flexDirection="column">
          {askingLine}
          <Text wrap="truncate-end" color={theme.accent}>
            {selected.file}:{selected.line} § {selected.section}
          </Text>
          {excerpt.map((l) => (
            <Text key={l.number} wrap="truncate-end" dimColor={l.number !== selected.line}>
              {l.number === selected.line ? CURSOR : " "}
              {String(l.number).padStart(4)} │ {l.text}
            </Text>
          ))}
          {detail.slice(0, detailRows).map((line, i) => (
            <Text key={i}>{line === "" ? " " : line}</Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
