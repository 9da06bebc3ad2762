// Sets one value in a TOML document and keeps everything else byte for byte:
// comments (also one after the value), blank lines, key order, quoting and
// line breaks. The Models screen writes a role's model to specwright.toml
// through this; a person's config file stays theirs.

import { parseTomlSource, type TomlEntry } from "./toml-source.js";

/**
 * Sets `key` of `[table]` to `valueText` (TOML text, e.g. `"qwen3:8b"` with
 * its quotes). A key already there gets its value replaced in place. A
 * missing key is added on a new line after the table's last key (or after its
 * header); a table written as dotted keys (`model.default = …`) or as an
 * inline table gets the key in the same form; a missing table is appended at
 * the end. `key` may be a path into the table (`["build", "model"]` for
 * `build = { model = "…" }`); a missing path is added as a dotted key.
 *
 * Throws when the text is not valid TOML, `[table]` is an array of tables, or
 * the result would not parse: callers check the file first and show the
 * message of anything left.
 */
export function setTomlValue(text: string, table: string, key: string | readonly string[], valueText: string): string {
  const result = setValue(text, table, key, valueText);
  // A layout this does not follow (a `[t.sub]` before `[t]`) must not become a broken file.
  const check = parseTomlSource(result.startsWith("\uFEFF") ? result.slice(1) : result, "toml");
  if (check.value === undefined) throw new Error(`setting ${table}.${String(key)} would break the file: ${check.diagnostics[0]?.message ?? "unknown error"}`);
  return result;
}

function setValue(text: string, table: string, key: string | readonly string[], valueText: string): string {
  const keyPath = typeof key === "string" ? [key] : [...key];
  if (keyPath.length === 0) throw new Error("setTomlValue needs a key");
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = bom ? text.slice(1) : text;
  const source = parseTomlSource(body, "toml");
  if (source.value === undefined) throw new Error(`TOML text does not parse: ${source.diagnostics[0]?.message ?? "unknown error"}`);
  const nl = body.includes("\r\n") ? "\r\n" : "\n";
  const splice = (at: number, end: number, insert: string) => bom + body.slice(0, at) + insert + body.slice(end);

  const existing = source.entry([table, ...keyPath]);
  if (existing?.kind === "key") return splice(existing.valueStart, existing.valueEnd, valueText);

  const assignment = `${dottedKey(keyPath)} = ${valueText}`;
  const headers = source.entries.filter((e) => (e.kind === "table" || e.kind === "array-table") && body[e.start] === "[");
  const tableEntry = source.entry([table]);
  if (tableEntry?.kind === "array-table") throw new Error(`[[${table}]] is an array of tables, not a table`);
  // `[model.roles]` alone implies a `model` table without writing its header: that table is still "missing".
  const implied = tableEntry !== undefined && source.entries.some((e) => e.start === tableEntry.start && e.path.length > 1 && e.path[0] === table);
  if (tableEntry && !implied) {
    if (tableEntry.kind === "table" && body[tableEntry.start] === "[") {
      const next = headers.find((h) => h.start > tableEntry.start)?.start ?? body.length;
      const own = source.entries.filter((e) => e.kind === "key" && e.start > tableEntry.start && e.start < next);
      const after = Math.max(tableEntry.keyEnd, ...own.map((e) => e.valueEnd));
      const at = lineEnd(body, after);
      return splice(at, at, nl + assignment);
    }
    if (tableEntry.kind === "key") return splice(...insertIntoInlineTable(body, tableEntry, assignment));
    // Dotted keys at the top level: add one more after the last.
    const firstHeader = headers[0]?.start ?? body.length;
    const dotted = source.entries.filter((e) => e.kind === "key" && e.path[0] === table && e.start < firstHeader);
    const at = lineEnd(body, Math.max(...dotted.map((e) => e.valueEnd)));
    return splice(at, at, `${nl}${dottedKey([table, ...keyPath])} = ${valueText}`);
  }

  const ending = body === "" || /(\r\n|\n|\r)$/.test(body) ? "" : nl;
  const gap = body.trim() === "" ? "" : nl;
  return bom + body + ending + gap + `[${dottedKey([table])}]` + nl + assignment + nl;
}

/** `{ a = 1 }` → `{ a = 1, key = v }`; `{}` → `{ key = v }`. */
function insertIntoInlineTable(body: string, entry: TomlEntry, assignment: string): [number, number, string] {
  const close = body.lastIndexOf("}", entry.valueEnd - 1);
  if (close < entry.valueStart) throw new Error("inline table without a closing brace");
  const inside = body.slice(entry.valueStart + 1, close);
  if (inside.trim() === "") return [entry.valueStart, entry.valueEnd, `{ ${assignment} }`];
  // After the last non-blank character inside the braces, so `{ a = 1 }` keeps its closing space.
  let at = close;
  while (at > entry.valueStart + 1 && /[ \t]/.test(body[at - 1]!)) at--;
  return [at, at, `, ${assignment}`];
}

function dottedKey(path: readonly string[]): string {
  return path.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join(".");
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}
