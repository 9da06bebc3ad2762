// What the audit screen shows of a finding besides its row: the spec lines it
// points at, its issue/suggestion/reason wrapped to the screen, and the widths
// of the findings table. Pure, so a test can check 80 columns without Ink.

import { splitLines } from "../../grammar/diagnostic.js";
import type { Finding } from "../../src/audit/findings.js";
import type { ScreenSelection } from "../app-context.js";
import { wrapProse } from "../format.js";
import { fitColumns, widest } from "../table-columns.js";

/** Lines of the spec shown around the line a finding points at. */
export const EXCERPT_AROUND = 2;

/** The lines around `line` (1-based), with their numbers. */
export function excerptLines(text: string, line: number, around: number): { number: number; text: string }[] {
  const lines = splitLines(text.replace(/\r\n/g, "\n"));
  const from = Math.max(1, line - around);
  const to = Math.min(lines.length, line + around);
  const out: { number: number; text: string }[] = [];
  for (let n = from; n <= to; n++) out.push({ number: n, text: lines[n - 1] ?? "" });
  return out;
}

/** The finding's issue, suggestion and (when triaged) reason, wrapped between words to `width`. */
export function findingDetailLines(finding: Finding, width: number): string[] {
  return wrapProse(`${finding.issue}\nsuggestion: ${finding.suggestion}${finding.reason ? `\nreason: ${finding.reason}` : ""}`, width);
}

/** How a finding's spec reads in the table: a cross-spec finding has no one spec. */
export function specLabel(finding: Finding): string {
  return finding.spec === "*" ? "cross" : finding.spec;
}

/**
 * The findings table's widths: spec, id, severity, status (the issue takes the rest).
 * The id is never cut (`--dismiss` needs it whole); the spec column goes first (the id names the spec), then the status.
 */
export function findingColumns(findings: Finding[], width: number): [spec: number, id: number, severity: number, status: number] {
  const [spec, id, severity, status] = fitColumns(
    [
      { natural: widest(findings.map(specLabel)), giveWay: 1 },
      { natural: widest(findings.map((f) => f.id)), whole: true },
      { natural: 7, min: 7, whole: true },
      { natural: 9, min: 0, giveWay: 2 },
      { natural: 30, min: 20, giveWay: 3 },
    ],
    width,
  ) as [number, number, number, number, number];
  return [spec, id, severity, status];
}

/** What a request from `>` is about on the audit screen: the selected finding, and its spec unless it is cross-spec. */
export function findingSelection(finding: Finding | undefined): ScreenSelection | undefined {
  return finding ? { finding: finding.id, file: finding.file, line: finding.line, ...(finding.spec !== "*" ? { spec: finding.spec } : {}) } : undefined;
}
