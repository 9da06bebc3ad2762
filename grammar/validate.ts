// validateSpecs: parse every file, run the per-file and project checks, and
// summarise specs, architectures and verifications for the `validate` report.
// Pure: the caller reads the files; this only sees their text.

import { componentsOf, requirementsOf } from "./ast.js";
import { checkProject, type ProjectCheckOptions } from "./check-project.js";
import { checkSpecFile, type CheckOptions } from "./check-file.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostic.js";
import { parseSpecText, type ParsedFile } from "./parse.js";
import { amdMeta, smdMeta } from "./spec-meta.js";

export interface SpecSummary {
  id: string;
  title: string;
  status?: string;
  priority?: string;
  requirements: number;
  depends: string[];
  file: string;
}

export interface ArchitectureSummary {
  /** The `spec` the AMD describes ("" when its frontmatter does not say). */
  spec: string;
  file: string;
  components: string[];
}

export interface VerificationSummary {
  spec: string;
  file: string;
  scenarios: number;
  groups: number;
}

export type ValidateOptions = CheckOptions & ProjectCheckOptions;

export interface ValidationResult {
  /** Each file with its parse and per-file diagnostics, in input order. */
  files: ParsedFile[];
  specs: SpecSummary[];
  architectures: ArchitectureSummary[];
  verifications: VerificationSummary[];
  /** Every diagnostic (parse, per-file and project), sorted by file, line, column. */
  diagnostics: Diagnostic[];
}

/**
 * Parses and checks a set of spec files together. `files[].file` is the path
 * to show in diagnostics; its extension picks the format. `strict` enforces
 * Ossature's required sections; `standalone` skips references to specs that
 * are not among the inputs (checking a lone .amd without its .smd).
 */
export function validateSpecs(files: readonly { file: string; text: string }[], options: ValidateOptions = {}): ValidationResult {
  const parsed = files.map(({ file, text }) => {
    const p = parseSpecText(text, file);
    p.diagnostics.push(...checkSpecFile(p, options));
    return p;
  });
  const project = checkProject(parsed, options);
  const specs: SpecSummary[] = [];
  const architectures: ArchitectureSummary[] = [];
  const verifications: VerificationSummary[] = [];
  for (const p of parsed) {
    if (p.kind === "smd" && p.ast) {
      const meta = smdMeta(p.ast);
      const summary: SpecSummary = {
        id: meta.id?.value ?? "",
        title: p.ast.title?.text ?? "",
        requirements: requirementsOf(p.ast).length,
        depends: meta.depends.map((d) => d.name),
        file: p.file,
      };
      if (meta.status) summary.status = meta.status.value;
      if (meta.priority) summary.priority = meta.priority.value;
      specs.push(summary);
    } else if (p.kind === "amd" && p.ast) {
      architectures.push({ spec: amdMeta(p.ast).spec?.value ?? "", file: p.file, components: componentsOf(p.ast).map((c) => c.name) });
    } else if (p.kind === "vmd" && p.ast) {
      verifications.push({ spec: p.ast.spec?.id ?? "", file: p.file, scenarios: p.ast.scenarios.length, groups: p.ast.groups.length });
    }
  }
  return {
    files: parsed,
    specs,
    architectures,
    verifications,
    diagnostics: sortDiagnostics([...parsed.flatMap((p) => p.diagnostics), ...project]),
  };
}
