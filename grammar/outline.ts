// The CST visitor shared by SMD and AMD: turns the chevrotain CST into an
// outline of typed blocks (frontmatter, title, sections, subsections, fields,
// bullets, fences) and reports the purely structural problems (unclosed
// frontmatter or fence, stray headings). What each section means is decided by
// the format builders (smd.ts, amd.ts); semantics live in check-file.ts.

import type { IToken } from "chevrotain";
import type { Block, BulletBlock, CodeBlock, FieldBlock, Frontmatter, Heading, Located, ParagraphBlock, PathBlock, Subsection } from "./ast.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { buildFrontmatter } from "./frontmatter.js";
import { stripInferredLines } from "./inline.js";
import { fieldLabelEnd, markdownLexer, orderedMarkerEnd, type FencePayload } from "./markdown-lexer.js";
import {
  markdownParser,
  type BlockCst,
  type ContentCst,
  type DocumentCst,
  type FieldCst,
  type FrontmatterCst,
  type SectionCst,
  type SubsectionCst,
} from "./markdown-parser.js";
import { lastLineNumber } from "./source-text.js";

export interface OutlineSection {
  heading: Heading;
  endLine: number;
  raw: string;
  blocks: Block[];
  subsections: Subsection[];
}

export interface Outline {
  frontmatter?: Frontmatter;
  /** Where a `---` opened frontmatter that never closed. */
  unclosedFrontmatter?: Located;
  title?: Heading;
  preamble: Block[];
  sections: OutlineSection[];
}

function lineText(token: IToken): string {
  return token.image.endsWith("\n") ? token.image.slice(0, -1) : token.image;
}

function startLine(token: IToken): number {
  return token.startLine ?? 1;
}

function endLine(token: IToken): number {
  return token.endLine ?? token.startLine ?? 1;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

/** `## Title ##` -> "Title": the `#` run, surrounding spaces and an optional closing run removed. */
export function headingOf(token: IToken): Heading {
  const text = lineText(token);
  const indent = indentOf(text);
  const body = text.slice(indent).replace(/^#+/, "");
  const title = body.replace(/[ \t]+#+[ \t]*$/, "").replace(/^[ \t]*#+[ \t]*$/, "").trim();
  return { text: title, line: startLine(token), column: indent + 1 };
}

function lastEndLine(blocks: Block[], fallback: number): number {
  let end = fallback;
  for (const b of blocks) end = Math.max(end, b.kind === "path" ? b.line : b.endLine);
  return end;
}

const BaseVisitor = markdownParser.getBaseCstVisitorConstructor();

/**
 * Rule methods are called directly (not through `visit`) so each returns its
 * own static type; extending the base visitor still lets chevrotain check at
 * construction that every grammar rule has a method here.
 */
class OutlineVisitor extends BaseVisitor {
  private file = "";
  private text = "";
  private lineStarts: number[] = [];
  private diagnostics: Diagnostic[] = [];
  private title: Heading | undefined;
  private readKeys: readonly string[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  run(cst: DocumentCst, text: string, file: string, diagnostics: Diagnostic[], readKeys: readonly string[]): Outline {
    this.file = file;
    this.readKeys = readKeys;
    this.text = text;
    this.diagnostics = diagnostics;
    this.title = undefined;
    this.lineStarts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    const outline = this.document(cst.children);
    this.text = "";
    this.lineStarts = [];
    return outline;
  }

  private error(line: number, column: number, message: string, code: string, hint?: string): void {
    this.diagnostics.push(diagnostic("error", this.file, line, column, message, hint === undefined ? { code } : { code, hint }));
  }

  /** Offset just past the last character of a 1-based line (its newline excluded). */
  private lineEndOffset(line: number): number {
    return line < this.lineStarts.length ? this.lineStarts[line]! - 1 : this.text.length;
  }

  document(ctx: DocumentCst["children"]): Outline {
    const outline: Outline = { preamble: [], sections: [] };
    const fm = ctx.frontmatter?.[0];
    if (fm) outline.frontmatter = this.frontmatter(fm.children);
    const unclosed = ctx.FmOpenUnclosed?.[0];
    if (unclosed) {
      outline.unclosedFrontmatter = { line: startLine(unclosed), column: 1 };
      this.error(startLine(unclosed), 1, "the frontmatter opened here is never closed", "frontmatter/unterminated", "end the frontmatter with a line holding only `---`");
    }
    outline.preamble = this.content(ctx.content[0]!.children, "preamble");
    for (const orphan of ctx.subsection ?? []) {
      const sub = this.subsection(orphan.children);
      this.error(sub.line, sub.column, `\`### ${sub.heading}\` comes before any \`##\` section, so it belongs to none`, "heading/orphan-subsection", "put it under the section it belongs to, e.g. `## Requirements`");
    }
    outline.sections = (ctx.section ?? []).map((s) => this.section(s.children));
    if (this.title) outline.title = this.title;
    return outline;
  }

  frontmatter(ctx: FrontmatterCst["children"]): Frontmatter {
    const lines = (ctx.frontmatterLine ?? []).map((l) => {
      const c = l.children;
      return (c.FmEntry ?? c.FmItem ?? c.FmBlank ?? c.FmComment ?? c.FmOther)![0]!;
    });
    const built = buildFrontmatter(ctx.FmOpen[0]!, lines, ctx.FmClose[0]!, this.file, this.readKeys);
    this.diagnostics.push(...built.diagnostics);
    return built.frontmatter;
  }

  frontmatterLine(): void {
    // Handled inside frontmatter(), which needs all lines in order at once.
  }

  section(ctx: SectionCst["children"]): OutlineSection {
    const heading = headingOf(ctx.H2[0]!);
    const blocks = this.content(ctx.content[0]!.children, "section");
    const subsections = (ctx.subsection ?? []).map((s) => this.subsection(s.children));
    let end = lastEndLine(blocks, heading.line);
    for (const sub of subsections) end = Math.max(end, sub.endLine);
    const raw =
      end > heading.line
        ? this.text.slice(this.lineStarts[heading.line] ?? this.text.length, this.lineEndOffset(end)).replace(/^(?:[ \t]*\n)+/, "")
        : "";
    return { heading, endLine: end, raw, blocks, subsections };
  }

  subsection(ctx: SubsectionCst["children"]): Subsection {
    const heading = headingOf(ctx.H3[0]!);
    const blocks = this.content(ctx.content[0]!.children, "section");
    return { heading: heading.text, line: heading.line, column: heading.column, endLine: lastEndLine(blocks, heading.line), blocks };
  }

  content(ctx: ContentCst["children"], where: "preamble" | "section" = "section"): Block[] {
    const blocks: Block[] = [];
    for (const b of ctx.block ?? []) this.pushBlock(blocks, b, where);
    for (const f of ctx.field ?? []) blocks.push(this.field(f.children, where));
    return blocks;
  }

  private pushBlock(into: Block[], node: BlockCst, where: "preamble" | "section"): void {
    const h1 = node.children.H1?.[0];
    if (h1) {
      const heading = headingOf(h1);
      if (where === "preamble" && this.title === undefined) {
        this.title = heading;
      } else {
        const first = this.title ? ` (the title is on line ${this.title.line})` : "";
        this.error(heading.line, heading.column, `a spec has one \`# Title\`; this \`# ${heading.text}\` is a second one${first}`, "heading/extra-title", "use `##` for sections and `###` for requirements, examples and components");
      }
      return;
    }
    const block = this.block(node.children);
    if (block) into.push(block);
  }

  block(ctx: BlockCst["children"]): Block | undefined {
    if (ctx.Paragraph) return this.paragraph(ctx.Paragraph[0]!);
    if (ctx.Bullet) return this.bullet(ctx.Bullet[0]!);
    if (ctx.Fence) return this.fence(ctx.Fence[0]!);
    if (ctx.PathDirective) return this.path(ctx.PathDirective[0]!);
    return undefined;
  }

  private paragraph(token: IToken): ParagraphBlock {
    const lines = lineText(token).split("\n").map((l) => l.trimEnd());
    return { kind: "paragraph", line: startLine(token), column: indentOf(lines[0]!) + 1, endLine: endLine(token), lines };
  }

  private bullet(token: IToken): BulletBlock {
    const [text, ...continuation] = lineText(token).split("\n") as [string, ...string[]];
    const i = indentOf(text);
    const ordered = orderedMarkerEnd(text, i, text.length);
    const markerEnd = ordered > 0 ? ordered : i + 1;
    const raw = [text.slice(markerEnd).trim(), ...continuation.map((l) => l.trim())].filter((l) => l !== "");
    const { lines, inferred } = stripInferredLines(raw);
    return {
      kind: "bullet",
      line: startLine(token),
      column: i + 1,
      endLine: endLine(token),
      marker: ordered > 0 ? text.slice(i, ordered) : "-",
      lines: lines.filter((l) => l !== ""),
      text: lines.join(" ").trim(),
      inferred,
    };
  }

  private fence(token: IToken): CodeBlock {
    const payload = token.payload as FencePayload;
    const column = indentOf(lineText(token).split("\n", 1)[0]!) + 1;
    const block: CodeBlock = {
      kind: "code",
      line: startLine(token),
      column,
      endLine: endLine(token),
      fence: payload.fence,
      info: payload.info,
      content: this.text.slice(payload.contentStart, payload.contentEnd),
      closed: payload.closed,
    };
    if (!payload.closed) {
      const hint = `close it with a line holding only ${payload.fence}`;
      this.error(block.line, column, "the code fence opened here is never closed", "fence/unterminated", hint);
    }
    return block;
  }

  private path(token: IToken): PathBlock {
    const text = lineText(token);
    const at = text.indexOf("@path:") + "@path:".length;
    const rest = text.slice(at);
    return { kind: "path", line: startLine(token), column: indentOf(text) + 1, value: rest.trim(), valueColumn: at + indentOf(rest) + 1 };
  }

  field(ctx: FieldCst["children"], where: "preamble" | "section" = "section"): FieldBlock {
    const token = ctx.Field[0]!;
    const text = lineText(token);
    const i = indentOf(text);
    const labelEnd = fieldLabelEnd(text, i, text.length);
    const blocks: Block[] = [];
    for (const b of ctx.block ?? []) this.pushBlock(blocks, b, where);
    const line = startLine(token);
    const end = lastEndLine(blocks, line);
    const value = this.text.slice(token.startOffset + labelEnd, this.lineEndOffset(end)).trim();
    const afterLabel = text.slice(labelEnd);
    return {
      kind: "field",
      line,
      column: i + 1,
      endLine: end,
      label: text.slice(i + 2, labelEnd - 3).trim(),
      inline: afterLabel.trim(),
      inlineColumn: labelEnd + indentOf(afterLabel) + 1,
      value,
      blocks,
    };
  }
}

let visitor: OutlineVisitor | undefined;

/**
 * Lexes and parses normalised text (see normalizeSource) into an outline,
 * appending every lexer, parser and structural diagnostic to `diagnostics`.
 * `readKeys` are the frontmatter keys the format reads (see frontmatter.ts).
 */
export function parseOutline(text: string, file: string, diagnostics: Diagnostic[], readKeys: readonly string[]): Outline {
  const lexed = markdownLexer.tokenize(text);
  for (const e of lexed.errors) {
    diagnostics.push(diagnostic("error", file, e.line ?? 1, e.column ?? 1, e.message, { code: "syntax/lexer" }));
  }
  markdownParser.input = lexed.tokens;
  const cst = markdownParser.document() as DocumentCst;
  for (const e of markdownParser.errors) {
    // Chevrotain's EOF token has NaN positions; such errors belong on the last line.
    const line = Number.isFinite(e.token.startLine) ? e.token.startLine! : lastLineNumber(text);
    const column = Number.isFinite(e.token.startColumn) ? e.token.startColumn! : 1;
    diagnostics.push(diagnostic("error", file, line, column, e.message, { code: "syntax/parse" }));
  }
  visitor ??= new OutlineVisitor();
  return visitor.run(cst, text, file, diagnostics, readKeys);
}
