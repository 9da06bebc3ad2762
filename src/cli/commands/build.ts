// `specwright build`: build the plan's tasks against the build model, verify
// them, fix within bounds, commit each finished task. Resumes after a crash or
// Ctrl-C; an unchanged project rebuilds nothing.

import { createInterface } from "node:readline/promises";
import { buildTaskGraph, selectTasks, type TaskSelection } from "../../../plans/graph.js";
import type { BuildAnswer, BuildQuestion } from "../../build/build-events.js";
import { runProjectBuild } from "../../build/run-project-build.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { jsonReporter, plainReporter } from "../build-reporter.js";
import { EXIT, faultExitCode } from "../exit-codes.js";
import { openBuild } from "../build-context.js";
import { SourceLines, formatDiagnostics } from "../report-diagnostics.js";

const OPTIONS = {
  only: { type: "string" },
  from: { type: "string" },
  force: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  model: { type: "string" },
} as const;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("build", args, OPTIONS, 0, (p) => {
    if (p.values.only !== undefined && p.values.from !== undefined) {
      throw new UsageError("--only and --from exclude each other", "--only T builds T and its dependents; --from T builds T and everything after it");
    }
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const project = await openBuild(v);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded, build: b } = project;
  const selection: TaskSelection = v.only !== undefined ? { kind: "only", id: v.only } : v.from !== undefined ? { kind: "from", id: v.from } : { kind: "all" };
  const selected = selectTasks(buildTaskGraph(b.plan.tasks), selection);
  if (!selected.ok) return reportUsageError(new UsageError(selected.message, "hint" in selected && selected.hint ? selected.hint : "`specwright status` lists the tasks"));

  const report = ctx.json ? jsonReporter() : plainReporter(ctx.err);
  const result = await runProjectBuild({
    loaded,
    context: b,
    selection,
    force: v.force === true,
    env: ctx.env,
    onEvent: report,
    decide: (question) => decide(question, v.yes === true),
  });
  if (!result.ok) {
    if (result.diagnostics) process.stderr.write(formatDiagnostics(result.diagnostics, new SourceLines(loaded.root, result.sources ?? []), ctx.err) + "\n");
    process.stderr.write(`specwright: ${result.message}\n${result.hint ? `  hint: ${result.hint}\n` : ""}`);
    return result.modelFault !== undefined ? faultExitCode(result.modelFault) : EXIT.failure;
  }
  const { summary } = result;
  if (result.interrupted) return EXIT.interrupted;
  if (summary.modelUnavailable) return EXIT.modelUnavailable;
  return summary.failed.length + summary.blocked.length + summary.interrupted.length > 0 ? EXIT.failure : EXIT.ok;
}

/** Without a terminal nothing waits for input: a hand-edited file is kept (the task fails) unless --force. */
async function decide(question: BuildQuestion, yes: boolean): Promise<BuildAnswer> {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true && !yes;
  switch (question.kind) {
    case "overwrite-hand-edit": {
      if (!interactive) return { kind: "overwrite-hand-edit", overwrite: false };
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const files = question.files.map((f) => `  ${f.path}: ${f.message}`).join("\n");
        const answer = await rl.question(`${question.task} would overwrite files changed by hand:\n${files}\nOverwrite them? [y/N] `);
        return { kind: "overwrite-hand-edit", overwrite: /^y(es)?$/i.test(answer.trim()) };
      } finally {
        rl.close();
      }
    }
    case "retry-failed":
      return { kind: "retry-failed", retry: false };
  }
}
