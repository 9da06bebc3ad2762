// Audit: run an audit with per-spec progress and the model's state; findings
// grouped by spec and severity; per finding the spec lines it points at.
// Ask the fixer for a fix, review it as a diff, then apply, edit or reject it;
// dismiss with a reason, accept as is, reopen, undo an applied fix — all
// saved to findings.json through the same engine as `specwright audit`.

import { Box, Text } from "ink";
import { useCallback, useRef, useState } from "react";
import { readFindingSource } from "../../src/audit/findings-file.js";
import type { Finding } from "../../src/audit/findings.js";
import { applyProjectFix, proposeProjectFix, undoProjectFix } from "../../src/audit/run-project-audit.js";
import type { SpecEdit } from "../../src/audit/spec-edit.js";
import { PLAN_SCOPE } from "../../src/planning/plan-review.js";
import { useActions, useProject, useScreenCommands, useScreenSelection } from "../app-context.js";
import { auditCommandWhy } from "../audit/audit-availability.js";
import { progressLines } from "../audit/audit-progress.js";
import { fixRows, type FixReview } from "../audit/audit-view-state.js";
import { useAuditRun } from "../audit/use-audit-run.js";
import { useAuditView } from "../audit/use-audit-view.js";
import { EXCERPT_AROUND, excerptLines, findingColumns, findingDetailLines, findingSelection, specLabel } from "../audit/finding-lines.js";
import { modelActivityLine } from "../model-activity.js";
import { usePlain } from "../plain-mode.js";
import { lineToReplacement, replacementToLine } from "../data/audit-actions.js";
import { loadFindings, triageFinding, type FindingsData } from "../data/findings-data.js";
import { cell, plural } from "../format.js";
import { CURSOR, inColor, severityTone, theme, toneColor } from "../theme.js";
import { useLoader } from "../use-loader.js";
import { DiffView, layoutDiffRows } from "../widgets/diff-view.js";
import type { ScreenProps } from "./screen-props.js";

export function AuditScreen({ active, height, width }: ScreenProps) {
  const plain = usePlain();
  const { loaded, env } = useProject();
  const actions = useActions();
  const root = loaded?.root;
  const load = useCallback(() => loadFindings(root!), [root]);
  const [data, reload] = useLoader<FindingsData>(root ? load : undefined, [root, active]);
  const audit = useAuditView();
  const { view, dispatch, live: liveView, paced } = audit;
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

  const askForFix = (finding: Finding) => {
    if (!loaded) return;
    if (finding.spec === "*") {
      actions.flash(`${finding.id} is a cross-spec finding; edit the specs it names (Specs screen)`);
      return;
    }
    if (finding.spec === PLAN_SCOPE) {
      actions.flash(`${finding.id} is the plan judge's finding about plan.toml; change the task on the Plan screen (4)`);
      return;
    }
    dispatch({ type: "fix-asking", findingId: finding.id });
    const modelEvents = audit.modelEvents();
    void actions
      .run(`fix ${finding.id}`, (signal) => proposeProjectFix({ loaded, env, findingId: finding.id, signal, onModelEvent: (e) => modelEvents.push(e) }))
      .then((result) => {
        modelEvents.drain();
        if (result === undefined) return dispatch({ type: "fix-closed" });
        if (result.ok) return dispatch({ type: "fix-proposed", findingId: finding.id, edit: result.edit, check: result.check });
        dispatch({ type: "fix-closed" });
        actions.flash("error" in result ? `${result.error.message} — ${result.error.hint}` : result.message);
      });
  };

  const apply = async (findingId: string, edit: SpecEdit) => {
    if (!loaded) return;
    const result = await applyProjectFix(loaded, findingId, edit);
    if (result.ok) {
      dispatch({ type: "fix-closed" });
      actions.flash(`${findingId} fixed in ${result.file}; new text marked [inferred] · u undoes`);
    } else {
      actions.flash(`not applied: ${result.message}`);
    }
    refresh();
  };

  const editProposal = (fix: Extract<FixReview, { kind: "proposed" }>) => {
    void actions
      .prompt(`Replacement text for the fix to ${fix.findingId}`, replacementToLine(fix.edit.replace), "\\n is a line break · Enter applies · Esc goes back to the proposal")
      .then((line) => {
        if (line !== undefined) void apply(fix.findingId, { search: fix.edit.search, replace: lineToReplacement(line) });
      });
  };

  const diffRows = Math.max(3, height - 1);
  useScreenSelection("audit", () => findingSelection(current()));

  useScreenCommands("audit", (command) => {
    const fix = liveView().fix;
    if (fix.kind === "proposed") {
      const total = layoutDiffRows(fixRows(fix.check, fix.edit), width).length;
      switch (command) {
        case "cursor.up":
        case "cursor.down":
          dispatch({ type: "fix-scroll", by: command === "cursor.up" ? -1 : 1, rows: diffRows - 1, total });
          return true;
        case "page.up":
        case "page.down":
          dispatch({ type: "fix-scroll", by: command === "page.up" ? -diffRows : diffRows, rows: diffRows - 1, total });
          return true;
        case "audit.apply":
          if (fix.check.ok) void apply(fix.findingId, fix.edit);
          else actions.flash("this edit does not apply as proposed; e edits it, n rejects it");
          return true;
        case "audit.edit":
          editProposal(fix);
          return true;
        case "audit.reject":
        case "back":
          dispatch({ type: "fix-closed" });
          actions.flash(`fix rejected; ${fix.findingId} is unchanged`);
          return true;
        default:
          actions.flash("y applies the fix · e edits it · n rejects it");
          return true;
      }
    }
    const finding = current();
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
      case "audit.fix":
        if (finding && fix.kind === "none") askForFix(finding);
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
      case "audit.apply":
      case "audit.edit":
      case "audit.reject":
        actions.flash(fix.kind === "asking" ? "the fixer model is still answering; Esc cancels it" : "no fix is proposed; f asks the fixer model for one");
        return true;
      default:
        return false;
    }
  }, (command) => auditCommandWhy(command, liveView().fix, current()));

  if (!root || (data.state === "loading" && !data.value)) return <Text dimColor>reading findings…</Text>;
  if (data.value && !data.value.ok) return <Text color={theme.error}>{data.value.problem}</Text>;

  const progress = progressLines(view, Math.max(1, Math.floor(height / 4)), plain, paced);
  const proposal = view.fix;
  if (proposal.kind === "proposed") {
    const finding = findings.find((f) => f.id === proposal.findingId);
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          Fix for {proposal.findingId} · {finding?.file ?? ""} · {proposal.check.ok ? "y apply · e edit · n reject" : "e edit · n reject"}
        </Text>
        <DiffView rows={fixRows(proposal.check, proposal.edit)} scroll={proposal.scroll} height={diffRows} width={width} />
      </Box>
    );
  }

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
  const fixLine =
    view.fix.kind === "asking" ? (
      <Text color={theme.accent} wrap="truncate-end">
        asking the fixer for a fix to {view.fix.findingId}… {modelActivityLine(view.model, plain, paced) ?? ""} · Esc cancels
      </Text>
    ) : null;
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
