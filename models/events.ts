// Events the model layer emits while it works. A UI turns them into "loading
// model…", a live token stream and a tokens/s figure; a reporter prints them;
// nothing in models/ prints by itself.

import type { CallMetrics, TruncationCheck } from "./call-record.js";
import type { ModelError } from "./errors.js";

/**
 * `call-failed` can arrive without `call-started` when a call was refused
 * before sending (context-overflow, or aborted before it went out).
 */
export type ModelEvent =
  | { type: "model-loading"; model: string; numCtx: number; keepAlive: string | number }
  | { type: "model-loaded"; model: string; numCtx: number; loadMs: number | undefined; wallMs: number }
  | { type: "call-started"; callId: string; caller: string; model: string; estimatedPromptTokens: number; numCtx: number }
  | { type: "delta"; callId: string; caller: string; kind: "content" | "thinking"; text: string }
  | { type: "call-finished"; callId: string; caller: string; doneReason: string | undefined; metrics: CallMetrics }
  | { type: "call-failed"; callId: string; caller: string; error: ModelError }
  | { type: "truncation-suspected"; callId: string; caller: string; check: TruncationCheck; numCtx: number }
  /** /api/ps says the model was loaded with less context than asked for; the run now plans with `loaded`. */
  | { type: "context-capped"; model: string; requested: number; loaded: number; message: string; hint: string }
  /** The server counted a prompt longer than the window; the run re-opens once with a larger num_ctx. */
  | { type: "model-reloading"; model: string; caller: string; fromNumCtx: number; toNumCtx: number; reason: string }
  /** The estimator's factor for this model rose: from a counted overflow (exact), the server's tokenizer before sending ("counted"), or a reply's prompt count. */
  | { type: "calibrated"; model: string; caller: string; source: "counted-overflow" | "refusal-bound" | "reply" | "counted"; estimatedTokens: number; countedTokens: number; ratio: number }
  | { type: "re-ask"; callId: string; caller: string; problems: string[] };

export type ModelEventListener = (event: ModelEvent) => void;
