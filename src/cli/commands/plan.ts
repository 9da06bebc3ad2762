// `specwright plan`: turn the specs into .specwright/plan.toml — with the
// planner model (only specs that changed since they were planned), or with
// --from-architecture (no model). --check validates a hand-edited plan.

import { unreferencedItems } from "../../cases/unreferenced-items.js";
import { requiredCoverageDiagnostics } from "../../cases/required-coverage.js";
import { createInterface } from "node:readline/promises";
import { hasErrors, type Diagnostic } from "../../../grammar/diagnostic.js";
import { PLAN_FILE, type Plan } from "../../../plans/plan.js";
import { makePathLookup } from "../../fs/path-lookup.js";
import { OSSATURE_PLAN_FILE } from "../../../plans/ossature-plan.js";
import type { LoadedConfig } from "../../config/types.js";
import { importOssatureProjectPlan, ossaturePlanHint } from "../../planning/import-ossature.js";
import { checkPlan, readPlanFile } from "../../planning/plan-file.js";
import { runProjectPlan, type ProjectPlanEvent } from "../../planning/run-project-plan.js";
import { planFindingLine, planFindings, runProjectPlanReview } from "../../planning/plan-review.js";
import { readFindings } from "../../audit/findings-file.js";
import type { Finding } from "../../audit/findings.js";
import { specIndexOf, type ProjectSpecs } from "../../specs/project-specs.js";
import { UsageError, parseCommand } from "../args.js";
import { openProject, loadSpecsOrReport, type CommandContext } from "../command-context.js";
import { EXIT, modelExitCode } from "../exit-codes.js";
import { formatModelEvent, writeProgress } from "../progress.js";
import { SourceLines, countLine, formatDiagnostics } from "../report-diagnostics.js";
import { formatTable } from "../table.js";
import { projectLayout } from "../../config/project-layout.js";

const OPTIONS = {
  "from-architecture": { type: "boolean" },
  "import-ossature": { type: "boolean" },
  replan: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  check: { type: "boolean" },
  review: { type: "boolean" },
  model: { type: "string" },
} as const;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("plan", args, OPTIONS, 0, (p) => {
    if (p.values.check && (p.values.replan || p.values["from-architecture"])) {
      throw new UsageError("--check only validates; it does not combine with --replan or --from-architecture", "run `specwright plan --check` on its own");
    }
    if (p.values.review && (p.values.replan || p.values["from-architecture"] || p.values["import-ossature"])) {
      throw new UsageError("--review judges the plan on disk; it combines only with --check (which lists the stored findings without a model)", "run `specwright plan --review`, or `specwright plan --check --review`");
    }
    if (p.values["import-ossature"] && (p.values.check || p.values.replan || p.values["from-architecture"] || p.values.model !== undefined)) {
      throw new UsageError("--import-ossature converts .ossature/plan.toml; it does not combine with --check, --replan, --from-architecture or --model", "run `specwright plan --import-ossature [--yes]` on its own");
    }
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const project = await openProject(v);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const root = loaded.root;

  const specs = await loadSpecsOrReport(ctx, loaded, "planning");
  if (!specs) return EXIT.failure;
  const sources = new SourceLines(root, specs.sources.map((s) => [s.file, s.text]));
  const indexes = specs.groups.map(specIndexOf);
  const isOnPath = makePathLookup(ctx.env.PATH);
  const layout = projectLayout(loaded.config);
  const existing = await readPlanFile(root);
  if (v["import-ossature"]) return importOssature(ctx, loaded, specs, sources, existing.kind === "loaded", v.yes === true);
  const ossature = existing.kind === "missing" ? await ossaturePlanHint(root) : undefined;

  if (existing.kind === "unreadable") {
    process.stderr.write(formatDiagnostics([existing.diagnostic], sources, ctx.err) + "\n");
    return EXIT.failure;
  }
  if (v.check) {
    if (existing.kind === "missing") {
      process.stderr.write(`specwright: there is no ${PLAN_FILE} yet — ${ossature ?? "run `specwright plan` (or `specwright plan --from-architecture`)"}\n`);
      return EXIT.failure;
    }
    const diagnostics = checkPlan(existing, indexes, isOnPath, layout);
    // Spec items no task references: warnings at their spec lines; requirements no case covers: errors under [test] require_coverage.
    if (existing.plan && !hasErrors(diagnostics)) diagnostics.push(...unreferencedItems(specs.groups, existing.plan), ...requiredCoverageDiagnostics(specs.groups, existing.plan, loaded.config.test.requireCoverage));
    if (!v.review) return report(ctx, existing.plan, diagnostics, sources, existing.text);
    const findings = await readFindings(root);
    if (!findings.ok) {
      process.stderr.write(`specwright: ${findings.problem}\n`);
      return EXIT.failure;
    }
    return report(ctx, existing.plan, diagnostics, sources, existing.text, planFindings(findings.file));
  }
  if (v.review) {
    if (existing.kind === "missing") {
      process.stderr.write(`specwright: there is no ${PLAN_FILE} to review — run \`specwright plan\` first\n`);
      return EXIT.failure;
    }
    const reviewed = await reviewPlan(ctx, loaded, true);
    if (reviewed !== EXIT.ok) return reviewed;
    const findings = await readFindings(root);
    const diagnostics = checkPlan(existing, indexes, isOnPath, layout);
    return report(ctx, existing.plan, diagnostics, sources, existing.text, findings.ok ? planFindings(findings.file) : []);
  }

  if (existing.kind === "loaded" && !existing.plan && !v.replan) {
    process.stderr.write(formatDiagnostics(existing.diagnostics, withPlan(sources, existing.text), ctx.err) + "\n");
    process.stderr.write(`specwright: ${PLAN_FILE} does not parse; fix it, or start over with \`specwright plan --replan\`\n`);
    return EXIT.failure;
  }
  if (v.replan && existing.kind === "loaded" && !(await confirmReplan(ctx, v.yes === true))) {
    process.stderr.write("specwright: not re-planned; the plan is unchanged\n");
    return v.yes === true || process.stdin.isTTY ? EXIT.ok : EXIT.usage;
  }

  if (ossature !== undefined) writeProgress(`note: ${ossature}; planning anew instead`);
  const result = await runProjectPlan({
    loaded,
    env: ctx.env,
    specs,
    existing,
    replan: v.replan === true,
    fromArchitecture: v["from-architecture"] === true,
    isOnPath,
    onEvent: (e) => writeProgress(formatPlanEvent(e)),
    onModelEvent: (e) => writeProgress(formatModelEvent(e, ctx.err)),
  });
  switch (result.kind) {
    case "not-started":
      process.stderr.write(`specwright: ${result.message}\n${result.hint ? `  hint: ${result.hint}\n` : ""}`);
      return EXIT.failure;
    case "up-to-date": {
      if (!ctx.json) process.stderr.write("plan is up to date: no spec changed since it was planned\n");
      const diagnostics = existing.kind === "loaded" ? checkPlan(existing, indexes, isOnPath, layout) : [];
      return report(ctx, result.plan, diagnostics, sources, existing.kind === "loaded" ? existing.text : undefined);
    }
    case "invalid":
      process.stderr.write(formatDiagnostics(result.diagnostics, sources, ctx.err) + "\n");
      process.stderr.write(`specwright: the new plan has the problems above; ${PLAN_FILE} is unchanged\n`);
      return EXIT.failure;
    case "failed":
      if (result.diagnostics.length > 0) process.stderr.write(formatDiagnostics(result.diagnostics, sources, ctx.err) + "\n");
      process.stderr.write(`specwright: ${result.error.message}\n  hint: ${result.error.hint}\n  trace: ${result.traceDir}\n`);
      process.stderr.write(`${PLAN_FILE} is unchanged\n`);
      if (result.interrupted) return EXIT.interrupted;
      return modelExitCode(result.error);
    case "planned": {
      const { tasks } = result.plan;
      const after = await readPlanFile(root);
      const diagnostics = after.kind === "loaded" ? checkPlan(after, indexes, isOnPath, layout) : [];
      if (!ctx.json) process.stderr.write(`wrote ${PLAN_FILE} (${tasks.length} task${tasks.length === 1 ? "" : "s"}; ${result.calls} model call${result.calls === 1 ? "" : "s"})\n`);
      // The plan judge after a planner run (build.review on); a valid plan with errors is not judged.
      if (!loaded.config.build.review || hasErrors(diagnostics)) return report(ctx, result.plan, diagnostics, sources, result.text);
      await reviewPlan(ctx, loaded, false);
      const findings = await readFindings(root);
      return report(ctx, result.plan, diagnostics, sources, result.text, findings.ok ? planFindings(findings.file) : []);
    }
  }
}

/**
 * Runs the plan judge and says what changed. `asked`: the person asked for
 * it (--review), so a failure is the command's; after a planner run it is a
 * warning and the new plan stands.
 */
async function reviewPlan(ctx: CommandContext, loaded: LoadedConfig, asked: boolean): Promise<number> {
  const reviewed = await runProjectPlanReview({ loaded, env: ctx.env, onModelEvent: (e) => writeProgress(formatModelEvent(e, ctx.err)) });
  if (!reviewed.ok) {
    process.stderr.write(`specwright: ${asked ? "" : "warning: "}${reviewed.message}\n${reviewed.hint ? `  hint: ${reviewed.hint}\n` : ""}`);
    if (!asked) return EXIT.ok;
    if (reviewed.interrupted) return EXIT.interrupted;
    return reviewed.error ? modelExitCode(reviewed.error) : EXIT.failure;
  }
  if (!ctx.json) process.stderr.write(`plan review: ${reviewed.added.length} new, ${reviewed.kept.length} seen before, ${reviewed.resolved.length} no longer reported (trace: ${reviewed.traceDir})\n`);
  return EXIT.ok;
}

function withPlan(sources: SourceLines, text: string | undefined): SourceLines {
  if (text !== undefined) sources.add(PLAN_FILE, text);
  return sources;
}

async function confirmReplan(ctx: CommandContext, yes: boolean): Promise<boolean> {
  return confirm(
    yes,
    "--replan replaces the current plan (ids, statuses, notes, verify edits) once the new one is complete and valid",
    `Plan every spec from scratch, replacing ${PLAN_FILE} once the new plan is valid? [y/N] `,
  );
}

/** --yes, or a person's "y" in a terminal; without a terminal it says why it will not ask. */
async function confirm(yes: boolean, what: string, question: string): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    process.stderr.write(`specwright: ${what}; pass --yes to confirm without a terminal\n`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** --import-ossature: .ossature/plan.toml → .specwright/plan.toml, then the same checks as --check. */
async function importOssature(ctx: CommandContext, loaded: LoadedConfig, specs: ProjectSpecs, sources: SourceLines, planExists: boolean, yes: boolean): Promise<number> {
  if (planExists && !(await confirm(yes, `${PLAN_FILE} exists and the import replaces it`, `Replace ${PLAN_FILE} with the import of ${OSSATURE_PLAN_FILE}? [y/N] `))) {
    process.stderr.write(`specwright: not imported; ${PLAN_FILE} is unchanged\n`);
    return yes || process.stdin.isTTY ? EXIT.ok : EXIT.usage;
  }
  const result = await importOssatureProjectPlan({ loaded, specs, replace: true });
  switch (result.kind) {
    case "missing":
      process.stderr.write(`specwright: there is no ${OSSATURE_PLAN_FILE} in ${loaded.root}\n  hint: \`ossature audit\` writes it in an Ossature project; \`specwright plan\` plans without it\n`);
      return EXIT.failure;
    case "plan-exists":
      throw new Error("the import was told to replace the plan");
    case "not-started":
      process.stderr.write(`specwright: ${result.message}\n${result.hint ? `  hint: ${result.hint}\n` : ""}`);
      return EXIT.failure;
    case "unconverted":
      sources.add(OSSATURE_PLAN_FILE, result.source);
      process.stderr.write(formatDiagnostics(result.diagnostics, sources, ctx.err) + "\n");
      process.stderr.write(`specwright: ${OSSATURE_PLAN_FILE} could not be converted; ${PLAN_FILE} is unchanged\n`);
      return EXIT.failure;
    case "imported": {
      sources.add(OSSATURE_PLAN_FILE, result.source);
      const after = await readPlanFile(loaded.root);
      const checked = after.kind === "loaded" ? checkPlan(after, specs.groups.map(specIndexOf), makePathLookup(ctx.env.PATH), projectLayout(loaded.config)) : [];
      const s = result.summary;
      if (ctx.json) {
        process.stdout.write(JSON.stringify({ plan: result.plan, summary: s, diagnostics: [...result.diagnostics, ...checked] }, null, 2) + "\n");
        return hasErrors(result.diagnostics) || hasErrors(checked) ? EXIT.failure : EXIT.ok;
      }
      if (result.diagnostics.length > 0) process.stderr.write(formatDiagnostics(result.diagnostics, sources, ctx.err) + "\n");
      process.stderr.write(
        `imported ${s.tasks} task${s.tasks === 1 ? "" : "s"} from ${OSSATURE_PLAN_FILE} into ${PLAN_FILE}: ` +
          `${s.refsTranslated} ref${s.refsTranslated === 1 ? "" : "s"} translated, ${s.refsWidened} widened, ${s.refsDropped} left out; ` +
          `${s.handedOn} rewritten file${s.handedOn === 1 ? "" : "s"} now edits; ${s.dependenciesAdded} dependenc${s.dependenciesAdded === 1 ? "y" : "ies"} added; ` +
          `${s.copyTasks} copy task${s.copyTasks === 1 ? "" : "s"}; ${s.losses} conversion loss${s.losses === 1 ? "" : "es"}${s.losses > 0 ? " (the warnings above)" : ""}\n`,
      );
      const failed = report(ctx, result.plan, checked, sources, result.text);
      return hasErrors(result.diagnostics) ? EXIT.failure : failed;
    }
  }
}

/** `review`: the plan judge's open and accepted findings, when they were asked for (--review) or made (after planning). */
function report(ctx: CommandContext, plan: Plan | undefined, diagnostics: Diagnostic[], sources: SourceLines, text: string | undefined, review?: Finding[]): number {
  const failed = hasErrors(diagnostics);
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ plan: plan ?? null, diagnostics, ...(review ? { review } : {}) }, null, 2) + "\n");
    return failed ? EXIT.failure : EXIT.ok;
  }
  const out: string[] = [];
  if (review) {
    out.push(
      review.length === 0 ? "plan review: no open findings" : `plan review: ${review.length} finding${review.length === 1 ? "" : "s"} (dismiss one with \`specwright audit --dismiss PLAN-n --reason "…"\`)`,
      ...review.map((f) => `  ${planFindingLine(f)}`),
      "",
    );
  }
  if (diagnostics.length > 0) out.push(formatDiagnostics(diagnostics, withPlan(sources, text), ctx.out), "");
  if (plan && plan.tasks.length > 0) {
    out.push(
      formatTable(
        ["ID", "SPEC", "TITLE", "OUTPUTS", "DEPENDS", "STATUS"],
        plan.tasks.map((t) => [t.id, t.spec, t.title, t.outputs.join(", ") || "-", t.dependsOn.join(", ") || "-", t.status]),
      ),
      "",
    );
  }
  out.push((failed ? ctx.out.red : ctx.out.green)(`${PLAN_FILE}: ${countLine(diagnostics)}`));
  process.stdout.write(out.join("\n") + "\n");
  return failed ? EXIT.failure : EXIT.ok;
}

function formatPlanEvent(event: ProjectPlanEvent): string {
  switch (event.type) {
    case "notice":
      return event.message;
    case "plan-needs-planner":
      return `${event.spec}: has no architecture spec (.amd) with components — plan it with the planner model (\`specwright plan\`)`;
    case "plan-spec-unchanged":
      return `${event.spec}: unchanged since it was planned; its tasks stay`;
    case "plan-spec-started":
      return `planning ${event.spec} (~${event.estimatedTokens} prompt tokens)`;
    case "plan-spec-finished":
      return `${event.spec}: ${event.tasks.length} task${event.tasks.length === 1 ? "" : "s"} (${event.kept} kept from the previous plan)`;
  }
}
