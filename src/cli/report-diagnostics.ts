// Prints diagnostics as `file:line:col: severity: message`, the source line,
// a caret and the hint, with a closing count. Source text comes from the texts
// the caller already read, else from disk (relative to the working directory).

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { renderDiagnostic, sortDiagnostics, splitLines, type Diagnostic } from "../../grammar/diagnostic.js";
import type { Palette } from "./style.js";

export class SourceLines {
  private readonly lines = new Map<string, string[] | undefined>();

  constructor(
    private readonly cwd: string,
    texts: Iterable<[string, string]> = [],
  ) {
    for (const [file, text] of texts) this.lines.set(file, splitLines(text.replace(/^\uFEFF/, "")));
  }

  add(file: string, text: string): void {
    this.lines.set(file, splitLines(text.replace(/^\uFEFF/, "")));
  }

  line(file: string, line: number): string | undefined {
    if (!this.lines.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(resolve(this.cwd, file), "utf8");
      } catch {
        text = undefined;
      }
      this.lines.set(file, text === undefined ? undefined : splitLines(text.replace(/^\uFEFF/, "")));
    }
    return this.lines.get(file)?.[line - 1];
  }
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], sources: SourceLines, style: Palette): string {
  return sortDiagnostics(diagnostics)
    .map((d) => renderDiagnostic(d, sources.line(d.file, d.line), style))
    .join("\n\n");
}

export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}
