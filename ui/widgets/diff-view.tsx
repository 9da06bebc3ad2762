// A scrollable unified diff: hunk headers, context, removed and added lines.
// Every line keeps its ` `/`-`/`+` marker, so the diff reads the same
// without colour (NO_COLOR); long lines wrap under their marker.

import { Box, Text } from "ink";
import type { DiffHunk } from "../../src/text/line-diff.js";
import { wrapLines } from "../format.js";
import { inColor, theme } from "../theme.js";

export interface DiffRow {
  kind: "hunk" | "context" | "removed" | "added" | "note" | "problem";
  text: string;
}

const MARK: Record<DiffRow["kind"], string> = { hunk: "", context: " ", removed: "-", added: "+", note: "", problem: "" };
const COLOR: Partial<Record<DiffRow["kind"], string>> = { hunk: theme.accent, removed: theme.error, added: theme.ok, problem: theme.error };

/** Hunks as rows: `@@ -a,b +c,d @@` then the lines. */
export function hunkRows(hunks: readonly DiffHunk[]): DiffRow[] {
  return hunks.flatMap((h) => [
    { kind: "hunk" as const, text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` },
    ...h.lines.map((l): DiffRow => ({ kind: l.kind, text: l.text })),
  ]);
}

/** The rows as they are drawn at `width`: long lines wrapped, each piece with its row's marker. */
export function layoutDiffRows(rows: readonly DiffRow[], width: number): DiffRow[] {
  return rows.flatMap((row) => {
    const mark = MARK[row.kind];
    return wrapLines(row.text, Math.max(10, width - 1 - mark.length)).map((text) => ({ kind: row.kind, text: mark + text }));
  });
}

export interface DiffViewProps {
  /** The diff's rows, before wrapping. */
  rows: readonly DiffRow[];
  /** The first drawn line shown (after wrapping). */
  scroll: number;
  /** How many lines the view may use, including its position line. */
  height: number;
  width: number;
}

export function DiffView({ rows, scroll, height, width }: DiffViewProps) {
  const lines = layoutDiffRows(rows, width);
  const shown = lines.length > height ? height - 1 : height;
  return (
    <Box flexDirection="column">
      {lines.slice(scroll, scroll + shown).map((line, i) => (
        <Text key={i} {...inColor(COLOR[line.kind])} dimColor={line.kind === "note"} wrap="truncate-end">
          {line.text === "" ? " " : line.text}
        </Text>
      ))}
      {lines.length > shown ? (
        <Text dimColor>
          lines {scroll + 1}–{Math.min(lines.length, scroll + shown)} of {lines.length} · ↑↓ PgUp PgDn scroll
        </Text>
      ) : null}
    </Box>
  );
}
