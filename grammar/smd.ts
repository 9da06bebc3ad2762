// SMD builder: gives the sections of an outline their SMD meaning
// (requirements, examples, bullet lists, properties) and reports the problems
// that are about the shape of one construct: an `**Errors:**` bullet without
// an arrow, a malformed `{#anchor}`. Rules that need the whole file or project
// (required sections, duplicate anchors) are in check-file.ts.

import { parseProperty, renderProperty } from "./property-language.js";
import type { Block, ErrorCase, ExampleNode, ExampleValue, FieldBlock, PropertyLine, RequirementNode, SmdDocument, SmdSection, Subsection } from "./ast.js";
import { bulletsOf, fieldsOf, findField, firstCode, leadingBlocks, sectionBase, withRaw } from "./block-queries.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { isNone, parseHeadingAttributes, slugify } from "./inline.js";
import type { Outline, OutlineSection } from "./outline.js";
import { renderBlocks } from "./render.js";
import { lookupSection, SMD_SECTIONS } from "./sections.js";

const ARROW_HINT = "separate the condition from the response with `->` or `→`, e.g. `- empty input -> exit with code 1`";

/** Splits `condition -> response` at the first `->` or `→`. */
export function splitErrorBullet(text: string): { condition: string; response: string } | undefined {
  const ascii = text.indexOf("->");
  const unicode = text.indexOf("→");
  let at: number;
  let width: number;
  if (ascii === -1 && unicode === -1) return undefined;
  if (unicode === -1 || (ascii !== -1 && ascii < unicode)) {
    at = ascii;
    width = 2;
  } else {
    at = unicode;
    width = 1;
  }
  return { condition: text.slice(0, at).trim(), response: text.slice(at + width).trim() };
}

function buildErrors(field: FieldBlock, file: string, diagnostics: Diagnostic[]): ErrorCase[] {
  const cases: ErrorCase[] = [];
  for (const block of field.blocks) {
    if (block.kind === "bullet") {
      const split = splitErrorBullet(block.text);
      if (!split) {
        diagnostics.push(
          diagnostic("error", file, block.line, block.column, "this **Errors:** bullet has no arrow between condition and response", {
            hint: ARROW_HINT,
            code: "smd/errors-bullet-arrow",
          }),
        );
      } else if (split.condition === "" || split.response === "") {
        const missing = split.condition === "" ? "condition" : "response";
        diagnostics.push(
          diagnostic("error", file, block.line, block.column, `this **Errors:** bullet has an empty ${missing}`, { hint: ARROW_HINT, code: "smd/errors-bullet-empty" }),
        );
      } else {
        cases.push({ ...split, inferred: block.inferred, line: block.line, column: block.column });
      }
    } else if (!(block.kind === "paragraph" && block.lines.length === 1 && isNone(block.lines[0]!))) {
      diagnostics.push(
        diagnostic("warning", file, block.line, block.column, "only `- condition -> response` bullets are read under **Errors:**; this text is kept but not parsed", {
          hint: ARROW_HINT,
          code: "smd/errors-text",
        }),
      );
    }
  }
  if (field.inline !== "" && !isNone(field.inline)) {
    diagnostics.push(
      diagnostic("warning", file, field.line, field.inlineColumn, "text after **Errors:** on the same line is kept but not parsed; list errors as bullets", {
        hint: ARROW_HINT,
        code: "smd/errors-text",
      }),
    );
  }
  return cases;
}

function buildRequirement(sub: Subsection, file: string, diagnostics: Diagnostic[]): RequirementNode {
  const attributes = parseHeadingAttributes(sub.heading);
  if (attributes.invalid !== undefined) {
    diagnostics.push(
      diagnostic("error", file, sub.line, sub.column, `\`${attributes.invalid}\` is not a valid heading attribute`, {
        hint: "write `{#anchor}` (letters, digits, `-`, `_`) and/or `{.no-verify}`",
        code: "smd/heading-attribute",
      }),
    );
  }
  const errorsField = findField(sub.blocks, "Errors");
  const requirement: RequirementNode = {
    title: attributes.title,
    anchor: attributes.anchor ?? slugify(attributes.title),
    anchorExplicit: attributes.anchor !== undefined,
    noVerify: attributes.noVerify,
    inferred: attributes.inferred,
    line: sub.line,
    column: sub.column,
    endLine: sub.endLine,
    description: renderBlocks(leadingBlocks(sub.blocks)),
    errors: errorsField ? buildErrors(errorsField, file, diagnostics) : [],
    fields: fieldsOf(sub.blocks),
    blocks: sub.blocks,
  };
  const accepts = findField(sub.blocks, "Accepts");
  if (accepts) requirement.accepts = accepts.value;
  const returns = findField(sub.blocks, "Returns");
  if (returns) requirement.returns = returns.value;
  return requirement;
}

function exampleValue(field: FieldBlock | undefined): ExampleValue | undefined {
  if (!field) return undefined;
  const code = firstCode(field.blocks);
  const value: ExampleValue = { line: field.line, column: field.column, text: code ? code.content : field.value };
  if (code) value.code = code;
  return value;
}

function buildExample(sub: Subsection): ExampleNode {
  const example: ExampleNode = { name: sub.heading, line: sub.line, column: sub.column, endLine: sub.endLine, fields: fieldsOf(sub.blocks), blocks: sub.blocks };
  const input = exampleValue(findField(sub.blocks, "Input"));
  if (input) example.input = input;
  const output = exampleValue(findField(sub.blocks, "Output"));
  if (output) example.output = output;
  return example;
}

/** Each non-blank line (or bullet) of a Properties section is one property, numbered P1, P2, … */
function buildProperties(blocks: readonly Block[]): PropertyLine[] {
  const properties: PropertyLine[] = [];
  const add = (raw: string, line: number, rawColumn: number): void => {
    if (raw.trim() === "") return;
    // An optional `P3:` label (as canonical rendering writes it) is not part of the property.
    const label = /^\s*P\d+:\s*/.exec(raw)?.[0] ?? "";
    const text = raw.slice(label.length);
    const column = rawColumn + label.length;
    const property: PropertyLine = { id: `P${properties.length + 1}`, text: text.trim(), line, column };
    const parsed = parseProperty(property.text);
    if (parsed.ok) {
      property.ast = parsed.ast;
      property.canonical = renderProperty(parsed.ast);
    } else property.error = { column: column + parsed.column - 1, message: parsed.message };
    properties.push(property);
  };
  for (const b of blocks) {
    if (b.kind === "paragraph") b.lines.forEach((l, i) => add(l, b.line + i, l.length - l.trimStart().length + 1));
    // A bullet's text starts after its marker and one space.
    else if (b.kind === "bullet") add(b.text, b.line, b.column + b.marker.length + 1);
  }
  return properties;
}

function buildSection(section: OutlineSection, file: string, diagnostics: Diagnostic[]): SmdSection {
  const definition = lookupSection(SMD_SECTIONS, section.heading.text);
  const base = sectionBase(section, definition);
  switch (definition?.kind) {
    case "bullets":
      return withRaw({ ...base, kind: "bullets" as const, bullets: bulletsOf(section.blocks) }, section);
    case "requirements":
      return withRaw({ ...base, kind: "requirements" as const, requirements: section.subsections.map((s) => buildRequirement(s, file, diagnostics)) }, section);
    case "examples":
      return withRaw({ ...base, kind: "examples" as const, examples: section.subsections.map(buildExample) }, section);
    case "properties":
      return withRaw({ ...base, kind: "properties" as const, properties: buildProperties(section.blocks) }, section);
    default:
      return withRaw({ ...base, kind: "prose" as const }, section);
  }
}

/** The SMD document of an outline; construct-level problems are appended to `diagnostics`. */
export function buildSmd(outline: Outline, file: string, diagnostics: Diagnostic[]): SmdDocument {
  const doc: SmdDocument = { kind: "smd", preamble: outline.preamble, sections: outline.sections.map((s) => buildSection(s, file, diagnostics)) };
  if (outline.frontmatter) doc.frontmatter = outline.frontmatter;
  if (outline.title) doc.title = outline.title;
  return doc;
}
