// A line diff for showing changes to people: a proposed spec fix, two
// attempts of one task. Longest common subsequence over the lines between the
// common prefix and suffix (specs and replies are hundreds of lines, not
// hundreds of thousands), grouped into unified-diff hunks. Pure.

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

/** Above this many cells the middle is shown as all-removed then all-added rather than aligned. */
const MAX_CELLS = 4_000_000;

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
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) {
    return [...a.map((text, i): DiffLine => ({ kind: "removed", text, oldLine: offset + i + 1 })), ...b.map((text, j): DiffLine => ({ kind: "added", text, newLine: offset + j + 1 }))];
  }
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "context", text: a[i]!, oldLine: offset + i + 1, newLine: offset + j + 1 });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i * width + j + 1]! >= lcs[(i + 1) * width + j]!)) {
      out.push({ kind: "added", text: b[j]!, newLine: offset + j + 1 });
      j++;
    } else {
      out.push({ kind: "removed", text: a[i]!, oldLine: offset + i + 1 });
      i++;
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
