// Changes to plan.toml that keep what the person wrote: comments, blank lines,
// key order, quoting and line breaks outside the changed values stay byte for
// byte. The TUI's plan screen and re-planning write through these functions;
// only a fresh plan is written whole by serializePlan.

import { TASK_FIELDS, type Task } from "./plan.js";
import { formatFieldValue, serializeTask, tomlString } from "./serialize-plan.js";
import { parseTomlSource, type TomlEntry, type TomlSource } from "./toml-source.js";

/** The changeable fields of a task. */
export type TaskChanges = Partial<Task>;

/**
 * Sets fields of task `taskId` in plan.toml text. A field already in the task's
 * table gets its value replaced in place (the key, a comment after the value
 * and everything else on other lines stay); a field not yet there is added as
 * a new line after the task's last key. Setting an optional field to ""/[]
 * writes the empty value where the key exists and adds nothing where it does not.
 *
 * Throws when the text is not valid TOML or has no task `taskId`: callers parse
 * and report diagnostics first, so either is a bug, not bad input.
 */
export function editPlanText(text: string, taskId: string, changes: TaskChanges): string {
  const doc = readTasks(text);
  const task = doc.find(taskId);
  const nl = newlineOf(doc.body);

  const edits: { at: number; end: number; insert: string }[] = [];
  const additions: string[] = [];
  for (const field of TASK_FIELDS) {
    if (!(field.property in changes)) continue;
    const existing = doc.source.entry(["task", task.index, field.key]);
    const formatted = formatFieldValue(field, changes);
    if (existing && existing.kind === "key") {
      let value = formatted ?? (field.kind === "list" ? "[]" : tomlString(""));
      if (field.kind === "list") value = value.replace(/\n/g, nl);
      edits.push({ at: existing.valueStart, end: existing.valueEnd, insert: value });
    } else if (formatted !== undefined) {
      additions.push(`${field.key} = ${field.kind === "list" ? formatted.replace(/\n/g, nl) : formatted}`);
    }
  }
  if (additions.length > 0) {
    const at = lineEnd(doc.body, task.lastKeyEnd);
    // At the end of a file without a final newline the new lines still start on their own line.
    edits.push({ at, end: at, insert: additions.map((line) => nl + line).join("") });
  }
  return doc.bom + applyEdits(doc.body, edits);
}

/**
 * Removes task `taskId`: its table and the comment lines directly above its
 * header (no blank line between), which by convention describe it.
 * Throws like editPlanText.
 */
export function removeTaskFromText(text: string, taskId: string): string {
  const doc = readTasks(text);
  const task = doc.find(taskId);
  const result = doc.body.slice(0, task.blockStart) + doc.body.slice(task.blockEnd);
  const isLast = task.blockEnd === doc.body.length;
  return doc.bom + (isLast ? trimTrailingBlankLines(result, newlineOf(doc.body)) : result);
}

/**
 * Moves task `taskId` (with its comments) so that it becomes the `toIndex`-th
 * task (0-based, clamped). Blank lines between moved tasks are normalised to
 * one; everything inside each task stays as written. Throws like editPlanText.
 */
export function moveTaskInText(text: string, taskId: string, toIndex: number): string {
  const doc = readTasks(text);
  const task = doc.find(taskId);
  if (doc.tasks.length === 0) return text;
  const nl = newlineOf(doc.body);
  const first = doc.tasks[0]!;
  const prefix = doc.body.slice(0, first.blockStart);
  const blocks = doc.tasks.map((t) => trimTrailingBlankLines(doc.body.slice(t.blockStart, t.blockEnd), nl));
  const moved = blocks.splice(task.index, 1)[0]!;
  const target = Math.max(0, Math.min(toIndex, blocks.length));
  blocks.splice(target, 0, moved);
  return doc.bom + prefix + blocks.join(nl);
}

/** Appends a task (serialized in the standard layout) after the last one. */
export function appendTaskToText(text: string, task: Task): string {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = bom ? text.slice(1) : text;
  const nl = newlineOf(body);
  const block = serializeTask(task).replace(/\n/g, nl);
  const trimmed = trimTrailingBlankLines(body, nl);
  const separator = trimmed.trim() === "" ? "" : nl;
  return bom + trimmed + separator + block + nl;
}

// ---------------------------------------------------------------------------

interface TaskLocation {
  id: string;
  index: number;
  header: TomlEntry;
  /** Offset after the last key/value of the task's own table (the header's end when it has none). */
  lastKeyEnd: number;
  /** Where the task's block starts: its attached comment lines, else its header line. */
  blockStart: number;
  /** Where the next task's block starts, or the end of the text. */
  blockEnd: number;
}

interface TaskDocument {
  bom: string;
  body: string;
  source: TomlSource;
  tasks: TaskLocation[];
  find(id: string): TaskLocation;
}

function readTasks(text: string): TaskDocument {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = bom ? text.slice(1) : text;
  const source = parseTomlSource(body, "plan.toml");
  const rawTasks = source.value?.["task"];
  if (source.value === undefined) throw new Error(`plan text does not parse: ${source.diagnostics[0]?.message ?? "unknown error"}`);

  const headers = source.entries
    .filter((e) => (e.kind === "table" || e.kind === "array-table") && body[e.start] === "[")
    .sort((a, b) => a.start - b.start);
  const tasks: TaskLocation[] = [];
  if (Array.isArray(rawTasks)) {
    rawTasks.forEach((raw: unknown, index) => {
      const header = source.entry(["task", index]);
      if (!header) return;
      const id = typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "string" ? raw.id : "";
      const ownKeys = source.entries.filter(
        (e) => e.kind === "key" && e.path.length === 3 && e.path[0] === "task" && e.path[1] === index,
      );
      const lastKeyEnd = Math.max(header.valueEnd, ...ownKeys.map((e) => e.valueEnd));
      tasks.push({ id, index, header, lastKeyEnd, blockStart: attachedCommentStart(body, header.start), blockEnd: body.length });
    });
  }
  // A task's block ends where the next task's block (or any later table that is not its sub-table) starts.
  for (const task of tasks) {
    const next = tasks.find((t) => t.header.start > task.header.start);
    const foreign = headers.find((h) => h.start > task.header.start && !(h.path[0] === "task" && h.path[1] === task.index));
    const ends = [next?.blockStart, foreign ? attachedCommentStart(body, foreign.start) : undefined].filter(
      (n): n is number => n !== undefined,
    );
    task.blockEnd = ends.length > 0 ? Math.min(...ends) : body.length;
  }
  return {
    bom,
    body,
    source,
    tasks,
    find(id) {
      const task = tasks.find((t) => t.id === id);
      if (!task) throw new Error(`plan text has no task "${id}"`);
      return task;
    },
  };
}

/** Start of the run of comment-only lines directly above the line holding `offset`. */
function attachedCommentStart(text: string, offset: number): number {
  let start = lineStart(text, offset);
  while (start > 0) {
    // The previous line ends just before this line's break (\n, \r\n or \r).
    const breakLength = text[start - 1] === "\n" && text[start - 2] === "\r" ? 2 : 1;
    const previousStart = lineStart(text, start - breakLength);
    const line = text.slice(previousStart, start - breakLength).trim();
    if (!line.startsWith("#")) break;
    start = previousStart;
  }
  return start;
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== "\n" && text[i - 1] !== "\r") i--;
  return i;
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  return i;
}

function newlineOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

function trimTrailingBlankLines(text: string, nl: string): string {
  const trimmed = text.replace(/(?:[ \t]*(?:\r\n|\n|\r))+$/, "");
  return trimmed === "" ? "" : trimmed + nl;
}

function applyEdits(text: string, edits: readonly { at: number; end: number; insert: string }[]): string {
  let out = text;
  // From the end backwards so earlier offsets stay valid.
  for (const e of [...edits].sort((a, b) => b.at - a.at)) {
    out = out.slice(0, e.at) + e.insert + out.slice(e.end);
  }
  return out;
}
