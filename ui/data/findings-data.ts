// The audit screen's findings, grouped by spec then severity, and triage
// written back to findings.json (re-read first, so a concurrent change to
// another finding is kept).

import { readFindings, writeFindings } from "../../src/audit/findings-file.js";
import { triage, type Finding, type TriageAction } from "../../src/audit/findings.js";

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;
const STATUS_RANK = { open: 0, accepted: 1, dismissed: 2, fixed: 3 } as const;

export type FindingsData = { ok: true; findings: Finding[] } | { ok: false; problem: string };

export async function loadFindings(root: string): Promise<FindingsData> {
  const load = await readFindings(root);
  if (!load.ok) return { ok: false, problem: load.problem };
  return { ok: true, findings: sortFindings(load.file.findings) };
}

/** By spec, then open before settled, then severity, then line: how the screen groups them. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.spec.localeCompare(b.spec) ||
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line,
  );
}

/** Applies a triage decision to one finding and saves the file; returns a problem when it cannot. */
export async function triageFinding(root: string, id: string, change: TriageAction): Promise<string | undefined> {
  const load = await readFindings(root);
  if (!load.ok) return load.problem;
  const finding = load.file.findings.find((f) => f.id === id);
  if (!finding) return `finding ${id} is no longer in findings.json`;
  const problem = triage(finding, change, new Date().toISOString());
  if (problem) return problem;
  await writeFindings(root, load.file);
  return undefined;
}
