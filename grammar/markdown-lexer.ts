// The line-level tokens shared by SMD and AMD. Every token is one whole source
// line including its "\n" (a paragraph, a bullet with its continuation lines
// and a fenced code block are one token spanning their lines), so every token
// starts at a line start. Each line is classified once from its first
// characters. (This was a chevrotain Lexer with one custom matcher per token
// type, trying up to eleven at every line; with the CST parser and visitor
// behind it, that pipeline was most of a cold `validate` — see outline.ts.)

import { fenceAt } from "./fence-line.js";

/** What a body line is, decided from its first characters only. */
type BodyLineKind = "blank" | "fence" | "h1" | "h2" | "h3" | "field" | "path" | "bullet" | "text";
type FrontmatterLineKind = "close" | "blank" | "comment" | "item" | "entry" | "other";

/** Payload of a Fence token, computed while matching so the visitor never rescans. */
export interface FencePayload {
  fence: string;
  info: string;
  /** Offsets of the content lines inside the token's text (relative to the input). */
  contentStart: number;
  contentEnd: number;
  closed: boolean;
}

// --- line classification -----------------------------------------------------

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/** Index of the first non-space character, or -1 when the line is blank. */
function firstNonSpace(text: string, offset: number, end: number): number {
  for (let i = offset; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) return i;
  }
  return -1;
}

/** Length of the run of `ch` starting at i. */
function runLength(text: string, i: number, end: number, ch: number): number {
  let j = i;
  while (j < end && text.charCodeAt(j) === ch) j++;
  return j - i;
}

const BACKTICK = 96;
const TILDE = 126;
const HASH = 35;

function classifyBodyLine(text: string, offset: number, end: number): BodyLineKind {
  const i = firstNonSpace(text, offset, end);
  if (i === -1) return "blank";
  // Four spaces or a tab of indentation is continuation text (indented code, nested list), never a construct.
  if (i - offset > 3 || text.charCodeAt(offset) === 9) return "text";
  for (let k = offset; k < i; k++) if (text.charCodeAt(k) === 9) return "text";
  const c = text.charCodeAt(i);
  if (c === BACKTICK || c === TILDE) return fenceAt(text, offset, end) !== undefined ? "fence" : "text";
  if (c === HASH) {
    const run = runLength(text, i, end, HASH);
    const after = i + run;
    if (after < end && !isSpace(text.charCodeAt(after))) return "text";
    if (run === 1) return "h1";
    if (run === 2) return "h2";
    if (run === 3) return "h3";
    return "text";
  }
  if (c === 42 /* * */ && text.charCodeAt(i + 1) === 42) return fieldLabelEnd(text, i, end) > 0 ? "field" : "text";
  if (c === 64 /* @ */ && text.startsWith("@path:", i)) return "path";
  if (c === 45 /* - */ || c === 42 /* * */ || c === 43 /* + */) {
    return i + 1 === end || isSpace(text.charCodeAt(i + 1)) ? "bullet" : "text";
  }
  if (c >= 48 && c <= 57) return orderedMarkerEnd(text, i, end) > 0 ? "bullet" : "text";
  return "text";
}

/**
 * For `**Label:**` or `**Label**:` at i, the offset just after the closing
 * asterisks/colon; 0 when the line does not start with a field label.
 */
export function fieldLabelEnd(text: string, i: number, end: number): number {
  // Labels are short; bounding the scan keeps a long bold paragraph from costing a full-line search.
  const limit = Math.min(end, i + 2 + 60);
  for (let j = i + 2; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === 42) {
      // "**Label**:" form.
      if (text.charCodeAt(j + 1) === 42 && text.charCodeAt(j + 2) === 58 && j > i + 2) return j + 3;
      return 0;
    }
    if (c === 58 /* : */ && text.charCodeAt(j + 1) === 42 && text.charCodeAt(j + 2) === 42) {
      return j > i + 2 ? j + 3 : 0;
    }
  }
  return 0;
}

/** For an ordered list marker (`12.` / `3)` followed by a space) at i, the marker's end; else 0. */
export function orderedMarkerEnd(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
  if (j === i || j >= end) return 0;
  const c = text.charCodeAt(j);
  if (c !== 46 && c !== 41) return 0;
  return j + 1 === end || isSpace(text.charCodeAt(j + 1)) ? j + 1 : 0;
}

function classifyFrontmatterLine(text: string, offset: number, end: number): FrontmatterLineKind {
  const i = firstNonSpace(text, offset, end);
  if (i === -1) return "blank";
  const c = text.charCodeAt(i);
  if (i === offset && text.startsWith("---", i) && firstNonSpace(text, i + 3, end) === -1) return "close";
  if (c === HASH) return "comment";
  if (c === 45 && (i + 1 === end || isSpace(text.charCodeAt(i + 1)))) return "item";
  if (i === offset && /^[A-Za-z_][A-Za-z0-9_-]*[ \t]*:/.test(text.slice(i, Math.min(end, i + 80)))) return "entry";
  return "other";
}

// --- fences ---------------------------------------------------------------------
// Which lines are fences is fence-line.ts's rule, shared with the reply parser.
// Here a block closes at the first closer, as CommonMark says: specs are
// written by people and read by Markdown renderers, which do exactly that.

interface Closer {
  lineStart: number;
  lineEnd: number;
  length: number;
}

/**
 * Every line of the text that could close a fence (only fence characters after
 * at most three spaces), built once per text. Looking a closer up here instead
 * of scanning forward from each opener keeps a file full of unterminated
 * fences linear.
 */
let closerIndex: { text: string; backtick: Closer[]; tilde: Closer[] } = { text: "", backtick: [], tilde: [] };

function closersFor(text: string, ch: number): Closer[] {
  if (closerIndex.text !== text) {
    const backtick: Closer[] = [];
    const tilde: Closer[] = [];
    for (let start = 0; start <= text.length; ) {
      const end = lineEnd(text, start);
      const fence = fenceAt(text, start, end);
      if (fence !== undefined && fence.info === "") {
        (fence.char === "`" ? backtick : tilde).push({ lineStart: start, lineEnd: end, length: fence.length });
      }
      if (end >= text.length) break;
      start = end + 1;
    }
    closerIndex = { text, backtick, tilde };
  }
  return ch === BACKTICK ? closerIndex.backtick : closerIndex.tilde;
}

function findCloser(text: string, ch: number, length: number, after: number): Closer | undefined {
  const closers = closersFor(text, ch);
  let lo = 0;
  let hi = closers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (closers[mid]!.lineStart <= after) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < closers.length; k++) if (closers[k]!.length >= length) return closers[k];
  return undefined;
}

const H2_LINE = /\n {0,3}##(?=[ \t\n]|$)/g;

/** A fenced block opening at `offset` (a line classified "fence"): where its token ends, and its payload. */
function matchFence(text: string, offset: number, lineEndAt: number): { end: number; payload: FencePayload } {
  const open = fenceAt(text, offset, lineEndAt)!;
  const i = offset + open.indent;
  const ch = text.charCodeAt(i);
  const length = open.length;
  const contentStart = Math.min(lineEndAt + 1, text.length);
  const closer = findCloser(text, ch, length, offset);
  let tokenEnd: number;
  let contentEnd: number;
  if (closer) {
    tokenEnd = Math.min(closer.lineEnd + 1, text.length);
    contentEnd = Math.max(contentStart, closer.lineStart - 1);
  } else {
    // Unterminated: CommonMark runs it to the end of the file, which would hide
    // every later section. Stopping before the next `##` heading lets the rest
    // of the file be checked too; the fence is reported as unterminated anyway.
    H2_LINE.lastIndex = lineEndAt;
    const h2 = lineEndAt < text.length ? H2_LINE.exec(text) : null;
    tokenEnd = h2 ? h2.index + 1 : text.length;
    contentEnd = text.charCodeAt(tokenEnd - 1) === 10 ? tokenEnd - 1 : tokenEnd;
    contentEnd = Math.max(contentStart, contentEnd);
  }
  return {
    end: tokenEnd,
    payload: { fence: text.slice(i, i + length), info: open.info, contentStart, contentEnd, closed: closer !== undefined },
  };
}

// --- frontmatter delimiters ----------------------------------------------------------

const CLOSING_DELIMITER = /\n---[ \t]*(?:\n|$)/g;

/** `---` as the first non-blank line of the file opens frontmatter. */
function frontmatterOpenAt(text: string, offset: number, tokens: readonly LineToken[]): { end: number; closed: boolean } | undefined {
  // Blank lines are skipped tokens, so "first non-blank line" means "no token yet".
  if (text.charCodeAt(offset) !== 45 || tokens.length > 0) return undefined;
  const end = lineEnd(text, offset);
  if (!text.startsWith("---", offset) || firstNonSpace(text, offset + 3, end) !== -1) return undefined;
  CLOSING_DELIMITER.lastIndex = end;
  return { end, closed: end < text.length && CLOSING_DELIMITER.exec(text) !== null };
}

// --- tokens ------------------------------------------------------------------------------

export type TokenKind =
  /** `---` opening frontmatter that has a closing `---` further down. */
  | "FmOpen"
  /** `---` at the top of the file with no closing `---`: reported, and the rest is parsed as the body. */
  | "FmOpenUnclosed"
  | "FmClose"
  | "FmBlank"
  | "FmComment"
  | "FmItem"
  | "FmEntry"
  | "FmOther"
  | "Fence"
  | "H1"
  | "H2"
  | "H3"
  | "Field"
  | "PathDirective"
  /** A list item and the text lines right after it (markdown's lazy continuation). */
  | "Bullet"
  /** Consecutive prose lines: one paragraph. */
  | "Paragraph";

/** One token: its first line's kind, its text (newline included) and where it is. */
export interface LineToken {
  kind: TokenKind;
  image: string;
  startOffset: number;
  /** 1-based. */
  startLine: number;
  /** The line of its last character (its final "\n" sits on the line it ends). */
  endLine: number;
  /** Fences only. */
  payload?: FencePayload;
}

const FRONTMATTER_TOKENS: Record<FrontmatterLineKind, TokenKind> = { close: "FmClose", blank: "FmBlank", comment: "FmComment", item: "FmItem", entry: "FmEntry", other: "FmOther" };
const BODY_LINE_TOKENS: Record<"h1" | "h2" | "h3" | "field" | "path", TokenKind> = { h1: "H1", h2: "H2", h3: "H3", field: "Field", path: "PathDirective" };

// --- the scanner -----------------------------------------------------------------

/** The tokens of normalised spec text (see normalizeSource), in order. Blank lines make none. */
export function tokenizeSpec(text: string): LineToken[] {
  const tokens: LineToken[] = [];
  let offset = 0;
  let line = 1;
  let inFrontmatter = false;
  /** `lines`: how many lines the token spans, when the caller counted them. */
  const push = (kind: TokenKind, end: number, payload?: FencePayload, lines?: number): void => {
    const image = text.slice(offset, end);
    let breaks = 0;
    if (lines === undefined) for (let i = image.indexOf("\n"); i !== -1; i = image.indexOf("\n", i + 1)) breaks++;
    else breaks = end > 0 && text.charCodeAt(end - 1) === 10 ? lines : lines - 1;
    const endLine = line + breaks - (end > 0 && text.charCodeAt(end - 1) === 10 ? 1 : 0);
    const token: LineToken = { kind, image, startOffset: offset, startLine: line, endLine };
    if (payload) token.payload = payload;
    tokens.push(token);
    line += breaks;
    offset = end;
  };
  const afterLine = (end: number) => (end < text.length ? end + 1 : end);
  while (offset < text.length) {
    const end = lineEnd(text, offset);
    if (inFrontmatter) {
      const kind = classifyFrontmatterLine(text, offset, end);
      if (kind === "close") inFrontmatter = false;
      push(FRONTMATTER_TOKENS[kind], afterLine(end));
      continue;
    }
    const open = frontmatterOpenAt(text, offset, tokens);
    if (open) {
      inFrontmatter = open.closed;
      push(open.closed ? "FmOpen" : "FmOpenUnclosed", afterLine(open.end));
      continue;
    }
    const kind = classifyBodyLine(text, offset, end);
    if (kind === "fence") {
      const fence = matchFence(text, offset, end);
      push("Fence", fence.end, fence.payload);
    } else if (kind === "blank" || kind === "bullet" || kind === "text") {
      // A run: blank lines (no token: they carry no structure), a bullet and its
      // continuation lines, a paragraph's lines.
      const more = kind === "blank" ? "blank" : "text";
      let last = end;
      let lines = 1;
      while (last < text.length) {
        const next = last + 1;
        const nextEnd = lineEnd(text, next);
        if (next >= text.length || classifyBodyLine(text, next, nextEnd) !== more) break;
        last = nextEnd;
        lines++;
      }
      const stop = afterLine(last);
      if (kind === "blank") {
        line += stop > last ? lines : lines - 1;
        offset = stop;
      } else push(kind === "bullet" ? "Bullet" : "Paragraph", stop, undefined, lines);
    } else {
      push(BODY_LINE_TOKENS[kind], afterLine(end), undefined, 1);
    }
  }
  return tokens;
}
