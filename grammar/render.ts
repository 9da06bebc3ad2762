// Canonical markdown for AST nodes, used to put spec sections into prompts.
// Byte-stable: the output depends only on the AST, so incidental whitespace in
// the source (trailing spaces, extra blank lines, `*` vs `-` bullets, alias
// section names) never changes a prompt, and so never invalidates a task key.
// Re-parsing the output yields the same AST content.

import type { Block, BulletBlock, ComponentNode, RequirementNode, Section, Subsection } from "./ast.js";

function renderBullet(b: BulletBlock): string {
  const indent = " ".repeat(b.marker.length + 1);
  const lines = b.lines.length > 0 ? [...b.lines] : [""];
  if (b.inferred) lines[lines.length - 1] = `${lines[lines.length - 1]} [inferred]`.trimStart();
  return lines.map((l, i) => (i === 0 ? `${b.marker} ${l}`.trimEnd() : `${indent}${l}`)).join("\n");
}

function renderBlock(b: Block): string {
  switch (b.kind) {
    case "paragraph":
      return b.lines.join("\n");
    case "bullet":
      return renderBullet(b);
    case "code": {
      const open = b.info === "" ? b.fence : `${b.fence}${b.info}`;
      return b.content === "" ? `${open}\n${b.fence}` : `${open}\n${b.content}\n${b.fence}`;
    }
    case "path":
      return `@path: ${b.value}`;
    case "field": {
      const head = b.inline === "" ? `**${b.label}:**` : `**${b.label}:** ${b.inline}`;
      if (b.blocks.length === 0) return head;
      // A value continuing on the next line stays glued to the label line (as written in Accepts/Returns).
      const first = b.blocks[0]!;
      const glue = b.inline !== "" && first.kind === "paragraph" && first.line === b.line + 1 ? "\n" : "\n\n";
      return `${head}${glue}${renderBlocks(b.blocks)}`;
    }
  }
}

/**
 * Blocks separated by one blank line, except consecutive bullets (one list).
 * A paragraph right after a bullet needs the blank line, or it would read as
 * the bullet's continuation.
 */
export function renderBlocks(blocks: readonly Block[]): string {
  let out = "";
  let previous: Block | undefined;
  for (const b of blocks) {
    if (previous) out += previous.kind === "bullet" && b.kind === "bullet" ? "\n" : "\n\n";
    out += renderBlock(b);
    previous = b;
  }
  return out;
}

function withBody(heading: string, blocks: readonly Block[]): string {
  return blocks.length === 0 ? `${heading}\n` : `${heading}\n\n${renderBlocks(blocks)}\n`;
}

/** `### Title {#anchor .no-verify} [inferred]` and the requirement's body. */
export function renderRequirement(r: RequirementNode): string {
  const attributes = [r.anchorExplicit ? `#${r.anchor}` : "", r.noVerify ? ".no-verify" : ""].filter((a) => a !== "");
  let heading = `### ${r.title}`;
  if (attributes.length > 0) heading += ` {${attributes.join(" ")}}`;
  if (r.inferred) heading += " [inferred]";
  return withBody(heading, r.blocks);
}

/** `### Name`, `@path:`, description, Interface, Contracts and Depends on, as written in order. */
export function renderComponent(c: ComponentNode): string {
  return withBody(`### ${c.name}`, c.blocks);
}

function renderSubsection(s: Subsection): string {
  return withBody(`### ${s.heading}`, s.blocks);
}

/** `## Canonical Name` and the section's whole body, subsections included. */
export function renderSection(section: Section): string {
  if (section.kind === "properties") {
    // Numbered and canonical, so a reformatted property does not change a prompt.
    const lines = section.properties.map((p) => `- ${p.id}: ${p.canonical ?? p.text}`);
    return lines.length > 0 ? `## ${section.name}\n\n${lines.join("\n")}\n` : `## ${section.name}\n`;
  }
  const parts = [withBody(`## ${section.name}`, section.blocks)];
  switch (section.kind) {
    case "requirements":
      parts.push(...section.requirements.map(renderRequirement));
      break;
    case "components":
      parts.push(...section.components.map(renderComponent));
      break;
    default:
      parts.push(...section.subsections.map(renderSubsection));
  }
  return parts.join("\n");
}
