// `specwright compare --models a,b[,c] [--only T…] [--runs K] [--id ID] [--json]`:
// the plan built once per model (and run) into scratch folders, then one
// table: tasks passed first try, after fixes, failed, attempts, tokens, wall
// time, tokens/s. Progress on stderr, the table (or the JSON document) on stdout.

import { compareRows, type CompareDocument } from "../../compare/compare-result.js";
import { RESULT_FILE, compareIdProblem } from "../../compare/compare-folder.js";
import { progressLines } from "../../compare/compare-progress.js";
import { compareTableLines } from "../../compare/compare-table.js";
import { runCompare, type CompareProgress } from "../../compare/run-compare.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { planTaskOrUsageError, openBuild } from "../build-context.js";
import type { CommandContext } from "../command-context.js";
import { EXIT, faultExitCode } from "../exit-codes.js";
import { join, relative } from "node:path";

const OPTIONS = {
  models: { type: "string" },
  only: { type: "string", multiple: true },
  runs: { type: "string" },
  id: { type: "string" },
} as const;

const MAX_RUNS = 20;

export async function run(args: string[]): Promise<number> {
  let models: string[] = [];
  let runs = 1;
  const parsed = parseCommand("compare", args, OPTIONS, 0, (p) => {
    if (p.values.models === undefined) throw new UsageError("compare needs --models", "name two or more installed models: --models qwen2.5-coder:7b,llama3.1:8b");
    models = p.values.models.split(",").map((m) => m.trim()).filter((m) => m !== "");
    if (models.length < 2) throw new UsageError(`--models names ${models.length === 0 ? "no model" : "one model"}`, "name two or more, separated by commas: --models a,b");
    const twice = models.find((m, i) => models.indexOf(m) !== i);
    if (twice !== undefined) throw new UsageError(`--models names ${twice} twice`, "name each model once; --runs K builds each K times");
    if (p.values.runs !== undefined) {
      runs = Number(p.values.runs);
      if (!/^\d+$/.test(p.values.runs) || runs < 1 || runs > MAX_RUNS) throw new UsageError(`--runs '${p.values.runs}' is not a whole number from 1 to ${MAX_RUNS}`, "e.g. --runs 3 builds every task three times per model, with seeds counting up");
    }
    if (p.values.id !== undefined) {
      const problem = compareIdProblem(p.values.id);
      if (problem !== undefined) throw new UsageError(`--id '${p.values.id}' is not usable`, problem);
    }
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const project = await openBuild(v);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded, build: context } = project;

  const only: string[] = [];
  for (const id of (v.only ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "")) {
    const task = planTaskOrUsageError(context.plan, id);
    if (task instanceof UsageError) return reportUsageError(task);
    if (!only.includes(task.id)) only.push(task.id);
  }

  const result = await runCompare({
    loaded,
    context,
    models,
    only,
    runs,
    ...(v.id !== undefined ? { id: v.id } : {}),
    env: ctx.env,
    onProgress: progressReporter(ctx),
  });
  if (!result.ok) {
    process.stderr.write(`specwright: ${result.message}\n  hint: ${result.hint}\n`);
    return result.kind === "model" ? faultExitCode(result.fault) : result.kind === "usage" ? EXIT.usage : EXIT.failure;
  }
  const resultFile = relative(loaded.root, join(result.dir, RESULT_FILE));
  if (ctx.json) process.stdout.write(JSON.stringify({ resultFile, ...result.doc, table: compareRows(result.doc) }, null, 2) + "\n");
  else process.stdout.write(renderCompare(ctx, result.doc) + "\n");
  if (result.interrupted) {
    process.stderr.write(`specwright: interrupted — run the same command again to continue comparison ${result.doc.id} (finished runs are kept)\n`);
    return EXIT.interrupted;
  }
  if (result.modelUnavailable !== undefined) {
    process.stderr.write(`specwright: the model server went away: ${result.modelUnavailable}\n  hint: start it again and rerun the same command; finished runs are kept\n`);
    return EXIT.modelUnavailable;
  }
  if (result.couldNotStart.length > 0) {
    for (const line of result.couldNotStart) process.stderr.write(`specwright: could not run ${line}\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

/** The comparison as a table of at most 80 columns (src/compare/compare-table.ts). */
export function renderCompare(ctx: Pick<CommandContext, "out">, doc: CompareDocument): string {
  return compareTableLines(doc)
    .map((l) => (l.bold ? ctx.out.bold(l.text) : l.text))
    .join("\n");
}

/**
 * Progress lines on stderr (src/compare/compare-progress.ts), wrapped at the
 * terminal's width when stderr is one (as `intent` does for stdout), else at
 * 80 columns, so a log or CI page reads the same as the table.
 */
function progressReporter(ctx: CommandContext): (event: CompareProgress) => void {
  const width = process.stderr.isTTY ? process.stderr.columns || 80 : 80;
  return (event) => {
    for (const line of progressLines(event, width)) {
      const text = line.tone === "bold" ? ctx.err.bold(line.text) : line.tone === "dim" ? ctx.err.dim(line.text) : line.tone === "warning" ? ctx.err.yellow(line.text) : line.text;
      process.stderr.write(text + "\n");
    }
  };
}
