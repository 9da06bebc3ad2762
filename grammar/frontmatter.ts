// The YAML subset spec frontmatter uses. The keys specwright reads (`id`,
// `status`, `priority`, `depends`, `spec`) take `key: scalar`, quoted strings,
// `~`/`null` (empty), flow lists `[A, B]` (also over several lines) and block
// lists (`- x` lines); anything else YAML allows there (nested maps, anchors,
// tags, multi-line strings, flow maps) is an error that says what is supported,
// rather than a silent misreading. Any other key is kept with its value as
// written, whatever its YAML shape, as Ossature ignores it (check-file warns).

import { diagnostic, type Diagnostic } from "./diagnostic.js";
import type { Frontmatter, FrontmatterEntry, FrontmatterItem, FrontmatterValue, Located } from "./ast.js";
import type { LineToken } from "./markdown-lexer.js";

export const SUPPORTED_FRONTMATTER = "frontmatter values specwright reads are `key: value` scalars, quoted strings, flow lists `[A, B]` and block lists (`- x` lines)";
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

function lineText(token: LineToken): string {
  return token.image.endsWith("\n") ? token.image.slice(0, -1) : token.image;
}

/** YAML's null: an empty value. */
const NULL_SCALAR = /^(~|null|Null|NULL)$/;

interface Row {
  text: string;
  line: number;
  indent: number;
  /** Blank or a `# comment` line: never significant for the structure. */
  quiet: boolean;
}

/** `key:` at the start of `text` (plain or quoted key): the key and the offset after the colon. */
function keyAt(text: string, indent: number): { key: string; afterColon: number } | undefined {
  const rest = text.slice(indent);
  const quoted = /^("([^"\\]*)"|'([^']*)')[ \t]*:(?=[ \t]|$)/.exec(rest);
  if (quoted) return { key: quoted[2] ?? quoted[3] ?? "", afterColon: indent + quoted[0].length };
  // A plain key: no leading indicator (`- `, `[`, `{`, `#`, `&`, `*`, `!`, `|`, `>`, quotes, `%`, `@`, `` ` ``), up to `: ` or `:` at the end.
  const plain = /^([^\s\-?:,[\]{}#&*!|>'"%@`][^:#]*?|-[^\s:][^:#]*?)[ \t]*:(?=[ \t]|$)/.exec(rest);
  if (plain) return { key: plain[1]!, afterColon: indent + plain[0].length };
  return undefined;
}

function isItem(row: Row): boolean {
  const c = row.text.charAt(row.indent);
  return c === "-" && (row.text.length === row.indent + 1 || /[ \t]/.test(row.text.charAt(row.indent + 1)));
}

/**
 * Builds the frontmatter from its lines (in source order). The mapping may be
 * indented (YAML allows it); its keys are the lines at the first key's
 * indentation, and everything more indented (or `- ` items) under a key is
 * that key's value. `readKeys` are read strictly; every other key's value is
 * kept as written. Each unsupported construct is reported once, at its line.
 */
export function buildFrontmatter(
  open: LineToken,
  lines: LineToken[],
  close: LineToken,
  file: string,
  readKeys: readonly string[],
): { frontmatter: Frontmatter; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const entries: FrontmatterEntry[] = [];
  const error = (line: number, column: number, message: string, code: string, hint = HINT): void => {
    diagnostics.push(diagnostic("error", file, line, column, message, { hint, code }));
  };
  const rows: Row[] = lines.map((token) => {
    const text = lineText(token);
    const trimmed = text.trimStart();
    return { text, line: token.startLine, indent: text.length - trimmed.length, quiet: trimmed === "" || trimmed.startsWith("#") };
  });
  const base = rows.find((r) => !r.quiet)?.indent ?? 0;

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.quiet) continue;
    const key = row.indent === base ? keyAt(row.text, row.indent) : undefined;
    if (!key) {
      if (isItem(row)) error(row.line, row.indent + 1, "list item without a key: a `- x` line must follow a `key:` line", "frontmatter/stray-item");
      else error(row.line, row.indent + 1, `the line \`${row.text.trim()}\` is not a \`key: value\` line`, "frontmatter/unsupported", "frontmatter is YAML `key: value` lines, every key at the same indentation");
      continue;
    }
    // The key's value: the rest of its line, then the lines under it (more
    // indented, or `- ` items at the key's own indentation, as YAML allows).
    let end = i + 1;
    while (end < rows.length && (rows[end]!.quiet || rows[end]!.indent > base || isItem(rows[end]!))) end++;
    const under = rows.slice(i + 1, end).filter((r) => !r.quiet);
    i = end - 1;
    const afterColon = row.text.slice(key.afterColon);
    const inline = afterColon.trim();
    const column = key.afterColon + (afterColon.length - afterColon.trimStart().length) + 1;
    const at: Located = { line: row.line, column: row.indent + 1 };
    if (!readKeys.includes(key.key)) {
      entries.push({ key: key.key, line: at.line, column: at.column, value: opaqueValue(key.key, inline, under, row.line, column) });
      continue;
    }
    const value = readValue(key.key, inline, under, row.line, column, error);
    if (value) entries.push({ key: key.key, line: at.line, column: at.column, value });
  }
  return {
    frontmatter: { line: open.startLine, endLine: close.startLine, entries },
    diagnostics,
  };
}

/**
 * The value of a key specwright does not read: as the subset reads it when it
 * fits, else its lines as written. Never a diagnostic: Ossature ignores it.
 */
function opaqueValue(key: string, inline: string, under: Row[], line: number, column: number): FrontmatterValue {
  let fits = true;
  const value = readValue(key, inline, under, line, column, () => {
    fits = false;
  });
  if (fits && value) return value;
  return { kind: "other", text: [inline, ...under.map((r) => r.text.trim())].filter((t) => t !== "").join("\n"), line, column };
}

type ErrorSink = (line: number, column: number, message: string, code: string, hint?: string) => void;

/** A value specwright reads: the subset only, everything else reported. */
function readValue(key: string, inline: string, under: Row[], line: number, column: number, error: ErrorSink): FrontmatterValue | undefined {
  if (inline !== "") {
    // A flow list may run over several lines: `depends: [A,` / `  B]`.
    if (inline.startsWith("[") && under.length > 0 && !flowListClosed(inline)) {
      const joined = [inline, ...under.map((r) => r.text.trim())].join(" ");
      const parsed = parseFrontmatterValue(joined, line, column);
      if (!parsed.ok) {
        error(line, column, parsed.message.replace(" on this line", ""), "frontmatter/unsupported");
        return undefined;
      }
      return parsed.value;
    }
    const parsed = NULL_SCALAR.test(inline) ? undefined : parseFrontmatterValue(inline, line, column);
    if (parsed && !parsed.ok) {
      error(line, parsed.column, parsed.message, "frontmatter/unsupported");
      return undefined;
    }
    const extra = under[0];
    if (extra) {
      const message = isItem(extra) ? `\`${key}\` already has a value on its own line, so this list item has nowhere to go` : `\`${key}\` has a value on its own line; a value continued on the next lines is not supported`;
      error(extra.line, extra.indent + 1, message, isItem(extra) ? "frontmatter/stray-item" : "frontmatter/unsupported");
      return undefined;
    }
    return parsed?.value ?? { kind: "scalar", text: "", quoted: false, line, column };
  }
  if (under.length === 0) return { kind: "scalar", text: "", quoted: false, line, column };
  const items: FrontmatterItem[] = [];
  let listColumn = column;
  for (const row of under) {
    if (!isItem(row)) {
      const nested = keyAt(row.text, row.indent) !== undefined;
      error(row.line, row.indent + 1, `${nested ? "a nested map" : `the line \`${row.text.trim()}\``} under \`${key}\` is not supported: ${SUPPORTED_FRONTMATTER}`, "frontmatter/unsupported");
      return undefined;
    }
    const afterDash = row.text.slice(row.indent + 1);
    const itemColumn = row.indent + 2 + (afterDash.length - afterDash.trimStart().length);
    const body = afterDash.trim();
    if (body.startsWith("[") || body.startsWith("- ") || keyAt(body, 0) !== undefined) {
      error(row.line, itemColumn, `a nested list or map is not supported: ${SUPPORTED_FRONTMATTER}`, "frontmatter/unsupported");
      return undefined;
    }
    const scalar = readScalar(body, itemColumn);
    if (!scalar.ok) {
      error(row.line, scalar.column, scalar.message, "frontmatter/unsupported");
      return undefined;
    }
    if (items.length === 0) listColumn = row.indent + 1;
    items.push({ text: scalar.value.text, quoted: scalar.value.quoted, line: row.line, column: itemColumn });
  }
  return { kind: "list", style: "block", items, line: under[0]!.line, column: listColumn };
}

/** Whether the `[` opening a flow list is closed on the same text (quotes respected). */
function flowListClosed(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "]") return true;
  }
  return false;
}
