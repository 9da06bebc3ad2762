// What the auditor and the fixer are told. The system texts are byte-stable
// (Ollama reuses an identical prompt prefix), the spec files come with line
// numbers so findings can point at lines, and the version constants are part
// of the audit cache key: changing a prompt re-audits every spec.

import type { ChatMessage } from "../../models/call-record.js";
import type { JsonSchema } from "../../models/json-schema.js";

export const AUDIT_PROMPT_VERSION = 1;
export const FIX_PROMPT_VERSION = 1;

export const AUDIT_SYSTEM = `You audit software specifications before any code is written from them.

A behaviour spec (.smd) says what the software must do; an architecture spec (.amd) says how it is structured. You get one spec's files with a line number at the start of every line.

Report a finding only when it meets this bar:
- two competent developers reading this spec would build incompatible things (a real ambiguity about behaviour, inputs, outputs, errors or formats);
- the spec contradicts itself (two statements that cannot both hold);
- the spec leaves a gap that will cause a crash, a hang or lost data (an unhandled input or error case the software will certainly meet);
- the architecture contradicts the behaviour spec (a component, interface or contract that cannot satisfy a requirement, or a requirement no component can implement).

Do not report:
- style, wording, spelling, formatting or the order of sections;
- missing detail that would not change what gets built;
- anything the Examples or Acceptance Criteria already settle;
- preferences about technology the spec has already decided (Decisions, Constraints);
- the same problem twice.

Text marked [inferred] was written by a model and not yet confirmed by a person: it has less authority than the rest; report it when it conflicts with unmarked text.

Severity: "error" when implementations would be incompatible or broken; "warning" when a developer would likely guess wrong; "info" when it is worth a second look.

For each finding give: "file" exactly as named in the file header, "line" the number at the start of the line the problem is on, "section" the name of the ## section it is in, "issue" one or two concrete sentences, "suggestion" a concrete change to the spec text.

Fewer, sharper findings are better than many. A sound spec gets an empty list. Answer with JSON only.`;

export const CROSS_SPEC_SYSTEM = `You audit how several software specifications fit together before any code is written from them.

You get every spec's files, each with a line number at the start of every line. Look only for problems between specs:
- a spec depends on behaviour, data or an interface another spec does not provide, or provides differently;
- two specs define the same file, command, type or format incompatibly;
- a dependency a spec uses is missing from its "depends" list, or a listed dependency is never used.

Do not report problems inside a single spec, style, wording, or missing detail that would not change what gets built.

Severity: "error" when the specs cannot be built to work together; "warning" when a developer would likely guess wrong; "info" otherwise.

For each finding give: "file" exactly as named in the file header, "line" the number at the start of the line the problem is on, "section" the ## section it is in, "issue" one or two concrete sentences, "suggestion" a concrete change. An empty list is a fine answer. Answer with JSON only.`;

/**
 * A list of findings on spec files, each at a file, line and section: the
 * audit's answer, and (with `extra` fields, all required too) the focused
 * audit's.
 */
export function findingsSchema(extra: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    severity: { type: "string", enum: ["error", "warning", "info"] },
    file: { type: "string" },
    line: { type: "integer", minimum: 1 },
    section: { type: "string" },
    issue: { type: "string", minLength: 1 },
    suggestion: { type: "string" },
    ...extra,
  };
  return {
    type: "object",
    properties: {
      findings: { type: "array", items: { type: "object", properties, required: Object.keys(properties) } },
    },
    required: ["findings"],
  };
}

export const FINDINGS_SCHEMA: JsonSchema = findingsSchema();

export interface NumberedFile {
  file: string;
  text: string;
}

/** A file as the model sees it: a header naming it, then `  12| text` lines. */
export function numberedFile({ file, text }: NumberedFile): string {
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
  const width = String(lines.length).length;
  return [`=== file: ${file} ===`, ...lines.map((line, i) => `${String(i + 1).padStart(width)}| ${line}`)].join("\n");
}

export function auditMessages(specId: string, files: readonly NumberedFile[]): ChatMessage[] {
  return [
    { role: "system", content: AUDIT_SYSTEM },
    { role: "user", content: `Spec ${specId}: ${files.length} file${files.length === 1 ? "" : "s"}.\n\n${files.map(numberedFile).join("\n\n")}\n\nAudit this spec.` },
  ];
}

export function crossSpecMessages(files: readonly NumberedFile[]): ChatMessage[] {
  return [
    { role: "system", content: CROSS_SPEC_SYSTEM },
    { role: "user", content: `${files.length} files.\n\n${files.map(numberedFile).join("\n\n")}\n\nAudit how these specs fit together.` },
  ];
}

export const FIX_SYSTEM = `You fix one problem in a software specification with the smallest possible edit.

You get the spec file with a line number at the start of every line (the numbers are not part of the file), and one finding: the problem and a suggestion.

Answer with one search/replace edit:
- "search": text copied exactly from the file (without the line numbers), long enough to occur only once — usually one to five whole lines;
- "replace": the same text with the fix applied.

Change only what the finding needs. Keep the file's format: frontmatter, ## sections, ### requirements, **Field:** labels, "- condition -> response" error bullets. Do not reword other text. Answer with JSON only.`;

export const FIX_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    search: { type: "string", minLength: 1 },
    replace: { type: "string" },
  },
  required: ["search", "replace"],
};

export function fixMessages(file: NumberedFile, finding: { line: number; section: string; issue: string; suggestion: string }): ChatMessage[] {
  return [
    { role: "system", content: FIX_SYSTEM },
    {
      role: "user",
      content: `${numberedFile(file)}\n\nFinding at line ${finding.line} (section ${finding.section || "-"}):\n${finding.issue}\nSuggestion: ${finding.suggestion || "-"}\n\nGive the edit.`,
    },
  ];
}
