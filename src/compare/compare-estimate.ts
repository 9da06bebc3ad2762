// How long a comparison will take, said before it starts: an estimate from
// the model's size on disk and the plan's prompt sizes, with its assumptions
// named, never a measurement. Decoding a token reads every weight once, so on
// a GPU the generation rate is about memory bandwidth ÷ model size; prompt
// evaluation is batched and runs many times faster. The constants below are
// those of a typical consumer GPU (docs/compare.md says which and why).

/** Effective memory bandwidth while decoding (bytes/s): ~50–60 % of a 700–1000 GB/s card, e.g. an RTX 3090/4080. */
export const ASSUMED_BANDWIDTH = 400e9;
/** Prompt evaluation runs this many times faster than generation on a GPU (batched). */
export const PROMPT_SPEEDUP = 20;
/** Reading a model from disk into VRAM (bytes/s): an NVMe SSD's page-cache-cold read. */
export const ASSUMED_LOAD_RATE = 2e9;
/** Output tokens a task writes per file, when no build of this project has been measured. */
export const ASSUMED_TOKENS_PER_FILE = 600;
/** Attempts per task, when none have been measured: one in two tasks needs a fix. */
export const ASSUMED_ATTEMPTS = 1.5;

export interface TaskSize {
  /** Estimated tokens of the task's first prompt. */
  promptTokens: number;
  /** Files the task writes (outputs and edits). */
  files: number;
}

export interface ModelEstimate {
  model: string;
  sizeBytes?: number;
  /** Undefined when the size is unknown (a model whose /api/tags entry has no size). */
  ms?: number;
  tokensPerSecond?: number;
}

export interface CompareEstimate {
  promptTokens: number;
  outputTokens: number;
  models: ModelEstimate[];
  /** Sum over models × runs; undefined when a model's size is unknown. */
  totalMs?: number;
}

/** The plan's prompt and output tokens, and each model's time for `runs` runs. */
export function estimateCompare(tasks: readonly TaskSize[], models: readonly { model: string; sizeBytes?: number }[], runs: number): CompareEstimate {
  const promptTokens = tasks.reduce((s, t) => s + t.promptTokens, 0);
  const outputTokens = tasks.reduce((s, t) => s + t.files * ASSUMED_TOKENS_PER_FILE, 0);
  const estimates = models.map((m): ModelEstimate => {
    if (m.sizeBytes === undefined || m.sizeBytes <= 0) return { model: m.model };
    const decode = ASSUMED_BANDWIDTH / m.sizeBytes;
    const load = (m.sizeBytes / ASSUMED_LOAD_RATE) * 1000;
    // A fix continues the task's conversation: its prompt is served from the prefix cache,
    // so extra attempts cost output tokens, not prompt evaluation.
    const work = (promptTokens / (decode * PROMPT_SPEEDUP) + (outputTokens * ASSUMED_ATTEMPTS) / decode) * 1000;
    return { model: m.model, sizeBytes: m.sizeBytes, ms: Math.round(load + work), tokensPerSecond: decode };
  });
  const known = estimates.every((e) => e.ms !== undefined);
  return { promptTokens, outputTokens, models: estimates, ...(known ? { totalMs: estimates.reduce((s, e) => s + e.ms! * runs, 0) } : {}) };
}

/**
 * Side by side, the wall time of lanes estimated at `laneMs` each (one call at
 * a time per lane): the longest lane, unless build.parallel lets fewer calls
 * out at once than there are lanes; then the lanes take turns, and all their
 * work over `callLimit` calls at once is the longer.
 */
export function sideBySideWallMs(laneMs: readonly number[], callLimit?: number): number {
  const longest = Math.max(0, ...laneMs);
  if (callLimit === undefined) return longest;
  return Math.max(longest, laneMs.reduce((s, ms) => s + ms, 0) / Math.max(1, callLimit));
}
