// The `[inferred]` items of a spec file (text a model added that no person has
// confirmed yet) and confirming one: removing its marker from the text and
// nothing else. Items come from the parser, so what counts as inferred here is
// exactly what the prompts treat as inferred. Pure: text in, text out.

import { parseSpecText } from "./parse.js";

export interface InferredItem {
  /** 1-based line of the bullet or heading. */
  line: number;
  /** Last line of a bullet with continuation lines (where a trailing marker sits); `line` for a heading. */
  endLine: number;
  kind: "bullet" | "heading";
  /** The item's text without the marker, on one line, for a list. */
  text: string;
}

interface Node {
  inferred: boolean;
  line: number;
  endLine?: number;
  kind?: string;
  text?: string;
  title?: string;
}

function isNode(value: unknown): value is Node {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return v["inferred"] === true && typeof v["line"] === "number";
}

/**
 * Every node of an AST that carries `inferred`, wherever it sits (bullets in
 * any section or field, requirement headings, error cases), without a walker
 * per format that would miss the next place a marker is allowed.
 */
function* inferredNodes(value: unknown): Generator<Node> {
  if (Array.isArray(value)) {
    for (const item of value) yield* inferredNodes(item);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  if (isNode(value)) yield value;
  for (const child of Object.values(value)) if (typeof child === "object" && child !== null) yield* inferredNodes(child);
}

/** The inferred bullets and headings of a spec file, in line order. */
export function inferredItems(text: string, file: string): InferredItem[] {
  const parsed = parseSpecText(text, file);
  if (parsed.kind === "unknown" || parsed.kind === "vmd" || !parsed.ast) return [];
  const byLine = new Map<number, InferredItem>();
  for (const node of inferredNodes(parsed.ast)) {
    if (node.kind === "bullet") {
      byLine.set(node.line, { line: node.line, endLine: node.endLine ?? node.line, kind: "bullet", text: node.text ?? "" });
    } else if (node.title !== undefined) {
      byLine.set(node.line, { line: node.line, endLine: node.line, kind: "heading", text: node.title });
    }
    // An error case repeats the bullet it came from, on the same line: the bullet is the item.
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

const BULLET_LEAD = /^([ \t]*(?:[-*+]|\d+[.)])[ \t]+)\[inferred\][ \t]*/i;
const TRAILING = /[ \t]*\[inferred\](?=[ \t]*$)/i;
const HEADING_LEAD = /^([ \t]*#{1,6}[ \t]+)\[inferred\][ \t]*/i;
const BEFORE_ATTRIBUTES = /[ \t]*\[inferred\](?=[ \t]*\{[^{}]*\}[ \t]*$)/i;

export type ConfirmResult = { ok: true; text: string } | { ok: false; problem: string };

/**
 * Removes the marker of the inferred item on `line` (a bullet's leading or
 * trailing `[inferred]`, a heading's), with the one space that separated it,
 * keeping every other byte: line breaks, indentation, other markers.
 */
export function confirmInferred(text: string, file: string, line: number): ConfirmResult {
  const item = inferredItems(text, file).find((i) => i.line === line);
  if (!item) return { ok: false, problem: `nothing on line ${line} is marked [inferred] any more` };
  // Lines with their breaks, so joining them back gives the text unchanged.
  const parts = text.split(/(\r\n|\n|\r)/);
  const bom = text.startsWith("\uFEFF") ? 1 : 0;
  const lineAt = (n: number) => 2 * (n - 1);
  const edit = (n: number, change: (s: string) => string): boolean => {
    const i = lineAt(n);
    const before = parts[i];
    if (before === undefined) return false;
    const prefix = i === 0 && bom ? "\uFEFF" : "";
    const after = prefix + change(before.slice(prefix.length));
    if (after === before) return false;
    parts[i] = after;
    return true;
  };
  let changed: boolean;
  if (item.kind === "bullet") {
    changed = edit(item.line, (s) => s.replace(BULLET_LEAD, "$1"));
    if (!changed) changed = edit(item.endLine, (s) => s.replace(TRAILING, ""));
  } else {
    changed = edit(item.line, (s) => s.replace(HEADING_LEAD, "$1"));
    if (!changed) changed = edit(item.line, (s) => s.replace(TRAILING, ""));
    if (!changed) changed = edit(item.line, (s) => s.replace(BEFORE_ATTRIBUTES, ""));
  }
  if (!changed) return { ok: false, problem: `the [inferred] marker on line ${line} is not where specwright expects it; remove it by hand` };
  return { ok: true, text: parts.join("") };
}
