// The audit screen's findings, grouped by spec then severity, and triage
// written back to findings.json by the core (under the run lock, re-read
// there, so a concurrent change to another finding is kept).

import { readFindings } from "../../src/audit/findings-file.js";
import type { Finding, TriageAction } from "../../src/audit/findings.js";
import { triageProjectFinding } from "../../src/audit/run-project-audit.js";

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
  const saved = await triageProjectFinding(root, id, change);
  return saved.ok ? undefined : saved.message;
}
