// `specwright check [SPEC…]`: runs the verification cases (.vmd) against the
// current output, with no model: function groups through specwright's own
// harness, command scenarios in a fresh copy of the output dir. Prints a
// pass/fail table; exit 1 when a case fails or cannot run.

import { join, relative } from "node:path";
import { caseUnitsOf, type CaseUnit } from "../../cases/case-units.js";
import { recordCaseResults } from "../../cases/case-record.js";
import { runCases, type CaseResult } from "../../cases/run-cases.js";
import { closest } from "../../../grammar/did-you-mean.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { openProject, loadSpecsOrReport } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { formatTable } from "../table.js";
import { stat } from "node:fs/promises";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("check", args, {}, Infinity);
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const specs = await loadSpecsOrReport(ctx, loaded, "checking");
  if (!specs) return EXIT.failure;

  const known = specs.groups.map((g) => g.id);
  for (const wanted of parsed.positionals) {
    if (!known.includes(wanted)) {
      const guess = closest(wanted, known);
      return reportUsageError(new UsageError(`no spec ${wanted} in this project`, guess ? `did you mean ${guess}?` : `the specs are ${known.join(", ")}`));
    }
  }
  const only = parsed.positionals.length > 0 ? new Set(parsed.positionals) : undefined;
  const units = caseUnitsOf(specs.groups, only);
  const outputDir = join(loaded.root, loaded.config.output.dir);
  if (units.length === 0) {
    const scope = only ? [...only].join(", ") : "this project";
    if (ctx.json) process.stdout.write(JSON.stringify({ cases: [], passed: 0, failed: 0, notRun: 0 }, null, 2) + "\n");
    else process.stdout.write(`no verification cases (.vmd) for ${scope}; \`specwright new <name> --vmd\` writes one\n`);
    return EXIT.ok;
  }
  try {
    if (!(await stat(outputDir)).isDirectory()) throw new Error("not a directory");
  } catch {
    process.stderr.write(`specwright: the output dir ${relative(ctx.cwd, outputDir) || "."} does not exist yet; \`specwright build\` writes it\n`);
    return EXIT.failure;
  }

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const started = performance.now();
  let results: CaseResult[];
  try {
    results = await runCases(units, {
      outputDir,
      timeoutMs: loaded.config.build.verifyTimeoutMs,
      signal: controller.signal,
      ...(ctx.json ? {} : { onUnit: (u: CaseUnit) => void process.stderr.write(`running ${u.label} (${u.file}:${u.line})\n`) }),
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const elapsedMs = performance.now() - started;
  if (controller.signal.aborted) {
    process.stderr.write("specwright: interrupted; no case results were recorded\n");
    return EXIT.interrupted;
  }
  await recordCaseResults(loaded.root, results, "check");

  const passed = results.filter((r) => r.status === "pass").length;
  const failed = results.filter((r) => r.status === "fail").length;
  const notRun = results.filter((r) => r.status === "not-run").length;
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ cases: results, passed, failed, notRun, durationMs: Math.round(elapsedMs) }, null, 2) + "\n");
  } else {
    const mark = (r: CaseResult) => (r.status === "pass" ? ctx.out.green("pass") : r.status === "fail" ? ctx.out.red("FAIL") : ctx.out.yellow("not run"));
    const rows = results.map((r) => [mark(r), r.spec, r.label, `${r.file}:${r.line}`]);
    const out = [formatTable(["RESULT", "SPEC", "CASE", "WHERE"], rows, "")];
    const problems = results.filter((r) => r.status !== "pass");
    for (const r of problems) {
      out.push("", `${r.status === "fail" ? ctx.out.red("FAIL") : ctx.out.yellow("not run")} ${r.label} (${r.file}:${r.line})`, `  expected: ${r.expectation}`);
      if (r.actual) out.push(`  actual:   ${r.actual.split("\n").join("\n            ")}`);
      if (r.detail) out.push(`  ${r.status === "fail" ? "why" : "because"}:  ${r.detail.split("\n").join("\n            ")}`);
    }
    out.push("", `${passed} passed, ${failed} failed, ${notRun} not run (${(elapsedMs / 1000).toFixed(1)} s)`);
    process.stdout.write(out.join("\n") + "\n");
  }
  return failed + notRun > 0 ? EXIT.failure : EXIT.ok;
}
