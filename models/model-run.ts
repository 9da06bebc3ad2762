// The seam between the product and the model servers: what a model run is to
// the rest of specwright (one model, one planned context, calls that come back
// as values), whichever kind of server answers. `openModelRun` picks the
// adapter from the settings' `kind`: Ollama's native API (ollama-run.ts) or the
// OpenAI-compatible chat API of llama-server, vLLM, LM Studio and LiteLLM
// (openai-run.ts). Callers only ever see `ModelRun`.

import type { ChatMessage, CallMetrics, CallRecorder } from "./call-record.js";
import type { NumCtxChoice } from "./context-budget.js";
import type { ModelResult } from "./errors.js";
import type { ModelEventListener } from "./events.js";
import type { JsonSchema } from "./json-schema.js";
import type { ModelFacts } from "./model-facts.js";
import { openOllamaRun } from "./ollama-run.js";
import { openOpenAiRun } from "./openai-run.js";
import type { ServerFeatures } from "./server-features.js";
import type { TokenizerFamily } from "./tokenizer-family.js";

export { CACHED_TOKENS_FIELD, OllamaModelRun, contextUnknown } from "./ollama-run.js";

/** Which API a server speaks: Ollama's own (/api/chat), or the OpenAI-compatible one (/v1/chat/completions). */
export type ModelServerKind = "ollama" | "openai";

export interface ModelRunSettings {
  /** Which adapter talks to `host`; "ollama" when absent. */
  kind?: ModelServerKind;
  /**
   * Ollama: as written in config or OLLAMA_HOST, parsed like the ollama CLI does.
   * OpenAI-compatible: the server's base URL, with or without its `/v1`.
   */
  host: string;
  /**
   * The bearer token for an OpenAI-compatible server (vLLM `--api-key`,
   * llama-server `--api-key`, a LiteLLM key). The caller reads it from the
   * environment variable the config names; it is sent as a header only and
   * never appears in an event, a trace, a record or an error.
   */
  apiKey?: string;
  model: string;
  /** Ask the model to think; off unless the role's config turns it on. */
  think: boolean;
  temperature: number;
  seed?: number;
  /** Ollama only: how long the server keeps the model loaded. */
  keepAlive: string | number;
  /**
   * The config's num_ctx: "auto" sizes it from `largestPromptTokens` and
   * `outputBudget`. An OpenAI-compatible server fixes its context at launch;
   * there the run plans with the served context, capped by a number here.
   */
  numCtx: "auto" | number;
  /** Estimated tokens of the largest prompt this run plans to send. */
  largestPromptTokens: number;
  /** Output budget per call (num_predict / max_tokens), unless a call sets its own. */
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
  /**
   * A stable id for every call of one task (`<run>/<task>`), sent as the
   * `X-Session-Id` header so a router with cache-aware routing (LiteLLM, the
   * vLLM production stack) keeps the task's attempts on one replica.
   */
  sessionId?: string;
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

/** A reload of the run's model with a larger num_ctx after the server counted an overflow (at most one per run). */
export interface ContextReload {
  caller: string;
  fromNumCtx: number;
  toNumCtx: number;
  /** The server's count of the prompt that did not fit, when it gave one. */
  countedPromptTokens?: number;
}

/**
 * One model on one server for a whole command. Every adapter keeps the same
 * promises: a prompt that does not fit is refused before it is sent; calls
 * stream their deltas to events and the caller's recorder; a failure is a
 * ModelError value; every call leaves a CallRecord.
 */
export interface ModelRun {
  readonly kind: ModelServerKind;
  /** The printable base URL (no credentials, no key). */
  readonly host: string;
  readonly model: string;
  /** What the server says about the model (an OpenAI-compatible server says less: no digest, no tokenizer). */
  readonly facts: ModelFacts;
  /** What the server's version can do (an OpenAI-compatible server refuses over-long prompts itself). */
  readonly features: ServerFeatures;
  readonly numCtxChoice: NumCtxChoice;
  /** The most context the model can have here: Ollama's model maximum, or the context the server was launched with. */
  readonly modelMaxContext: number;
  readonly tokenizerFamily: TokenizerFamily | undefined;
  readonly estimateMargin: number;
  /** How many tokens the model counts per estimated token, learned from this run's replies and refusals (≥ 1). */
  readonly tokenRatio: number;
  /** The context the run plans every prompt against. */
  readonly numCtx: number;
  /** The context the server reported after loading, if it said. */
  readonly loadedContext: number | undefined;
  readonly reloads: readonly ContextReload[];
  /** Makes the model ready so the first call does not pay for loading it. */
  preload(signal?: AbortSignal): Promise<ModelResult<{ loadMs: number | undefined; wallMs: number }>>;
  /** Whether `call` would send these messages rather than refuse them as too long. */
  fits(messages: readonly ChatMessage[], outputBudget?: number): boolean;
  /** Sends one prompt. Refuses it unsent when it does not fit; reports output and prompt truncation as errors. */
  call(request: CallRequest): Promise<ModelResult<CallReply>>;
  /** A structured call: the reply is parsed and validated against the schema; one re-ask, then malformed-output. */
  callStructured<T = unknown>(request: StructuredRequest<T>): Promise<ModelResult<StructuredReply<T>>>;
}

/**
 * Opens a run on the server the settings name, with the adapter for its kind.
 * Fails with a ModelError value (unreachable, model-missing, …), never throws.
 */
export async function openModelRun(settings: ModelRunSettings): Promise<ModelResult<ModelRun>> {
  return settings.kind === "openai" ? openOpenAiRun(settings) : openOllamaRun(settings);
}
