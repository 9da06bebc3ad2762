// Small queries over outline blocks that both format builders use: a field by
// label, the first fenced block, the prose before the first field, and the
// common part of every section node.

import type { Block, BulletBlock, CodeBlock, FieldBlock } from "./ast.js";
import type { OutlineSection } from "./outline.js";
import type { SectionDefinition } from "./sections.js";

/** Labels compare case-insensitively with spaces collapsed (`**Depends On:**` = `**Depends on:**`). */
export function sameLabel(a: string, b: string): boolean {
  return a.trim().replace(/\s+/g, " ").toLowerCase() === b.trim().replace(/\s+/g, " ").toLowerCase();
}

export function fieldsOf(blocks: readonly Block[]): FieldBlock[] {
  return blocks.filter((b): b is FieldBlock => b.kind === "field");
}

export function findField(blocks: readonly Block[], label: string): FieldBlock | undefined {
  return fieldsOf(blocks).find((f) => sameLabel(f.label, label));
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

/** The fields shared by every section node, from its outline and its table entry (if known). */
export function sectionBase(section: OutlineSection, definition: SectionDefinition | undefined) {
  return {
    name: definition?.name ?? section.heading.text,
    heading: section.heading.text,
    known: definition !== undefined,
    line: section.heading.line,
    column: section.heading.column,
    endLine: section.endLine,
    raw: section.raw,
    blocks: section.blocks,
    subsections: section.subsections,
  };
}
