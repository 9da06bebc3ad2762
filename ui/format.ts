// Text helpers the screens share: diagnostics as plain lines with their source
// excerpt, hard wrapping to the terminal width, and short numbers.

import { renderDiagnostic, sortDiagnostics, splitLines, plainStyle, type Diagnostic } from "../grammar/diagnostic.js";

/** Each diagnostic as `file:line:col: severity: message`, its source line and caret, and its hint. */
export function diagnosticLines(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string> | readonly [string, string][]): string[] {
  return renderedDiagnostics(diagnostics, sources).flatMap((r) => r.lines);
}

/** A diagnostic's rows at a width: `whole` with its source excerpt and caret, `prose` its message and hint only. */
export interface DiagnosticBlock {
  whole: string[];
  prose: string[];
}

/**
 * Each diagnostic's lines as diagnosticLines gives them, its message and hint
 * (sentences) wrapped at `width` under a hanging indent; the source excerpt and
 * caret stay one row each (code: a view cuts them, a caret must stay under its column).
 */
export function diagnosticBlocks(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string> | readonly [string, string][], width: number): DiagnosticBlock[] {
  return renderedDiagnostics(diagnostics, sources).map(({ d, lines }) => {
    const at = d.hint ? lines.findIndex((line, i) => i > 0 && line.startsWith("  hint: ")) : -1;
    const hint = at === -1 ? [] : lines.slice(at).flatMap((line) => wrapHanging(line, width, "        "));
    const message = wrapHanging(lines[0]!, width, "    ");
    return { whole: [...message, ...lines.slice(1, at === -1 ? undefined : at), ...hint], prose: [...message, ...hint] };
  });
}

/**
 * Diagnostics in `rows`, first to last: each whole, or without its excerpt
 * when only its sentences fit; those that do not fit are counted on a last
 * row by `more` (so none is cut without a word).
 */
export function fitDiagnostics(blocks: readonly DiagnosticBlock[], rows: number, more: (count: number) => string): string[] {
  const out: string[] = [];
  let shown = 0;
  for (const block of blocks) {
    // A row for the count when more follow.
    const left = rows - out.length - (shown < blocks.length - 1 ? 1 : 0);
    const fits = block.whole.length <= left ? block.whole : block.prose.length <= left ? block.prose : undefined;
    if (!fits) break;
    out.push(...fits);
    shown++;
  }
  return shown < blocks.length && out.length < rows ? [...out, more(blocks.length - shown)] : out;
}

function renderedDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string> | readonly [string, string][]): { d: Diagnostic; lines: string[] }[] {
  const texts = new Map(sources instanceof Map ? sources : (sources as readonly [string, string][]));
  const lines = new Map<string, string[]>();
  const sourceLine = (file: string, line: number): string | undefined => {
    if (!lines.has(file)) {
      const text = texts.get(file);
      if (text === undefined) return undefined;
      lines.set(file, splitLines(text.replace(/^\uFEFF/, "")));
    }
    return lines.get(file)?.[line - 1];
  };
  return sortDiagnostics(diagnostics).map((d) => ({ d, lines: splitLines(renderDiagnostic(d, sourceLine(d.file, d.line), plainStyle)) }));
}

/** Splits text into lines no wider than `width` (tabs as four spaces), so a scrolled view shows every character: for code, logs and traces (prose wraps at words: wrapProse). */
export function wrapLines(text: string, width: number): string[] {
  const w = Math.max(10, width);
  const out: string[] = [];
  for (const raw of splitLines(text.replace(/\t/g, "    "))) {
    if (raw.length <= w) out.push(raw);
    else for (let i = 0; i < raw.length; i += w) out.push(raw.slice(i, i + w));
  }
  return out;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

/** Pads or cuts to exactly `width` characters (an ellipsis marks a cut). */
export function cell(text: string, width: number): string {
  if (width <= 0) return "";
  if (text.length <= width) return text.padEnd(width);
  return text.slice(0, Math.max(0, width - 1)) + "…";
}

/** Splits at spaces so no line is wider than `width` (a longer word is cut into pieces): where wrapStyled breaks, one routine for all prose, without its 10-column floor. */
export function wrapWords(text: string, width: number): string[] {
  return breakRanges(text, Math.max(1, width), Math.max(1, width)).map(([start, end]) => text.slice(start, end));
}

/** Prose (a finding, a suggestion) in lines no wider than `width`, broken between words, each paragraph on its own line. */
export function wrapProse(text: string, width: number): string[] {
  const w = Math.max(10, width);
  return splitLines(text).flatMap((paragraph) => wrapWords(paragraph, w));
}

/** A run of text with one style (Ink `<Text>` props), as a styled line is built from. */
export interface Styled<S> {
  text: string;
  style: S;
}

/**
 * A styled line of prose in lines no wider than `width`, broken between words:
 * the first line at the margin, the rest after `indent` (a label's value that
 * runs on under itself). Each piece keeps the style of the text it came from.
 * Runs of spaces at a break are dropped; a word longer than a line is cut.
 */
export function wrapStyled<S>(parts: readonly Styled<S>[], width: number, indent = ""): Styled<S>[][] {
  const text = parts.map((p) => p.text).join("");
  const first = Math.max(10, width);
  const rest = Math.max(10, width - indent.length);
  return breakRanges(text, first, rest).map(([start, end], i) => {
    // A second line exists only when there was text, so parts[0] is there.
    const line: Styled<S>[] = i === 0 || indent === "" ? [] : [{ text: indent, style: parts[0]!.style }];
    let at = 0;
    for (const part of parts) {
      const from = Math.max(start, at);
      const to = Math.min(end, at + part.text.length);
      if (to > from) line.push({ text: text.slice(from, to), style: part.style });
      at += part.text.length;
    }
    return line;
  });
}

/** A styled line that would wrap, in one row when rows are short: as much as fits between words, then " …" in `mark`'s style. */
export function cutStyled<S>(parts: readonly Styled<S>[], width: number, mark: S): Styled<S>[] {
  const whole = wrapStyled(parts, width);
  return whole.length <= 1 ? whole[0]! : [...wrapStyled(parts, width - 2)[0]!, { text: " …", style: mark }];
}

/** Plain prose wrapped as wrapStyled does: the first line at the margin, the rest after `indent`. */
export function wrapHanging(text: string, width: number, indent = ""): string[] {
  return wrapStyled([{ text, style: undefined }], width, indent).map((line) => line.map((p) => p.text).join(""));
}

/**
 * Wrapped lines (each a block of rows) in `rows`: all of them, or the first
 * and the last lines whole with a row between saying how many lines are left
 * out. When not even one whole line fits at each end (a single long paragraph),
 * rows stand for lines. Never a line cut without saying so.
 */
export function elideLines(blocks: readonly (readonly string[])[], rows: number): string[] {
  const total = blocks.reduce((n, b) => n + b.length, 0);
  if (total <= rows) return blocks.flat();
  if (rows <= 1) return [`… ${plural(blocks.length, "line")} left out`].slice(0, Math.max(0, rows));
  const shown = rows - 1;
  const ends = (units: readonly (readonly string[])[]) => {
    let head = 0;
    let used = 0;
    while (head < units.length && used + units[head]!.length <= Math.ceil(shown / 2)) used += units[head++]!.length;
    let tail = units.length;
    while (tail > head && used + units[tail - 1]!.length <= shown) used += units[--tail]!.length;
    // Rows the end did not need go to the start.
    while (head < tail && used + units[head]!.length <= shown) used += units[head++]!.length;
    return { units, head, tail };
  };
  let cut = ends(blocks);
  if (cut.head === 0 || cut.tail === blocks.length) cut = ends(blocks.flat().map((row) => [row]));
  const { units, head, tail } = cut;
  return [...units.slice(0, head).flat(), `… ${plural(tail - head, "line")} left out …`, ...units.slice(tail).flat()];
}

/** Where one paragraph breaks: [start, end) of each line, the first up to `first` wide, the rest up to `rest`. */
function breakRanges(text: string, first: number, rest: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (;;) {
    const w = out.length === 0 ? first : rest;
    if (text.length - start <= w) break;
    // The last space that leaves words on this line (a padded column's leading spaces do not count).
    let space = text.lastIndexOf(" ", start + w);
    while (space > start && text[space - 1] === " ") space--;
    const end = space > start && text.slice(start, space).trim() !== "" ? space : start + w;
    out.push([start, end]);
    start = end;
    while (text[start] === " ") start++;
    // Spaces that end the text end it on the line before them, not on an empty one.
    if (start === text.length) return out;
  }
  out.push([start, text.length]);
  return out;
}
