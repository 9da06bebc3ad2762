// The YAML subset spec frontmatter uses: `key: scalar`, quoted strings, flow
// lists `[A, B]` and block lists (`- x` lines under an empty `key:`). Anything
// else YAML allows (nested maps, anchors, tags, multi-line strings, flow maps)
// is an error that says what is supported, rather than a silent misreading.

import type { IToken } from "chevrotain";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import type { Frontmatter, FrontmatterEntry, FrontmatterItem, FrontmatterValue } from "./ast.js";

export const SUPPORTED_FRONTMATTER = "frontmatter supports only `key: value` scalars, quoted strings, flow lists `[A, B]` and block lists (`- x` lines)";
const HINT = "write e.g. `depends: [AUTH, STORAGE]` or one `- AUTH` line per item under `depends:`";

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; column: number };

function fail<T>(message: string, column: number): Parsed<T> {
  return { ok: false, message, column };
}

/** Reads a quoted string starting at s[i] (`"` or `'`); returns the text and the index after the closing quote. */
function readQuoted(s: string, i: number, column: number): Parsed<{ text: string; end: number }> {
  const quote = s[i];
  let out = "";
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j]!;
    if (quote === "'" && c === "'") {
      if (s[j + 1] === "'") {
        out += "'";
        j++;
        continue;
      }
      return { ok: true, value: { text: out, end: j + 1 } };
    }
    if (quote === '"' && c === "\\") {
      const e = s[j + 1];
      const escapes: Record<string, string> = { n: "\n", t: "\t", '"': '"', "\\": "\\", "/": "/", r: "\r", "0": "\0" };
      if (e === undefined || escapes[e] === undefined) return fail(`unsupported escape \`\\${e ?? ""}\` in a quoted string`, column + j);
      out += escapes[e];
      j++;
      continue;
    }
    if (quote === '"' && c === '"') return { ok: true, value: { text: out, end: j + 1 } };
    out += c;
  }
  return fail("the quoted string is not closed on this line (multi-line strings are not supported)", column + i);
}

/** Removes a ` # comment` tail; a `#` glued to text (`C#`) is content, as in YAML. */
function stripComment(s: string): string {
  const m = /(^|[ \t])#/.exec(s);
  return (m ? s.slice(0, m.index) : s).trimEnd();
}

function unsupported(s: string): string | undefined {
  switch (s[0]) {
    case "|":
    case ">":
      return "a multi-line string (`|` / `>`)";
    case "&":
      return "an anchor (`&name`)";
    case "*":
      return "an alias (`*name`)";
    case "!":
      return "a tag (`!tag`)";
    case "{":
      return "a flow map (`{a: b}`)";
    case "%":
    case "@":
    case "`":
      return `a value starting with \`${s[0]}\``;
    default:
      return undefined;
  }
}

/** One scalar (plain or quoted) at s[i…], as a list item or a whole value. */
function readScalar(s: string, column: number): Parsed<{ text: string; quoted: boolean }> {
  if (s.startsWith('"') || s.startsWith("'")) {
    const q = readQuoted(s, 0, column);
    if (!q.ok) return q;
    const tail = stripComment(s.slice(q.value.end));
    if (tail.trim() !== "") return fail("unexpected text after the closing quote", column + q.value.end);
    return { ok: true, value: { text: q.value.text, quoted: true } };
  }
  const what = unsupported(s);
  if (what) return fail(`${what} is not supported: ${SUPPORTED_FRONTMATTER}`, column);
  return { ok: true, value: { text: stripComment(s), quoted: false } };
}

function readFlowList(s: string, line: number, column: number): Parsed<FrontmatterItem[]> {
  const items: FrontmatterItem[] = [];
  let i = 1;
  const skipSpaces = (): void => {
    while (s[i] === " " || s[i] === "\t") i++;
  };
  skipSpaces();
  if (s[i] === "]") {
    i++;
  } else {
    for (;;) {
      skipSpaces();
      const start = i;
      const c = s[i];
      if (c === undefined) return fail("the flow list is not closed with `]` on this line", column);
      if (c === "[" || c === "{") return fail(`nested collections are not supported: ${SUPPORTED_FRONTMATTER}`, column + i);
      if (c === "," || c === "]") return fail("empty item in the flow list", column + i);
      let text: string;
      let quoted = false;
      if (c === '"' || c === "'") {
        const q = readQuoted(s, i, column);
        if (!q.ok) return q;
        text = q.value.text;
        quoted = true;
        i = q.value.end;
      } else {
        const what = unsupported(s.slice(i));
        if (what) return fail(`${what} is not supported: ${SUPPORTED_FRONTMATTER}`, column + i);
        while (i < s.length && s[i] !== "," && s[i] !== "]") i++;
        text = s.slice(start, i).trim();
      }
      items.push({ text, quoted, line, column: column + start });
      skipSpaces();
      if (s[i] === ",") {
        i++;
        continue;
      }
      if (s[i] === "]") {
        i++;
        break;
      }
      return fail("expected `,` or `]` in the flow list", column + i);
    }
  }
  if (stripComment(s.slice(i)).trim() !== "") return fail("unexpected text after `]`", column + i);
  return { ok: true, value: items };
}

/** Parses the text after `key:`; `column` is the 1-based column of its first character. */
export function parseFrontmatterValue(raw: string, line: number, column: number): Parsed<FrontmatterValue> {
  const s = raw.trimEnd();
  if (s.startsWith("[")) {
    const list = readFlowList(s, line, column);
    return list.ok ? { ok: true, value: { kind: "list", style: "flow", items: list.value, line, column } } : list;
  }
  const scalar = readScalar(s, column);
  return scalar.ok ? { ok: true, value: { kind: "scalar", ...scalar.value, line, column } } : scalar;
}

function lineText(token: IToken): string {
  return token.image.endsWith("\n") ? token.image.slice(0, -1) : token.image;
}

/**
 * Builds the frontmatter from its lines (in source order). Every unsupported
 * construct is reported once, at its first line; the lines that continue it
 * (indented text under `key: |`, a nested map's entries) are not reported again.
 */
export function buildFrontmatter(open: IToken, lines: IToken[], close: IToken, file: string): { frontmatter: Frontmatter; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const entries: FrontmatterEntry[] = [];
  const error = (line: number, column: number, message: string, code: string, hint = HINT): void => {
    diagnostics.push(diagnostic("error", file, line, column, message, { hint, code }));
  };
  let current: FrontmatterEntry | undefined;
  // True while the lines that follow belong to a construct already reported.
  let skipping = false;

  for (const token of lines) {
    const text = lineText(token);
    const line = token.startLine ?? 1;
    switch (token.tokenType.name) {
      case "FmBlank":
      case "FmComment":
        break;
      case "FmEntry": {
        skipping = false;
        const colon = text.indexOf(":");
        const key = text.slice(0, colon).trim();
        const afterColon = text.slice(colon + 1);
        const valueOffset = colon + 1 + (afterColon.length - afterColon.trimStart().length);
        const parsed = parseFrontmatterValue(afterColon.trim(), line, valueOffset + 1);
        if (!parsed.ok) {
          error(line, parsed.column, parsed.message, "frontmatter/unsupported");
          current = undefined;
          skipping = true;
          break;
        }
        current = { key, value: parsed.value, line, column: 1 };
        entries.push(current);
        break;
      }
      case "FmItem": {
        if (skipping) break;
        const dash = text.indexOf("-");
        const afterDash = text.slice(dash + 1);
        const itemColumn = dash + 2 + (afterDash.length - afterDash.trimStart().length);
        const body = afterDash.trim();
        if (!current) {
          error(line, dash + 1, "list item without a key: a `- x` line must follow a `key:` line", "frontmatter/stray-item");
          break;
        }
        const value = current.value;
        const isOpenList = value.kind === "list" && value.style === "block";
        const isEmptyScalar = value.kind === "scalar" && !value.quoted && value.text === "";
        if (!isOpenList && !isEmptyScalar) {
          error(line, dash + 1, `\`${current.key}\` already has a value on its own line, so this list item has nowhere to go`, "frontmatter/stray-item");
          break;
        }
        if (body.startsWith("[") || /^[A-Za-z_][\w-]*[ \t]*:([ \t]|$)/.test(body)) {
          error(line, itemColumn, `a nested list or map is not supported: ${SUPPORTED_FRONTMATTER}`, "frontmatter/unsupported");
          break;
        }
        const scalar = readScalar(body, itemColumn);
        if (!scalar.ok) {
          error(line, scalar.column, scalar.message, "frontmatter/unsupported");
          break;
        }
        const item: FrontmatterItem = { text: scalar.value.text, quoted: scalar.value.quoted, line, column: itemColumn };
        if (value.kind === "list") value.items.push(item);
        else current.value = { kind: "list", style: "block", items: [item], line, column: dash + 1 };
        break;
      }
      default: {
        // FmOther: an indented key (nested map), `? complex key`, a bare word, …
        if (skipping) break;
        const column = text.length - text.trimStart().length + 1;
        const nested = /^[ \t]+[A-Za-z_][\w-]*[ \t]*:/.test(text);
        const what = nested ? "a nested map" : `the line \`${text.trim()}\``;
        error(line, column, `${what} is not supported: ${SUPPORTED_FRONTMATTER}`, "frontmatter/unsupported");
        // A nested map's own entries are not errors of their own.
        skipping = nested;
        current = undefined;
        break;
      }
    }
  }
  return {
    frontmatter: { line: open.startLine ?? 1, endLine: close.startLine ?? 1, entries },
    diagnostics,
  };
}
