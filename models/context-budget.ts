// Context safety. Ollama silently drops the front of a prompt longer than the
// loaded context, and reloads the model whenever num_ctx changes. So a run picks
// ONE num_ctx up front, every prompt is checked against it before sending, and
// every reply's prompt_eval_count is compared with the estimate afterwards.

import type { ChatMessage, TruncationCheck } from "./call-record.js";
import { estimateTokens } from "./token-estimate.js";
import { UNKNOWN_FAMILY_MARGIN } from "./tokenizer-family.js";

/**
 * Tokens a chat template adds per message (ChatML: `<|im_start|>`, the role, a
 * newline, `<|im_end|>`, a newline) and once for the assistant's turn. Llama 3
 * and Gemma templates cost about the same.
 */
export const MESSAGE_OVERHEAD_TOKENS = 5;
export const REPLY_PRIMER_TOKENS = 3;

/**
 * Safety factor applied to estimates before comparing them with num_ctx, when
 * the model's tokenizer family is not known. The per-family factors below were
 * measured (bench/estimate-tokens.ts, against the real tokenizers) as what
 * covers each family's worst real-code file; an unknown family gets the widest.
 */
export const ESTIMATE_MARGIN = UNKNOWN_FAMILY_MARGIN;

/** num_ctx is rounded up to this step so small plan edits keep the same value (and the loaded model). */
export const NUM_CTX_STEP = 4096;
/** Ollama's own default context; asking for less saves little and reloads the model for nothing. */
export const MIN_NUM_CTX = 4096;

export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMER_TOKENS;
  for (const message of messages) total += MESSAGE_OVERHEAD_TOKENS + estimateTokens(message.content);
  return total;
}

/** Tokens a prompt must be given in the window: the estimate with the safety margin (the model family's, or the widest). */
export function reservedPromptTokens(estimatedTokens: number, margin = ESTIMATE_MARGIN): number {
  return Math.ceil(estimatedTokens * margin);
}

export interface NumCtxChoice {
  numCtx: number;
  /** The window the largest planned prompt and its output budget need. */
  needed: number;
  /** True when `needed` exceeds the model's maximum: some planned prompts will be refused. */
  exceedsModel: boolean;
  /** True when a configured number was lowered to the model's maximum. */
  capped: boolean;
}

/**
 * Picks the run's num_ctx. `configured` is the config's `num_ctx` ("auto" or a
 * number). For "auto": the largest planned prompt (with margin) plus the output
 * budget, rounded up to a 4096 step, at least 4096, at most the model maximum.
 */
export function chooseNumCtx(input: {
  configured: "auto" | number;
  largestPromptTokens: number;
  outputBudget: number;
  modelMaxContext: number;
  margin?: number;
}): NumCtxChoice {
  const needed = reservedPromptTokens(input.largestPromptTokens, input.margin) + input.outputBudget;
  const max = input.modelMaxContext;
  if (input.configured !== "auto") {
    const numCtx = Math.min(input.configured, max);
    return { numCtx, needed, exceedsModel: needed > numCtx, capped: numCtx < input.configured };
  }
  const rounded = Math.max(MIN_NUM_CTX, Math.ceil(needed / NUM_CTX_STEP) * NUM_CTX_STEP);
  return { numCtx: Math.min(rounded, max), needed, exceedsModel: needed > max, capped: false };
}

/** Whether a prompt of `estimatedTokens` plus `outputBudget` fits in `numCtx`. */
export function fitsContext(estimatedTokens: number, outputBudget: number, numCtx: number, margin = ESTIMATE_MARGIN): boolean {
  return reservedPromptTokens(estimatedTokens, margin) + outputBudget <= numCtx;
}

/** num_ctx rounded up to the run's step, so a reload lands on a value the next run also picks. */
export function roundNumCtx(tokens: number): number {
  return Math.max(MIN_NUM_CTX, Math.ceil(tokens / NUM_CTX_STEP) * NUM_CTX_STEP);
}

/**
 * Below this share of the expected count, a prompt_eval_count means part of
 * the prompt was dropped. The estimator runs at most 1.41× the pre-token lower
 * bound of the real count (per file, measured; see token-estimate.ts), so an
 * intact prompt reports at least ~71 % of the estimate; Ollama's truncation
 * drops whole old messages or the front half of the window, which removes more.
 */
export const TRUNCATION_RATIO = 0.7;

/**
 * The post-call check, with two signatures of truncation:
 * - "filled-window": the server evaluated num_ctx tokens or more. We reserve the
 *   output budget in every window, so an intact prompt never gets there; newer
 *   runners truncate to exactly num_ctx.
 * - "short-of-estimate": prompt_eval_count plus `cachedBound` is below 70 % of
 *   the estimate. `cachedBound` is how many prompt tokens the server may have
 *   served from its prefix cache: the count it reported, or else the shared
 *   prefix with the previous prompts we sent to this model. Some Ollama versions
 *   count only the uncached tokens in prompt_eval_count (or omit it on a full
 *   cache hit); without the bound a fix attempt, which reuses 90 % of its
 *   prompt, would look truncated. Adding the bound can only hide a truncation
 *   that coincides with a large cache hit, and such a prompt is first of all
 *   refused before sending if our estimate says it does not fit.
 * A missing or zero prompt_eval_count is not judged: there is nothing to compare.
 */
export function checkTruncation(input: {
  /** The estimate, calibrated for this model (see `TokenCalibration`). */
  estimatedTokens: number;
  promptEvalCount: number | undefined;
  cachedBound: number;
  numCtx: number;
}): TruncationCheck | undefined {
  const count = input.promptEvalCount;
  if (count === undefined || count <= 0) return undefined;
  const found = { estimatedTokens: input.estimatedTokens, promptEvalCount: count, cachedBound: input.cachedBound };
  if (count >= input.numCtx) return { ...found, reason: "filled-window" };
  if (count + input.cachedBound < TRUNCATION_RATIO * input.estimatedTokens) return { ...found, reason: "short-of-estimate" };
  return undefined;
}

/**
 * Remembers the last few prompts sent to each model, to bound how much of a new
 * prompt the server can have cached. Ollama caches per slot (one per parallel
 * request), so a handful of recent prompts covers `build.parallel` slots.
 */
export class PrefixTracker {
  private readonly recent = new Map<string, string[]>();

  constructor(private readonly slots = 4) {}

  /** Estimated tokens of the longest prefix `prompt` shares with a recent prompt to `model`; then remembers it. */
  sharedPrefixTokens(model: string, prompt: string): number {
    const list = this.recent.get(model) ?? [];
    let best = 0;
    for (const previous of list) best = Math.max(best, commonPrefixLength(previous, prompt));
    list.unshift(prompt);
    list.length = Math.min(list.length, this.slots);
    this.recent.set(model, list);
    return best === 0 ? 0 : estimateTokens(prompt.slice(0, best));
  }
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The messages as one string in send order, for prefix comparison. */
export function flattenMessages(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `\u0000${m.role}\u0000${m.content}`).join("");
}

/**
 * Learns, per run, how much more the model's tokenizer counts than our
 * estimate. A run's first intact reply tells us: prompt_eval_count / estimate.
 * The factor only grows (never below 1), because a server that counts only
 * uncached tokens reports less than the truth, never more. Later prompts are
 * checked with the calibrated estimate, so a model whose tokenizer splits code
 * finer than Qwen's gets its over-long prompts refused instead of truncated.
 */
export class TokenCalibration {
  private factor = 1;

  get ratio(): number {
    return this.factor;
  }

  calibrated(estimatedTokens: number): number {
    return Math.ceil(estimatedTokens * this.factor);
  }

  /**
   * Feeds a count the server made of a prompt we estimated: an intact call's
   * total prompt tokens, or the tokens a refusal counted. Returns true when the
   * factor rose.
   */
  observe(estimatedTokens: number, countedTokens: number | undefined): boolean {
    if (countedTokens === undefined || estimatedTokens <= 0) return false;
    const before = this.factor;
    // Capped: a wildly off count is more likely a server quirk than a tokenizer.
    this.factor = Math.min(Math.max(this.factor, countedTokens / estimatedTokens), 4);
    return this.factor > before;
  }
}
