// `specwright` with no arguments and no terminal (a pipe, CI): a short status
// of the project instead of the TUI — specs, open findings, plan progress and
// the last build — then exit. Reads only local files: no model, no network,
// no React, nothing that waits for input.

import { describeStale, planCounts } from "../build/task-status.js";
import { loadOverview, type OverviewData } from "../project/project-overview.js";
import { openProject } from "./command-context.js";
import { EXIT } from "./exit-codes.js";
import type { Palette } from "./style.js";

/** How many spec files with problems the status names before "… N more". */
const MAX_SPEC_FILES = 5;

/**
 * Prints the status of the project around `process.cwd()` and resolves to the
 * exit code; resolves to undefined outside a project (the caller prints the
 * help instead). A broken specwright.toml prints its diagnostics and exits 2,
 * like every command.
 */
export async function printProjectStatus(options: { noColor: boolean; cwd: string }): Promise<number | undefined> {
  const project = await openProject({ "no-color": options.noColor, cwd: options.cwd }, { project: "optional" });
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  if (loaded.projectKind === "none") return undefined;
  const data = await loadOverview(loaded, ctx.env);
  process.stdout.write(formatProjectStatus(data, loaded.root, ctx.out).join("\n") + "\n");
  return EXIT.ok;
}

/** The status as lines: a label column, then what a person would want to know next, with the command that acts on it. */
export function formatProjectStatus(data: OverviewData, root: string, style: Palette): string[] {
  const row = (label: string, text: string) => `${style.bold(label.padEnd(11))}${text}`;
  const lines = [`${style.bold(data.projectName)}  ${style.dim(root)}`];

  const errors = data.specs.reduce((n, s) => n + s.errors, 0);
  const warnings = data.specs.reduce((n, s) => n + s.warnings, 0);
  if (data.specs.length === 0) {
    lines.push(row("Specs", style.yellow("none yet — `specwright new <name>` writes one from a template")));
  } else {
    const verdict = errors > 0 ? style.red(`✗ ${plural(errors, "error")}`) : style.green("✓ valid");
    lines.push(row("Specs", `${plural(data.specs.length, "file")}: ${verdict}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""}${errors > 0 ? " — `specwright validate` shows them" : ""}`));
    const troubled = data.specs.filter((s) => s.errors + s.warnings > 0);
    for (const s of troubled.slice(0, MAX_SPEC_FILES)) {
      const problems = [s.errors ? plural(s.errors, "error") : "", s.warnings ? plural(s.warnings, "warning") : ""].filter(Boolean).join(", ");
      lines.push(row("", `${s.errors > 0 ? style.red("✗") : style.yellow("!")} ${s.file} (${problems})`));
    }
    if (troubled.length > MAX_SPEC_FILES) lines.push(row("", `… ${troubled.length - MAX_SPEC_FILES} more`));
  }

  const f = data.findings;
  if (!f.ok) lines.push(row("Findings", style.red(f.problem)));
  else {
    const open = [
      f.open.error > 0 ? style.red(plural(f.open.error, "error")) : "",
      f.open.warning > 0 ? style.yellow(plural(f.open.warning, "warning")) : "",
      f.open.info > 0 ? `${f.open.info} info` : "",
    ].filter(Boolean);
    const settled = f.settled > 0 ? ` · ${f.settled} settled` : "";
    lines.push(row("Findings", `${open.length === 0 ? "none open" : `${open.join(", ")} open`}${settled}`));
  }

  const p = data.plan;
  if (p.kind === "missing") lines.push(row("Plan", p.ossature ? "no plan yet — `specwright plan --import-ossature` turns .ossature/plan.toml into .specwright/plan.toml" : "no plan yet — `specwright plan` writes .specwright/plan.toml"));
  else if (p.kind === "blocked") lines.push(row("Plan", `${plural(p.tasks, "task")}; ${style.red(p.message)}`));
  else {
    const c = planCounts(p.rows);
    const skipped = c.skipped > 0 ? `, ${c.skipped} skipped` : "";
    const next = c.toBuild + c.failed > 0 ? " — `specwright build`" : "";
    const failed = c.failed > 0 ? style.red(`${c.failed} failed`) : "0 failed";
    lines.push(row("Plan", `${plural(p.tasks, "task")}: ${c.done} done, ${c.toBuild} to build, ${failed}${skipped}${next}`));
    if (p.staleReason) lines.push(row("", style.dim(describeStale(p.staleReason))));
  }

  const b = data.lastBuild;
  if (!b) lines.push(row("Last build", "none yet"));
  else {
    const s = b.summary;
    const result = !b.finished
      ? style.yellow("did not finish (crashed or still running)")
      : !s
        ? "no summary"
        : s.modelUnavailable
          ? style.red(`model unavailable: ${s.modelUnavailable}`)
          : s.failed.length > 0
            ? style.red(`${s.done.length} built, ${s.failed.length} failed (${s.failed.join(", ")})`)
            : b.interrupted
              ? style.yellow(`interrupted after ${s.done.length} built`)
              : style.green(`✓ ${s.done.length} built, ${s.upToDate.length} up to date`);
    lines.push(row("Last build", `${result} ${style.dim(b.runId)}`));
  }

  lines.push("", style.dim("In a terminal `specwright` opens the TUI; `specwright --help` lists the commands."));
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}
