// `specwright audit`: validate, have the audit model look for gaps and
// contradictions, fix what the fix mode asks for, and show the findings.
// Triage without a model: --dismiss/--accept/--reopen, and --undo a fix.

import type { ModelError } from "../../../models/errors.js";
import type { AuditEvent, FixMode } from "../../audit/run-audit.js";
import { runProjectAudit, triageProjectFinding, undoProjectFix } from "../../audit/run-project-audit.js";
import { readFindings } from "../../audit/findings-file.js";
import { openErrors, type FindingsFile, type TriageAction } from "../../audit/findings.js";
import { printFindings } from "../findings-output.js";
import { UsageError, parseCommandArgs, reportUsageError } from "../args.js";
import { openProject, loadSpecsOrReport, type CommandContext } from "../command-context.js";
import { EXIT, modelExitCode } from "../exit-codes.js";
import { formatModelEvent, writeProgress } from "../progress.js";

const OPTIONS = {
  fix: { type: "string" },
  "errors-ok": { type: "boolean" },
  "max-fix-cycles": { type: "string" },
  model: { type: "string" },
  undo: { type: "string" },
  dismiss: { type: "string" },
  accept: { type: "string" },
  reopen: { type: "string" },
  reason: { type: "string" },
} as const;

export async function run(args: string[]): Promise<number> {
  let parsed;
  let fix: FixMode = "errors";
  let maxCycles: number | undefined;
  try {
    parsed = parseCommandArgs("audit", args, OPTIONS);
    const v = parsed.values;
    if (v.fix !== undefined) {
      if (v.fix !== "errors" && v.fix !== "none" && v.fix !== "all") throw new UsageError(`--fix takes errors, none or all, not '${v.fix}'`, "e.g. --fix none to only report");
      fix = v.fix;
    }
    if (v["max-fix-cycles"] !== undefined) {
      if (!/^\d+$/.test(v["max-fix-cycles"])) throw new UsageError("--max-fix-cycles takes a whole number", "e.g. --max-fix-cycles 2");
      maxCycles = Number(v["max-fix-cycles"]);
    }
    const triageFlags = [v.undo, v.dismiss, v.accept, v.reopen].filter((x) => x !== undefined);
    if (triageFlags.length > 1) throw new UsageError("--undo, --dismiss, --accept and --reopen take one finding per command", "run them one after another");
    if (v.dismiss !== undefined && (v.reason === undefined || v.reason.trim() === "")) {
      throw new UsageError("--dismiss needs --reason", `e.g. --dismiss ${v.dismiss} --reason "the examples settle it"`);
    }
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error);
    throw error;
  }
  const v = parsed.values;
  const project = await openProject(v);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const root = loaded.root;

  const findingsLoad = await readFindings(root);
  if (!findingsLoad.ok) {
    process.stderr.write(`specwright: ${findingsLoad.problem}\n`);
    return EXIT.failure;
  }
  const findings = findingsLoad.file;

  const target = v.undo ?? v.dismiss ?? v.accept ?? v.reopen;
  if (target !== undefined) return triageCommand(ctx, root, findings, target, v);

  const specs = await loadSpecsOrReport(ctx, loaded, "auditing");
  if (!specs) return EXIT.failure;

  const result = await runProjectAudit({
    loaded,
    env: ctx.env,
    specs,
    findings,
    fix,
    maxFixCycles: maxCycles ?? loaded.config.audit.maxFixCycles,
    onEvent: (e) => writeProgress(formatAuditEvent(e, ctx)),
    onModelEvent: (e) => writeProgress(formatModelEvent(e, ctx.err)),
    onNotice: (message) => process.stderr.write(`${message}\n`),
  });
  if (result.kind === "not-started") {
    process.stderr.write(`specwright: ${result.message}\n  hint: ${result.hint}\n`);
    return EXIT.failure;
  }

  if (!result.ok) {
    printModelError(result.error, result.traceDir);
    if (result.interrupted) return EXIT.interrupted;
    return modelExitCode(result.error);
  }
  printFindings(ctx, findings);
  const blocking = openErrors(findings);
  if (!ctx.json) process.stderr.write(ctx.err.dim(`trace: ${result.traceDir}`) + "\n");
  return blocking.length > 0 && v["errors-ok"] !== true ? EXIT.failure : EXIT.ok;
}

async function triageCommand(
  ctx: CommandContext,
  root: string,
  findings: FindingsFile,
  id: string,
  v: { undo?: string; dismiss?: string; accept?: string; reopen?: string; reason?: string },
): Promise<number> {
  const finding = findings.findings.find((f) => f.id.toLowerCase() === id.toLowerCase());
  if (!finding) {
    process.stderr.write(`specwright: no finding ${id} in .specwright/findings.json — \`specwright findings\` lists them\n`);
    return EXIT.failure;
  }
  const now = new Date().toISOString();
  if (v.undo !== undefined) {
    const undone = await undoProjectFix(root, finding.id, now);
    if (!undone.ok) {
      process.stderr.write(`specwright: ${undone.message}\n`);
      return EXIT.failure;
    }
    process.stdout.write(`${finding.id}: fix undone in ${undone.file}; the finding is open again\n`);
    return EXIT.ok;
  }
  const change: TriageAction =
    v.dismiss !== undefined
      ? { action: "dismiss", reason: v.reason ?? "" }
      : v.accept !== undefined
        ? { action: "accept", ...(v.reason !== undefined ? { reason: v.reason } : {}) }
        : { action: "reopen" };
  const saved = await triageProjectFinding(root, finding.id, change, now);
  if (!saved.ok) {
    process.stderr.write(`specwright: ${saved.message}\n${saved.hint ? `  hint: ${saved.hint}\n` : ""}`);
    return saved.usage ? EXIT.usage : EXIT.failure;
  }
  process.stdout.write(ctx.json ? JSON.stringify(saved.finding) + "\n" : `${saved.finding.id}: ${saved.finding.status}\n`);
  return EXIT.ok;
}

function formatAuditEvent(event: AuditEvent, ctx: CommandContext): string | undefined {
  const name = (spec: string) => (spec === "*" ? "cross-spec" : spec);
  switch (event.type) {
    case "audit-cycle":
      return event.cycle > 1 ? `re-auditing after fixes (cycle ${event.cycle} of ${event.of})` : undefined;
    case "audit-spec-cached":
      return ctx.err.dim(`${name(event.spec)}: unchanged since the last audit (${event.findings} finding${event.findings === 1 ? "" : "s"}), not asking again`);
    case "audit-spec-started":
      return `auditing ${name(event.spec)} (${event.files.join(", ")})`;
    case "audit-spec-finished":
      return `${name(event.spec)}: ${event.added.length} new, ${event.kept.length} seen before, ${event.resolved.length} no longer reported`;
    case "finding-dropped":
      return ctx.err.dim(`${name(event.spec)}: dropped a finding that points nowhere: ${event.reason}`);
    case "fix-started":
      return `fixing ${event.finding.id}…`;
    case "fix-applied":
      return `${event.finding.id}: ${ctx.err.green("fixed")} in ${event.file} (new text marked [inferred]; undo with \`specwright audit --undo ${event.finding.id}\`)`;
    case "fix-rejected":
      return `${event.finding.id}: ${ctx.err.yellow("fix not applied")}: ${event.reason}`;
  }
}

function printModelError(error: ModelError, traceDir: string): void {
  process.stderr.write(`specwright: ${error.message}\n  hint: ${error.hint}\n  trace: ${traceDir}\n`);
}
