// TOML with positions. @iarna/toml parses a document but keeps no positions for
// the keys of a valid one, so diagnostics about plan.toml and specwright.toml
// (wrong type, unknown key) need a second, position-keeping pass: a small
// scanner that walks the same text and records where every key, array element
// and table header starts. The scanner trusts the library for validity and only
// has to be right about structure (strings, comments, brackets) on valid input.

import TOML from "@iarna/toml";
import { diagnostic, type Diagnostic } from "../grammar/diagnostic.js";

/** A key path into a TOML document: table keys as strings, array indices as numbers. */
export type TomlPath = readonly (string | number)[];

/** A 1-based position in the (BOM-stripped) text, as editors show it. */
export interface SourcePosition {
  line: number;
  column: number;
  /** Length of the key, element or header on that line, for the caret underline. */
  length: number;
  /** False when the path was not found and this is its nearest enclosing table (or the file start). */
  exact: boolean;
}

/** Where one key or array element sits in the text, as offsets into the BOM-stripped text. */
export interface TomlEntry {
  path: TomlPath;
  kind: "key" | "element" | "table" | "array-table";
  /** Start of the key (or element, or the header's first `[`). */
  start: number;
  /** End of the key text (exclusive); for elements and headers, the end of the element or header. */
  keyEnd: number;
  /** Start and end (exclusive) of the value; for headers, the header's own span. */
  valueStart: number;
  valueEnd: number;
}

export interface TomlSource {
  /** The parsed document; absent when the text is not valid TOML. */
  value?: Record<string, unknown>;
  /** At most one syntax error: the library stops at the first. */
  diagnostics: Diagnostic[];
  /** The text the positions refer to: the input with a leading BOM removed. */
  text: string;
  /** Every key, element and header in document order (also for invalid documents, up to where scanning could follow). */
  entries: readonly TomlEntry[];
  /**
   * Position of the key at `path` (or of the table header for a table path, or
   * of the element for an array index). An unknown path falls back to its
   * nearest recorded ancestor, then to line 1, column 1.
   */
  locate(path: TomlPath): SourcePosition;
  /** Like `locate`, but points at the value rather than the key. */
  locateValue(path: TomlPath): SourcePosition;
  /** The exact entry for a path, if the scanner saw one. */
  entry(path: TomlPath): TomlEntry | undefined;
}

/**
 * Parses TOML text and keeps positions. Syntax errors become diagnostics at
 * 1-based line:column with the library's message reduced to one line.
 */
export function parseTomlSource(input: string, file: string): TomlSource {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const diagnostics: Diagnostic[] = [];
  let value: Record<string, unknown> | undefined;
  try {
    // @iarna/toml 3.0 rejects the \r of a CRLF that ends a comment ("control
    // characters are not allowed in comments"). TOML allows normalising line
    // breaks, and dropping the \r before \n moves no line or column.
    value = TOML.parse(text.replace(/\r\n/g, "\n")) as Record<string, unknown>;
  } catch (error) {
    diagnostics.push(syntaxDiagnostic(error, file, text));
  }
  const entries = scanToml(text);
  const byPath = new Map<string, TomlEntry>();
  for (const e of entries) {
    const key = pathKey(e.path);
    if (!byPath.has(key)) byPath.set(key, e);
  }
  const lines = lineStarts(text);

  const find = (path: TomlPath): { entry?: TomlEntry; exact: boolean } => {
    for (let n = path.length; n > 0; n--) {
      const hit = byPath.get(pathKey(path.slice(0, n)));
      if (hit) return { entry: hit, exact: n === path.length };
    }
    return { exact: path.length === 0 };
  };
  const position = (offset: number, end: number, exact: boolean): SourcePosition => {
    const { line, column } = offsetToPosition(lines, offset);
    // The underline stays on one line: a multi-line value is underlined to its line end.
    const lineEnd = lineEndOffset(text, offset);
    return { line, column, length: Math.max(1, Math.min(end, lineEnd) - offset), exact };
  };

  const source: TomlSource = {
    diagnostics,
    text,
    entries,
    locate(path) {
      const { entry, exact } = find(path);
      if (!entry) return { line: 1, column: 1, length: 1, exact };
      return position(entry.start, entry.keyEnd, exact);
    },
    locateValue(path) {
      const { entry, exact } = find(path);
      if (!entry) return { line: 1, column: 1, length: 1, exact };
      // A header has no value of its own; a missing key falls back to its table's header.
      if (!exact || entry.kind === "table" || entry.kind === "array-table") {
        return position(entry.start, entry.keyEnd, exact);
      }
      return position(entry.valueStart, entry.valueEnd, exact);
    },
    entry(path) {
      return byPath.get(pathKey(path));
    },
  };
  if (value !== undefined) source.value = value;
  return source;
}

/** A stable string form of a path: JSON keeps `["a", 1]` and `["a", "1"]` apart. */
export function pathKey(path: TomlPath): string {
  return JSON.stringify(path);
}

// ---------------------------------------------------------------------------
// Syntax errors

interface TomlLibraryError {
  message: string;
  line: number;
  col: number;
  fromTOML: true;
}

function isTomlLibraryError(error: unknown): error is TomlLibraryError {
  if (typeof error !== "object" || error === null) return false;
  const e = error as Record<string, unknown>;
  return e.fromTOML === true && typeof e.line === "number" && typeof e.col === "number" && typeof e.message === "string";
}

function syntaxDiagnostic(error: unknown, file: string, text: string): Diagnostic {
  // Anything that is not the parser's own error is a bug in this code, not bad input.
  if (!isTomlLibraryError(error)) throw error;
  const { message, hint } = cleanMessage(error.message);
  // The library counts lines and columns from 0; an error at end of input may
  // point one line past the last one, which we clamp so the excerpt exists.
  const lines = text.split(/\r\n|\r|\n/);
  const line = Math.min(error.line + 1, lines.length);
  const column = Math.max(1, Math.min(error.col + 1, (lines[line - 1]?.length ?? 0) + 1));
  return diagnostic("error", file, line, column, message, {
    code: "toml/syntax",
    ...(hint !== undefined ? { hint } : {}),
  });
}

/**
 * The library's message is "What went wrong at row R, col C, pos P:\n<excerpt>";
 * we keep only what went wrong (our renderer draws its own excerpt) and turn
 * character codes into characters.
 */
function cleanMessage(raw: string): { message: string; hint?: string } {
  let message = (raw.split("\n")[0] ?? raw).replace(/ at row \d+, col \d+, pos \d+:?\s*$/, "").trim();
  message = message.replace(/^Unknown escape character: (\d+)$/, (_m, code: string) => {
    return `Unknown escape sequence "\\${String.fromCodePoint(Number(code))}" in a string`;
  });
  message = message.replace(/^Unknown character "(\d+)"$/, (_m, code: string) => {
    return `Unexpected character ${describeChar(Number(code))}`;
  });
  if (/^Can't redefine existing key/.test(message)) {
    return { message: "This key or table is defined twice", hint: "each key and [table] may appear once; use [[name]] for a list of tables" };
  }
  if (/^Unknown escape sequence/.test(message)) {
    return { message, hint: "write a backslash as \\\\, or use a 'literal string' where backslashes are kept as written" };
  }
  if (/^Unterminated (multiline )?string/.test(message)) {
    return { message, hint: "close the string on the same line, or use \"\"\" for text that spans lines" };
  }
  return { message };
}

function describeChar(code: number): string {
  if (code === 0xfeff) return "U+FEFF (a byte order mark)";
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, "0")} (a control character)`;
  return `"${String.fromCodePoint(code)}"`;
}

// ---------------------------------------------------------------------------
// Positions

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") starts.push(i + 1);
    // A lone \r counts as a line break, like grammar/diagnostic's splitLines.
    else if (c === "\r" && text[i + 1] !== "\n") starts.push(i + 1);
  }
  return starts;
}

function offsetToPosition(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

function lineEndOffset(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}

// ---------------------------------------------------------------------------
// The scanner

/**
 * Walks TOML text and records every key, array element and table header with
 * its offsets. Array-of-tables headers get the index of their occurrence
 * (`[[task]]` thrice gives `["task", 0]`, `["task", 1]`, `["task", 2]`), and
 * sub-tables of an array element resolve to its latest element, as TOML does.
 * Keys implied by dotted keys or headers (`a` in `[a.b]`) are recorded at the
 * first place that implies them. Text the scanner cannot follow is skipped to
 * the end of its line, so an invalid document still yields the entries before
 * (and usually after) the problem.
 */
export function scanToml(text: string): TomlEntry[] {
  return new Scanner(text).scanDocument();
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  private pos = 0;
  private readonly entries: TomlEntry[] = [];
  private readonly seen = new Set<string>();
  /** Resolved array-of-tables path → how many elements its headers have opened so far. */
  private readonly arrayTables = new Map<string, number>();

  constructor(private readonly text: string) {}

  scanDocument(): TomlEntry[] {
    let table: (string | number)[] = [];
    while (this.pos < this.text.length) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) break;
      const c = this.text[this.pos];
      if (c === "[") {
        const header = this.header();
        if (header) table = header;
        else this.skipToLineEnd();
      } else if (c !== undefined && (BARE_KEY.test(c) || c === '"' || c === "'")) {
        if (!this.keyValue(table)) this.skipToLineEnd();
      } else {
        this.skipToLineEnd();
      }
    }
    return this.entries;
  }

  /** `[a.b]` or `[[a.b]]`; returns the resolved table path. */
  private header(): (string | number)[] | undefined {
    const start = this.pos;
    const isArray = this.text.startsWith("[[", this.pos);
    this.pos += isArray ? 2 : 1;
    this.skipSpaces();
    const keys = this.dottedKey();
    if (!keys) return undefined;
    this.skipSpaces();
    const close = isArray ? "]]" : "]";
    if (!this.text.startsWith(close, this.pos)) return undefined;
    this.pos += close.length;
    const end = this.pos;

    const names = keys.map((k) => k.name);
    const parent = this.resolve(names.slice(0, -1));
    const last = names[names.length - 1]!;
    let path: (string | number)[];
    if (isArray) {
      const arrayPath = [...parent, last];
      const k = pathKey(arrayPath);
      const count = this.arrayTables.get(k) ?? 0;
      this.arrayTables.set(k, count + 1);
      path = [...arrayPath, count];
      // The array itself is located at its first header.
      this.record({ path: arrayPath, kind: "array-table", start, keyEnd: end, valueStart: start, valueEnd: end });
    } else {
      path = this.resolve(names);
    }
    this.recordPrefixes(path, start, end);
    this.record({ path, kind: isArray ? "array-table" : "table", start, keyEnd: end, valueStart: start, valueEnd: end });
    return path;
  }

  /** Inserts the current element index after every segment that names an array of tables. */
  private resolve(names: readonly string[]): (string | number)[] {
    const path: (string | number)[] = [];
    for (const name of names) {
      path.push(name);
      const count = this.arrayTables.get(pathKey(path));
      if (count !== undefined) path.push(count - 1);
    }
    return path;
  }

  /** `key = value` inside `table` (or an inline table); false when the line is not one. */
  private keyValue(table: readonly (string | number)[]): boolean {
    const keys = this.dottedKey();
    if (!keys) return false;
    this.skipSpaces();
    if (this.text[this.pos] !== "=") return false;
    this.pos++;
    this.skipSpaces();
    const path = [...table, ...keys.map((k) => k.name)];
    // In `a.b.c = 1` each segment is located at its own text, so a misspelt
    // `c` is underlined alone and `a` points at `a`.
    for (let n = 0; n < keys.length - 1; n++) {
      const k = keys[n]!;
      const prefix = [...table, ...keys.slice(0, n + 1).map((x) => x.name)];
      this.record({ path: prefix, kind: "table", start: k.start, keyEnd: k.end, valueStart: k.start, valueEnd: k.end });
    }
    const last = keys[keys.length - 1]!;
    const index = this.entries.length;
    // Record before the value so nested entries follow their key in document order.
    this.record({ path, kind: "key", start: last.start, keyEnd: last.end, valueStart: this.pos, valueEnd: this.pos });
    const span = this.value(path);
    const entry = this.entries[index];
    if (entry && pathKey(entry.path) === pathKey(path)) {
      entry.valueStart = span.start;
      entry.valueEnd = span.end;
    }
    return true;
  }

  /** Scans one value; records elements of arrays and keys of inline tables under `path`. */
  private value(path: readonly (string | number)[]): { start: number; end: number } {
    const start = this.pos;
    const t = this.text;
    if (t.startsWith('"""', this.pos)) {
      this.pos = this.closeMultiline('"""', start + 3, true);
    } else if (t.startsWith("'''", this.pos)) {
      this.pos = this.closeMultiline("'''", start + 3, false);
    } else if (t[this.pos] === '"' || t[this.pos] === "'") {
      this.pos = this.closeSingleLine(t[this.pos]!, start + 1);
    } else if (t[this.pos] === "[") {
      this.array(path);
    } else if (t[this.pos] === "{") {
      this.inlineTable(path);
    } else {
      // Numbers, booleans, dates (which may hold one space): up to a delimiter.
      while (this.pos < t.length && !/[,\]}#\r\n]/.test(t[this.pos]!)) this.pos++;
      let end = this.pos;
      while (end > start && /[ \t]/.test(t[end - 1]!)) end--;
      return { start, end };
    }
    return { start, end: this.pos };
  }

  private array(path: readonly (string | number)[]): void {
    this.pos++; // [
    let index = 0;
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.text[this.pos] === "]") {
        this.pos++;
        return;
      }
      if (this.text[this.pos] === ",") {
        // Two commas in a row is invalid TOML; stepping over keeps the scan moving.
        this.pos++;
        continue;
      }
      const elementPath = [...path, index];
      const at = this.entries.length;
      this.record({ path: elementPath, kind: "element", start: this.pos, keyEnd: this.pos, valueStart: this.pos, valueEnd: this.pos });
      const before = this.pos;
      const span = this.value(elementPath);
      const entry = this.entries[at];
      if (entry) {
        entry.keyEnd = span.end;
        entry.valueStart = span.start;
        entry.valueEnd = span.end;
      }
      if (this.pos === before) this.pos++; // never loop on a character we cannot read
      index++;
    }
  }

  private inlineTable(path: readonly (string | number)[]): void {
    this.pos++; // {
    for (;;) {
      this.skipBlank(false);
      const c = this.text[this.pos];
      if (c === undefined || c === "\n" || c === "\r") return;
      if (c === "}") {
        this.pos++;
        return;
      }
      if (c === ",") {
        this.pos++;
        continue;
      }
      if (!this.keyValue(path)) {
        // Unreadable: give up on this inline table at the end of the line.
        while (this.pos < this.text.length && !/[}\r\n]/.test(this.text[this.pos]!)) this.pos++;
        if (this.text[this.pos] === "}") this.pos++;
        return;
      }
    }
  }

  /** One or more keys joined by dots: bare, "basic" or 'literal'. */
  private dottedKey(): { name: string; start: number; end: number }[] | undefined {
    const keys: { name: string; start: number; end: number }[] = [];
    for (;;) {
      const start = this.pos;
      const c = this.text[this.pos];
      let name: string;
      if (c === '"') {
        this.pos = this.closeSingleLine('"', start + 1);
        if (this.text[this.pos - 1] !== '"' || this.pos - start < 2) return undefined;
        name = unescapeBasic(this.text.slice(start + 1, this.pos - 1));
      } else if (c === "'") {
        this.pos = this.closeSingleLine("'", start + 1);
        if (this.text[this.pos - 1] !== "'" || this.pos - start < 2) return undefined;
        name = this.text.slice(start + 1, this.pos - 1);
      } else {
        while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos]!)) this.pos++;
        if (this.pos === start) return undefined;
        name = this.text.slice(start, this.pos);
      }
      keys.push({ name, start, end: this.pos });
      const save = this.pos;
      this.skipSpaces();
      if (this.text[this.pos] !== ".") {
        this.pos = save;
        return keys;
      }
      this.pos++;
      this.skipSpaces();
    }
  }

  /** Position after the closing quote of a one-line string (or at the line end if unclosed). */
  private closeSingleLine(quote: string, from: number): number {
    let i = from;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === "\n" || c === "\r") return i;
      if (quote === '"' && c === "\\") {
        i += 2;
        continue;
      }
      if (c === quote) return i + 1;
      i++;
    }
    return i;
  }

  /** Position after a closing `"""`/`'''`, including up to two quotes that belong to the content. */
  private closeMultiline(delimiter: string, from: number, escapes: boolean): number {
    let i = from;
    while (i < this.text.length) {
      if (escapes && this.text[i] === "\\") {
        i += 2;
        continue;
      }
      if (this.text.startsWith(delimiter, i)) {
        let end = i + 3;
        // `""""` ends with one quote of content: the delimiter is the last three.
        for (let extra = 0; extra < 2 && this.text[end] === delimiter[0]; extra++) end++;
        return end;
      }
      i++;
    }
    return i;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }

  /** Spaces, comments and (when `newlines`) line breaks. */
  private skipBlank(newlines: boolean): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === " " || c === "\t") this.pos++;
      else if (newlines && (c === "\n" || c === "\r")) this.pos++;
      else if (c === "#") this.skipToLineEnd();
      else return;
    }
  }

  /** To the end of the line: past a comment, or past text the scanner cannot follow. */
  private skipToLineEnd(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== "\n" && this.text[this.pos] !== "\r") this.pos++;
  }

  private record(entry: TomlEntry): void {
    const key = pathKey(entry.path);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.entries.push(entry);
  }

  /** Records the implied parents of a header's `path` at the header. */
  private recordPrefixes(path: readonly (string | number)[], start: number, end: number): void {
    for (let n = 1; n < path.length; n++) {
      const prefix = path.slice(0, n);
      // A numeric segment is an array element, already recorded by its header.
      if (typeof prefix[prefix.length - 1] === "number") continue;
      this.record({ path: prefix, kind: "table", start, keyEnd: end, valueStart: start, valueEnd: end });
    }
  }
}

/** Decodes the escapes of a TOML basic string (used for quoted keys). */
export function unescapeBasic(raw: string): string {
  return raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_m, esc: string) => {
    switch (esc[0]) {
      case "b":
        return "\b";
      case "t":
        return "\t";
      case "n":
        return "\n";
      case "f":
        return "\f";
      case "r":
        return "\r";
      case "u":
      case "U":
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return esc;
    }
  });
}
