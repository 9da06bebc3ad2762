// The fix flow of the audit screen: f asks the fixer model for a fix to the
// selected finding (as the app's cancellable operation); the proposal is
// reviewed as a diff, then y applies it (new text marked [inferred]), e edits
// the replacement first, n or Esc rejects it. Shaped like useReportView: a
// view, and a handler for the keys while it is open.

import { Box, Text } from "ink";
import type { ReactElement } from "react";
import type { Finding } from "../../src/audit/findings.js";
import { applyProjectFix, proposeProjectFix } from "../../src/audit/run-project-audit.js";
import type { SpecEdit } from "../../src/audit/spec-edit.js";
import { PLAN_SCOPE } from "../../src/planning/plan-review.js";
import { useActions, useProject } from "../app-context.js";
import { lineToReplacement, replacementToLine } from "../data/audit-actions.js";
import type { Command } from "../keymap.js";
import { modelActivityLine } from "../model-activity.js";
import { usePlain } from "../plain-mode.js";
import { theme } from "../theme.js";
import { DiffView, layoutDiffRows } from "../widgets/diff-view.js";
import { fixRows, type FixReview } from "./audit-view-state.js";
import type { AuditViewHandle } from "./use-audit-view.js";

type ProposedFix = Extract<FixReview, { kind: "proposed" }>;

export interface FixReviewHandle {
  /** The proposed fix as a diff under its keys, shown in place of the findings; undefined when none is proposed. */
  view: ReactElement | undefined;
  /** The line that says the fixer is being asked (and how far its answer is), or null. */
  askingLine: ReactElement | null;
  /** Handles every key while a fix is proposed, else the fix keys for the selected `finding`; false when it has no use for the key. */
  handle(command: Command, finding: Finding | undefined): boolean;
}

interface FixReviewOptions {
  audit: AuditViewHandle;
  /** The findings shown: the proposal's header names its finding's file. */
  findings: Finding[];
  /** Rereads the findings and the spec after a fix is applied. */
  refresh(): void;
  /** Rows the screen may use, header included. */
  height: number;
  width: number;
}

export function useFixReview({ audit, findings, refresh, height, width }: FixReviewOptions): FixReviewHandle {
  const plain = usePlain();
  const { loaded, env } = useProject();
  const actions = useActions();
  const { view, dispatch } = audit;
  const diffRows = Math.max(3, height - 1);

  const ask = (finding: Finding) => {
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

  const editProposal = (fix: ProposedFix) => {
    void actions
      .prompt(`Replacement text for the fix to ${fix.findingId}`, replacementToLine(fix.edit.replace), "\\n is a line break · Enter applies · Esc goes back to the proposal")
      .then((line) => {
        if (line !== undefined) void apply(fix.findingId, { search: fix.edit.search, replace: lineToReplacement(line) });
      });
  };

  /** The keys while a fix is proposed: ↑↓ and pages scroll the diff, y e n answer it, any other key says so. */
  const review = (fix: ProposedFix, command: Command): true => {
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
  };

  const handle = (command: Command, finding: Finding | undefined): boolean => {
    const fix = audit.live().fix;
    if (fix.kind === "proposed") return review(fix, command);
    switch (command) {
      case "audit.fix":
        if (finding && fix.kind === "none") ask(finding);
        return true;
      case "audit.apply":
      case "audit.edit":
      case "audit.reject":
        actions.flash(fix.kind === "asking" ? "the fixer model is still answering; Esc cancels it" : "no fix is proposed; f asks the fixer model for one");
        return true;
      default:
        return false;
    }
  };

  const proposal = view.fix;
  return {
    view: proposal.kind === "proposed" ? <FixProposalView fix={proposal} file={findings.find((f) => f.id === proposal.findingId)?.file ?? ""} height={diffRows} width={width} /> : undefined,
    askingLine:
      proposal.kind === "asking" ? (
        <Text color={theme.accent} wrap="truncate-end">
          asking the fixer for a fix to {proposal.findingId}… {modelActivityLine(view.model, plain, audit.paced) ?? ""} · Esc cancels
        </Text>
      ) : null,
    handle,
  };
}

/** A proposed fix: its finding, file and keys over the diff (or over why it does not apply), scrolled. */
function FixProposalView({ fix, file, height, width }: { fix: ProposedFix; file: string; height: number; width: number }) {
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        Fix for {fix.findingId} · {file} · {fix.check.ok ? "y apply · e edit · n reject" : "e edit · n reject"}
      </Text>
      <DiffView rows={fixRows(fix.check, fix.edit)} scroll={fix.scroll} height={height} width={width} />
    </Box>
  );
}
