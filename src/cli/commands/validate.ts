// `specwright validate [paths…]`: parse and check specs without a model,
// report every problem in every file, and summarise what was found.

import { join, relative } from "node:path";
import { hasErrors, type Diagnostic } from "../../../grammar/diagnostic.js";
import { validateSpecs } from "../../../grammar/validate.js";
import { PLAN_FILE } from "../../../plans/plan.js";
import { makePathLookup } from "../../fs/path-lookup.js";
import { checkPlan, readPlanFile } from "../../planning/plan-file.js";
import { collectSpecFiles } from "../../specs/collect-spec-files.js";
import { groupSpecs, specIndexOf } from "../../specs/project-specs.js";
import { parseCommand } from "../args.js";
import { commandContext, loadCommandConfig } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { SourceLines, countLine, formatDiagnostics } from "../report-diagnostics.js";
import { formatTable } from "../table.js";
import type { ProjectLayout } from "../../../plans/output-path.js";
import { projectLayout } from "../../config/project-layout.js";
import { requiredCoverageDiagnostics } from "../../cases/required-coverage.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("validate", args, { strict: { type: "boolean" } }, Infinity);
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const explicit = parsed.positionals.length > 0;
  let paths = parsed.positionals;
  let projectRoot: string | undefined;
  let layout: ProjectLayout | undefined;
  let requireCoverage = false;
  if (!explicit) {
    const outcome = await loadCommandConfig(ctx);
    if (!outcome.ok) return outcome.exitCode;
    const { loaded } = outcome;
    projectRoot = loaded.root;
    layout = projectLayout(loaded.config);
    requireCoverage = loaded.config.test.requireCoverage;
    paths = [relative(ctx.cwd, join(loaded.root, loaded.config.project.specDir)) || "."];
  }

  // A project's empty spec_dir is a warning (Ossature: "No spec files found.", exit 0).
  const collected = await collectSpecFiles(paths, ctx.cwd, { emptyFolder: explicit ? "error" : "warning" });
  // Files named on the command line are checked on their own: a lone AMD is
  // fine without its SMD, and depends on specs that were not given are not
  // errors. A folder is a project of its own and gets the cross-file checks.
  const result = validateSpecs(collected.sources, { strict: parsed.values.strict === true, standalone: explicit && !collected.folders });
  const diagnostics: Diagnostic[] = [...collected.diagnostics, ...result.diagnostics];
  // In a project, the plan's references must still resolve against the specs.
  const planTexts: [string, string][] = [];
  if (projectRoot !== undefined && layout !== undefined && !hasErrors(diagnostics)) {
    const plan = await readPlanFile(projectRoot);
    const shown = relative(ctx.cwd, join(projectRoot, PLAN_FILE)) || PLAN_FILE;
    if (plan.kind === "unreadable") diagnostics.push({ ...plan.diagnostic, file: shown });
    const groups = groupSpecs(collected.sources, result);
    if (plan.kind === "loaded") {
      for (const d of checkPlan(plan, groups.map(specIndexOf), makePathLookup(ctx.env.PATH), layout)) diagnostics.push({ ...d, file: shown });
      planTexts.push([shown, plan.text]);
    }
    // [test] require_coverage, where Ossature checks it: a requirement no case (nor a task's `covers`) covers fails validate.
    const uncovered = requiredCoverageDiagnostics(groups, plan.kind === "loaded" ? plan.plan : undefined, requireCoverage);
    diagnostics.push(...uncovered);
  }

  if (ctx.json) {
    process.stdout.write(
      JSON.stringify({ specs: result.specs, architectures: result.architectures, verifications: result.verifications, diagnostics }, null, 2) + "\n",
    );
    return hasErrors(diagnostics) ? EXIT.failure : EXIT.ok;
  }

  const out: string[] = [];
  if (diagnostics.length > 0) {
    const sources = new SourceLines(ctx.cwd, [...collected.sources.map((s): [string, string] => [s.file, s.text]), ...planTexts]);
    out.push(formatDiagnostics(diagnostics, sources, ctx.out), "");
  }
  if (result.specs.length > 0) {
    out.push(ctx.out.bold("Specs"));
    out.push(
      formatTable(
        ["ID", "TITLE", "STATUS", "REQS", "DEPENDS", "FILE"],
        result.specs.map((s) => [s.id, s.title, s.status ?? "-", String(s.requirements), s.depends.join(", ") || "-", s.file]),
      ),
    );
  }
  if (result.architectures.length > 0) {
    out.push("", ctx.out.bold("Architectures"));
    out.push(
      formatTable(
        ["SPEC", "COMPONENTS", "FILE"],
        result.architectures.map((a) => [a.spec || "-", a.components.join(", ") || "-", a.file]),
      ),
    );
  }
  if (result.verifications.length > 0) {
    out.push("", ctx.out.bold("Verification"));
    out.push(formatTable(["SPEC", "FILE"], result.verifications.map((v) => [v.spec ?? "-", v.file])));
  }
  const files = collected.sources.length;
  const summary = `${files} file${files === 1 ? "" : "s"}: ${countLine(diagnostics)}`;
  if (out.length > 0) out.push("");
  out.push((hasErrors(diagnostics) ? ctx.out.red : ctx.out.green)(summary));
  process.stdout.write(out.join("\n") + "\n");
  return hasErrors(diagnostics) ? EXIT.failure : EXIT.ok;
}
