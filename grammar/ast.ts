// The typed AST of the spec formats (.smd, .amd, .vmd). Plans, audits and
// build prompts are built from these nodes, so every node carries the 1-based
// source line (and column where a diagnostic may point at it).

import type { PropertyAst } from "./property-language.js";
import type { JsonValue } from "./py-json.js";

export type { JsonValue };

/** A 1-based source position. */
export interface Located {
  line: number;
  column: number;
}

// ---------------------------------------------------------------------------
// Generic markdown blocks: the body of every section, subsection and field.
// Kept in source order so a section can be rendered back canonically.

/** Consecutive non-blank prose lines (trailing whitespace removed). */
export interface ParagraphBlock extends Located {
  kind: "paragraph";
  endLine: number;
  lines: string[];
}

/** One list item (`- x`, `* x`, `+ x`, `1. x`) with its lazy continuation lines. */
export interface BulletBlock extends Located {
  kind: "bullet";
  endLine: number;
  /** `-` for every unordered marker; the number and its `.`/`)` for ordered items. */
  marker: string;
  /** The item's lines, trimmed, with the `[inferred]` marker removed. */
  lines: string[];
  /** `lines` joined with single spaces: the bullet's content as one string. */
  text: string;
  /** The bullet carried an `[inferred]` marker (added by a model, not yet confirmed). */
  inferred: boolean;
}

/** A fenced code block (``` or ~~~, three or more). Always one lexer token. */
export interface CodeBlock extends Located {
  kind: "code";
  endLine: number;
  /** The opening fence as written, e.g. "```" or "````". */
  fence: string;
  /** The info string after the opening fence (usually a language), trimmed. */
  info: string;
  /** The lines between the fences, verbatim, without the final newline. */
  content: string;
  /** False when the file ended (or a `##` heading came) before the closing fence. */
  closed: boolean;
}

/** A `**Label:** value` field and everything up to the next field or heading. */
export interface FieldBlock extends Located {
  kind: "field";
  endLine: number;
  /** The label without the asterisks and colon, as written (e.g. "Depends on"). */
  label: string;
  /** Text after the label on the field's own line, trimmed. */
  inline: string;
  /** 1-based column where `inline` starts (just past the label when it is empty). */
  inlineColumn: number;
  /** The field's whole value verbatim: the inline text plus the following lines, trimmed. */
  value: string;
  /** The blocks after the label line that belong to the field. */
  blocks: Block[];
}

/** An AMD `@path: relative/file` line. */
export interface PathBlock extends Located {
  kind: "path";
  value: string;
  valueColumn: number;
}

export type Block = ParagraphBlock | BulletBlock | CodeBlock | FieldBlock | PathBlock;

/** A `#`, `##` or `###` heading's text (closing `#`s and surrounding spaces removed). */
export interface Heading extends Located {
  text: string;
}

/** A `### Heading` inside a section, with its body. */
export interface Subsection extends Located {
  heading: string;
  endLine: number;
  blocks: Block[];
}

// ---------------------------------------------------------------------------
// Frontmatter: the YAML subset specs use.

export interface FrontmatterItem extends Located {
  text: string;
  quoted: boolean;
}

export type FrontmatterValue =
  | ({ kind: "scalar"; text: string; quoted: boolean } & Located)
  | ({ kind: "list"; style: "flow" | "block"; items: FrontmatterItem[] } & Located)
  /** A key specwright does not read, holding YAML outside the subset (a nested map, `|` text, …): its lines as written. */
  | ({ kind: "other"; text: string } & Located);

export interface FrontmatterEntry extends Located {
  key: string;
  value: FrontmatterValue;
}

export interface Frontmatter {
  /** Line of the opening `---`. */
  line: number;
  /** Line of the closing `---`. */
  endLine: number;
  entries: FrontmatterEntry[];
}

// ---------------------------------------------------------------------------
// Sections. `name` is the canonical name for known sections (aliases resolved:
// "Outcome" -> "Overview") and the heading as written for unknown ones.

interface SectionBase extends Located {
  name: string;
  /** The heading text as written. */
  heading: string;
  /** False for sections this format does not define (kept, with a warning). */
  known: boolean;
  /** Last line of the section's content (trailing blank lines excluded). */
  endLine: number;
  /** The body between the heading and the next `##` heading, verbatim, blank lines trimmed at both ends. */
  raw: string;
  /** Blocks before the first `###`. */
  blocks: Block[];
  subsections: Subsection[];
}

/** Overview, Notes, Flow, Dependencies' free text, unknown sections. */
export interface ProseSection extends SectionBase {
  kind: "prose";
}

/** Goals, Non-Goals, Constraints, Assumptions, Decisions, Acceptance Criteria, AMD Dependencies. */
export interface BulletSection extends SectionBase {
  kind: "bullets";
  bullets: BulletBlock[];
}

export interface RequirementsSection extends SectionBase {
  kind: "requirements";
  requirements: RequirementNode[];
}

export interface ExamplesSection extends SectionBase {
  kind: "examples";
  examples: ExampleNode[];
}

export interface PropertiesSection extends SectionBase {
  kind: "properties";
  properties: PropertyLine[];
}

export interface ComponentsSection extends SectionBase {
  kind: "components";
  components: ComponentNode[];
}

export interface DataModelsSection extends SectionBase {
  kind: "data-models";
  models: DataModelNode[];
}

export type SmdSection = ProseSection | BulletSection | RequirementsSection | ExamplesSection | PropertiesSection;
export type AmdSection = ProseSection | BulletSection | ComponentsSection | DataModelsSection;
export type Section = SmdSection | AmdSection;

// ---------------------------------------------------------------------------
// SMD nodes.

/** An `**Errors:**` bullet: `- condition -> response` (or `→`). */
export interface ErrorCase extends Located {
  condition: string;
  response: string;
  inferred: boolean;
}

export interface RequirementNode extends Located {
  title: string;
  /** The stable id: the explicit `{#anchor}` or the slug of the title. */
  anchor: string;
  anchorExplicit: boolean;
  /** `{.no-verify}`: the requirement is not expected to have a verify command. */
  noVerify: boolean;
  inferred: boolean;
  endLine: number;
  /** Prose before the first field, blocks rendered canonically and joined by blank lines. */
  description: string;
  accepts?: string;
  returns?: string;
  /** Parsed `**Errors:**` bullets; bullets without an arrow are reported, not listed. */
  errors: ErrorCase[];
  /** Every `**Label:**` field in order, Accepts/Returns/Errors included, values verbatim. */
  fields: FieldBlock[];
  blocks: Block[];
}

/** The `**Input:**` or `**Output:**` of an example: a fenced block or inline text. */
export interface ExampleValue extends Located {
  /** The code block's content, or the field's text when it has no fence. */
  text: string;
  code?: CodeBlock;
}

export interface ExampleNode extends Located {
  name: string;
  endLine: number;
  input?: ExampleValue;
  output?: ExampleValue;
  fields: FieldBlock[];
  blocks: Block[];
}

/** One line of a Properties section, in the property language (DESIGN 4.4). */
export interface PropertyLine extends Located {
  /** `P1`, `P2`, … in file order. */
  id: string;
  text: string;
  /** The parsed property, when the line parses (see grammar/property-language.ts). */
  ast?: PropertyAst;
  /** The canonical rendering of `ast` (single spaces, ASCII arrows), for prompts. */
  canonical?: string;
  /** Why the line does not parse; `column` is 1-based in the source line. */
  error?: { column: number; message: string };
}

export interface SmdDocument {
  kind: "smd";
  frontmatter?: Frontmatter;
  title?: Heading;
  /** Blocks between the frontmatter and the first `##` (the title excluded). */
  preamble: Block[];
  sections: SmdSection[];
}

// ---------------------------------------------------------------------------
// AMD nodes.

export interface NameRef extends Located {
  name: string;
}

export type Contracts =
  | ({ kind: "none" } & Located)
  | ({ kind: "list"; items: BulletBlock[] } & Located);

export interface ComponentNode extends Located {
  name: string;
  endLine: number;
  path?: { value: string } & Located;
  /** Prose between `@path:` and the first field. */
  description: string;
  /** The first fenced block of `**Interface:**`. */
  interface?: CodeBlock;
  /** Absent when the component has no `**Contracts:**` field (accepted; --strict warns). */
  contracts?: Contracts;
  /** Absent without a `**Depends on:**` field; empty for `None`. */
  dependsOn?: NameRef[];
  fields: FieldBlock[];
  blocks: Block[];
}

export interface DataModelNode extends Located {
  name: string;
  endLine: number;
  definition?: CodeBlock;
  blocks: Block[];
}

export interface AmdDocument {
  kind: "amd";
  frontmatter?: Frontmatter;
  title?: Heading;
  preamble: Block[];
  sections: AmdSection[];
}

// ---------------------------------------------------------------------------
// VMD: Ossature's verification cases (function groups and scenarios). Values
// are JSON as Python reads it (grammar/py-json.ts); `raw` keeps the text as
// written so a harness can decode it in its own language, exactly.

export type VmdMode = "approx" | "unordered" | "matches" | "struct" | "decimal";

export interface VmdFixture extends Located {
  name: string;
  /** `!label`: a handle the harness constructs fresh for every case; it consumes no column. */
  opaque: boolean;
  label: string;
  value: JsonValue;
  raw: string;
}

export interface VmdParam extends Located {
  name: string;
  /** "" or "decimal". */
  type: "" | "decimal";
  /** The opaque fixture supplying this parameter, or "". */
  opaqueFixture: string;
}

/** What a case or a function scenario expects of the call. */
export type VmdExpectation =
  | { kind: "value"; value: JsonValue; raw: string }
  | { kind: "error"; type: string; message: string }
  | { kind: "ok" };

export interface VmdCase extends Located {
  name: string;
  inputs: JsonValue[];
  rawInputs: string[];
  expect: VmdExpectation;
}

export interface VmdGroup extends Located {
  name: string;
  params: VmdParam[];
  returns: string;
  modes: VmdMode[];
  approxTol?: number;
  covers: string[];
  cases: VmdCase[];
  /** Input columns a row carries: parameters not fed by an opaque fixture. */
  arity: number;
}

export interface VmdGiven extends Located {
  name: string;
  value: JsonValue;
  raw: string;
  fixture: string;
  opaque: boolean;
}

export interface VmdCallStep extends Located {
  target: string;
  args: JsonValue[];
  rawArgs: string[];
  /** Absent until the `then` line is read (a scenario without it is an error). */
  expect?: VmdExpectation;
}

/** One argv word: a string, or bytes when it carried a `\xNN` escape. */
export type VmdWord = string | Uint8Array;

export type VmdStreamMode = "has" | "is" | "matches" | "empty";

export interface VmdStreamCheck {
  mode: VmdStreamMode;
  /** Absent for `empty`. */
  text?: string;
}

export interface VmdCommandStep extends Located {
  argv: VmdWord[];
  /** `>` lines: the whole stdout, one trailing newline tolerated. */
  stdoutLines?: string[];
  stdout?: VmdStreamCheck;
  stderr?: VmdStreamCheck;
  exitCode: number;
}

export interface VmdScenario extends Located {
  name: string;
  /** The stable identity: lower-case words joined by `_`. */
  slug: string;
  kind: "" | "call" | "command";
  covers: string[];
  givens: VmdGiven[];
  call?: VmdCallStep;
  steps: VmdCommandStep[];
}

export interface VmdDocument {
  kind: "vmd";
  spec?: { id: string } & Located;
  /** `@arch`, when given; the groups bind to this spec's AMD (default: the `@spec`). */
  arch?: { id: string } & Located;
  status?: { value: string } & Located;
  fixtures: VmdFixture[];
  groups: VmdGroup[];
  scenarios: VmdScenario[];
}

export type SpecDocument = SmdDocument | AmdDocument | VmdDocument;

// ---------------------------------------------------------------------------
// Small accessors later passes need often.

/** The first section with this canonical name (case-insensitive), if any. */
export function findSection<S extends Section>(doc: { sections: S[] }, name: string): S | undefined {
  const wanted = name.toLowerCase();
  return doc.sections.find((s) => s.name.toLowerCase() === wanted);
}

/** Every requirement of an SMD, in file order, across all Requirements sections. */
export function requirementsOf(doc: SmdDocument): RequirementNode[] {
  return doc.sections.flatMap((s) => (s.kind === "requirements" ? s.requirements : []));
}

/** Every example of an SMD, in file order. */
export function examplesOf(doc: SmdDocument): ExampleNode[] {
  return doc.sections.flatMap((s) => (s.kind === "examples" ? s.examples : []));
}

/** Every component of an AMD, in file order. */
export function componentsOf(doc: AmdDocument): ComponentNode[] {
  return doc.sections.flatMap((s) => (s.kind === "components" ? s.components : []));
}

/** Every data model of an AMD, in file order. */
export function dataModelsOf(doc: AmdDocument): DataModelNode[] {
  return doc.sections.flatMap((s) => (s.kind === "data-models" ? s.models : []));
}

/** A frontmatter entry by key. */
export function frontmatterEntry(doc: { frontmatter?: Frontmatter }, key: string): FrontmatterEntry | undefined {
  return doc.frontmatter?.entries.find((e) => e.key === key);
}
