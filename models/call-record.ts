// What one model call is made of and what is remembered about it: the messages,
// the generation options, the metrics, the outcome. Traces (src/traces/) store
// these records; the adapter fills them. A recorder is handed in by the caller,
// so models/ never knows where or how records are written.

import type { ModelError } from "./errors.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The options that change what the model generates; part of a task key, so keep them stable. */
export interface GenerationOptions {
  numCtx: number;
  /** Output budget: the server stops at this many tokens with done_reason "length". */
  numPredict: number;
  temperature: number;
  seed?: number;
  /** Duration string ("30m") or seconds, as Ollama accepts. */
  keepAlive: string | number;
  think: boolean;
}

export interface CallMetrics {
  /** Our estimate of the prompt's tokens, made before sending. */
  estimatedPromptTokens: number;
  /** The prompt's exact count by the server's tokenizer before sending (/tokenize on llama-server and vLLM). */
  countedPromptTokens?: number;
  /** What that count cost: the tokenizer round trips, in ms. */
  countMs?: number;
  /** prompt_eval_count as the server sent it (v0.30.0 counted only the uncached part). */
  promptEvalCount?: number;
  /** The prompt's whole token count, whatever the server's version means by prompt_eval_count. */
  promptTokens?: number;
  promptEvalMs?: number;
  /** Prompt tokens served from the server's prefix cache: prompt_eval_cached_count, where the server reports it (v0.33.0+). */
  cachedPromptTokens?: number;
  evalCount?: number;
  evalMs?: number;
  loadMs?: number;
  /** Server-side total, from the final chunk. */
  totalMs?: number;
  /** Generation speed: eval_count per second of eval_duration. */
  tokensPerSecond?: number;
  /** Client-side: from just before sending to the end of the stream. */
  wallMs: number;
  /** Client-side: from sending to the first content or thinking delta. */
  timeToFirstTokenMs?: number;
}

/** What is known when a call is about to be sent. */
export interface CallStart {
  callId: string;
  /** Who asked: a task id ("T003"), "audit", "planner"… named in errors and traces. */
  caller: string;
  model: string;
  digest?: string;
  /** The base URL of the server that served the call (never credentials or a key). */
  host: string;
  /** The X-Session-Id the call was sent with (a task's `<run>/<task>`), when it had one. */
  sessionId?: string;
  messages: ChatMessage[];
  options: GenerationOptions;
  /** JSON schema sent as `format` for a structured call. */
  format?: object;
  estimatedPromptTokens: number;
  startedAt: string;
}

export type CallOutcome = "ok" | "failed";

export interface CallRecord extends CallStart {
  outcome: CallOutcome;
  finishedAt: string;
  doneReason?: string;
  metrics: CallMetrics;
  error?: ModelError;
  /** Present when the server's prompt_eval_count fell clearly short of the estimate. */
  truncationSuspected?: TruncationCheck;
}

export interface TruncationCheck {
  reason: "filled-window" | "short-of-estimate";
  estimatedTokens: number;
  promptEvalCount: number;
  /** Prompt tokens the server may have served from its cache (reported, or our shared-prefix bound). */
  cachedBound: number;
}

/**
 * Receives one call as it happens. `started` is awaited before the request is
 * sent (the prompt is on disk even if the process dies mid-call); `delta` is
 * called for every streamed piece in order and must not throw; `finished` is
 * awaited once, whatever the outcome.
 */
export interface CallRecorder {
  started(call: CallStart): Promise<void>;
  delta(kind: "content" | "thinking", text: string): void;
  finished(record: CallRecord): Promise<void>;
}
