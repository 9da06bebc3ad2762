// A model run: one model, one num_ctx, one keep_alive for every call of an
// audit, plan or build. Opening it checks the model is installed and able,
// picks num_ctx; `preload` loads it; `call` and `callStructured` send prompts
// with the context checks before and after, streaming deltas to events and to
// the caller's recorder. Failures come back as ModelError values.

import type { ChatMessage, CallMetrics, CallRecord, CallRecorder, CallStart, GenerationOptions } from "./call-record.js";
import { streamChat, type ChatStreamOutcome } from "./chat-stream.js";
import {
  PrefixTracker,
  TokenCalibration,
  checkTruncation,
  chooseNumCtx,
  estimateMessagesTokens,
  fitsContext,
  flattenMessages,
  reservedPromptTokens,
  type NumCtxChoice,
} from "./context-budget.js";
import { capabilityMissing, fail, ok, type ModelError, type ModelResult } from "./errors.js";
import type { ModelEvent, ModelEventListener } from "./events.js";
import { parseOllamaHost } from "./host.js";
import { parseJsonReply, validateJson, type JsonSchema } from "./json-schema.js";
import { modelFacts, type ModelFacts } from "./model-facts.js";

export interface ModelRunSettings {
  /** As written in config or OLLAMA_HOST; parsed like the ollama CLI does. */
  host: string;
  model: string;
  /** Ask the model to think; off unless the role's config turns it on. */
  think: boolean;
  temperature: number;
  seed?: number;
  keepAlive: string | number;
  /** The config's num_ctx: "auto" sizes it from `largestPromptTokens` and `outputBudget`. */
  numCtx: "auto" | number;
  /** Estimated tokens of the largest prompt this run plans to send. */
  largestPromptTokens: number;
  /** Output budget per call (num_predict), unless a call sets its own. */
  outputBudget: number;
  /** No chunk for this long ends a call (the config's request timeout). */
  stallTimeoutMs: number;
  /** Allowance for loading the model and reading the prompt; defaults to `stallTimeoutMs`. */
  firstChunkTimeoutMs?: number;
  onEvent?: ModelEventListener;
  signal?: AbortSignal;
}

export interface CallRequest {
  /** Who asks, for errors and traces: a task id, "audit", "planner"… */
  caller: string;
  messages: readonly ChatMessage[];
  outputBudget?: number;
  /** Overrides the run's `think` (the role's setting, off unless the config turns it on) for this call. */
  think?: boolean;
  format?: JsonSchema;
  signal?: AbortSignal;
  recorder?: CallRecorder;
}

export interface CallReply {
  callId: string;
  content: string;
  thinking: string;
  doneReason: string | undefined;
  metrics: CallMetrics;
}

export interface StructuredRequest<T> extends Omit<CallRequest, "format" | "recorder"> {
  schema: JsonSchema;
  /** Checks beyond the schema (ids that must exist, …); returns the value or the problems. */
  accept?: (value: unknown) => { ok: true; value: T } | { ok: false; problems: string[] };
  /** A fresh recorder for each ask (the re-ask is a call of its own). */
  recorder?: () => CallRecorder;
}

export interface StructuredReply<T> {
  value: T;
  reply: CallReply;
  /** 1, or 2 when the first answer was invalid and the re-ask succeeded. */
  asks: number;
}

/** Name of the non-standard final-chunk field carrying cached prompt tokens (the fake server sends it; Ollama 0.12 does not). */
export const CACHED_TOKENS_FIELD = "prompt_cache_count";

/**
 * Opens a run: reads the model's facts (installed? capabilities? max context?)
 * and chooses num_ctx. Fails with model-missing, capability-missing or unreachable.
 */
export async function openModelRun(settings: ModelRunSettings): Promise<ModelResult<ModelRun>> {
  const host = parseOllamaHost(settings.host).url;
  const facts = await modelFacts(host, settings.model, settings.signal);
  if (!facts.ok) return facts;
  const needed = ["completion", ...(settings.think ? ["thinking"] : [])];
  const missing = needed.find((c) => !facts.value.capabilities.includes(c));
  if (missing) return fail(capabilityMissing(settings.model, missing));
  // Without a reported maximum, trust a configured number, else Ollama's common default.
  const modelMax = facts.value.maxContext ?? (settings.numCtx === "auto" ? 4096 : settings.numCtx);
  const choice = chooseNumCtx({
    configured: settings.numCtx,
    largestPromptTokens: settings.largestPromptTokens,
    outputBudget: settings.outputBudget,
    modelMaxContext: modelMax,
  });
  return ok(new ModelRun(host, settings, facts.value, choice, modelMax));
}

export class ModelRun {
  private callCount = 0;
  private readonly prefixes = new PrefixTracker();
  private readonly calibration = new TokenCalibration();

  constructor(
    readonly host: string,
    private readonly settings: ModelRunSettings,
    readonly facts: ModelFacts,
    readonly numCtxChoice: NumCtxChoice,
    readonly modelMaxContext: number,
  ) {}

  get model(): string {
    return this.settings.model;
  }

  /** How many tokens the model counts per estimated token, learned from this run's replies (≥ 1). */
  get tokenRatio(): number {
    return this.calibration.ratio;
  }

  get numCtx(): number {
    return this.numCtxChoice.numCtx;
  }

  /** Loads the model with this run's num_ctx and keep_alive (an empty chat), so the first call does not pay for it. */
  async preload(signal?: AbortSignal): Promise<ModelResult<{ loadMs: number | undefined; wallMs: number }>> {
    const { model, keepAlive } = this.settings;
    this.emit({ type: "model-loading", model, numCtx: this.numCtx, keepAlive });
    const outcome = await streamChat(
      this.host,
      { model, messages: [], options: { num_ctx: this.numCtx }, keepAlive, think: false },
      this.streamHooks(signal),
    );
    if (!outcome.ok) return fail(outcome.error);
    const loadMs = nsToMs(outcome.final.load_duration);
    this.emit({ type: "model-loaded", model, numCtx: this.numCtx, loadMs, wallMs: outcome.wallMs });
    return ok({ loadMs, wallMs: outcome.wallMs });
  }

  /** Sends one prompt. Refuses it unsent when it does not fit; reports output and prompt truncation as errors. */
  async call(request: CallRequest): Promise<ModelResult<CallReply>> {
    this.callCount += 1;
    const callId = `${request.caller}#${this.callCount}`;
    const messages = request.messages.map((m) => ({ role: m.role, content: m.content }));
    // Calibrated by what the server counted on earlier calls of this run (see TokenCalibration).
    const rawEstimate = estimateMessagesTokens(messages);
    const estimated = this.calibration.calibrated(rawEstimate);
    const options: GenerationOptions = {
      numCtx: this.numCtx,
      numPredict: request.outputBudget ?? this.settings.outputBudget,
      temperature: this.settings.temperature,
      keepAlive: this.settings.keepAlive,
      think: request.think ?? this.settings.think,
      ...(this.settings.seed !== undefined ? { seed: this.settings.seed } : {}),
    };
    const start: CallStart = {
      callId,
      caller: request.caller,
      model: this.model,
      digest: this.facts.digest,
      host: this.host,
      messages,
      options,
      ...(request.format ? { format: request.format } : {}),
      estimatedPromptTokens: estimated,
      startedAt: new Date().toISOString(),
    };
    await request.recorder?.started(start);

    const baseMetrics: CallMetrics = { estimatedPromptTokens: estimated, wallMs: 0 };
    if (!fitsContext(estimated, options.numPredict, this.numCtx)) {
      return this.failed(start, request.recorder, baseMetrics, this.overflow(request.caller, estimated, options.numPredict));
    }

    this.emit({ type: "call-started", callId, caller: request.caller, model: this.model, estimatedPromptTokens: estimated, numCtx: this.numCtx });
    const cachedEstimate = this.prefixes.sharedPrefixTokens(this.model, flattenMessages(messages));
    const outcome = await streamChat(
      this.host,
      {
        model: this.model,
        messages,
        options: {
          num_ctx: options.numCtx,
          num_predict: options.numPredict,
          temperature: options.temperature,
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
        },
        keepAlive: options.keepAlive,
        think: options.think,
        ...(request.format ? { format: request.format } : {}),
      },
      {
        ...this.streamHooks(request.signal),
        onDelta: (kind, text) => {
          request.recorder?.delta(kind, text);
          this.emit({ type: "delta", callId, caller: request.caller, kind, text });
        },
      },
    );
    const metrics = metricsOf(outcome, estimated);
    if (!outcome.ok) return this.failed(start, request.recorder, metrics, outcome.error);

    const doneReason = outcome.final.done_reason || undefined;
    const reply: CallReply = { callId, content: outcome.content, thinking: outcome.thinking, doneReason, metrics };
    if (doneReason === "length") {
      return this.failed(start, request.recorder, metrics, {
        kind: "output-truncated",
        caller: request.caller,
        evalCount: metrics.evalCount,
        reply: outcome.content,
        message: `the reply for ${request.caller} was cut off at the output budget (${options.numPredict} tokens)`,
        hint: "the task asks for more output than the budget allows; split it into smaller tasks",
      }, doneReason);
    }
    const truncation = checkTruncation({
      estimatedTokens: estimated,
      promptEvalCount: metrics.promptEvalCount,
      cachedBound: metrics.cachedPromptTokens ?? cachedEstimate,
      numCtx: this.numCtx,
    });
    if (truncation) {
      this.emit({ type: "truncation-suspected", callId, caller: request.caller, check: truncation, numCtx: this.numCtx });
      return this.failed(
        start,
        request.recorder,
        metrics,
        {
          kind: "prompt-truncated",
          caller: request.caller,
          estimatedTokens: estimated,
          promptEvalCount: truncation.promptEvalCount,
          numCtx: this.numCtx,
          reply: outcome.content,
          message: `the prompt for ${request.caller} was probably truncated by Ollama: it read ${truncation.promptEvalCount} tokens of an estimated ${estimated} (num_ctx ${this.numCtx})`,
          hint: "this model's tokenizer counts more tokens than estimated; raise model.num_ctx or trim the task's context",
        },
        doneReason,
        truncation,
      );
    }
    this.calibration.observe(rawEstimate, metrics.promptEvalCount);
    this.emit({ type: "call-finished", callId, caller: request.caller, doneReason, metrics });
    await request.recorder?.finished({ ...start, outcome: "ok", finishedAt: new Date().toISOString(), metrics, ...(doneReason ? { doneReason } : {}) });
    return ok(reply);
  }

  /**
   * A structured call: `format` carries the schema, the reply is parsed and
   * validated; one re-ask quotes the problems, then malformed-output.
   */
  async callStructured<T = unknown>(request: StructuredRequest<T>): Promise<ModelResult<StructuredReply<T>>> {
    let messages: ChatMessage[] = [...request.messages];
    let problems: string[] = [];
    for (let ask = 1; ask <= 2; ask++) {
      const result = await this.call({
        caller: request.caller,
        messages,
        think: request.think ?? this.settings.think,
        format: request.schema,
        ...(request.outputBudget !== undefined ? { outputBudget: request.outputBudget } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.recorder ? { recorder: request.recorder() } : {}),
      });
      if (!result.ok) return result;
      const reply = result.value;
      const checked = checkStructured(reply.content, request.schema, request.accept);
      if (checked.ok) return ok({ value: checked.value, reply, asks: ask });
      problems = checked.problems;
      if (ask === 1) {
        this.emit({ type: "re-ask", callId: reply.callId, caller: request.caller, problems });
        // Appending keeps the first ask's whole prompt as a cached prefix.
        messages = [
          ...messages,
          { role: "assistant", content: reply.content },
          {
            role: "user",
            content: `Your answer was not valid:\n${problems.map((p) => `- ${p}`).join("\n")}\nAnswer again with only the corrected JSON value, following the schema exactly.`,
          },
        ];
      } else {
        return fail({
          kind: "malformed-output",
          caller: request.caller,
          problems,
          reply: reply.content,
          message: `the model's answer for ${request.caller} was invalid twice: ${problems[0] ?? "unknown problem"}`,
          hint: "small models drift from the format; try a larger model for this role, or run again",
        });
      }
    }
    throw new Error("unreachable: the structured-call loop returns on its second ask");
  }

  private overflow(caller: string, estimated: number, outputBudget: number): ModelError {
    const reserved = reservedPromptTokens(estimated);
    const atMax = this.numCtx >= this.modelMaxContext;
    return {
      kind: "context-overflow",
      caller,
      promptTokens: estimated,
      outputBudget,
      numCtx: this.numCtx,
      modelMax: this.modelMaxContext,
      message: `the prompt for ${caller} does not fit: ~${estimated} tokens (${reserved} with margin) + ${outputBudget} output > num_ctx ${this.numCtx}; it was not sent`,
      hint: atMax
        ? `${this.model} holds at most ${this.modelMaxContext} tokens; split the task or trim its context files`
        : `raise model.num_ctx (the model allows up to ${this.modelMaxContext}) or leave it "auto" so the run sizes it for its largest prompt`,
    };
  }

  private async failed(
    start: CallStart,
    recorder: CallRecorder | undefined,
    metrics: CallMetrics,
    error: ModelError,
    doneReason?: string,
    truncation?: CallRecord["truncationSuspected"],
  ): Promise<ModelResult<never>> {
    this.emit({ type: "call-failed", callId: start.callId, caller: start.caller, error });
    await recorder?.finished({
      ...start,
      outcome: "failed",
      finishedAt: new Date().toISOString(),
      metrics,
      error,
      ...(doneReason ? { doneReason } : {}),
      ...(truncation ? { truncationSuspected: truncation } : {}),
    });
    return fail(error);
  }

  private streamHooks(signal: AbortSignal | undefined) {
    return {
      ...(signal ? { signal } : {}),
      firstChunkTimeoutMs: this.settings.firstChunkTimeoutMs ?? this.settings.stallTimeoutMs,
      stallTimeoutMs: this.settings.stallTimeoutMs,
    };
  }

  private emit(event: ModelEvent): void {
    this.settings.onEvent?.(event);
  }
}

function checkStructured<T>(
  content: string,
  schema: JsonSchema,
  accept: StructuredRequest<T>["accept"],
): { ok: true; value: T } | { ok: false; problems: string[] } {
  const parsed = parseJsonReply(content);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems = validateJson(parsed.value, schema);
  if (problems.length > 0) return { ok: false, problems };
  if (accept) return accept(parsed.value);
  return { ok: true, value: parsed.value as T };
}

function nsToMs(ns: unknown): number | undefined {
  return typeof ns === "number" && Number.isFinite(ns) && ns > 0 ? ns / 1e6 : undefined;
}

function metricsOf(outcome: ChatStreamOutcome, estimated: number): CallMetrics {
  const metrics: CallMetrics = { estimatedPromptTokens: estimated, wallMs: outcome.wallMs };
  if (outcome.timeToFirstTokenMs !== undefined) metrics.timeToFirstTokenMs = outcome.timeToFirstTokenMs;
  if (!outcome.ok) return metrics;
  const final = outcome.final as unknown as Record<string, unknown>;
  const count = (key: string) => (typeof final[key] === "number" ? (final[key] as number) : undefined);
  const set = <K extends keyof CallMetrics>(key: K, value: CallMetrics[K] | undefined) => {
    if (value !== undefined) metrics[key] = value;
  };
  set("promptEvalCount", count("prompt_eval_count"));
  set("promptEvalMs", nsToMs(final["prompt_eval_duration"]));
  set("cachedPromptTokens", count(CACHED_TOKENS_FIELD));
  set("evalCount", count("eval_count"));
  set("evalMs", nsToMs(final["eval_duration"]));
  set("loadMs", nsToMs(final["load_duration"]));
  set("totalMs", nsToMs(final["total_duration"]));
  if (metrics.evalCount !== undefined && metrics.evalMs !== undefined && metrics.evalMs > 0) {
    metrics.tokensPerSecond = metrics.evalCount / (metrics.evalMs / 1000);
  }
  return metrics;
}
