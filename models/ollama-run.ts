// The Ollama adapter behind ModelRun (model-run.ts): one model, one num_ctx,
// one keep_alive for every call of an audit, plan or build. Opening it reads
// the server's version, checks the model is installed and able, picks num_ctx; `preload` loads it and reads the
// context it really got; `call` and `callStructured` send prompts with the
// context checks before, the server's own refusal (truncate:false) during,
// and — on servers too old to refuse — the truncation check after, streaming
// deltas to events and to the caller's recorder. A counted overflow
// calibrates the run's estimate and may grow num_ctx once. Failures come back
// as ModelError values.

import type { ChatMessage, CallMetrics, CallRecord, CallRecorder, CallStart } from "./call-record.js";
import { callAnswered, callFailed, lengthStopError, openCall, streamHooks } from "./call-ledger.js";
import { streamChat, type ChatStreamOutcome, type ChatStreamRequest } from "./chat-stream.js";
import {
  PrefixTracker,
  TokenCalibration,
  checkTruncation,
  chooseNumCtx,
  estimateMessagesTokens,
  fitsContext,
  flattenMessages,
  reservedPromptTokens,
  roundNumCtx,
  type NumCtxChoice,
} from "./context-budget.js";
import { contextRefusal } from "./error-mapping.js";
import { capabilityMissing, fail, ok, type ModelError, type ModelResult } from "./errors.js";
import type { ModelEvent } from "./events.js";
import { parseOllamaHost, type OllamaHost } from "./host.js";
import { canonicalModelName, loadedModels, modelFacts, serverVersion, type ModelFacts } from "./model-facts.js";
import { serverFeatures, type ServerFeatures } from "./server-features.js";
import { marginFor, tokenizerFamily, type TokenizerFamily } from "./tokenizer-family.js";
import type { CallReply, CallRequest, ContextReload, ModelRun, ModelRunSettings, StructuredReply, StructuredRequest } from "./model-run.js";
import { askStructured } from "./structured-call.js";

/**
 * The final-chunk field carrying cached prompt tokens: api/types.go Metrics
 * `PromptEvalCachedCount` (PR #17943, Ollama v0.33.0; the Ollama Cloud sends
 * it too, issue #16714). Older servers send no such count.
 */
export const CACHED_TOKENS_FIELD = "prompt_eval_cached_count";

/** Headroom on a server-counted prompt when sizing a reload: the count is exact, the template around a resend is not. */
const COUNTED_HEADROOM = 1.02;

/**
 * Opens a run: reads the server's version (once per run) and the model's facts
 * (installed? capabilities? max context? tokenizer?) and chooses num_ctx.
 * Fails with unreachable, model-missing, capability-missing, or
 * context-unknown when neither the server nor the config says how much
 * context the model has.
 */
export async function openOllamaRun(settings: ModelRunSettings): Promise<ModelResult<OllamaModelRun>> {
  const endpoint = parseOllamaHost(settings.host);
  const version = await serverVersion(endpoint, settings.signal);
  // Only a server we cannot talk to ends it here; a proxy without /api/version is an unknown version.
  if (!version.ok && (version.error.kind === "unreachable" || version.error.kind === "timed-out" || version.error.kind === "not-ollama" || version.error.kind === "aborted")) return version;
  const features = serverFeatures(version.ok ? version.value : undefined);
  const facts = await modelFacts(endpoint, settings.model, settings.signal);
  if (!facts.ok) return facts;
  const needed = ["completion", ...(settings.think ? ["thinking"] : [])];
  const missing = needed.find((c) => !facts.value.capabilities.includes(c));
  if (missing) return fail(capabilityMissing(settings.model, missing));
  // Without a reported maximum (a cloud model, an empty model_info), only the config can say; never guess.
  const modelMax = facts.value.maxContext ?? (settings.numCtx === "auto" ? undefined : settings.numCtx);
  if (modelMax === undefined) return fail(contextUnknown(settings.model, facts.value.remote));
  const family = tokenizerFamily(facts.value.tokenizer, facts.value.architecture);
  const margin = marginFor(family);
  const choice = chooseNumCtx({
    configured: settings.numCtx,
    largestPromptTokens: settings.largestPromptTokens,
    outputBudget: settings.outputBudget,
    modelMaxContext: modelMax,
    margin,
  });
  return ok(new OllamaModelRun(endpoint, settings, facts.value, features, choice, modelMax, family, margin));
}

export function contextUnknown(model: string, remote: boolean): ModelError {
  return {
    kind: "context-unknown",
    model,
    message: `Ollama does not say how much context ${model} holds (${remote ? "a cloud model: " : ""}/api/show has no context_length), and model.num_ctx is "auto"`,
    hint: `set model.num_ctx in specwright.toml to the context ${model} supports (e.g. num_ctx = 32768); specwright does not guess it`,
  };
}

export class OllamaModelRun implements ModelRun {
  readonly kind = "ollama" as const;
  private callCount = 0;
  private readonly prefixes = new PrefixTracker();
  private readonly calibration = new TokenCalibration();
  private currentNumCtx: number;
  /** What /api/ps said after the last load, when it said anything. */
  private loadedContextValue: number | undefined;
  private readonly reloadList: ContextReload[] = [];

  constructor(
    readonly endpoint: OllamaHost,
    private readonly settings: ModelRunSettings,
    readonly facts: ModelFacts,
    readonly features: ServerFeatures,
    readonly numCtxChoice: NumCtxChoice,
    readonly modelMaxContext: number,
    readonly tokenizerFamily: TokenizerFamily | undefined,
    readonly estimateMargin: number,
  ) {
    this.currentNumCtx = numCtxChoice.numCtx;
  }

  /** The printable base URL (no credentials). */
  get host(): string {
    return this.endpoint.url;
  }

  get model(): string {
    return this.settings.model;
  }

  /** How many tokens the model counts per estimated token, learned from this run's replies and refusals (≥ 1). */
  get tokenRatio(): number {
    return this.calibration.ratio;
  }

  /** The context the run plans with: the chosen num_ctx, lowered to what /api/ps reported, raised by a reload. */
  get numCtx(): number {
    return this.currentNumCtx;
  }

  /** /api/ps's context_length after the last load, if the server reported one. */
  get loadedContext(): number | undefined {
    return this.loadedContextValue;
  }

  get reloads(): readonly ContextReload[] {
    return this.reloadList;
  }

  /**
   * Loads the model with this run's num_ctx and keep_alive (an empty chat), so
   * the first call does not pay for it, then reads /api/ps for the context the
   * model really got. The preload sends the same `truncate`/`shift` as every
   * call: on the llama-server engine `shift` is a launch setting and another
   * value would reload the model at the first call.
   */
  async preload(signal?: AbortSignal): Promise<ModelResult<{ loadMs: number | undefined; wallMs: number }>> {
    const { model, keepAlive } = this.settings;
    this.emit({ type: "model-loading", model, numCtx: this.numCtx, keepAlive });
    const outcome = await streamChat(
      this.endpoint,
      { model, messages: [], options: { num_ctx: this.numCtx }, keepAlive, think: undefined, ...OVERFLOW_FLAGS },
      streamHooks(this.settings, signal),
    );
    if (!outcome.ok) return fail(outcome.error);
    const loadMs = nsToMs(outcome.final.load_duration);
    this.emit({ type: "model-loaded", model, numCtx: this.numCtx, loadMs, wallMs: outcome.wallMs });
    await this.checkLoadedContext(signal);
    return ok({ loadMs, wallMs: outcome.wallMs });
  }

  /**
   * Whether `call` would send these messages rather than refuse them as too
   * long: the same estimate, calibration and margin. Lets a caller pick a
   * shorter form of a conversation before it asks.
   */
  fits(messages: readonly ChatMessage[], outputBudget = this.settings.outputBudget): boolean {
    return fitsContext(this.calibration.calibrated(estimateMessagesTokens(messages)), outputBudget, this.numCtx, this.estimateMargin);
  }

  /**
   * Trusts the loaded context, not the requested one: when /api/ps reports
   * less (the model's training context, or a server that lowered it), the run
   * plans with that and refuses what no longer fits before sending it. Servers
   * before v0.15.5 report the requested value there, which says nothing.
   */
  private async checkLoadedContext(signal: AbortSignal | undefined): Promise<void> {
    const listed = await loadedModels(this.endpoint, signal);
    if (!listed.ok) return;
    const wanted = canonicalModelName(this.model);
    const entry = listed.value.find((m) => canonicalModelName(m.name) === wanted);
    this.loadedContextValue = entry?.contextLength;
    const loaded = entry?.contextLength;
    if (loaded === undefined || loaded >= this.currentNumCtx || !this.features.psReportsLoadedContext) return;
    const requested = this.currentNumCtx;
    this.currentNumCtx = loaded;
    this.emit({
      type: "context-capped",
      model: this.model,
      requested,
      loaded,
      message: `Ollama loaded ${this.model} with ${loaded} tokens of context, not the ${requested} asked for; prompts are planned and checked against ${loaded}`,
      hint: `a model is capped at the context it was trained with, and a server may lower it for memory; OLLAMA_CONTEXT_LENGTH only sets the default for requests that name none. Set model.num_ctx to at most ${loaded} to make this the plan, or use a model with a longer context`,
    });
  }

  /** Sends one prompt. Refuses it unsent when it does not fit; reports output and prompt truncation as errors. */
  async call(request: CallRequest): Promise<ModelResult<CallReply>> {
    this.callCount += 1;
    const opened = openCall(this, { settings: this.settings, calibration: this.calibration, digest: this.facts.digest }, request, this.callCount);
    const { rawEstimate, wantsThinking, outputBudget } = opened;
    const start = () => opened.start();
    const first = start();
    await request.recorder?.started(first);

    let attempt = first;
    for (;;) {
      const estimated = attempt.estimatedPromptTokens;
      const baseMetrics: CallMetrics = { estimatedPromptTokens: estimated, wallMs: 0 };
      if (!fitsContext(estimated, outputBudget, this.numCtx, this.estimateMargin)) {
        return this.failed(attempt, request.recorder, baseMetrics, this.overflow(request.caller, estimated, outputBudget, "specwright"));
      }
      const sent = await this.send(attempt, request, rawEstimate, wantsThinking);
      if (sent.kind === "done") return sent.result;
      // The server refused the prompt as longer than the window and we may grow it once: reload, resend.
      const reload = sent.reload;
      this.emit({ type: "model-reloading", model: this.model, caller: request.caller, fromNumCtx: reload.fromNumCtx, toNumCtx: reload.toNumCtx, reason: sent.reason });
      this.currentNumCtx = reload.toNumCtx;
      this.reloadList.push(reload);
      const loaded = await this.preload(request.signal);
      if (!loaded.ok) return this.failed(attempt, request.recorder, baseMetrics, loaded.error);
      attempt = start();
    }
  }

  /** One request on the wire, and what its answer means. */
  private async send(
    start: CallStart,
    request: CallRequest,
    rawEstimate: number,
    wantsThinking: boolean,
  ): Promise<{ kind: "done"; result: ModelResult<CallReply> } | { kind: "reload"; reload: ContextReload; reason: string }> {
    const { callId, caller, options, estimatedPromptTokens: estimated } = start;
    const done = (result: ModelResult<CallReply>) => ({ kind: "done" as const, result });
    this.emit({ type: "call-started", callId, caller, model: this.model, estimatedPromptTokens: estimated, numCtx: this.numCtx });
    const cachedEstimate = this.prefixes.sharedPrefixTokens(this.model, flattenMessages(start.messages));
    const outcome = await streamChat(
      this.endpoint,
      {
        model: this.model,
        messages: start.messages,
        options: {
          num_ctx: options.numCtx,
          num_predict: options.numPredict,
          temperature: options.temperature,
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
        },
        keepAlive: options.keepAlive,
        think: this.thinkField(wantsThinking),
        ...(request.format ? { format: request.format } : {}),
        ...OVERFLOW_FLAGS,
        ...(request.sessionId !== undefined ? { sessionId: request.sessionId } : {}),
      },
      streamHooks(this.settings, request.signal, { start, recorder: request.recorder, emit: (e) => this.emit(e) }),
    );
    const metrics = this.metricsOf(outcome, estimated);
    if (!outcome.ok) {
      const refusal = outcome.error.kind === "bad-request" && outcome.error.status === 400 ? contextRefusal(outcome.error.serverMessage) : undefined;
      if (!refusal) return done(await this.failed(start, request.recorder, metrics, outcome.error));
      return this.refused(start, request, rawEstimate, metrics, refusal.counted);
    }

    const doneReason = outcome.final.done_reason || undefined;
    const reply: CallReply = { callId, content: outcome.content, thinking: outcome.thinking, doneReason, metrics };
    if (doneReason === "length") {
      const error = lengthStopError(this.model, caller, outcome, metrics, options.numPredict, {
        window: `the context window (num_ctx ${this.numCtx})`,
        hint: "the prompt left less room than the output budget: the model's tokenizer counts more than estimated; raise model.num_ctx or trim the task's context",
      });
      return done(await this.failed(start, request.recorder, metrics, error, doneReason));
    }
    // A server that honours truncate:false refuses an over-long prompt instead of cutting it,
    // so an answered call read the whole prompt: the after-the-fact check would only raise false
    // alarms (an estimate above the real count is not a cut). Older servers still get it.
    const truncation = this.features.refusesOverflow
      ? undefined
      : checkTruncation({
          // The raw estimate, not the calibrated one: the calibration only ever rises (it is
          // there to keep prompts out of the window's edge), and an inflated estimate would make
          // an intact prompt look cut.
          estimatedTokens: rawEstimate,
          promptEvalCount: metrics.promptEvalCount,
          cachedBound: this.features.promptEvalCount === "all" ? 0 : metrics.cachedPromptTokens ?? cachedEstimate,
          numCtx: this.numCtx,
        });
    if (truncation) {
      this.emit({ type: "truncation-suspected", callId, caller, check: truncation, numCtx: this.numCtx });
      return done(await this.failed(
        start,
        request.recorder,
        metrics,
        {
          kind: "prompt-truncated",
          caller,
          estimatedTokens: truncation.estimatedTokens,
          promptEvalCount: truncation.promptEvalCount,
          numCtx: this.numCtx,
          reply: outcome.content,
          message: `the prompt for ${caller} was probably truncated by Ollama: it read ${truncation.promptEvalCount} tokens of an estimated ${truncation.estimatedTokens} (num_ctx ${this.numCtx})`,
          hint: `Ollama ${this.features.version ?? "(unknown version)"} cannot refuse an over-long prompt (that needs 0.12.6 or later); upgrade it, raise model.num_ctx, or trim the task's context`,
        },
        doneReason,
        truncation,
      ));
    }
    if (metrics.promptTokens !== undefined && this.calibration.observe(rawEstimate, metrics.promptTokens)) {
      this.emit({ type: "calibrated", model: this.model, caller, source: "reply", estimatedTokens: rawEstimate, countedTokens: metrics.promptTokens, ratio: this.calibration.ratio });
    }
    return done(await callAnswered((e) => this.emit(e), start, request.recorder, reply));
  }

  /**
   * The server refused the prompt as longer than the window. Its count, when it
   * gives one, is exact: the run's estimates are calibrated with it. Then, if
   * the model's maximum leaves room and the run has not reloaded yet, it is
   * re-opened once with a num_ctx that holds the prompt and its output budget;
   * otherwise the call fails with the sizes.
   */
  private async refused(
    start: CallStart,
    request: CallRequest,
    rawEstimate: number,
    metrics: CallMetrics,
    counted: { promptTokens: number; numCtx: number } | undefined,
  ): Promise<{ kind: "done"; result: ModelResult<CallReply> } | { kind: "reload"; reload: ContextReload; reason: string }> {
    const { caller, options } = start;
    // Without a count, the refusal still proves the prompt held at least the window's tokens.
    const countedTokens = counted?.promptTokens ?? this.numCtx;
    if (this.calibration.observe(rawEstimate, countedTokens)) {
      this.emit({ type: "calibrated", model: this.model, caller, source: counted ? "counted-overflow" : "refusal-bound", estimatedTokens: rawEstimate, countedTokens, ratio: this.calibration.ratio });
    }
    const promptTokens = counted?.promptTokens ?? this.calibration.calibrated(rawEstimate);
    const needed = Math.ceil(promptTokens * (counted ? COUNTED_HEADROOM : this.estimateMargin)) + options.numPredict;
    const target = Math.min(roundNumCtx(needed), this.modelMaxContext);
    if (this.reloadList.length === 0 && target > this.numCtx && needed <= this.modelMaxContext) {
      const reason = counted
        ? `Ollama counted ${counted.promptTokens} prompt tokens, more than the ${counted.numCtx} the model was loaded with`
        : `Ollama refused the prompt as longer than the loaded context (${this.numCtx})`;
      return { kind: "reload", reason, reload: { caller, fromNumCtx: this.numCtx, toNumCtx: target, ...(counted ? { countedPromptTokens: counted.promptTokens } : {}) } };
    }
    const error = this.overflow(caller, promptTokens, options.numPredict, "server", counted);
    return { kind: "done", result: await this.failed(start, request.recorder, metrics, error) };
  }

  /**
   * `think` in the form the model accepts: omitted for a model without the
   * thinking capability (true would be a 400, and false is meaningless);
   * gpt-oss takes only levels and cannot stop thinking, so "low" stands for off
   * (docs/capabilities/thinking.mdx); other thinking models take a boolean and
   * must be told false, or they think (server/routes.go ChatHandler defaults
   * `think` to true for them).
   */
  private thinkField(wantsThinking: boolean): ChatStreamRequest["think"] {
    if (!this.facts.capabilities.includes("thinking")) return undefined;
    const family = `${this.facts.family ?? ""} ${this.facts.architecture ?? ""}`.toLowerCase();
    if (family.includes("gptoss") || family.includes("gpt-oss")) return wantsThinking ? "medium" : "low";
    return wantsThinking;
  }

  /** A structured call: `format` carries the schema (see structured-call.ts). */
  callStructured<T = unknown>(request: StructuredRequest<T>): Promise<ModelResult<StructuredReply<T>>> {
    return askStructured((r) => this.call(r), request, (e) => this.emit(e));
  }

  private overflow(
    caller: string,
    promptTokens: number,
    outputBudget: number,
    refusedBy: "specwright" | "server",
    counted?: { promptTokens: number; numCtx: number },
  ): ModelError {
    const reserved = reservedPromptTokens(promptTokens, this.estimateMargin);
    const atMax = this.numCtx >= this.modelMaxContext;
    const sizes =
      refusedBy === "specwright"
        ? `~${promptTokens} tokens (${reserved} with margin) + ${outputBudget} output > num_ctx ${this.numCtx}; it was not sent`
        : counted
          ? `Ollama counted ${counted.promptTokens} tokens against a loaded context of ${counted.numCtx}, and ${outputBudget} more are needed for the output; it refused the prompt`
          : `Ollama refused it as longer than the loaded context (num_ctx ${this.numCtx}; specwright's estimate was ~${promptTokens} tokens)`;
    return {
      kind: "context-overflow",
      caller,
      promptTokens,
      outputBudget,
      numCtx: this.numCtx,
      modelMax: this.modelMaxContext,
      refusedBy,
      ...(counted ? { serverCount: counted } : {}),
      message: `the prompt for ${caller} does not fit: ${sizes}`,
      hint: atMax || this.reloadList.length > 0
        ? `${this.model} holds at most ${this.modelMaxContext} tokens${this.reloadList.length > 0 ? " (the run already grew num_ctx once)" : ""}; split the task or trim its context files`
        : this.settings.numCtx === "auto"
          ? `num_ctx is "auto", sized for the largest conversation the run planned; this one is larger — split the task or trim its context files, or set model.num_ctx (the model allows up to ${this.modelMaxContext})`
          : `raise model.num_ctx (the model allows up to ${this.modelMaxContext}) or set it to "auto" so the run sizes it for its largest conversation`,
    };
  }

  private failed(
    start: CallStart,
    recorder: CallRecorder | undefined,
    metrics: CallMetrics,
    error: ModelError,
    doneReason?: string,
    truncation?: CallRecord["truncationSuspected"],
  ): Promise<ModelResult<never>> {
    return callFailed((e) => this.emit(e), start, recorder, metrics, error, doneReason, truncation);
  }

  /**
   * The final chunk's metrics. `promptTokens` is the prompt's whole count
   * whatever the server's version means by prompt_eval_count: v0.30.0 counted
   * only the uncached tokens, so the cached ones are added back when reported.
   */
  private metricsOf(outcome: ChatStreamOutcome, estimated: number): CallMetrics {
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
    const meaning = this.features.promptEvalCount;
    if (metrics.promptEvalCount !== undefined) {
      if (meaning === "all") metrics.promptTokens = metrics.promptEvalCount;
      else if (meaning === "uncached" && metrics.cachedPromptTokens !== undefined) metrics.promptTokens = metrics.promptEvalCount + metrics.cachedPromptTokens;
    }
    if (metrics.evalCount !== undefined && metrics.evalMs !== undefined && metrics.evalMs > 0) {
      metrics.tokensPerSecond = metrics.evalCount / (metrics.evalMs / 1000);
    }
    return metrics;
  }

  private emit(event: ModelEvent): void {
    this.settings.onEvent?.(event);
  }
}

/**
 * Sent with every chat and the preload: let the server refuse an over-long
 * prompt (HTTP 400) instead of cutting its front, and end a reply at the window
 * (done_reason "length") instead of shifting the prompt out (api/types.go
 * ChatRequest.Truncate/Shift, v0.12.6). Older servers ignore both fields.
 */
const OVERFLOW_FLAGS = { truncate: false, shift: false } as const;

function nsToMs(ns: unknown): number | undefined {
  return typeof ns === "number" && Number.isFinite(ns) && ns > 0 ? ns / 1e6 : undefined;
}
