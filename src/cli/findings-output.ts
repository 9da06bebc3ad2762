// The findings of .specwright/findings.json as `specwright audit` and
// `specwright findings` print them.

import { openErrors, type Finding, type FindingsFile } from "../audit/findings.js";
import type { CommandContext } from "./command-context.js";

const RANK = { error: 0, warning: 1, info: 2 } as const;
const STATUS_RANK = { open: 0, accepted: 1, dismissed: 2, fixed: 3 } as const;

/** The findings as `audit` and `findings` print them: open and accepted ones (every one with `all`), then a count. */
export function printFindings(ctx: CommandContext, findings: FindingsFile, all = false): void {
  const list = [...findings.findings].sort(
    (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || RANK[a.severity] - RANK[b.severity] || a.file.localeCompare(b.file) || a.line - b.line,
  );
  if (ctx.json) {
    const count = (status: Finding["status"]) => list.filter((f) => f.status === status).length;
    process.stdout.write(
      JSON.stringify({ findings: list, summary: { open: count("open"), openErrors: openErrors(findings).length, fixed: count("fixed"), dismissed: count("dismissed"), accepted: count("accepted") } }, null, 2) + "\n",
    );
    return;
  }
  const shown = all ? list : list.filter((f) => f.status === "open" || f.status === "accepted");
  const lines: string[] = [];
  for (const f of shown) {
    const sev = ctx.out.severity(f.severity, f.severity.padEnd(7));
    lines.push(`${ctx.out.bold(f.id.padEnd(8))} ${sev} ${f.status.padEnd(8)} ${f.file}:${f.line}${f.section ? ` (${f.section})` : ""}`);
    lines.push(`  ${f.issue}`);
    if (f.suggestion) lines.push(ctx.out.dim(`  suggestion: ${f.suggestion}`));
  }
  const open = list.filter((f) => f.status === "open");
  const by = (s: Finding["severity"]) => open.filter((f) => f.severity === s).length;
  const settled = list.length - open.length;
  lines.push(
    `${lines.length > 0 ? "\n" : ""}${open.length} open finding${open.length === 1 ? "" : "s"} (${by("error")} error, ${by("warning")} warning, ${by("info")} info); ${settled} settled (fixed, dismissed or accepted)`,
  );
  process.stdout.write(lines.join("\n") + "\n");
}
