// VMD, read far enough to bind the file to its spec (`@spec ID`). Every other
// line is kept and loosely classified (`@covers`, `scenario …:`, `when $ …`,
// `then …`, comments) for the issue that implements verification cases. VMD is
// line-oriented, so a line scanner is all it needs, no chevrotain grammar.

import type { VmdDocument, VmdLine } from "./ast.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { SPEC_ID_PATTERN, SPEC_ID_RULE } from "./spec-meta.js";

function classify(raw: string, line: number): VmdLine {
  const trimmed = raw.trim();
  const column = raw.length - raw.trimStart().length + 1;
  if (trimmed === "") return { kind: "blank", text: raw, line, column: 1 };
  if (trimmed.startsWith("#")) return { kind: "comment", text: raw, line, column };
  const directive = /^@([A-Za-z][\w-]*)\s*(.*)$/.exec(trimmed);
  if (directive) {
    const kind = directive[1] === "spec" ? "spec" : directive[1] === "covers" ? "covers" : "directive";
    return { kind, text: raw, value: kind === "directive" ? trimmed : directive[2]!.trim(), line, column };
  }
  const scenario = /^scenario\s+(.*):$/.exec(trimmed);
  if (scenario) return { kind: "scenario", text: raw, value: scenario[1]!.trim(), line, column };
  const step = /^(when|then)\s+(.*)$/.exec(trimmed);
  if (step) return { kind: step[1] === "when" ? "when" : "then", text: raw, value: step[2]!.trim(), line, column };
  return { kind: "other", text: raw, line, column };
}

/** Parses normalised VMD text (see normalizeSource); problems are appended to `diagnostics`. */
export function parseVmd(text: string, file: string, diagnostics: Diagnostic[]): VmdDocument {
  const lines = text.split("\n").map((raw, i) => classify(raw, i + 1));
  if (lines.length > 1 && lines[lines.length - 1]!.kind === "blank" && text.endsWith("\n")) lines.pop();
  const doc: VmdDocument = { kind: "vmd", lines };
  for (const l of lines) {
    if (l.kind !== "spec") continue;
    const afterDirective = l.text.indexOf("@spec") + "@spec".length;
    const rest = l.text.slice(afterDirective);
    const valueColumn = afterDirective + (rest.length - rest.trimStart().length) + 1;
    if (doc.spec) {
      diagnostics.push(
        diagnostic("error", file, l.line, l.column, `a second \`@spec\` (the first is on line ${doc.spec.line})`, { hint: "a .vmd file verifies one spec", code: "vmd/duplicate-spec" }),
      );
    } else if (l.value === "") {
      diagnostics.push(diagnostic("error", file, l.line, l.column, "`@spec` needs a spec id", { hint: "write e.g. `@spec WORDCOUNT`", code: "vmd/spec-id" }));
    } else if (!SPEC_ID_PATTERN.test(l.value)) {
      diagnostics.push(
        diagnostic("error", file, l.line, valueColumn, `\`${l.value}\` is not a valid spec id`, {
          hint: SPEC_ID_RULE,
          code: "vmd/spec-id",
          length: l.value.length,
        }),
      );
    } else {
      doc.spec = { id: l.value, line: l.line, column: valueColumn };
    }
  }
  if (!doc.spec && !lines.some((l) => l.kind === "spec")) {
    diagnostics.push(
      diagnostic("error", file, 1, 1, "missing `@spec`: a .vmd file must say which spec it verifies", { hint: "add a line `@spec ID` at the top, ID being the .smd's `id`", code: "vmd/missing-spec" }),
    );
  }
  return doc;
}
