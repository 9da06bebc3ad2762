// Text helpers the screens share: diagnostics as plain lines with their source
// excerpt, hard wrapping to the terminal width, and short numbers.

import { renderDiagnostic, sortDiagnostics, splitLines, plainStyle, type Diagnostic } from "../grammar/diagnostic.js";

/** Each diagnostic as `file:line:col: severity: message`, its source line and caret, and its hint. */
export function diagnosticLines(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string> | readonly [string, string][]): string[] {
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
  return sortDiagnostics(diagnostics).flatMap((d) => splitLines(renderDiagnostic(d, sourceLine(d.file, d.line), plainStyle)));
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

/** Splits at spaces so no line is wider than `width` (a longer word is cut into pieces). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line === "" ? word : `${line} ${word}`;
    if (next.length <= width) {
      line = next;
      continue;
    }
    if (line !== "") lines.push(line);
    let rest = word;
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line = rest;
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/** Prose (a finding, a suggestion) in lines no wider than `width`, broken between words, each paragraph on its own line. */
export function wrapProse(text: string, width: number): string[] {
  const w = Math.max(10, width);
  return splitLines(text).flatMap((paragraph) => wrapWords(paragraph, w));
}
