// The one diagnostic type for everything a user can get wrong: spec syntax,
// spec semantics, plan.toml, config. Positions are 1-based; column counts
// UTF-16 code units of the line, which is what editors show for BMP text.

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  severity: Severity;
  /** Path as the user should see it (relative to the working directory when possible). */
  file: string;
  /** 1-based line; 0 only when there is no file text to point into (a missing path, an environment variable). */
  line: number;
  /** 1-based column; 0 when there is no meaningful column. */
  column: number;
  message: string;
  hint?: string;
  /** Length of the highlighted span on the line, for the caret underline (default 1). */
  length?: number;
  /** A short stable code for tests and --json consumers, e.g. "smd/unterminated-fence". */
  code?: string;
}

export function diagnostic(
  severity: Severity,
  file: string,
  line: number,
  column: number,
  message: string,
  extra: { hint?: string; length?: number; code?: string } = {},
): Diagnostic {
  const d: Diagnostic = { severity, file, line, column, message };
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.length !== undefined) d.length = extra.length;
  if (extra.code !== undefined) d.code = extra.code;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order: file, line, column, then severity (errors first). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      rank[a.severity] - rank[b.severity],
  );
}

export interface RenderStyle {
  /** Wraps text in a colour/emphasis; identity when colour is off. */
  severity(severity: Severity, text: string): string;
  dim(text: string): string;
}

export const plainStyle: RenderStyle = {
  severity: (_s, text) => text,
  dim: (text) => text,
};

/**
 * Renders `file:line:col: severity: message`, then the source line and a caret
 * under the column, then the hint. `sourceLine` is the raw text of the line
 * (without its newline); pass undefined when the file text is unavailable.
 */
export function renderDiagnostic(
  d: Diagnostic,
  sourceLine: string | undefined,
  style: RenderStyle = plainStyle,
): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${Math.max(d.column, 1)}` : d.file;
  const out = [`${where}: ${style.severity(d.severity, d.severity)}: ${d.message}`];
  if (sourceLine !== undefined && d.line > 0) {
    const gutter = String(d.line);
    const shown = sourceLine.replace(/\t/g, "    ");
    // Tabs before the column widen the caret offset the same way they widen the line.
    const before = sourceLine.slice(0, Math.max(d.column - 1, 0)).replace(/\t/g, "    ");
    const width = Math.max(1, Math.min(d.length ?? 1, Math.max(shown.length - before.length, 1)));
    out.push(style.dim(`${gutter} | `) + shown);
    out.push(style.dim(`${" ".repeat(gutter.length)} | `) + " ".repeat(before.length) + style.severity(d.severity, "^".repeat(width)));
  }
  if (d.hint) out.push(`  ${style.dim("hint:")} ${d.hint}`);
  return out.join("\n");
}

/** Splits text into lines the way every parser here counts them (\n, \r\n, lone \r). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
