// Audit findings and their triage: the shape of .specwright/findings.json,
// how a re-audit's findings are matched to earlier ones (so a finding keeps
// its id and its triage across re-audits), and the triage transitions.
// Pure: reading and writing the file is findings-file.ts.

export type FindingSeverity = "error" | "warning" | "info";
export type FindingStatus = "open" | "fixed" | "dismissed" | "accepted";

/** What the auditor reports, before it has an id. */
export interface FindingReport {
  severity: FindingSeverity;
  /** Spec file path, relative to the project root. */
  file: string;
  line: number;
  section: string;
  issue: string;
  suggestion: string;
}

export interface FindingEvent {
  at: string;
  event: "raised" | "seen-again" | "moved" | "no-longer-reported" | "reopened" | "fixed" | "fix-undone" | "dismissed" | "accepted";
  detail?: string;
}

export interface Finding extends FindingReport {
  /** Stable id, e.g. "YEP-3": the spec id and a number never reused within the spec. */
  id: string;
  /** The spec (SMD id), or "*" for a cross-spec finding. */
  spec: string;
  status: FindingStatus;
  /** Why it was dismissed, or how it was settled. */
  reason?: string;
  history: FindingEvent[];
}

export interface AuditCacheEntry {
  /** Hash of the spec's files, the audit model (name and digest) and the audit prompt version. */
  key: string;
  auditedAt: string;
  findings: number;
}

export interface FindingsFile {
  version: 1;
  /** Per spec id (and "*" for the cross-spec audit): what the last audit saw. */
  audits: Record<string, AuditCacheEntry>;
  findings: Finding[];
  /** Per spec: the next number for a new finding id. */
  counters: Record<string, number>;
}

export function emptyFindings(): FindingsFile {
  return { version: 1, audits: {}, findings: [], counters: {} };
}

const STOPWORDS = new Set(["the", "for", "and", "does", "with", "that", "this", "are", "was", "has", "have", "its", "from", "when", "what", "which"]);

/**
 * Content words cut to five letters: a crude stem that makes "specified" and
 * "specify", "division" and "divisions" the same word.
 */
function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(/[`*_"'()[\]{}.,;:!?]/g, " ")
      .split(/\s+/)
      .filter((w) => w.length > 2 && !STOPWORDS.has(w))
      .map((w) => w.slice(0, 5)),
  );
}

/** Word-set overlap (Jaccard) of two issue texts: models rephrase the same finding between audits. */
export function issueSimilarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 && y.size === 0) return 1;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Below this overlap, a reported finding is a new one, not a rephrasing of an old one. */
export const SAME_FINDING_SIMILARITY = 0.45;

function matchScore(old: Finding, report: FindingReport): number {
  if (old.file !== report.file) return 0;
  const similarity = issueSimilarity(old.issue, report.issue);
  if (similarity < SAME_FINDING_SIMILARITY) return 0;
  const sameSection = old.section.toLowerCase() === report.section.toLowerCase() ? 0.2 : 0;
  const near = Math.max(0, 0.2 - Math.abs(old.line - report.line) / 100);
  return similarity + sameSection + near;
}

/**
 * Merges one spec's fresh audit into the file. A reported finding that matches
 * an earlier one (same file, similar issue text; section and line proximity
 * break ties) keeps its id and triage: a dismissed or accepted finding stays
 * so, a fixed one that is reported again is reopened. Earlier open findings
 * that the audit no longer reports are marked fixed.
 */
export function mergeAudit(file: FindingsFile, spec: string, reports: FindingReport[], at: string): { added: Finding[]; kept: Finding[]; resolved: Finding[] } {
  const previous = file.findings.filter((f) => f.spec === spec);
  const unmatched = new Set(previous);
  const added: Finding[] = [];
  const kept: Finding[] = [];
  for (const report of reports) {
    let best: Finding | undefined;
    let bestScore = 0;
    for (const candidate of unmatched) {
      const score = matchScore(candidate, report);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best) {
      unmatched.delete(best);
      const moved = best.line !== report.line;
      Object.assign(best, { severity: report.severity, line: report.line, section: report.section, issue: report.issue, suggestion: report.suggestion });
      if (best.status === "fixed") {
        best.status = "open";
        best.history.push({ at, event: "reopened", detail: "reported again by the audit" });
      } else {
        best.history.push(moved ? { at, event: "moved", detail: `now at line ${report.line}` } : { at, event: "seen-again" });
      }
      kept.push(best);
    } else {
      const n = (file.counters[spec] ?? 0) + 1;
      file.counters[spec] = n;
      const finding: Finding = {
        id: `${spec === "*" ? "X" : spec === "plan" ? "PLAN" : spec}-${n}`,
        spec,
        ...report,
        status: "open",
        history: [{ at, event: "raised" }],
      };
      file.findings.push(finding);
      added.push(finding);
    }
  }
  const resolved: Finding[] = [];
  for (const old of unmatched) {
    if (old.status !== "open") continue;
    old.status = "fixed";
    old.history.push({ at, event: "no-longer-reported", detail: "the audit of the changed spec does not report it any more" });
    resolved.push(old);
  }
  return { added, kept, resolved };
}

export type TriageAction =
  | { action: "dismiss"; reason: string }
  | { action: "accept"; reason?: string }
  | { action: "reopen" }
  | { action: "fixed"; detail: string }
  | { action: "fix-undone"; detail: string };

/** Applies a person's (or a fix's) decision to a finding; returns an error message when it does not apply. */
export function triage(finding: Finding, change: TriageAction, at: string): string | undefined {
  switch (change.action) {
    case "dismiss":
      if (change.reason.trim() === "") return "a dismissal needs a reason";
      finding.status = "dismissed";
      finding.reason = change.reason;
      finding.history.push({ at, event: "dismissed", detail: change.reason });
      return undefined;
    case "accept":
      finding.status = "accepted";
      if (change.reason !== undefined) finding.reason = change.reason;
      finding.history.push({ at, event: "accepted", ...(change.reason !== undefined ? { detail: change.reason } : {}) });
      return undefined;
    case "reopen":
      finding.status = "open";
      delete finding.reason;
      finding.history.push({ at, event: "reopened" });
      return undefined;
    case "fixed":
      finding.status = "fixed";
      finding.history.push({ at, event: "fixed", detail: change.detail });
      return undefined;
    case "fix-undone":
      finding.status = "open";
      finding.history.push({ at, event: "fix-undone", detail: change.detail });
      return undefined;
  }
}

/** Findings that still block: open errors. */
export function openErrors(file: FindingsFile): Finding[] {
  return file.findings.filter((f) => f.status === "open" && f.severity === "error");
}
