// The chevrotain CST parser for the structure SMD and AMD share: optional
// frontmatter, a preamble holding the `# Title`, `##` sections, `###`
// subsections, `**Label:**` fields and their blocks. What a section *means*
// (requirements, components, …) is decided later from its name, so the grammar
// stays the same for both formats. Recovery is on so that one parse reports
// every problem in a file.

import type { CstNode, IToken } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import {
  allTokens,
  Bullet,
  Fence,
  Field,
  FmBlank,
  FmClose,
  FmComment,
  FmEntry,
  FmItem,
  FmOpen,
  FmOpenUnclosed,
  FmOther,
  H1,
  H2,
  H3,
  PathDirective,
  Paragraph,
} from "./markdown-lexer.js";

class MarkdownSpecParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, nodeLocationTracking: "none" });
    this.performSelfAnalysis();
  }

  public document = this.RULE("document", () => {
    this.OPTION(() =>
      this.OR([{ ALT: () => this.SUBRULE(this.frontmatter) }, { ALT: () => this.CONSUME(FmOpenUnclosed) }]),
    );
    this.SUBRULE(this.content);
    // `###` before any `##` belongs to no section; kept so it can be reported.
    this.MANY2(() => this.SUBRULE(this.subsection));
    this.MANY3(() => this.SUBRULE(this.section));
  });

  public frontmatter = this.RULE("frontmatter", () => {
    this.CONSUME(FmOpen);
    this.MANY(() => this.SUBRULE(this.frontmatterLine));
    this.CONSUME(FmClose);
  });

  // One subrule per line keeps the lines in source order in the CST.
  public frontmatterLine = this.RULE("frontmatterLine", () => {
    this.OR([
      { ALT: () => this.CONSUME(FmEntry) },
      { ALT: () => this.CONSUME(FmItem) },
      { ALT: () => this.CONSUME(FmBlank) },
      { ALT: () => this.CONSUME(FmComment) },
      { ALT: () => this.CONSUME(FmOther) },
    ]);
  });

  public section = this.RULE("section", () => {
    this.CONSUME(H2);
    this.SUBRULE(this.content);
    this.MANY(() => this.SUBRULE(this.subsection));
  });

  public subsection = this.RULE("subsection", () => {
    this.CONSUME(H3);
    this.SUBRULE(this.content);
  });

  // Blocks first, then fields: a field owns everything up to the next field or
  // heading (Ossature's rule), so no plain block can follow the first field.
  public content = this.RULE("content", () => {
    this.MANY(() => this.SUBRULE(this.block));
    this.MANY2(() => this.SUBRULE(this.field));
  });

  public field = this.RULE("field", () => {
    this.CONSUME(Field);
    this.MANY(() => this.SUBRULE(this.block));
  });

  public block = this.RULE("block", () => {
    this.OR([
      { ALT: () => this.CONSUME(Paragraph) },
      { ALT: () => this.CONSUME(Bullet) },
      { ALT: () => this.CONSUME(Fence) },
      { ALT: () => this.CONSUME(PathDirective) },
      // A `#` heading anywhere but the top is reported by the visitor, not dropped.
      { ALT: () => this.CONSUME(H1) },
    ]);
  });
}

/** Chevrotain parsers are built once: performSelfAnalysis is the expensive part. */
export const markdownParser = new MarkdownSpecParser();

// --- CST shapes (what chevrotain builds for each rule above) ----------------------------

export interface DocumentCst extends CstNode {
  children: {
    frontmatter?: FrontmatterCst[];
    FmOpenUnclosed?: IToken[];
    content: ContentCst[];
    subsection?: SubsectionCst[];
    section?: SectionCst[];
  };
}

export interface FrontmatterCst extends CstNode {
  children: { FmOpen: IToken[]; frontmatterLine?: FrontmatterLineCst[]; FmClose: IToken[] };
}

export interface FrontmatterLineCst extends CstNode {
  children: { FmEntry?: IToken[]; FmItem?: IToken[]; FmBlank?: IToken[]; FmComment?: IToken[]; FmOther?: IToken[] };
}

export interface SectionCst extends CstNode {
  children: { H2: IToken[]; content: ContentCst[]; subsection?: SubsectionCst[] };
}

export interface SubsectionCst extends CstNode {
  children: { H3: IToken[]; content: ContentCst[] };
}

export interface ContentCst extends CstNode {
  children: { block?: BlockCst[]; field?: FieldCst[] };
}

export interface FieldCst extends CstNode {
  children: { Field: IToken[]; block?: BlockCst[] };
}

export interface BlockCst extends CstNode {
  children: {
    Paragraph?: IToken[];
    Bullet?: IToken[];
    Fence?: IToken[];
    PathDirective?: IToken[];
    H1?: IToken[];
  };
}
