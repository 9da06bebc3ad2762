// The public surface of grammar/: parse spec text into typed ASTs, validate a
// set of specs, and render AST nodes back to canonical markdown. Pure: no I/O.

export * from "./ast.js";
export { parseSpecText, specKindOf, type ParsedFile, type SpecKind } from "./parse.js";
export { validateSpecs, type ArchitectureSummary, type SpecSummary, type ValidateOptions, type ValidationResult, type VerificationSummary } from "./validate.js";
export { checkSpecFile, type CheckOptions } from "./check-file.js";
export { checkProject, type ProjectCheckOptions } from "./check-project.js";
export { renderBlocks, renderComponent, renderRequirement, renderSection } from "./render.js";
export { AMD_SECTIONS, SMD_SECTIONS, STRICT_SMD_SECTIONS, lookupSection, normalizeSectionName, type SectionDefinition, type SectionKind } from "./sections.js";
export { amdMeta, smdMeta, PRIORITIES, STATUSES, SPEC_ID_PATTERN, type AmdMeta, type SmdMeta } from "./spec-meta.js";
export { slugify } from "./inline.js";
export { normalizeSource } from "./source-text.js";
export * from "./diagnostic.js";
