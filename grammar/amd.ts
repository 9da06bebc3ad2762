// AMD builder: gives the sections of an outline their AMD meaning (components
// with @path, Interface, Contracts and Depends on; data models) and reports
// problems in the shape of one construct. Required fields and cross-component
// references are checked in check-file.ts and check-project.ts.

import type { AmdDocument, AmdSection, ComponentNode, Contracts, DataModelNode, FieldBlock, NameRef, PathBlock, Subsection } from "./ast.js";
import { bulletsOf, fieldsOf, findField, firstCode, leadingBlocks, sectionBase, withRaw } from "./block-queries.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { isNone } from "./inline.js";
import type { Outline, OutlineSection } from "./outline.js";
import { renderBlocks } from "./render.js";
import { AMD_SECTIONS, lookupSection } from "./sections.js";

function buildContracts(field: FieldBlock, file: string, diagnostics: Diagnostic[]): Contracts {
  const bullets = bulletsOf(field.blocks);
  const first = field.blocks[0];
  const saysNone =
    isNone(field.inline) || (field.inline === "" && first?.kind === "paragraph" && first.lines.length === 1 && isNone(first.lines[0]!));
  if (saysNone) {
    if (bullets.length > 0) {
      diagnostics.push(
        diagnostic("error", file, field.line, field.column, "**Contracts:** says `None` but also lists bullets", {
          hint: "keep either `None` or the bullets",
          code: "amd/contracts-none-and-bullets",
        }),
      );
    }
    return { kind: "none", line: field.line, column: field.column };
  }
  if (bullets.length === 0) {
    diagnostics.push(
      diagnostic("error", file, field.line, field.column, "**Contracts:** needs `- ` bullets or `None`", {
        hint: "list one contract per `- ` line, or write `**Contracts:** None`",
        code: "amd/contracts-empty",
      }),
    );
  }
  return { kind: "list", items: bullets, line: field.line, column: field.column };
}

/** Comma-separated names on one line; `column` is where `text` starts. Backticks and a final `.` are decoration. */
function namesIn(text: string, line: number, column: number): NameRef[] {
  const refs: NameRef[] = [];
  let offset = 0;
  for (const part of text.split(",")) {
    const lead = part.length - part.trimStart().length;
    const name = part.trim().replace(/\.$/, "").trim().replace(/^`(.*)`$/, "$1").trim();
    if (name !== "" && !isNone(name)) refs.push({ name, line, column: column + offset + lead });
    offset += part.length + 1;
  }
  return refs;
}

function buildDependsOn(field: FieldBlock): NameRef[] {
  if (isNone(field.value)) return [];
  const refs = namesIn(field.inline, field.line, field.inlineColumn);
  for (const block of field.blocks) {
    if (block.kind === "paragraph") {
      block.lines.forEach((l, i) => refs.push(...namesIn(l, block.line + i, 1)));
    } else if (block.kind === "bullet") {
      refs.push(...namesIn(block.text, block.line, block.column + block.marker.length + 1));
    }
  }
  return refs;
}

function pathsOf(sub: Subsection): PathBlock[] {
  const paths: PathBlock[] = [];
  for (const b of sub.blocks) {
    if (b.kind === "path") paths.push(b);
    else if (b.kind === "field") for (const inner of b.blocks) if (inner.kind === "path") paths.push(inner);
  }
  return paths;
}

function buildComponent(sub: Subsection, file: string, diagnostics: Diagnostic[]): ComponentNode {
  const paths = pathsOf(sub);
  for (const extra of paths.slice(1)) {
    diagnostics.push(
      diagnostic("error", file, extra.line, extra.column, `component \`${sub.heading}\` already has \`@path: ${paths[0]!.value}\` (line ${paths[0]!.line})`, {
        hint: "a component is one file; split it into two components",
        code: "amd/duplicate-path",
      }),
    );
  }
  const component: ComponentNode = {
    name: sub.heading,
    line: sub.line,
    column: sub.column,
    endLine: sub.endLine,
    description: renderBlocks(leadingBlocks(sub.blocks).filter((b) => b.kind !== "path")),
    fields: fieldsOf(sub.blocks),
    blocks: sub.blocks,
  };
  const path = paths[0];
  if (path) component.path = { value: path.value, line: path.line, column: path.valueColumn };
  const interfaceField = findField(sub.blocks, "Interface");
  const code = interfaceField ? firstCode(interfaceField.blocks) : undefined;
  if (code) component.interface = code;
  const contracts = findField(sub.blocks, "Contracts");
  if (contracts) component.contracts = buildContracts(contracts, file, diagnostics);
  const dependsOn = findField(sub.blocks, "Depends on");
  if (dependsOn) component.dependsOn = buildDependsOn(dependsOn);
  return component;
}

function buildDataModel(sub: Subsection): DataModelNode {
  const model: DataModelNode = { name: sub.heading, line: sub.line, column: sub.column, endLine: sub.endLine, blocks: sub.blocks };
  const definition = firstCode(sub.blocks) ?? firstCode(fieldsOf(sub.blocks).flatMap((f) => f.blocks));
  if (definition) model.definition = definition;
  return model;
}

function buildSection(section: OutlineSection, file: string, diagnostics: Diagnostic[]): AmdSection {
  const definition = lookupSection(AMD_SECTIONS, section.heading.text);
  const base = sectionBase(section, definition);
  switch (definition?.kind) {
    case "components":
      return withRaw({ ...base, kind: "components" as const, components: section.subsections.map((s) => buildComponent(s, file, diagnostics)) }, section);
    case "data-models":
      return withRaw({ ...base, kind: "data-models" as const, models: section.subsections.map(buildDataModel) }, section);
    case "bullets":
      return withRaw({ ...base, kind: "bullets" as const, bullets: bulletsOf(section.blocks) }, section);
    default:
      return withRaw({ ...base, kind: "prose" as const }, section);
  }
}

/** The AMD document of an outline; construct-level problems are appended to `diagnostics`. */
export function buildAmd(outline: Outline, file: string, diagnostics: Diagnostic[]): AmdDocument {
  const doc: AmdDocument = { kind: "amd", preamble: outline.preamble, sections: outline.sections.map((s) => buildSection(s, file, diagnostics)) };
  if (outline.frontmatter) doc.frontmatter = outline.frontmatter;
  if (outline.title) doc.title = outline.title;
  return doc;
}
