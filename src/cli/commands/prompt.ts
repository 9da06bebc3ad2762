// `specwright prompt <task> [--json]`: the exact first prompt a build would
// send for a task, and its size against the context window — without a model
// (no Ollama, no call, nothing written). The size is specwright's estimate
// with the margin a run reserves (the widest, since no model says its
// tokenizer family here), plus the output budget.

import { ESTIMATE_MARGIN, MIN_NUM_CTX, NUM_CTX_STEP, reservedPromptTokens } from "../../../models/context-budget.js";
import { conversationTokens } from "../../build/attempt-messages.js";
import { dependencyOutputs } from "../../build/build-state.js";
import { buildOutputBudget, taskMessages } from "../../build/prepare-task.js";
import { roleModel } from "../../config/types.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { openBuild, planTaskOrUsageError } from "../build-context.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("prompt", args, {}, 1, (p) => {
    if (p.positionals.length === 0) throw new UsageError("`specwright prompt` needs a task id", "e.g. `specwright prompt T003`; `specwright status` lists the tasks");
  });
  if (typeof parsed === "number") return parsed;
  const project = await openBuild(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded: { config }, build: b } = project;
  const id = parsed.positionals[0]!;
  const task = planTaskOrUsageError(b.plan, id);
  if (task instanceof UsageError) return reportUsageError(task);
  const prepared = await b.prepare(task, dependencyOutputs(b.state, task));
  if (prepared.problem) {
    process.stderr.write(`specwright: ${task.id} cannot be prompted: ${prepared.problem}\n`);
    return EXIT.failure;
  }

  const model = roleModel(config, "build");
  const outputBudget = buildOutputBudget(config);
  const promptTokens = prepared.estimatedTokens;
  const reserved = reservedPromptTokens(promptTokens);
  const firstCall = reserved + outputBudget;
  // What a run sizes num_ctx for: the largest conversation of the task's attempts (a fix resends the reply).
  const withFix = reservedPromptTokens(conversationTokens(promptTokens, outputBudget, taskMessages.fixRequestTokens)) + outputBudget;
  const configured = config.model.numCtx;
  const autoCtx = Math.max(MIN_NUM_CTX, Math.ceil(withFix / NUM_CTX_STEP) * NUM_CTX_STEP);
  const numCtx = configured === "auto" ? autoCtx : configured;
  const fits = firstCall <= numCtx;
  const fixFits = withFix <= numCtx;
  const window = {
    model: model.model,
    numCtx: configured === "auto" ? { configured: "auto", wouldAskFor: autoCtx } : { configured },
    estimatedPromptTokens: promptTokens,
    margin: ESTIMATE_MARGIN,
    reservedPromptTokens: reserved,
    outputBudget,
    firstCallNeeds: firstCall,
    fixCallNeeds: withFix,
    fits,
    fixFits,
  };

  if (ctx.json) {
    process.stdout.write(JSON.stringify({ task: task.id, title: task.title, messages: prepared.messages, expectedFiles: prepared.expected, window }, null, 2) + "\n");
    return fits ? EXIT.ok : EXIT.failure;
  }
  const body = prepared.messages.map((m, i) => `${ctx.out.dim(`──── [${i + 1}] ${m.role} ────`)}\n${m.content}`).join("\n\n");
  const ctxLine =
    configured === "auto"
      ? `num_ctx auto: a build would ask for ${autoCtx} (the prompt with margin, the output budget, and room for a fix)`
      : `num_ctx ${configured} (configured)`;
  const verdict = fits
    ? fixFits
      ? ctx.out.green(`fits: ${firstCall} of ${numCtx} tokens for the first call, ${withFix} with a fix`)
      : ctx.out.yellow(`the first call fits (${firstCall} of ${numCtx} tokens) but a fix would need ${withFix}: fixes are sent in a shorter form`)
    : ctx.out.red(`does not fit: ${firstCall} tokens needed, num_ctx is ${numCtx} — raise model.num_ctx, lower build.max_output_tokens, or give the task fewer refs`);
  const head = [
    ctx.out.bold(`${task.id} ${task.title}`),
    `model     ${model.model} (build role)${model.think ? ", thinking on" : ""} · no model was asked: this is the prompt a build would send`,
    `size      ~${promptTokens} tokens estimated (${reserved} with the ${ESTIMATE_MARGIN}× margin) + ${outputBudget} output budget = ${firstCall}`,
    `window    ${ctxLine}`,
    `verdict   ${verdict}`,
    `files     ${prepared.expected.join(", ")}`,
  ];
  process.stdout.write(`${head.join("\n")}\n\n${body}\n`);
  return fits ? EXIT.ok : EXIT.failure;
}
