// A fix to a spec is a search/replace edit proposed by the fixer model. This
// module applies one to a spec's text (the search text must occur exactly
// once), marks what the model added as `[inferred]` so a person confirms it,
// and reverses an applied edit for `audit --undo`. Pure: text in, text out.

export interface SpecEdit {
  /** Text that occurs exactly once in the spec file. */
  search: string;
  /** What replaces it. */
  replace: string;
}

export type EditResult = { ok: true; text: string; markedReplace: string } | { ok: false; problem: string };

const BULLET = /^(\s*)([-*+]|\d+[.)])(\s+)(.*)$/;
const HEADING = /^(#{3,6})\s+(.*)$/;
const MARKER = /\[inferred\]/i;

function occurrences(haystack: string, needle: string): number {
  if (needle === "") return 0;
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) count++;
  return count;
}

/**
 * Marks the lines an edit adds: a new bullet gets a leading `[inferred]`, a new
 * `###` heading a trailing one. Other new text (prose, field values) cannot
 * carry a marker of its own, so the requirement heading above it is marked.
 * Returns the marked replacement and whether the enclosing heading needs a mark.
 */
export function markInferred(search: string, replace: string): { text: string; markEnclosingHeading: boolean } {
  const before = new Set(search.split("\n").map((l) => l.trim()));
  let markEnclosingHeading = false;
  const lines = replace.split("\n").map((line) => {
    if (line.trim() === "" || before.has(line.trim()) || MARKER.test(line)) return line;
    const bullet = BULLET.exec(line);
    if (bullet) return `${bullet[1]}${bullet[2]}${bullet[3]}[inferred] ${bullet[4]}`;
    const heading = HEADING.exec(line);
    if (heading) return `${line.trimEnd()} [inferred]`;
    if (/^```|^~~~/.test(line.trim())) return line;
    markEnclosingHeading = true;
    return line;
  });
  return { text: lines.join("\n"), markEnclosingHeading };
}

/**
 * Applies an edit: the search text must occur exactly once. Line endings of
 * the file are kept (a model writes \n; a CRLF file gets CRLF).
 */
export function applySpecEdit(text: string, edit: SpecEdit, options: { markInferred: boolean }): EditResult {
  const crlf = text.includes("\r\n");
  const norm = (s: string) => s.replace(/\r\n/g, "\n");
  const body = norm(text);
  const search = norm(edit.search);
  if (search.trim() === "") return { ok: false, problem: "the edit's search text is empty" };
  const count = occurrences(body, search);
  if (count === 0) return { ok: false, problem: "the edit's search text does not occur in the spec file (it must be copied exactly, including spaces)" };
  if (count > 1) return { ok: false, problem: `the edit's search text occurs ${count} times in the spec file; it must identify one place` };
  const marked = options.markInferred ? markInferred(search, norm(edit.replace)) : { text: norm(edit.replace), markEnclosingHeading: false };
  const at = body.indexOf(search);
  let result = body.slice(0, at) + marked.text + body.slice(at + search.length);
  if (marked.markEnclosingHeading) result = markHeadingAbove(result, at);
  const out = crlf ? result.replace(/\n/g, "\r\n") : result;
  return { ok: true, text: out, markedReplace: marked.text };
}

/** Marks the nearest `###` heading at or above `offset` (inside the same `##` section) as inferred. */
function markHeadingAbove(text: string, offset: number): string {
  const lines = text.split("\n");
  let pos = 0;
  let lineIndex = 0;
  for (; lineIndex < lines.length; lineIndex++) {
    if (pos + lines[lineIndex]!.length >= offset) break;
    pos += lines[lineIndex]!.length + 1;
  }
  for (let i = Math.min(lineIndex, lines.length - 1); i >= 0; i--) {
    const line = lines[i]!;
    if (/^##\s/.test(line)) break;
    if (/^###\s/.test(line)) {
      if (!MARKER.test(line)) lines[i] = `${line.trimEnd()} [inferred]`;
      break;
    }
  }
  return lines.join("\n");
}

/**
 * Reverses an applied fix. When the file is still exactly what the fix left,
 * the backup comes back whole; otherwise the marked replacement, if it is
 * still there once, is swapped back for the original text.
 */
export function undoSpecEdit(current: string, applied: { before: string; after: string; search: string; markedReplace: string }): EditResult {
  if (current === applied.after) return { ok: true, text: applied.before, markedReplace: applied.search };
  return applySpecEdit(current, { search: applied.markedReplace, replace: applied.search }, { markInferred: false });
}
