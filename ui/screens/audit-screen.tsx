// Audit: run an audit with per-spec progress and the model's state; findings
// grouped by spec and severity; per finding the spec lines it points at.
// Ask the fixer for a fix, review it as a diff, then apply, edit or reject it;
// dismiss with a reason, accept as is, reopen, undo an applied fix — all
// saved to findings.json through the same engine as `specwright audit`.
// The rooms are in ui/audit/; this screen loads the findings, composes them
// and routes the keys.

import { Text } from "ink";
import { useCallback } from "react";
import { readFindingSource } from "../../src/audit/findings-file.js";
import { useProject, useScreenCommands, useScreenSelection } from "../app-context.js";
import { auditCommandWhy } from "../audit/audit-availability.js";
import { findingSelection } from "../audit/finding-lines.js";
import { FindingsView } from "../audit/findings-view.js";
import { useAuditRun } from "../audit/use-audit-run.js";
import { useAuditView } from "../audit/use-audit-view.js";
import { useFindingCursor } from "../audit/use-finding-cursor.js";
import { useFindingTriage } from "../audit/use-finding-triage.js";
import { useFixReview } from "../audit/use-fix-review.js";
import { loadFindings, type FindingsData } from "../data/findings-data.js";
import { theme } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function AuditScreen({ active, height, width }: ScreenProps) {
  const { loaded } = useProject();
  const root = loaded?.root;
  const load = useCallback(() => loadFindings(root!), [root]);
  const [data, reload] = useLoader<FindingsData>(root ? load : undefined, [root, active]);
  const findings = data.value?.ok ? data.value.findings : [];
  const list = useFindingCursor(findings);
  const selectedFile = list.selected?.file;
  const loadSpec = useCallback(async () => (root && selectedFile ? readFindingSource(root, selectedFile) : undefined), [root, selectedFile]);
  const [specText, reloadSpec] = useLoader<string | undefined>(root && selectedFile ? loadSpec : undefined, [root, selectedFile]);
  const refresh = () => {
    reload();
    reloadSpec();
  };

  const audit = useAuditView();
  const startAudit = useAuditRun(audit, refresh);
  const fix = useFixReview({ audit, findings, refresh, height, width });
  const triage = useFindingTriage(refresh);

  useScreenSelection("audit", () => findingSelection(list.current()));
  useScreenCommands(
    "audit",
    (command) => {
      const finding = list.current();
      // A proposed fix takes every key; the other rooms' keys do not overlap.
      if (fix.handle(command, finding) || triage(command, finding) || list.handle(command, Math.max(1, Math.floor(height / 3)))) return true;
      if (command === "reload") refresh();
      else if (command === "audit.run") startAudit();
      else return false;
      return true;
    },
    (command) => auditCommandWhy(command, audit.live().fix, list.current()),
  );

  if (!root || (data.state === "loading" && !data.value)) return <Text dimColor>reading findings…</Text>;
  if (data.value && !data.value.ok) return <Text color={theme.error}>{data.value.problem}</Text>;
  if (fix.view) return fix.view;
  return <FindingsView findings={findings} cursor={list.cursor} specText={specText.value} audit={audit} askingLine={fix.askingLine} height={height} width={width} />;
}
