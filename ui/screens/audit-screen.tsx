// Audit: run an audit with per-spec progress and the model's state; findings
// grouped by spec and severity; per finding the spec lines it points at.
// Ask the fixer for a fix, review it as a diff, then apply, edit or reject it;
// dismiss with a reason, accept as is, reopen, undo an applied fix — all
// saved to findings.json through the same engine as `specwright audit`.

import { Box, Text } from "ink";
import { useCallback, useRef, useState } from "react";
import { readFindingSource } from "../../src/audit/findings-file.js";
import type { Finding } from "../../src/audit/findings.js";
import { undoProjectFix } from "../../src/audit/run-project-audit.js";
import { useActions, useProject, useScreenCommands, useScreenSelection } from "../app-context.js";
import { auditCommandWhy } from "../audit/audit-availability.js";
import { progressLines } from "../audit/audit-progress.js";
import { EXCERPT_AROUND, excerptLines, findingColumns, findingDetailLines, findingSelection, specLabel } from "../audit/finding-lines.js";
import { useAuditRun } from "../audit/use-audit-run.js";
import { useAuditView } from "../audit/use-audit-view.js";
import { useFixReview } from "../audit/use-fix-review.js";
import { loadFindings, triageFinding, type FindingsData } from "../data/findings-data.js";
import { cell, plural } from "../format.js";
import { usePlain } from "../plain-mode.js";
import { CURSOR, inColor, severityTone, theme, toneColor } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function AuditScreen({ active, height, width }: ScreenProps) {
  const plain = usePlain();
  const { loaded } = useProject();
  const actions = useActions();
  const root = loaded?.root;
  const load = useCallback(() => loadFindings(root!), [root]);
  const [data, reload] = useLoader<FindingsData>(root ? load : undefined, [root, active]);
  const audit = useAuditView();
  const { view, live: liveView, paced } = audit;
  const [cursor, setCursorState] = useState(0);
  const cursorRef = useRef(0);
  const findings = data.value?.ok ? data.value.findings : [];
  const findingsRef = useRef(findings);
  findingsRef.current = findings;
  const setCursor = (next: number) => {
    cursorRef.current = Math.max(0, Math.min(next, findingsRef.current.length - 1));
    setCursorState(cursorRef.current);
  };
  const selected = findings[Math.min(cursor, findings.length - 1)];
  const selectedFile = selected?.file;
  const loadSpec = useCallback(async () => (root && selectedFile ? readFindingSource(root, selectedFile) : undefined), [root, selectedFile]);
  const [specText, reloadSpec] = useLoader<string | undefined>(root && selectedFile ? loadSpec : undefined, [root, selectedFile]);

  const current = (): Finding | undefined => findingsRef.current[Math.min(cursorRef.current, findingsRef.current.length - 1)];
  const refresh = () => {
    reload();
    reloadSpec();
  };
  const settle = async (problem: Promise<string | undefined>, done: string) => {
    const p = await problem;
    actions.flash(p ?? done);
    refresh();
  };

  const startAudit = useAuditRun(audit, refresh);

  const fix = useFixReview({ audit, findings, refresh, height, width });
  useScreenSelection("audit", () => findingSelection(current()));

  useScreenCommands("audit", (command) => {
    const finding = current();
    if (fix.handle(command, finding)) return true;
    switch (command) {
      case "cursor.up":
        setCursor(cursorRef.current - 1);
        return true;
      case "cursor.down":
        setCursor(cursorRef.current + 1);
        return true;
      case "cursor.first":
        setCursor(0);
        return true;
      case "cursor.last":
        setCursor(findingsRef.current.length - 1);
        return true;
      case "reload":
        refresh();
        return true;
      case "audit.run":
        startAudit();
        return true;
      case "audit.undo":
        if (root && finding) {
          void undoProjectFix(root, finding.id).then((r) => {
            actions.flash(r.ok ? `${finding.id}: fix undone in ${r.file}; the finding is open again` : r.message);
            refresh();
          });
        }
        return true;
      case "audit.dismiss":
        if (root && finding) {
          void actions.prompt(`Why dismiss ${finding.id}?`, "", "a reason is required · Enter saves · Esc cancels").then((reason) => {
            if (reason !== undefined) void settle(triageFinding(root, finding.id, { action: "dismiss", reason }), `${finding.id} dismissed`);
          });
        }
        return true;
      case "audit.accept":
        if (root && finding) void settle(triageFinding(root, finding.id, { action: "accept" }), `${finding.id} accepted as is`);
        return true;
      case "audit.reopen":
        if (root && finding) void settle(triageFinding(root, finding.id, { action: "reopen" }), `${finding.id} reopened`);
        return true;
      case "page.up":
      case "page.down":
        setCursor(cursorRef.current + (command === "page.up" ? -1 : 1) * Math.max(1, Math.floor(height / 3)));
        return true;
      default:
        return false;
    }
  }, (command) => auditCommandWhy(command, liveView().fix, current()));

  if (!root || (data.state === "loading" && !data.value)) return <Text dimColor>reading findings…</Text>;
  if (data.value && !data.value.ok) return <Text color={theme.error}>{data.value.problem}</Text>;

  if (fix.view) return fix.view;

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

  const excerpt = selected && specText.value !== undefined ? excerptLines(specText.value, selected.line, EXCERPT_AROUND) : [];
  const fixLine = fix.askingLine;
  const detail = selected ? findingDetailLines(selected, width - 2) : [];
  const fixed = (fixLine ? 1 : 0) + 1 + excerpt.length;
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
          {fixLine}
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
