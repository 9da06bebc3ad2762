// A line diff for showing changes to people: a proposed spec fix, two
// attempts of one task. jsdiff's Myers diff over the lines between the common
// prefix and suffix (its cost grows with the number of changed lines, not with
// the length of the texts), grouped into unified-diff hunks. Pure.

import { diffArrays } from "diff";

export type DiffLine =
  | { kind: "context"; text: string; oldLine: number; newLine: number }
  | { kind: "removed"; text: string; oldLine: number }
  | { kind: "added"; text: string; newLine: number };

export interface DiffHunk {
  /** 1-based first line and length in the old and new text, as a `@@` header says. */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/**
 * Above this many removed plus added lines the middle is shown as all-removed
 * then all-added rather than aligned: the texts are mostly different then, and
 * Myers' cost grows with the square of the edits (giving up at 500 took
 * 140–200 ms on a loaded 2-core machine; 2,000 took 2.3 s).
 */
const MAX_EDITS = 500;

function linesOf(text: string): string[] {
  const body = text.replace(/\r\n?/g, "\n");
  if (body === "") return [];
  return (body.endsWith("\n") ? body.slice(0, -1) : body).split("\n");
}

/** Every line of both texts, in order, marked as kept, removed or added. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = linesOf(before);
  const b = linesOf(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: "context", text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  out.push(...middle(a.slice(start, endA), b.slice(start, endB), start));
  for (let i = endA, j = endB; i < a.length; i++, j++) out.push({ kind: "context", text: a[i]!, oldLine: i + 1, newLine: j + 1 });
  return out;
}

function middle(a: string[], b: string[], offset: number): DiffLine[] {
  const changes = diffArrays(a, b, { maxEditLength: MAX_EDITS });
  if (changes === undefined) {
    return [...a.map((text, i): DiffLine => ({ kind: "removed", text, oldLine: offset + i + 1 })), ...b.map((text, j): DiffLine => ({ kind: "added", text, newLine: offset + j + 1 }))];
  }
  const out: DiffLine[] = [];
  let oldLine = offset;
  let newLine = offset;
  for (const change of changes) {
    for (const text of change.value) {
      if (change.removed) out.push({ kind: "removed", text, oldLine: ++oldLine });
      else if (change.added) out.push({ kind: "added", text, newLine: ++newLine });
      else out.push({ kind: "context", text, oldLine: ++oldLine, newLine: ++newLine });
    }
  }
  // Removals before additions within a change read better: "-old / +new".
  return regroup(out);
}

function regroup(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    out.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.kind === "removed") removed.push(line);
    else if (line.kind === "added") added.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}

/** The changed lines with `context` unchanged lines around them, as unified-diff hunks. */
export function diffHunks(before: string, after: string, context = 3): DiffHunk[] {
  const lines = diffLines(before, after);
  const hunks: DiffHunk[] = [];
  let current: DiffLine[] = [];
  let lastChange = -1;
  const close = () => {
    if (current.length === 0) return;
    current.push(...lines.slice(lastChange + 1, lastChange + 1 + context));
    hunks.push(hunkOf(current));
    current = [];
  };
  lines.forEach((line, index) => {
    if (line.kind === "context") return;
    if (current.length > 0 && index - lastChange > 2 * context + 1) close();
    if (current.length === 0) current = lines.slice(Math.max(0, index - context, lastChange + 1), index);
    else current.push(...lines.slice(lastChange + 1, index));
    current.push(line);
    lastChange = index;
  });
  close();
  return hunks;
}

function hunkOf(lines: DiffLine[]): DiffHunk {
  const olds = lines.filter((l): l is Extract<DiffLine, { oldLine: number }> => l.kind !== "added");
  const news = lines.filter((l): l is Extract<DiffLine, { newLine: number }> => l.kind !== "removed");
  return { oldStart: olds[0]?.oldLine ?? 0, oldLines: olds.length, newStart: news[0]?.newLine ?? 0, newLines: news.length, lines };
}

/** `@@ -a,b +c,d @@` then ` `, `-` and `+` lines: what `diff -u` prints, without the file header. */
export function unifiedDiff(before: string, after: string, context = 3): string[] {
  return diffHunks(before, after, context).flatMap((h) => [
    `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
    ...h.lines.map((l) => (l.kind === "context" ? ` ${l.text}` : l.kind === "removed" ? `-${l.text}` : `+${l.text}`)),
  ]);
}
