// A project's specs as later stages use them: read from the spec dir, parsed
// and validated, grouped per spec id (the SMD with the AMDs and VMDs that
// describe it), in dependency order, with the index plan validation needs.

import { join } from "node:path";
import type { AmdDocument, SmdDocument, VmdDocument } from "../../grammar/ast.js";
import { componentsOf, requirementsOf } from "../../grammar/ast.js";
import { hasErrors, type Diagnostic } from "../../grammar/diagnostic.js";
import { AMD_SECTIONS, SMD_SECTIONS, lookupSection } from "../../grammar/sections.js";
import { amdMeta, smdMeta } from "../../grammar/spec-meta.js";
import { validateSpecs, type ValidationResult } from "../../grammar/validate.js";
import { dependencyFirst } from "../../plans/graph.js";
import type { SpecIndex } from "../../plans/spec-index.js";
import type { LoadedConfig } from "../config/types.js";
import { collectSpecFiles, type SpecSource } from "./collect-spec-files.js";

export interface SpecFileOf<D> {
  /** Path relative to the project root. */
  file: string;
  text: string;
  ast: D;
}

export interface SpecGroup {
  id: string;
  title: string;
  depends: string[];
  smd: SpecFileOf<SmdDocument>;
  amds: SpecFileOf<AmdDocument>[];
  vmds: SpecFileOf<VmdDocument>[];
}

export interface ProjectSpecs {
  root: string;
  sources: SpecSource[];
  validation: ValidationResult;
  /** Every diagnostic: reading, parsing, checking. */
  diagnostics: Diagnostic[];
  /** Per spec, dependencies before dependents (ties in file order). Empty when the specs have errors. */
  groups: SpecGroup[];
}

/** Reads and validates the project's spec dir; paths in the result are relative to the project root. */
export async function loadProjectSpecs(loaded: LoadedConfig, options: { strict?: boolean } = {}): Promise<ProjectSpecs> {
  const root = loaded.root;
  const collected = await collectSpecFiles([join(loaded.config.project.specDir)], root, { emptyFolder: "warning" });
  const validation = validateSpecs(collected.sources, { strict: options.strict === true });
  const diagnostics = [...collected.diagnostics, ...validation.diagnostics];
  const groups = hasErrors(diagnostics) ? [] : groupSpecs(collected.sources, validation);
  return { root, sources: collected.sources, validation, diagnostics, groups };
}

/** Groups validated files per spec id, dependencies first. */
export function groupSpecs(sources: readonly SpecSource[], validation: ValidationResult): SpecGroup[] {
  const text = new Map(sources.map((s) => [s.file, s.text]));
  const byId = new Map<string, SpecGroup>();
  for (const parsed of validation.files) {
    if (parsed.kind !== "smd" || !parsed.ast) continue;
    const meta = smdMeta(parsed.ast);
    if (!meta.id) continue;
    byId.set(meta.id.value, {
      id: meta.id.value,
      title: parsed.ast.title?.text ?? meta.id.value,
      depends: meta.depends.map((d) => d.name),
      smd: { file: parsed.file, text: text.get(parsed.file) ?? "", ast: parsed.ast },
      amds: [],
      vmds: [],
    });
  }
  for (const parsed of validation.files) {
    if (parsed.kind === "amd" && parsed.ast) {
      const spec = amdMeta(parsed.ast).spec?.value;
      const group = spec ? byId.get(spec) : undefined;
      group?.amds.push({ file: parsed.file, text: text.get(parsed.file) ?? "", ast: parsed.ast });
    } else if (parsed.kind === "vmd" && parsed.ast?.spec) {
      byId.get(parsed.ast.spec.id)?.vmds.push({ file: parsed.file, text: text.get(parsed.file) ?? "", ast: parsed.ast });
    }
  }
  // Dependencies first; validation has already rejected cycles and unknown ids.
  return dependencyFirst([...byId.values()], (g) => g.id, (g) => g.depends);
}


/** What plan validation needs to resolve a task's refs against this spec. */
export function specIndexOf(group: SpecGroup): SpecIndex {
  const sections = new Map<string, { name: string; aliases: readonly string[] }>();
  for (const section of group.smd.ast.sections) {
    const def = lookupSection(SMD_SECTIONS, section.heading);
    sections.set(section.name.toLowerCase(), { name: section.name, aliases: def?.aliases ?? [] });
  }
  for (const amd of group.amds) {
    for (const section of amd.ast.sections) {
      const key = section.name.toLowerCase();
      if (!sections.has(key)) sections.set(key, { name: section.name, aliases: lookupSection(AMD_SECTIONS, section.heading)?.aliases ?? [] });
    }
  }
  return {
    id: group.id,
    sections: [...sections.values()],
    requirements: requirementsOf(group.smd.ast).map((r) => ({ anchor: r.anchor, title: r.title })),
    components: group.amds.flatMap((a) => componentsOf(a.ast).map((c) => ({ name: c.name, path: c.path?.value ?? "" }))),
  };
}
