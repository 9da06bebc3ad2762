// Semantic checks of one parsed file, separate from the grammar: required
// frontmatter and its values, title, requirements, known and unique sections,
// unique anchors, AMD component paths, and — under `strict` — Ossature's full
// set of required sections and fields.

import type { AmdDocument, Frontmatter, Located, SmdDocument } from "./ast.js";
import { componentsOf, dataModelsOf, examplesOf, findSection, requirementsOf } from "./ast.js";
import { diagnostic, type Diagnostic, type Severity } from "./diagnostic.js";
import { closest } from "./did-you-mean.js";
import type { ParsedFile } from "./parse.js";
import { AMD_SECTIONS, normalizeSectionName, sectionNames, SMD_SECTIONS, STRICT_SMD_SECTIONS, type SectionDefinition } from "./sections.js";
import { AMD_KEYS, amdMeta, PRIORITIES, SMD_KEYS, smdMeta, SPEC_ID_PATTERN, SPEC_ID_RULE, STATUSES, type LocatedValue } from "./spec-meta.js";

export interface CheckOptions {
  /** Enforce Ossature's required sections and fields (SMD) and `**Contracts:**` (AMD). */
  strict?: boolean;
}

class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly file: string) {}

  add(severity: Severity, at: Located, message: string, code: string, hint?: string, length?: number): void {
    const extra: { hint?: string; code: string; length?: number } = { code };
    if (hint !== undefined) extra.hint = hint;
    if (length !== undefined) extra.length = length;
    this.diagnostics.push(diagnostic(severity, this.file, at.line, at.column, message, extra));
  }
}

function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closest(word, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

function checkKeys(frontmatter: Frontmatter, known: readonly string[], kind: string, r: Reporter): void {
  const seen = new Map<string, number>();
  for (const entry of frontmatter.entries) {
    const first = seen.get(entry.key);
    if (first !== undefined) {
      r.add("error", entry, `\`${entry.key}\` is set twice in the frontmatter (first on line ${first})`, "frontmatter/duplicate-key", "keep one of them", entry.key.length);
      continue;
    }
    seen.set(entry.key, entry.line);
    if (!known.includes(entry.key)) {
      const hint = didYouMean(entry.key, known) ?? `${kind} frontmatter keys are ${known.map((k) => `\`${k}\``).join(", ")}`;
      r.add("warning", entry, `unknown frontmatter key \`${entry.key}\` is ignored`, "frontmatter/unknown-key", hint, entry.key.length);
    }
  }
}

/** A key whose value must be a scalar; reports lists where a single value belongs. */
function checkScalarKeys(frontmatter: Frontmatter, keys: readonly string[], r: Reporter): void {
  for (const entry of frontmatter.entries) {
    if (keys.includes(entry.key) && entry.value.kind === "list") {
      r.add("error", entry.value, `\`${entry.key}\` takes a single value, not a list`, "frontmatter/not-scalar");
    }
  }
}

function checkChoice(value: LocatedValue | undefined, key: string, allowed: readonly string[], r: Reporter): void {
  if (!value || allowed.includes(value.value)) return;
  const hint = didYouMean(value.value, allowed) ?? `use one of ${allowed.join(" | ")}`;
  r.add("error", value, `\`${value.value}\` is not a valid ${key} (${allowed.join(" | ")})`, `frontmatter/invalid-${key}`, hint, value.value.length);
}

function checkSpecId(value: LocatedValue, r: Reporter): void {
  if (!SPEC_ID_PATTERN.test(value.value)) {
    r.add("error", value, `\`${value.value}\` is not a valid spec id`, "frontmatter/invalid-id", SPEC_ID_RULE, value.value.length);
  }
}

function checkSections(doc: SmdDocument | AmdDocument, table: readonly SectionDefinition[], r: Reporter): void {
  const seen = new Map<string, number>();
  for (const section of doc.sections) {
    if (section.heading === "") {
      r.add("error", section, "empty `##` heading", "section/empty-heading", "write the section's name after `## `");
      continue;
    }
    if (!section.known) {
      const hint = didYouMean(section.heading, sectionNames(table)) ?? "unknown sections are kept and can be referenced by tasks";
      r.add("warning", section, `unknown section \`## ${section.heading}\``, "section/unknown", hint, section.heading.length + 3);
    }
    const key = section.known ? section.name : normalizeSectionName(section.heading);
    const first = seen.get(key);
    if (first !== undefined) {
      r.add("error", section, `section \`${section.name}\` appears twice (first on line ${first})`, "section/duplicate", "merge the two sections: references by name must resolve to one", section.heading.length + 3);
    } else {
      seen.set(key, section.line);
    }
  }
}

/** Where to point at something missing from the whole document: its title, else line 1. */
function documentAnchor(doc: SmdDocument | AmdDocument): Located {
  return doc.title ?? { line: doc.frontmatter ? doc.frontmatter.endLine + 1 : 1, column: 1 };
}

function checkSmd(doc: SmdDocument, strict: boolean, r: Reporter): void {
  const meta = smdMeta(doc);
  for (const section of doc.sections) {
    if (section.kind !== "properties") continue;
    for (const p of section.properties) {
      if (p.error) {
        r.add("error", { line: p.line, column: p.error.column }, `${p.id}: ${p.error.message}`, "smd/property-syntax", "properties read `a -> b`, `a <-> b`, `a => b`, `a -> fail` or `a`, with paths, `in`, comparisons, and/or/not and `new T(x = y)`");
      }
    }
  }
  if (doc.frontmatter) {
    checkKeys(doc.frontmatter, SMD_KEYS, "SMD", r);
    checkScalarKeys(doc.frontmatter, ["id", "status", "priority"], r);
    if (!meta.id) r.add("error", { line: doc.frontmatter.line, column: 1 }, "missing `id` in the frontmatter", "smd/missing-id", "add e.g. `id: WORDCOUNT`: other specs and the .amd/.vmd files refer to it");
    else checkSpecId(meta.id, r);
    checkChoice(meta.status, "status", STATUSES, r);
    checkChoice(meta.priority, "priority", PRIORITIES, r);
    for (const dep of meta.depends) {
      if (!SPEC_ID_PATTERN.test(dep.name)) r.add("error", dep, `\`${dep.name}\` in \`depends\` is not a valid spec id`, "frontmatter/invalid-id", SPEC_ID_RULE, dep.name.length);
    }
    if (strict) {
      for (const key of ["status", "priority"] as const) {
        if (!meta[key]) r.add("error", { line: doc.frontmatter.line, column: 1 }, `missing \`${key}\` in the frontmatter (required by --strict)`, "strict/missing-key");
      }
    }
  }
  if (!doc.title) r.add("error", documentAnchor(doc), "missing `# Title`", "smd/missing-title", "put a `# Title` line after the frontmatter");
  checkSections(doc, SMD_SECTIONS, r);

  const requirements = requirementsOf(doc);
  if (requirements.length === 0) {
    const section = findSection(doc, "Requirements");
    // `## Requirments`: the did-you-mean belongs in the error itself, at the misspelt heading.
    const misspelt = section ? undefined : doc.sections.find((s) => !s.known && s.heading !== "" && didYouMean(s.heading, ["Requirements"]) !== undefined);
    if (misspelt) {
      // One diagnostic for the heading: this error replaces its "unknown section" warning.
      const warning = r.diagnostics.findIndex((d) => d.code === "section/unknown" && d.line === misspelt.line);
      if (warning >= 0) r.diagnostics.splice(warning, 1);
    }
    if (misspelt) r.add("error", misspelt, `the spec has no requirements: \`## ${misspelt.heading}\` is not \`## Requirements\``, "smd/no-requirements", "did you mean `## Requirements`?", misspelt.heading.length + 3);
    else r.add("error", section ?? documentAnchor(doc), "the spec has no requirements", "smd/no-requirements", "add `## Requirements` with one `### Title` block per requirement");
  }
  const anchors = new Map<string, { title: string; line: number }>();
  for (const req of requirements) {
    if (req.anchor === "") {
      r.add("error", req, `cannot derive an anchor from \`${req.title}\``, "smd/empty-anchor", "add an explicit `{#anchor}` to the heading");
      continue;
    }
    const first = anchors.get(req.anchor);
    if (first) {
      r.add("error", req, `requirement anchor \`${req.anchor}\` is already used by \`${first.title}\` (line ${first.line})`, "smd/duplicate-anchor", "anchors are stable ids: rename one requirement or give it an explicit `{#anchor}`");
    } else {
      anchors.set(req.anchor, { title: req.title, line: req.line });
    }
  }
  for (const example of examplesOf(doc)) {
    for (const part of ["input", "output"] as const) {
      if (example[part]) continue;
      const label = part === "input" ? "**Input:**" : "**Output:**";
      r.add(strict ? "error" : "warning", example, `example \`${example.name}\` has no ${label}`, "smd/example-incomplete", `add ${label} followed by a fenced block`);
    }
  }
  if (strict) checkSmdStrict(doc, r);
}

function checkSmdStrict(doc: SmdDocument, r: Reporter): void {
  for (const name of STRICT_SMD_SECTIONS) {
    const section = findSection(doc, name);
    const at = section ?? documentAnchor(doc);
    if (!section) {
      r.add("error", at, `missing section \`## ${name}\` (required by --strict)`, "strict/missing-section");
      continue;
    }
    const empty =
      section.kind === "bullets"
        ? section.bullets.length === 0
        : section.kind === "requirements"
          ? false // "no requirements" is reported in every mode
          : section.kind === "examples"
            ? section.examples.length === 0
            : section.raw.trim() === "";
    if (empty) {
      const what = section.kind === "bullets" ? "at least one `- ` bullet" : section.kind === "examples" ? "at least one `### Example`" : "some text";
      r.add("error", section, `section \`${name}\` is empty; --strict needs ${what}`, "strict/empty-section");
    }
  }
  for (const req of requirementsOf(doc)) {
    if (req.description.trim() === "") r.add("error", req, `requirement \`${req.title}\` has no description (required by --strict)`, "strict/requirement-description");
    if (req.accepts === undefined) r.add("error", req, `requirement \`${req.title}\` has no **Accepts:** (required by --strict)`, "strict/requirement-accepts");
    if (req.returns === undefined) r.add("error", req, `requirement \`${req.title}\` has no **Returns:** (required by --strict)`, "strict/requirement-returns");
  }
  for (const example of examplesOf(doc)) {
    for (const part of ["input", "output"] as const) {
      const value = example[part];
      if (value && !value.code) r.add("error", value, `the ${part} of example \`${example.name}\` is not a fenced block (required by --strict)`, "strict/example-fence");
    }
  }
}

function checkAmd(doc: AmdDocument, strict: boolean, r: Reporter): void {
  const meta = amdMeta(doc);
  if (doc.frontmatter) {
    checkKeys(doc.frontmatter, AMD_KEYS, "AMD", r);
    checkScalarKeys(doc.frontmatter, AMD_KEYS, r);
    if (!meta.spec) r.add("error", { line: doc.frontmatter.line, column: 1 }, "missing `spec` in the frontmatter", "amd/missing-spec", "add `spec: ID`, the `id` of the .smd this architecture describes");
    else checkSpecId(meta.spec, r);
    checkChoice(meta.status, "status", STATUSES, r);
    if (strict && !meta.status) r.add("error", { line: doc.frontmatter.line, column: 1 }, "missing `status` in the frontmatter (required by --strict)", "strict/missing-key");
  }
  checkSections(doc, AMD_SECTIONS, r);
  for (const component of componentsOf(doc)) {
    if (!component.path) {
      r.add("error", component, `component \`${component.name}\` has no \`@path:\``, "amd/missing-path", "add a line `@path: relative/file` under the heading: the file this component is built into", component.name.length + 4);
    } else if (component.path.value === "") {
      r.add("error", component.path, "`@path:` needs a file path", "amd/empty-path", "e.g. `@path: src/main.rs`");
    } else if (/^([A-Za-z]:)?[\\/]/.test(component.path.value) || component.path.value.split(/[\\/]/).includes("..")) {
      r.add("error", component.path, `\`@path: ${component.path.value}\` must be relative and stay inside the output directory`, "amd/outside-path", "write the path relative to the output dir, without `..`", component.path.value.length);
    }
    if (strict) {
      if (component.description.trim() === "") r.add("error", component, `component \`${component.name}\` has no description (required by --strict)`, "strict/component-description");
      if (!component.interface) r.add("error", component, `component \`${component.name}\` has no **Interface:** fenced block (required by --strict)`, "strict/component-interface");
      if (!component.contracts) {
        r.add("warning", component, `component \`${component.name}\` has no **Contracts:**`, "strict/component-contracts", "add `**Contracts:**` with `- ` bullets, or `**Contracts:** None`");
      }
    }
  }
  if (strict) {
    if (!doc.title) r.add("error", documentAnchor(doc), "missing `# Title` (required by --strict)", "strict/missing-title");
    const overview = findSection(doc, "Overview");
    if (!overview || overview.raw.trim() === "") r.add("error", overview ?? documentAnchor(doc), "missing or empty `## Overview` (required by --strict)", "strict/missing-section");
    if (componentsOf(doc).length === 0) r.add("error", findSection(doc, "Components") ?? documentAnchor(doc), "no components (--strict needs at least one `### Component` under `## Components`)", "strict/no-components");
    for (const model of dataModelsOf(doc)) {
      if (!model.definition) r.add("error", model, `data model \`${model.name}\` has no fenced definition (required by --strict)`, "strict/data-model-definition");
    }
  }
}

/**
 * The semantic diagnostics of one file (its parse diagnostics are not
 * repeated). Files without an AST (empty, unknown kind) yield none: their
 * parse diagnostics already say why.
 */
export function checkSpecFile(parsed: ParsedFile, options: CheckOptions = {}): Diagnostic[] {
  const r = new Reporter(parsed.file);
  const strict = options.strict === true;
  if (parsed.kind === "smd" && parsed.ast) checkSmd(parsed.ast, strict, r);
  else if (parsed.kind === "amd" && parsed.ast) checkAmd(parsed.ast, strict, r);
  return r.diagnostics;
}
