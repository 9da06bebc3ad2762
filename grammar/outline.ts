// The structure SMD and AMD share, built from the line tokens in one pass: an
// outline of typed blocks (frontmatter, title, sections, subsections, fields,
// bullets, fences), with the purely structural problems (unclosed frontmatter
// or fence, stray headings). What each section means is decided by the format
// builders (smd.ts, amd.ts); semantics live in check-file.ts.
//
// The grammar, which every token sequence of the scanner satisfies:
//   document   := (frontmatter | FmOpenUnclosed)? content subsection* section*
//   frontmatter := FmOpen (FmEntry | FmItem | FmBlank | FmComment | FmOther)* FmClose
//   section    := H2 content subsection*
//   subsection := H3 content
//   content    := block* field*        (a field owns everything up to the next field or heading)
//   field      := Field block*
//   block      := Paragraph | Bullet | Fence | PathDirective | H1
// It was a chevrotain CstParser and a CST visitor. As it accepts every token
// sequence, the parser could only ever build the tree; measured on 1 MB of
// specs in a cold process, the parser, the CST and the visitor's reads of its
// dynamically keyed nodes were 40 % of `validate`. Chevrotain still parses the
// property language, which has a grammar worth the name.

import type { Block, BulletBlock, CodeBlock, FieldBlock, Frontmatter, Heading, Located, ParagraphBlock, PathBlock, Subsection } from "./ast.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { buildFrontmatter } from "./frontmatter.js";
import { stripInferredLines } from "./inline.js";
import { fieldLabelEnd, orderedMarkerEnd, tokenizeSpec, type LineToken, type TokenKind } from "./markdown-lexer.js";

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

function lineText(token: LineToken): string {
  return token.image.endsWith("\n") ? token.image.slice(0, -1) : token.image;
}

const BLOCK_TOKENS: ReadonlySet<TokenKind> = new Set(["Paragraph", "Bullet", "Fence", "PathDirective", "H1"]);

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

/** `## Title ##` -> "Title": the `#` run, surrounding spaces and an optional closing run removed. */
export function headingOf(token: LineToken): Heading {
  const text = lineText(token);
  const indent = indentOf(text);
  const body = text.slice(indent).replace(/^#+/, "");
  const title = body.replace(/[ \t]+#+[ \t]*$/, "").replace(/^[ \t]*#+[ \t]*$/, "").trim();
  return { text: title, line: token.startLine, column: indent + 1 };
}

function lastEndLine(blocks: Block[], fallback: number): number {
  let end = fallback;
  for (const b of blocks) end = Math.max(end, b.kind === "path" ? b.line : b.endLine);
  return end;
}

/** Builds one outline; a fresh builder per file. */
class OutlineBuilder {
  private next = 0;
  private readonly lineStarts: number[] = [0];
  private title: Heading | undefined;

  constructor(
    private readonly tokens: readonly LineToken[],
    private readonly text: string,
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
    private readonly readKeys: readonly string[],
  ) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  private error(line: number, column: number, message: string, code: string, hint?: string): void {
    this.diagnostics.push(diagnostic("error", this.file, line, column, message, hint === undefined ? { code } : { code, hint }));
  }

  /** Offset just past the last character of a 1-based line (its newline excluded). */
  private lineEndOffset(line: number): number {
    return line < this.lineStarts.length ? this.lineStarts[line]! - 1 : this.text.length;
  }

  /** The next token when it is of `kind`, consumed; else undefined. */
  private take(kind: TokenKind): LineToken | undefined {
    const token = this.tokens[this.next];
    if (token?.kind !== kind) return undefined;
    this.next++;
    return token;
  }

  document(): Outline {
    const outline: Outline = { preamble: [], sections: [] };
    const open = this.take("FmOpen");
    if (open) outline.frontmatter = this.frontmatter(open);
    const unclosed = this.take("FmOpenUnclosed");
    if (unclosed) {
      outline.unclosedFrontmatter = { line: unclosed.startLine, column: 1 };
      this.error(unclosed.startLine, 1, "the frontmatter opened here is never closed", "frontmatter/unterminated", "end the frontmatter with a line holding only `---`");
    }
    outline.preamble = this.content("preamble");
    for (let h3 = this.take("H3"); h3; h3 = this.take("H3")) {
      const sub = this.subsection(h3);
      this.error(sub.line, sub.column, `\`### ${sub.heading}\` comes before any \`##\` section, so it belongs to none`, "heading/orphan-subsection", "put it under the section it belongs to, e.g. `## Requirements`");
    }
    for (let h2 = this.take("H2"); h2; h2 = this.take("H2")) outline.sections.push(this.section(h2));
    if (this.next !== this.tokens.length) throw new Error(`outline: token ${this.tokens[this.next]!.kind} at line ${this.tokens[this.next]!.startLine} fits no rule`);
    if (this.title) outline.title = this.title;
    return outline;
  }

  private frontmatter(open: LineToken): Frontmatter {
    const lines: LineToken[] = [];
    let close: LineToken | undefined;
    while (this.next < this.tokens.length && !(close = this.take("FmClose"))) lines.push(this.tokens[this.next++]!);
    // The scanner opens frontmatter only when a closing `---` follows.
    const built = buildFrontmatter(open, lines, close!, this.file, this.readKeys);
    this.diagnostics.push(...built.diagnostics);
    return built.frontmatter;
  }

  private section(h2: LineToken): OutlineSection {
    const heading = headingOf(h2);
    const blocks = this.content("section");
    const subsections: Subsection[] = [];
    for (let h3 = this.take("H3"); h3; h3 = this.take("H3")) subsections.push(this.subsection(h3));
    let end = lastEndLine(blocks, heading.line);
    for (const sub of subsections) end = Math.max(end, sub.endLine);
    // The verbatim body is rarely read (--strict, empty-section checks): sliced on first use.
    const text = this.text;
    const from = this.lineStarts[heading.line] ?? text.length;
    const to = this.lineEndOffset(end);
    let raw: string | undefined;
    return {
      heading,
      endLine: end,
      get raw() {
        return (raw ??= end > heading.line ? text.slice(from, to).replace(/^(?:[ \t]*\n)+/, "") : "");
      },
      blocks,
      subsections,
    };
  }

  private subsection(h3: LineToken): Subsection {
    const heading = headingOf(h3);
    const blocks = this.content("section");
    return { heading: heading.text, line: heading.line, column: heading.column, endLine: lastEndLine(blocks, heading.line), blocks };
  }

  /** Blocks, then fields: a field owns everything up to the next field or heading (Ossature's rule). */
  private content(where: "preamble" | "section"): Block[] {
    const blocks: Block[] = this.blocks(where);
    for (let field = this.take("Field"); field; field = this.take("Field")) blocks.push(this.field(field, where));
    return blocks;
  }

  private blocks(where: "preamble" | "section"): Block[] {
    const blocks: Block[] = [];
    for (let token = this.tokens[this.next]; token && BLOCK_TOKENS.has(token.kind); token = this.tokens[this.next]) {
      this.next++;
      if (token.kind === "H1") this.heading1(token, where);
      else blocks.push(this.block(token));
    }
    return blocks;
  }

  /** The title, or a second `#` heading, which is reported rather than dropped. */
  private heading1(token: LineToken, where: "preamble" | "section"): void {
    const heading = headingOf(token);
    if (where === "preamble" && this.title === undefined) {
      this.title = heading;
      return;
    }
    const first = this.title ? ` (the title is on line ${this.title.line})` : "";
    this.error(heading.line, heading.column, `a spec has one \`# Title\`; this \`# ${heading.text}\` is a second one${first}`, "heading/extra-title", "use `##` for sections and `###` for requirements, examples and components");
  }

  private block(token: LineToken): Block {
    switch (token.kind) {
      case "Paragraph":
        return this.paragraph(token);
      case "Bullet":
        return this.bullet(token);
      case "Fence":
        return this.fence(token);
      default:
        return this.path(token);
    }
  }

  private paragraph(token: LineToken): ParagraphBlock {
    const lines = lineText(token).split("\n").map((l) => l.trimEnd());
    return { kind: "paragraph", line: token.startLine, column: indentOf(lines[0]!) + 1, endLine: token.endLine, lines };
  }

  private bullet(token: LineToken): BulletBlock {
    const all = lineText(token);
    // Most bullets are one line: no split, no second array.
    const [text, ...continuation] = token.startLine === token.endLine ? [all] : (all.split("\n") as [string, ...string[]]);
    const i = indentOf(text);
    const ordered = orderedMarkerEnd(text, i, text.length);
    const markerEnd = ordered > 0 ? ordered : i + 1;
    const first = text.slice(markerEnd).trim();
    const raw = continuation.length === 0 ? (first === "" ? [] : [first]) : [first, ...continuation.map((l) => l.trim())].filter((l) => l !== "");
    const { lines, inferred } = stripInferredLines(raw);
    return {
      kind: "bullet",
      line: token.startLine,
      column: i + 1,
      endLine: token.endLine,
      marker: ordered > 0 ? text.slice(i, ordered) : "-",
      lines: lines.filter((l) => l !== ""),
      text: lines.join(" ").trim(),
      inferred,
    };
  }

  private fence(token: LineToken): CodeBlock {
    const payload = token.payload!;
    const column = indentOf(lineText(token).split("\n", 1)[0]!) + 1;
    const block: CodeBlock = {
      kind: "code",
      line: token.startLine,
      column,
      endLine: token.endLine,
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

  private path(token: LineToken): PathBlock {
    const text = lineText(token);
    const at = text.indexOf("@path:") + "@path:".length;
    const rest = text.slice(at);
    return { kind: "path", line: token.startLine, column: indentOf(text) + 1, value: rest.trim(), valueColumn: at + indentOf(rest) + 1 };
  }

  private field(token: LineToken, where: "preamble" | "section"): FieldBlock {
    const text = lineText(token);
    const i = indentOf(text);
    const labelEnd = fieldLabelEnd(text, i, text.length);
    const blocks = this.blocks(where);
    const line = token.startLine;
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

/**
 * Reads normalised text (see normalizeSource) into an outline, appending every
 * structural diagnostic to `diagnostics`. `readKeys` are the frontmatter keys
 * the format reads (see frontmatter.ts).
 */
export function parseOutline(text: string, file: string, diagnostics: Diagnostic[], readKeys: readonly string[]): Outline {
  return new OutlineBuilder(tokenizeSpec(text), text, file, diagnostics, readKeys).document();
}
