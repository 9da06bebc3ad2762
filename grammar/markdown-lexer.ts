// The line-level chevrotain lexer shared by SMD and AMD. Every token is one
// whole source line including its "\n" (a fenced code block is one token
// spanning all its lines), so every token starts at a line start. Chevrotain
// rejects `^`/`$` in token patterns, hence custom matcher functions; they
// classify each line once (cached per offset) so the ~10 token types tried at
// each line cost one classification, keeping lexing linear in the input size.

import type { CustomPatternMatcherReturn, IToken, TokenType } from "chevrotain";
import { Lexer, createToken } from "./chevrotain.js";
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

/** The matched image: the line plus its newline when there is one. */
function lineImage(text: string, offset: number, end: number): CustomPatternMatcherReturn {
  return [text.slice(offset, end < text.length ? end + 1 : end)];
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

// One-entry caches: chevrotain tries every token type at the same offset in
// turn, so the classification of the line at `offset` is computed once.
let bodyCache = { text: "", offset: -1, end: 0, kind: "text" as BodyLineKind };
let frontmatterCache = { text: "", offset: -1, end: 0, kind: "other" as FrontmatterLineKind };

function bodyLine(text: string, offset: number): { end: number; kind: BodyLineKind } {
  if (bodyCache.offset !== offset || bodyCache.text !== text) {
    const end = lineEnd(text, offset);
    bodyCache = { text, offset, end, kind: classifyBodyLine(text, offset, end) };
  }
  return bodyCache;
}

function frontmatterLine(text: string, offset: number): { end: number; kind: FrontmatterLineKind } {
  if (frontmatterCache.offset !== offset || frontmatterCache.text !== text) {
    const end = lineEnd(text, offset);
    frontmatterCache = { text, offset, end, kind: classifyFrontmatterLine(text, offset, end) };
  }
  return frontmatterCache;
}

function bodyMatcher(kind: BodyLineKind) {
  return (text: string, offset: number): CustomPatternMatcherReturn | null => {
    const line = bodyLine(text, offset);
    return line.kind === kind ? lineImage(text, offset, line.end) : null;
  };
}

/**
 * A line of kind `first` plus the following lines of kind `more`, as one
 * token: a paragraph's lines, a bullet with its continuation lines, a run of
 * blank lines. Fewer tokens make the CST (the parser's main cost) smaller.
 */
function runMatcher(first: BodyLineKind, more: BodyLineKind) {
  return (text: string, offset: number): CustomPatternMatcherReturn | null => {
    const line = bodyLine(text, offset);
    if (line.kind !== first) return null;
    let end = line.end;
    while (end < text.length) {
      const next = end + 1;
      const nextEnd = lineEnd(text, next);
      if (next >= text.length || classifyBodyLine(text, next, nextEnd) !== more) break;
      end = nextEnd;
    }
    return lineImage(text, offset, end);
  };
}

function frontmatterMatcher(kind: FrontmatterLineKind) {
  return (text: string, offset: number): CustomPatternMatcherReturn | null => {
    const line = frontmatterLine(text, offset);
    return line.kind === kind ? lineImage(text, offset, line.end) : null;
  };
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

function matchFence(text: string, offset: number): CustomPatternMatcherReturn | null {
  const line = bodyLine(text, offset);
  if (line.kind !== "fence") return null;
  const open = fenceAt(text, offset, line.end)!;
  const i = offset + open.indent;
  const ch = text.charCodeAt(i);
  const length = open.length;
  const contentStart = Math.min(line.end + 1, text.length);
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
    H2_LINE.lastIndex = line.end;
    const h2 = line.end < text.length ? H2_LINE.exec(text) : null;
    tokenEnd = h2 ? h2.index + 1 : text.length;
    contentEnd = text.charCodeAt(tokenEnd - 1) === 10 ? tokenEnd - 1 : tokenEnd;
    contentEnd = Math.max(contentStart, contentEnd);
  }
  const result: CustomPatternMatcherReturn = [text.slice(offset, tokenEnd)];
  const payload: FencePayload = {
    fence: text.slice(i, i + length),
    info: open.info,
    contentStart,
    contentEnd,
    closed: closer !== undefined,
  };
  result.payload = payload;
  return result;
}

// --- frontmatter delimiters ----------------------------------------------------------

const CLOSING_DELIMITER = /\n---[ \t]*(?:\n|$)/g;

/** `---` as the first non-blank line of the file opens frontmatter. */
function frontmatterOpenAt(text: string, offset: number, tokens: IToken[]): { end: number; closed: boolean } | undefined {
  // Blank lines are skipped tokens, so "first non-blank line" means "no token yet".
  if (text.charCodeAt(offset) !== 45 || tokens.length > 0) return undefined;
  const end = lineEnd(text, offset);
  if (!text.startsWith("---", offset) || firstNonSpace(text, offset + 3, end) !== -1) return undefined;
  CLOSING_DELIMITER.lastIndex = end;
  return { end, closed: end < text.length && CLOSING_DELIMITER.exec(text) !== null };
}

// --- tokens ------------------------------------------------------------------------------

const FRONTMATTER_MODE = "frontmatter";
const BODY_MODE = "body";

/** `---` opening frontmatter that has a closing `---` further down. */
export const FmOpen = createToken({
  name: "FmOpen",
  pattern: {
    exec: (text, offset, tokens) => {
      const open = frontmatterOpenAt(text, offset, tokens);
      return open?.closed ? lineImage(text, offset, open.end) : null;
    },
  },
  line_breaks: true,
  push_mode: FRONTMATTER_MODE,
});

/** `---` at the top of the file with no closing `---`: reported, and the rest is parsed as the body. */
export const FmOpenUnclosed = createToken({
  name: "FmOpenUnclosed",
  pattern: {
    exec: (text, offset, tokens) => {
      const open = frontmatterOpenAt(text, offset, tokens);
      return open && !open.closed ? lineImage(text, offset, open.end) : null;
    },
  },
  line_breaks: true,
});

export const FmClose = createToken({ name: "FmClose", pattern: { exec: frontmatterMatcher("close") }, line_breaks: true, pop_mode: true });
export const FmBlank = createToken({ name: "FmBlank", pattern: { exec: frontmatterMatcher("blank") }, line_breaks: true });
export const FmComment = createToken({ name: "FmComment", pattern: { exec: frontmatterMatcher("comment") }, line_breaks: true });
export const FmItem = createToken({ name: "FmItem", pattern: { exec: frontmatterMatcher("item") }, line_breaks: true });
export const FmEntry = createToken({ name: "FmEntry", pattern: { exec: frontmatterMatcher("entry") }, line_breaks: true });
export const FmOther = createToken({ name: "FmOther", pattern: { exec: frontmatterMatcher("other") }, line_breaks: true });

export const Fence = createToken({ name: "Fence", pattern: { exec: matchFence }, line_breaks: true });
/**
 * One or more blank lines. Skipped: paragraphs and bullets are whole tokens,
 * so a blank line carries no structure the parser needs, and a third fewer
 * tokens is a third less CST to build. Positions still count its lines.
 */
export const BlankLine = createToken({ name: "BlankLine", pattern: { exec: runMatcher("blank", "blank") }, line_breaks: true, group: Lexer.SKIPPED });
export const H1 = createToken({ name: "H1", pattern: { exec: bodyMatcher("h1") }, line_breaks: true });
export const H2 = createToken({ name: "H2", pattern: { exec: bodyMatcher("h2") }, line_breaks: true });
export const H3 = createToken({ name: "H3", pattern: { exec: bodyMatcher("h3") }, line_breaks: true });
export const Field = createToken({ name: "Field", pattern: { exec: bodyMatcher("field") }, line_breaks: true });
export const PathDirective = createToken({ name: "PathDirective", pattern: { exec: bodyMatcher("path") }, line_breaks: true });
/** A list item and the text lines right after it (markdown's lazy continuation). */
export const Bullet = createToken({ name: "Bullet", pattern: { exec: runMatcher("bullet", "text") }, line_breaks: true });
/** Consecutive prose lines: one paragraph. */
export const Paragraph = createToken({ name: "Paragraph", pattern: { exec: runMatcher("text", "text") }, line_breaks: true });

const bodyTokens: TokenType[] = [FmOpen, FmOpenUnclosed, Fence, BlankLine, H1, H2, H3, Field, PathDirective, Bullet, Paragraph];
const frontmatterTokens: TokenType[] = [FmClose, FmBlank, FmComment, FmItem, FmEntry, FmOther];

/** Every token type, in the order the parser needs for its vocabulary. */
export const allTokens: TokenType[] = [...bodyTokens, ...frontmatterTokens];

export const markdownLexer = new Lexer(
  { modes: { [BODY_MODE]: bodyTokens, [FRONTMATTER_MODE]: frontmatterTokens }, defaultMode: BODY_MODE },
  {
    positionTracking: "full",
    // Input is normalised to "\n" first (source-text.ts), so only "\n" ends a line.
    lineTerminatorsPattern: /\n/g,
    lineTerminatorCharacters: ["\n"],
    ensureOptimizations: false,
  },
);
