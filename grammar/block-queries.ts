// Small queries over outline blocks that both format builders use: a field by
// label, the first fenced block, the prose before the first field, and the
// common part of every section node.

import type { Block, BulletBlock, CodeBlock, FieldBlock } from "./ast.js";
import type { OutlineSection } from "./outline.js";
import type { SectionDefinition } from "./sections.js";

/** A label as labels compare: case-insensitive, spaces collapsed (`**Depends On:**` = `**Depends on:**`). */
function labelKey(label: string): string {
  let key = labelKeys.get(label);
  if (key === undefined) {
    key = label.trim().replace(/\s+/g, " ").toLowerCase();
    // Labels repeat across a spec (Accepts, Returns, …): a small memo saves the regex per lookup.
    if (labelKeys.size < 1000) labelKeys.set(label, key);
  }
  return key;
}
const labelKeys = new Map<string, string>();

export function sameLabel(a: string, b: string): boolean {
  return labelKey(a) === labelKey(b);
}

export function fieldsOf(blocks: readonly Block[]): FieldBlock[] {
  return blocks.filter((b): b is FieldBlock => b.kind === "field");
}

export function findField(blocks: readonly Block[], label: string): FieldBlock | undefined {
  const wanted = labelKey(label);
  for (const b of blocks) if (b.kind === "field" && labelKey(b.label) === wanted) return b;
  return undefined;
}

export function firstCode(blocks: readonly Block[]): CodeBlock | undefined {
  return blocks.find((b): b is CodeBlock => b.kind === "code");
}

export function bulletsOf(blocks: readonly Block[]): BulletBlock[] {
  return blocks.filter((b): b is BulletBlock => b.kind === "bullet");
}

/** Blocks before the first field: a requirement's or component's description. */
export function leadingBlocks(blocks: readonly Block[]): Block[] {
  const first = blocks.findIndex((b) => b.kind === "field");
  return first === -1 ? [...blocks] : blocks.slice(0, first);
}

/** The fields shared by every section node, from its outline and its table entry (if known); `raw` is added by withRaw. */
export function sectionBase(section: OutlineSection, definition: SectionDefinition | undefined) {
  return {
    name: definition?.name ?? section.heading.text,
    heading: section.heading.text,
    known: definition !== undefined,
    line: section.heading.line,
    column: section.heading.column,
    endLine: section.endLine,
    blocks: section.blocks,
    subsections: section.subsections,
  };
}

/** Gives a section node the outline's verbatim body, read (and sliced) only when something asks for it. */
export function withRaw<T extends object>(node: T, section: OutlineSection): T & { raw: string } {
  return Object.defineProperty(node, "raw", { get: () => section.raw, enumerable: true }) as T & { raw: string };
}
