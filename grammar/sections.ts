// The section tables of SMD and AMD: canonical names, aliases and what kind of
// content each holds. docs/spec-format.md documents these tables and a test
// checks that the document and this file agree.

export type SectionKind = "prose" | "bullets" | "requirements" | "examples" | "properties" | "components" | "data-models";

export interface SectionDefinition {
  name: string;
  aliases: readonly string[];
  kind: SectionKind;
}

export const SMD_SECTIONS: readonly SectionDefinition[] = [
  { name: "Overview", aliases: ["Outcome"], kind: "prose" },
  { name: "Goals", aliases: [], kind: "bullets" },
  { name: "Non-Goals", aliases: ["Out of Scope"], kind: "bullets" },
  { name: "Requirements", aliases: [], kind: "requirements" },
  { name: "Constraints", aliases: [], kind: "bullets" },
  { name: "Assumptions", aliases: [], kind: "bullets" },
  { name: "Decisions", aliases: [], kind: "bullets" },
  { name: "Examples", aliases: [], kind: "examples" },
  { name: "Acceptance Criteria", aliases: ["Checks"], kind: "bullets" },
  { name: "Properties", aliases: [], kind: "properties" },
  { name: "Notes", aliases: [], kind: "prose" },
];

export const AMD_SECTIONS: readonly SectionDefinition[] = [
  { name: "Overview", aliases: [], kind: "prose" },
  { name: "Components", aliases: [], kind: "components" },
  { name: "Data Models", aliases: [], kind: "data-models" },
  { name: "Flow", aliases: [], kind: "prose" },
  { name: "Dependencies", aliases: [], kind: "bullets" },
  { name: "Notes", aliases: [], kind: "prose" },
];

/** Ossature's required SMD sections, enforced by --strict. */
export const STRICT_SMD_SECTIONS: readonly string[] = [
  "Overview",
  "Goals",
  "Non-Goals",
  "Requirements",
  "Constraints",
  "Examples",
  "Acceptance Criteria",
];

/**
 * How headings are compared: case-insensitive, and hyphens, underscores and
 * runs of spaces count the same ("Non Goals" = "non-goals"); a trailing colon
 * is ignored ("## Goals:").
 */
export function normalizeSectionName(name: string): string {
  return name
    .trim()
    .replace(/:$/, "")
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .trim();
}

/** Each table's definitions by normalised name and alias, built once: every section of every file is looked up. */
const byName = new WeakMap<readonly SectionDefinition[], Map<string, SectionDefinition>>();

/** The definition a heading names, directly or through an alias. */
export function lookupSection(table: readonly SectionDefinition[], heading: string): SectionDefinition | undefined {
  let names = byName.get(table);
  if (!names) {
    names = new Map();
    for (const d of table) for (const name of [d.name, ...d.aliases]) if (!names.has(normalizeSectionName(name))) names.set(normalizeSectionName(name), d);
    byName.set(table, names);
  }
  return names.get(normalizeSectionName(heading));
}

/** Every name and alias of a table, for "did you mean". */
export function sectionNames(table: readonly SectionDefinition[]): string[] {
  return table.flatMap((d) => [d.name, ...d.aliases]);
}
