// The single entry point from text to AST: picks the format from the file's
// extension, normalises the input (BOM, CRLF), and returns the document with
// every syntax and structure diagnostic of the file. Never throws for bad input.

import type { AmdDocument, SmdDocument, VmdDocument } from "./ast.js";
import { buildAmd } from "./amd.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { parseOutline } from "./outline.js";
import { buildSmd } from "./smd.js";
import { isBlank, normalizeSource } from "./source-text.js";
import { AMD_KEYS, SMD_KEYS } from "./spec-meta.js";
import { parseVmd } from "./vmd.js";

export type SpecKind = "smd" | "amd" | "vmd";

/**
 * One parsed file. `ast` is absent when there is nothing to parse (an empty
 * file) or the extension is not a spec format; the diagnostics say why.
 */
export type ParsedFile =
  | { kind: "smd"; file: string; ast?: SmdDocument; diagnostics: Diagnostic[] }
  | { kind: "amd"; file: string; ast?: AmdDocument; diagnostics: Diagnostic[] }
  | { kind: "vmd"; file: string; ast?: VmdDocument; diagnostics: Diagnostic[] }
  | { kind: "unknown"; file: string; diagnostics: Diagnostic[] };

/** The spec format of a path, from its extension (case-insensitive), or undefined. */
export function specKindOf(file: string): SpecKind | undefined {
  const m = /\.(smd|amd|vmd)$/i.exec(file);
  return m ? (m[1]!.toLowerCase() as SpecKind) : undefined;
}

const FRONTMATTER_EXAMPLE: Record<"smd" | "amd", string> = {
  smd: "start the file with `---`, `id: MY_SPEC`, `---`",
  amd: "start the file with `---`, `spec: MY_SPEC`, `---`",
};

/**
 * Parses one spec file's text. `file` is the path as the user should see it
 * (it names the format and appears in diagnostics). Syntax and structure
 * problems only; semantic checks are in validateSpecs / checkSpecFile.
 */
export function parseSpecText(text: string, file: string): ParsedFile {
  const kind = specKindOf(file);
  const diagnostics: Diagnostic[] = [];
  if (!kind) {
    diagnostics.push(diagnostic("error", file, 0, 0, "not a spec file: the name must end in .smd, .amd or .vmd", { code: "file/unknown-kind" }));
    return { kind: "unknown", file, diagnostics };
  }
  const source = normalizeSource(text);
  if (isBlank(source)) {
    diagnostics.push(
      // 1:1, like every other diagnostic: editors jump to it, and line 1 exists even in an empty file.
      diagnostic("error", file, 1, 1, "the file is empty", {
        hint: kind === "vmd" ? "start it with `@spec ID`" : FRONTMATTER_EXAMPLE[kind],
        code: "file/empty",
      }),
    );
    return { kind, file, diagnostics };
  }
  if (kind === "vmd") return { kind, file, ast: parseVmd(source, file, diagnostics), diagnostics };

  const outline = parseOutline(source, file, diagnostics, kind === "smd" ? SMD_KEYS : AMD_KEYS);
  if (!outline.frontmatter && !outline.unclosedFrontmatter) {
    diagnostics.push(diagnostic("error", file, 1, 1, "missing frontmatter", { hint: FRONTMATTER_EXAMPLE[kind], code: "frontmatter/missing" }));
  }
  return kind === "smd"
    ? { kind, file, ast: buildSmd(outline, file, diagnostics), diagnostics }
    : { kind, file, ast: buildAmd(outline, file, diagnostics), diagnostics };
}
