// What the frontmatter of an SMD or AMD says, read leniently: the values as
// written, with their positions, for the checks and summaries to judge. A
// value of the wrong shape is left out here and reported by check-file.ts.

import type { AmdDocument, FrontmatterEntry, Located, NameRef, SmdDocument } from "./ast.js";
import { frontmatterEntry } from "./ast.js";

export type LocatedValue = { value: string } & Located;

export interface SmdMeta {
  id?: LocatedValue;
  status?: LocatedValue;
  priority?: LocatedValue;
  depends: NameRef[];
}

export interface AmdMeta {
  spec?: LocatedValue;
  status?: LocatedValue;
}

export const SMD_KEYS = ["id", "status", "priority", "depends"] as const;
export const AMD_KEYS = ["spec", "status"] as const;
export const STATUSES = ["draft", "review", "approved", "implemented", "deprecated"] as const;
export const PRIORITIES = ["low", "medium", "high", "critical"] as const;

/**
 * A spec id: one word of letters (any script), digits, `_`, `-` and `.`,
 * starting with a letter or digit (`WORDCOUNT`, `wc-lite`, `2FA`, `auth.v2`).
 * The same rule for an SMD's `id` and `depends`, an AMD's `spec` and a VMD's
 * `@spec`. Ossature takes any YAML scalar in an SMD (`my spec`, `a/b`) but only
 * `[A-Za-z0-9_-]+` in a VMD; ids are words in plans, refs and commit
 * trailers here, so white space and other punctuation stay out.
 */
export const SPEC_ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u;

/** The rule in words, for hints. */
export const SPEC_ID_RULE = "a spec id is one word of letters, digits, `_`, `-` and `.` starting with a letter or digit, e.g. `WORDCOUNT`, `2FA`, `auth.v2`";

function scalar(entry: FrontmatterEntry | undefined): LocatedValue | undefined {
  if (!entry || entry.value.kind !== "scalar" || entry.value.text.trim() === "") return undefined;
  return { value: entry.value.text.trim(), line: entry.value.line, column: entry.value.column };
}

/**
 * `depends` as a list (flow or block) or, forgivingly, a scalar holding one id
 * or comma-separated ids. Positions point at each id.
 */
export function dependsOf(entry: FrontmatterEntry | undefined): NameRef[] {
  if (!entry) return [];
  const value = entry.value;
  if (value.kind === "list") {
    return value.items.filter((i) => i.text.trim() !== "").map((i) => ({ name: i.text.trim(), line: i.line, column: i.column }));
  }
  const refs: NameRef[] = [];
  let offset = 0;
  for (const part of value.text.split(",")) {
    const lead = part.length - part.trimStart().length;
    if (part.trim() !== "") refs.push({ name: part.trim(), line: value.line, column: value.column + offset + lead });
    offset += part.length + 1;
  }
  return refs;
}

export function smdMeta(doc: SmdDocument): SmdMeta {
  const meta: SmdMeta = { depends: dependsOf(frontmatterEntry(doc, "depends")) };
  const id = scalar(frontmatterEntry(doc, "id"));
  if (id) meta.id = id;
  const status = scalar(frontmatterEntry(doc, "status"));
  if (status) meta.status = status;
  const priority = scalar(frontmatterEntry(doc, "priority"));
  if (priority) meta.priority = priority;
  return meta;
}

export function amdMeta(doc: AmdDocument): AmdMeta {
  const meta: AmdMeta = {};
  const spec = scalar(frontmatterEntry(doc, "spec"));
  if (spec) meta.spec = spec;
  const status = scalar(frontmatterEntry(doc, "status"));
  if (status) meta.status = status;
  return meta;
}
