// `specwright build`: build the plan's tasks against the build model, verify
// them, fix within bounds, commit each finished task. Resumes after a crash or
// Ctrl-C; an unchanged project rebuilds nothing.

import { createInterface } from "node:readline/promises";
import { buildTaskGraph, selectTasks, type TaskSelection } from "../../../plans/graph.js";
import type { BuildAnswer, BuildQuestion } from "../../build/build-events.js";
import { runBuild } from "../../build/engine.js";
import { gitCommitter } from "../../build/git-committer.js";
import { BUILD_OUTPUT_BUDGET, taskMessages } from "../../build/prepare-task.js";
import { ModelSession } from "../../model-session.js";
import { openRunScope } from "../../run-scope.js";
import { writeState } from "../../state/state-file.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { jsonReporter, plainReporter } from "../build-reporter.js";
import { commandContext, loadCommandConfig } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { loadBuildContext } from "./build-context.js";

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
  const ctx = commandContext(v);
  const outcome = await loadCommandConfig(ctx, { "model.default": v.model });
  if (!outcome.ok) return outcome.exitCode;
  const { loaded } = outcome;
  const { config, root } = loaded;

  const b = await loadBuildContext(ctx, loaded);
  if (!b) return EXIT.failure;
  // The build uses the plan as it was when it started, whatever happens to the file meanwhile.
  const { plan, state, outputDir, prepare } = b;
  const selection: TaskSelection = v.only !== undefined ? { kind: "only", id: v.only } : v.from !== undefined ? { kind: "from", id: v.from } : { kind: "all" };
  const selected = selectTasks(buildTaskGraph(plan.tasks), selection);
  if (!selected.ok) return reportUsageError(new UsageError(selected.message, "hint" in selected && selected.hint ? selected.hint : "`specwright status` lists the tasks"));

  const opened = await openRunScope({ root, command: "build", config, env: ctx.env, info: { selection, force: v.force === true } });
  if (!opened.ok) {
    process.stderr.write(`specwright: ${opened.message}\n  hint: ${opened.hint}\n`);
    return EXIT.failure;
  }
  const scope = opened.scope;
  const report = ctx.json ? jsonReporter() : plainReporter(ctx.err);
  if (opened.notice) report({ type: "notice", message: opened.notice });
  const session = new ModelSession(config, (event) => report({ type: "model", id: "caller" in event ? event.caller : "-", event }), scope.signal);
  const committer = config.build.git ? await gitCommitter(outputDir, root, (message) => report({ type: "notice", message })) : undefined;
  if (committer && !committer.ok) {
    await scope.close({ ok: false });
    process.stderr.write(`specwright: ${committer.message}\n`);
    return EXIT.failure;
  }

  const summary = await runBuild({
    root,
    outputDir,
    plan,
    state,
    selection,
    force: v.force === true,
    parallel: config.build.parallel,
    maxFixAttempts: config.build.maxFixAttempts,
    verifyTimeoutMs: config.build.verifyTimeoutMs,
    setup: config.build.setup,
    prepare,
    messages: taskMessages,
    openModel: async (largestPromptTokens) => {
      session.plan([{ role: "build", largestPromptTokens, outputBudget: BUILD_OUTPUT_BUDGET }]);
      const run = await session.run("build");
      return run.ok ? { ok: true, run: run.value } : run;
    },
    ...(committer?.ok ? { committer: committer.committer } : {}),
    trace: scope.trace,
    signal: scope.signal,
    onEvent: report,
    decide: (question) => decide(question, v.yes === true),
    saveState: (state) => writeState(root, state),
  });
  await scope.close({ summary });
  if (scope.interrupted()) return EXIT.interrupted;
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
