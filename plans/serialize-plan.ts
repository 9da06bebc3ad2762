// Writes a plan as plan.toml: a header comment, then one [[task]] table per
// task in plan order with fields in TASK_FIELDS order. The layout is stable
// (same plan, same bytes) so that plan.toml diffs in git show only real changes.

import { PLAN_FORMAT_VERSION, TASK_FIELDS, type Plan, type Task, type TaskField } from "./plan.js";

/** The comment every written plan starts with. */
export const PLAN_HEADER = [
  "# specwright build plan: one [[task]] per unit of work, built in dependency order.",
  "#",
  "# Written by `specwright plan`, then yours to edit: titles, descriptions, refs,",
  '# verify commands and notes; add, remove or reorder tasks; set status = "skip"',
  '# (not built) or "manual" (you write the files, specwright only verifies them).',
  "# Builds never rewrite this file; their results live in .specwright/state.json.",
  "# Check your edits with: specwright plan --check",
].join("\n");

/** Lines longer than this put list items one per line. */
const MAX_INLINE_WIDTH = 88;

/** The whole plan.toml text, ending with a newline. */
export function serializePlan(plan: Plan): string {
  const parts = [PLAN_HEADER, "", `version = ${PLAN_FORMAT_VERSION}`];
  for (const task of plan.tasks) parts.push("", serializeTask(task));
  return parts.join("\n") + "\n";
}

/** One `[[task]]` table, without a trailing newline. */
export function serializeTask(task: Task): string {
  const lines = ["[[task]]"];
  for (const field of TASK_FIELDS) {
    const line = formatTaskField(field, task);
    if (line !== undefined) lines.push(line);
  }
  return lines.join("\n");
}

/** `key = value` for one field, or undefined when an empty optional field is left out. */
export function formatTaskField(field: TaskField, task: Partial<Task>): string | undefined {
  const value = formatFieldValue(field, task);
  return value === undefined ? undefined : `${field.key} = ${value}`;
}

/** The TOML text of a field's value (as it follows `key = `), or undefined when it is left out. */
export function formatFieldValue(field: TaskField, task: Partial<Task>): string | undefined {
  switch (field.kind) {
    case "text": {
      const v = task[field.property];
      if (v === undefined || (!field.required && v === "")) return undefined;
      // Prose fields may span lines; ids, specs and titles stay on one.
      return field.property === "description" || field.property === "notes" ? tomlText(v) : tomlString(v);
    }
    case "list": {
      const v = task[field.property];
      if (v === undefined || (!field.alwaysWritten && v.length === 0)) return undefined;
      return tomlStringList(field.key, v);
    }
    case "status":
      return task.status === undefined ? undefined : tomlString(task.status);
  }
}

/** A one-line TOML basic string: `"…"` with escapes. */
export function tomlString(value: string): string {
  let out = '"';
  for (const ch of wellFormed(value)) {
    out += escapeChar(ch) ?? ch;
  }
  return out + '"';
}

/** A multi-line basic string (`"""…"""`) when the text has line breaks, else a one-line string. */
export function tomlText(value: string): string {
  if (!value.includes("\n")) return tomlString(value);
  const chars = [...wellFormed(value)];
  let out = '"""\n';
  chars.forEach((ch, i) => {
    if (ch === "\n" || ch === "\t") out += ch;
    // Escaping a quote before another quote (or at the very end) means three
    // unescaped quotes never meet, so the content cannot close the string early.
    else if (ch === '"') out += chars[i + 1] === '"' || i === chars.length - 1 ? '\\"' : '"';
    else out += escapeChar(ch) ?? ch;
  });
  return out + '"""';
}

/** `["a", "b"]` when `key = […]` fits on a line, else one item per line with a trailing comma. */
export function tomlStringList(key: string, items: readonly string[]): string {
  const quoted = items.map(tomlString);
  const inline = `[${quoted.join(", ")}]`;
  if (items.length <= 1 || key.length + 3 + inline.length <= MAX_INLINE_WIDTH) return inline;
  return `[\n${quoted.map((q) => `  ${q},`).join("\n")}\n]`;
}

function escapeChar(ch: string): string | undefined {
  switch (ch) {
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
    case "\b":
      return "\\b";
    case "\t":
      return "\\t";
    case "\n":
      return "\\n";
    case "\f":
      return "\\f";
    case "\r":
      return "\\r";
  }
  const code = ch.codePointAt(0)!;
  // TOML forbids raw control characters (and DEL) in strings.
  if (code < 0x20 || code === 0x7f) return `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return undefined;
}

/**
 * TOML strings are Unicode; a lone UTF-16 surrogate has no TOML spelling, so
 * it becomes U+FFFD rather than text the parser would reject.
 */
function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
