// The OpenAI-compatible adapter behind ModelRun (model-run.ts): llama-server,
// vLLM, LM Studio, or a proxy such as LiteLLM. These servers fix the context
// at launch and ignore num_ctx, so opening a run reads the served context
// (openai-server.ts) and plans every prompt against it; where the server can
// count a chat's tokens (/tokenize), each prompt is counted exactly before it
// is sent, and one that does not fit is refused unsent. Calls stream through
// openai-stream.ts and leave the same events, CallRecords and metrics as the
// Ollama adapter (usage, cached tokens, llama-server's timings), with the
// server's URL as the call's host; the API key rides in a header only.

import type { CallMetrics, CallRecorder, CallStart, ChatMessage } from "./call-record.js";
import { callAnswered, callFailed, lengthStopError, openCall, streamHooks } from "./call-ledger.js";
import { TokenCalibration, estimateMessagesTokens, fitsContext, reservedPromptTokens, type NumCtxChoice } from "./context-budget.js";
import { fail, ok, type ModelError, type ModelResult } from "./errors.js";
import type { ModelEvent } from "./events.js";
import { parseOllamaHost, sessionHeaders } from "./host.js";
import type { JsonSchema } from "./json-schema.js";
import type { ModelFacts } from "./model-facts.js";
import type { CallReply, CallRequest, ContextReload, ModelRun, ModelRunSettings, StructuredReply, StructuredRequest } from "./model-run.js";
import { servedModelMissing } from "./openai-errors.js";
import { checkHealth, countChatTokens, openAiServerFacts, type OpenAiEndpoint, type OpenAiServerFacts } from "./openai-server.js";
import { streamOpenAiChat, type OpenAiStreamOutcome } from "./openai-stream.js";
import type { ServerFeatures } from "./server-features.js";
import { askStructured } from "./structured-call.js";
import { marginFor, type TokenizerFamily } from "./tokenizer-family.js";

/** The server's root from the configured URL: credentials split off (as for Ollama hosts), a trailing /v1 dropped. */
export function openAiEndpoint(host: string, apiKey: string | undefined): OpenAiEndpoint {
  const parsed = parseOllamaHost(/^[a-z][a-z0-9+.-]*:\/\//i.test(host.trim()) ? host : `http://${host.trim()}`);
  const url = parsed.url.replace(/\/v1$/, "");
  const headers: Record<string, string> = {};
  if (parsed.authorization) headers["authorization"] = parsed.authorization;
  if (apiKey !== undefined && apiKey !== "") headers["authorization"] = `Bearer ${apiKey}`;
  return { url, headers };
}

/**
 * Opens a run on an OpenAI-compatible server: reads what it is, checks it
 * serves the model, and takes the context it was launched with as the
 * window. Fails with unreachable, model-missing, a refused key (server-error
 * 401), or context-unknown when neither the server nor the config says how
 * much context the model has.
 */
export async function openOpenAiRun(settings: ModelRunSettings): Promise<ModelResult<OpenAiModelRun>> {
  const endpoint = openAiEndpoint(settings.host, settings.apiKey);
  const facts = await openAiServerFacts(endpoint, settings.signal);
  if (!facts.ok) return facts;
  const server = facts.value;
  const served = server.models.find((m) => m.id === settings.model);
  // llama-server serves the one model it was started with whatever a request names
  // (the `model` field is only echoed back); a router lists several and must match.
  const onlyModel = server.flavour === "llama-server" && server.models.length <= 1;
  if (!served && !onlyModel) return fail(servedModelMissing(settings.model, endpoint.url, server.models.map((m) => m.id)));
  const window = server.servedContext ?? served?.contextLength;
  const configured = settings.numCtx === "auto" ? undefined : settings.numCtx;
  const modelMax = window ?? configured;
  if (modelMax === undefined) {
    return fail({
      kind: "context-unknown",
      model: settings.model,
      message: `the server at ${endpoint.url} does not say how much context ${settings.model} is served with (${server.flavour === "openai" ? "an OpenAI-compatible proxy reports no context" : "its model list has no context length"}), and model.num_ctx is "auto"`,
      hint: `set model.num_ctx to the context the server was started with (llama-server -c / --parallel, vllm --max-model-len); specwright does not guess it`,
    });
  }
  const numCtx = configured !== undefined ? Math.min(configured, modelMax) : modelMax;
  const needed = reservedPromptTokens(settings.largestPromptTokens, marginFor(familyOf(settings.model, server))) + settings.outputBudget;
  const choice: NumCtxChoice = { numCtx, needed, exceedsModel: needed > modelMax, capped: configured !== undefined && configured > modelMax };
  return ok(new OpenAiModelRun(endpoint, settings, server, choice, modelMax));
}

/**
 * The tokenizer family from the served model's name (a Hugging Face id for
 * vLLM, or the model its root names; the GGUF file for llama-server): these servers do not report the
 * tokenizer, and the margin only matters where no exact count is possible.
 */
export function familyOf(model: string, server: OpenAiServerFacts): TokenizerFamily | undefined {
  // vLLM's root names the model behind a --served-model-name ("coder" → "Qwen/Qwen2.5-Coder-7B-Instruct").
  const root = server.models.find((m) => m.id === model)?.root ?? "";
  const name = `${model} ${server.modelPath ?? ""} ${root}`.toLowerCase();
  if (name.includes("qwen")) return "qwen";
  if (/llama[-_ ]?3/.test(name)) return "llama3";
  if (name.includes("gemma")) return "gemma";
  if (name.includes("deepseek")) return "deepseek";
  return undefined;
}

export class OpenAiModelRun implements ModelRun {
  readonly kind = "openai" as const;
  readonly facts: ModelFacts;
  readonly features: ServerFeatures;
  readonly tokenizerFamily: TokenizerFamily | undefined;
  readonly estimateMargin: number;
  private callCount = 0;
  private readonly calibration = new TokenCalibration();
  /** Cleared when the server's tokenizer route fails: the run then estimates, as for Ollama. */
  private exactCounting: boolean;
  /** Cleared when the server rejects response_format: structured calls then ask for JSON in the prompt. */
  private schemaConstrained = true;

  constructor(
    readonly endpoint: OpenAiEndpoint,
    private readonly settings: ModelRunSettings,
    readonly server: OpenAiServerFacts,
    readonly numCtxChoice: NumCtxChoice,
    readonly modelMaxContext: number,
  ) {
    this.tokenizerFamily = familyOf(settings.model, server);
    this.estimateMargin = marginFor(this.tokenizerFamily);
    this.exactCounting = server.tokenizer !== undefined;
    this.facts = {
      name: settings.model,
      digest: "",
      sizeBytes: 0,
      modifiedAt: undefined,
      family: this.tokenizerFamily,
      parameterSize: undefined,
      quantization: undefined,
      architecture: undefined,
      maxContext: modelMaxContext,
      capabilities: ["completion"],
      tokenizer: { model: undefined, pre: undefined },
      remote: false,
    };
    this.features = {
      version: server.version,
      semver: undefined,
      // Both refuse an over-long prompt with HTTP 400 rather than cut it (llama-server
      // exceed_context_size_error; vLLM _validate_input), and count the whole prompt.
      refusesOverflow: true,
      llamaServerEngine: server.flavour === "llama-server",
      promptEvalCount: "all",
      psReportsLoadedContext: true,
      formatWithThinkingOff: true,
    };
  }

  get host(): string {
    return this.endpoint.url;
  }

  get model(): string {
    return this.settings.model;
  }

  get tokenRatio(): number {
    return this.calibration.ratio;
  }

  /** The served context (capped by a configured num_ctx): fixed for the server's life. */
  get numCtx(): number {
    return this.numCtxChoice.numCtx;
  }

  get loadedContext(): number | undefined {
    return this.modelMaxContext;
  }

  /** These servers cannot be told a larger window: never. */
  get reloads(): readonly ContextReload[] {
    return [];
  }

  /** Whether prompts are counted by the server's tokenizer before sending. */
  get countsExactly(): boolean {
    return this.exactCounting;
  }

  /**
   * The model was loaded when the server started; the preload only checks it
   * is ready (llama-server's /health answers 503 while it loads), so the first
   * call does not find a server still loading.
   */
  async preload(signal?: AbortSignal): Promise<ModelResult<{ loadMs: number | undefined; wallMs: number }>> {
    const started = performance.now();
    this.emit({ type: "model-loading", model: this.model, numCtx: this.numCtx, keepAlive: this.settings.keepAlive });
    const health = await checkHealth(this.endpoint, signal ?? this.settings.signal);
    if (!health.ok) return fail(health.error);
    const wallMs = performance.now() - started;
    this.emit({ type: "model-loaded", model: this.model, numCtx: this.numCtx, loadMs: undefined, wallMs });
    return ok({ loadMs: undefined, wallMs });
  }

  fits(messages: readonly ChatMessage[], outputBudget = this.settings.outputBudget): boolean {
    return fitsContext(this.calibration.calibrated(estimateMessagesTokens(messages)), outputBudget, this.numCtx, this.estimateMargin);
  }

  async call(request: CallRequest): Promise<ModelResult<CallReply>> {
    this.callCount += 1;
    const opened = openCall(this, { settings: this.settings, calibration: this.calibration }, request, this.callCount);
    const { callId, messages, rawEstimate, wantsThinking, outputBudget } = opened;
    const start = opened.start();
    await request.recorder?.started(start);
    const metrics: CallMetrics = { estimatedPromptTokens: start.estimatedPromptTokens, wallMs: 0 };
    const signal = request.signal ?? this.settings.signal;

    // Counted exactly where the server can; estimated (with the family's margin) where it cannot.
    if (this.exactCounting && this.server.tokenizer) {
      const counted = await this.count(messages, signal);
      if (!counted.ok) return this.failed(start, request.recorder, metrics, counted.error);
      if (counted.value !== undefined) {
        metrics.countedPromptTokens = counted.value.tokens;
        metrics.countMs = counted.value.ms;
        if (this.calibration.observe(rawEstimate, counted.value.tokens)) {
          this.emit({ type: "calibrated", model: this.model, caller: request.caller, source: "counted", estimatedTokens: rawEstimate, countedTokens: counted.value.tokens, ratio: this.calibration.ratio });
        }
        if (counted.value.tokens + outputBudget > this.numCtx) {
          return this.failed(start, request.recorder, metrics, this.overflow(request.caller, counted.value.tokens, outputBudget, "specwright", { promptTokens: counted.value.tokens, numCtx: this.numCtx }));
        }
      }
    }
    if (metrics.countedPromptTokens === undefined && !fitsContext(start.estimatedPromptTokens, outputBudget, this.numCtx, this.estimateMargin)) {
      return this.failed(start, request.recorder, metrics, this.overflow(request.caller, start.estimatedPromptTokens, outputBudget, "specwright"));
    }

    this.emit({ type: "call-started", callId, caller: request.caller, model: this.model, estimatedPromptTokens: start.estimatedPromptTokens, numCtx: this.numCtx });
    let outcome = await this.send(start, request, wantsThinking, signal);
    if (!outcome.ok && request.format && this.schemaConstrained && rejectsResponseFormat(outcome)) {
      // A server without json_schema support: ask in the prompt instead, validated and re-asked as always.
      this.schemaConstrained = false;
      outcome = await this.send(start, request, wantsThinking, signal);
    }
    this.mergeMetrics(metrics, outcome);
    if (!outcome.ok) {
      if (outcome.refusal) {
        const counted = outcome.refusal.counted;
        if (counted && this.calibration.observe(rawEstimate, counted.promptTokens)) {
          this.emit({ type: "calibrated", model: this.model, caller: request.caller, source: "counted-overflow", estimatedTokens: rawEstimate, countedTokens: counted.promptTokens, ratio: this.calibration.ratio });
        }
        return this.failed(start, request.recorder, metrics, this.overflow(request.caller, counted?.promptTokens ?? start.estimatedPromptTokens, outputBudget, "server", counted));
      }
      return this.failed(start, request.recorder, metrics, outcome.error);
    }

    const doneReason = outcome.final.finishReason;
    const reply: CallReply = { callId, content: outcome.content, thinking: outcome.thinking, doneReason, metrics };
    if (doneReason === "length") {
      const error = lengthStopError(this.model, request.caller, outcome, metrics, outputBudget, {
        window: `the server's context (${this.numCtx})`,
        hint: "the prompt left less room than the output budget; start the server with a larger context or trim the task's context",
      });
      return this.failed(start, request.recorder, metrics, error, doneReason);
    }
    if (metrics.promptTokens !== undefined && metrics.countedPromptTokens === undefined && this.calibration.observe(rawEstimate, metrics.promptTokens)) {
      this.emit({ type: "calibrated", model: this.model, caller: request.caller, source: "reply", estimatedTokens: rawEstimate, countedTokens: metrics.promptTokens, ratio: this.calibration.ratio });
    }
    return callAnswered((e) => this.emit(e), start, request.recorder, reply);
  }

  callStructured<T = unknown>(request: StructuredRequest<T>): Promise<ModelResult<StructuredReply<T>>> {
    return askStructured((r) => this.call(r), request, (e) => this.emit(e));
  }

  private async count(messages: readonly ChatMessage[], signal: AbortSignal | undefined): Promise<ModelResult<{ tokens: number; ms: number } | undefined>> {
    const started = performance.now();
    const counted = await countChatTokens(this.endpoint, this.server.tokenizer!, this.model, messages, signal);
    if (!counted.ok) {
      // Only a server we cannot talk to, or Ctrl-C, ends the call; a tokenizer that fails is skipped from now on.
      if (counted.error.kind === "aborted" || counted.error.kind === "unreachable") return counted;
      this.exactCounting = false;
      return ok(undefined);
    }
    if (counted.value === undefined) {
      this.exactCounting = false;
      return ok(undefined);
    }
    return ok({ tokens: counted.value, ms: performance.now() - started });
  }

  private send(start: CallStart, request: CallRequest, wantsThinking: boolean, signal: AbortSignal | undefined): Promise<OpenAiStreamOutcome> {
    const schema = request.format;
    const messages = schema && !this.schemaConstrained ? withSchemaInstruction(start.messages, schema) : start.messages;
    const thinkingKnob = this.server.flavour === "llama-server" || this.server.flavour === "vllm";
    return streamOpenAiChat(
      this.endpoint,
      {
        model: this.model,
        messages,
        maxTokens: start.options.numPredict,
        temperature: start.options.temperature,
        ...(start.options.seed !== undefined ? { seed: start.options.seed } : {}),
        ...(schema && this.schemaConstrained ? { jsonSchema: schema } : {}),
        // Qwen 3-style templates read enable_thinking; other templates ignore the variable.
        ...(thinkingKnob ? { chatTemplateKwargs: { enable_thinking: wantsThinking } } : {}),
        headers: sessionHeaders(request.sessionId),
      },
      streamHooks(this.settings, signal, { start, recorder: request.recorder, emit: (e) => this.emit(e) }),
    );
  }

  /**
   * The usage and timings, in the Ollama adapter's terms: promptTokens is the
   * whole prompt (usage.prompt_tokens), cachedPromptTokens the part served
   * from the prefix cache (usage.prompt_tokens_details.cached_tokens, else
   * llama-server's timings.cache_n), promptEvalCount the part evaluated anew.
   */
  private mergeMetrics(metrics: CallMetrics, outcome: OpenAiStreamOutcome): void {
    metrics.wallMs = outcome.wallMs;
    if (outcome.timeToFirstTokenMs !== undefined) metrics.timeToFirstTokenMs = outcome.timeToFirstTokenMs;
    if (!outcome.ok) return;
    const { usage, timings } = outcome.final;
    const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined);
    const prompt = count(usage?.prompt_tokens);
    const cached = count(usage?.prompt_tokens_details?.cached_tokens) ?? count(timings?.cache_n);
    if (prompt !== undefined) metrics.promptTokens = prompt;
    if (cached !== undefined) metrics.cachedPromptTokens = cached;
    const evaluated = count(timings?.prompt_n) ?? (prompt !== undefined && cached !== undefined ? prompt - cached : prompt);
    if (evaluated !== undefined) metrics.promptEvalCount = evaluated;
    const promptMs = count(timings?.prompt_ms);
    if (promptMs !== undefined) metrics.promptEvalMs = promptMs;
    const evalCount = count(usage?.completion_tokens) ?? count(timings?.predicted_n);
    if (evalCount !== undefined) metrics.evalCount = evalCount;
    const evalMs = count(timings?.predicted_ms) ?? outcome.streamingMs;
    if (evalMs !== undefined) metrics.evalMs = evalMs;
    const speed = count(timings?.predicted_per_second);
    if (speed !== undefined && speed > 0) metrics.tokensPerSecond = speed;
    else if (evalCount !== undefined && evalMs !== undefined && evalMs > 0) metrics.tokensPerSecond = evalCount / (evalMs / 1000);
  }

  private overflow(caller: string, promptTokens: number, outputBudget: number, refusedBy: "specwright" | "server", counted?: { promptTokens: number; numCtx: number }): ModelError {
    const exact = counted !== undefined;
    const sizes =
      refusedBy === "specwright"
        ? exact
          ? `the server's tokenizer counted ${promptTokens} tokens + ${outputBudget} output > the served context ${this.numCtx}; it was not sent`
          : `~${promptTokens} tokens (${reservedPromptTokens(promptTokens, this.estimateMargin)} with margin) + ${outputBudget} output > the served context ${this.numCtx}; it was not sent`
        : counted
          ? `the server counted ${counted.promptTokens} tokens against its context of ${counted.numCtx}, and ${outputBudget} more are needed for the output; it refused the prompt`
          : `the server refused it as longer than its context (${this.numCtx}; specwright's estimate was ~${promptTokens} tokens)`;
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
      hint: `the server at ${this.host} was started with ${this.modelMaxContext} tokens of context per request; split the task or trim its context files, or restart the server with more (llama-server -c N, which --parallel divides among slots; vllm --max-model-len N)`,
    };
  }

  private failed(start: CallStart, recorder: CallRecorder | undefined, metrics: CallMetrics, error: ModelError, doneReason?: string): Promise<ModelResult<never>> {
    return callFailed((e) => this.emit(e), start, recorder, metrics, error, doneReason);
  }

  private emit(event: ModelEvent): void {
    this.settings.onEvent?.(event);
  }
}

/** A 400 naming the structured-output request: the server does not do json_schema. */
function rejectsResponseFormat(outcome: OpenAiStreamOutcome): boolean {
  return !outcome.ok && outcome.error.kind === "bad-request" && outcome.error.status === 400 && /response_format|json_schema|structured/i.test(outcome.error.serverMessage);
}

/** The prompt-only JSON path: the schema stated at the end of the last message. */
function withSchemaInstruction(messages: readonly ChatMessage[], schema: JsonSchema): ChatMessage[] {
  const out = messages.map((m) => ({ ...m }));
  const last = out[out.length - 1];
  const instruction = `\n\nAnswer with only a JSON value that follows this JSON schema, and nothing else:\n${JSON.stringify(schema)}`;
  if (last && last.role === "user") last.content += instruction;
  else out.push({ role: "user", content: instruction.trim() });
  return out;
}
