// Server generations the fake Ollama can be. Each behaviour is what the
// ollama/ollama source does at the named tag; the comment names the file (and
// the PR or commit that introduced it), checked in a clone of the repository.
// Where the issue that asked for these profiles and the source disagree, the
// profile follows the source (see the notes marked "source:").

export type ProfileName = "0.12.3" | "0.12.6" | "0.30.0" | "0.30.9" | "0.33.0";

export interface ServerProfile {
  name: ProfileName;
  /** GET /api/version. */
  version: string;
  /**
   * `truncate` and `shift` request fields are honoured: api/types.go
   * ChatRequest.Truncate/Shift, added in v0.12.6 by commit 6544e14 ("Reapply
   * add truncate and shift parameters", PR #12582). Older servers decode the
   * body with encoding/json, which ignores unknown fields: the flags are then
   * harmless and do nothing.
   */
  flags: boolean;
  /**
   * "runner": the Go runners (runner/ollamarunner, runner/llamarunner) until
   * v0.29. "llama-server": llm/llama_server.go, the llama.cpp server engine
   * from v0.30.0 on.
   */
  engine: "runner" | "llama-server";
  /**
   * What prompt_eval_count counts. "all": the runners report
   * seq.numPromptInputs, the prompt after truncation, cached or not
   * (runner.go NewSequence); llama_server.go from v0.30.1 reports
   * `cache_n + prompt_n` (PR #16428, "preserve Ollama's pre-0.30 full-context
   * prompt_eval_count semantics"). "uncached": v0.30.0 reported
   * `timings.prompt_n`, the newly evaluated tokens only.
   */
  promptEvalCount: "all" | "uncached";
  /** `prompt_eval_cached_count` in the final chunk: api/types.go Metrics, PR #17943 (merged after v0.33.0-rc2). */
  cachedCount: boolean;
  /**
   * /api/ps `context_length` is the context the runner was loaded with, after
   * the training-context cap: server/routes.go PsHandler reads
   * `v.llama.ContextLength()` since commit d11fbd2c6 (v0.15.5). Before, it was
   * `v.Options.NumCtx`, the requested value, even when llm/server.go had
   * lowered it to the model's n_ctx_train.
   */
  psLoadedContext: boolean;
  /**
   * /api/show always sends `model_info`, `{}` for a remote (cloud) model:
   * PR #13785 (v0.14.3) dropped `omitempty` and defaults it to an empty map.
   * Before, a remote model's show answer had no model_info at all.
   */
  emptyModelInfo: boolean;
  /**
   * With truncate on and context shift off, an over-long prompt is refused
   * (400 "the prompt is longer than the context length currently available to
   * the model; …") instead of cut: llm/llama_server.go
   * completionPromptForRequest, PRs #16712 and #16764 (v0.30.9).
   */
  shiftOffRefuses: boolean;
  /**
   * A default truncation keeps about half the window: llama_server.go
   * contextShiftPromptLimit = numCtx − max((numCtx − numKeep)/2, 1) (PR #16764).
   * v0.30.0 kept numCtx − 1 tokens; the runners keep exactly numCtx
   * (runner.go NewSequence: discard = len(inputs) − numCtx).
   */
  truncation: "to-window" | "to-window-minus-one" | "half-window";
  /**
   * A string `think` ("low", "medium", "high") is accepted only by harmony
   * (gpt-oss) models: server/routes.go v0.12.6 "think value %q is not supported
   * for this model". Gone from routes.go by v0.30 (levels are parsed by
   * api/types.go ThinkValue for every model).
   */
  thinkLevelsHarmonyOnly: boolean;
}

const base = {
  flags: true,
  cachedCount: false,
  psLoadedContext: true,
  emptyModelInfo: true,
  thinkLevelsHarmonyOnly: false,
};

export const PROFILES: Record<ProfileName, ServerProfile> = {
  // Before the flags: every over-long prompt is cut silently.
  "0.12.3": { ...base, name: "0.12.3", version: "0.12.3", flags: false, engine: "runner", promptEvalCount: "all", psLoadedContext: false, emptyModelInfo: false, shiftOffRefuses: false, truncation: "to-window", thinkLevelsHarmonyOnly: true },
  // The flags arrive; the runner refuses with "the input length exceeds the context length".
  "0.12.6": { ...base, name: "0.12.6", version: "0.12.6", engine: "runner", promptEvalCount: "all", psLoadedContext: false, emptyModelInfo: false, shiftOffRefuses: false, truncation: "to-window", thinkLevelsHarmonyOnly: true },
  // llama-server engine, first release: prompt_eval_count counts only uncached tokens.
  "0.30.0": { ...base, name: "0.30.0", version: "0.30.0", engine: "llama-server", promptEvalCount: "uncached", shiftOffRefuses: false, truncation: "to-window-minus-one" },
  // llama-server engine with full prompt counts and the shift-off refusal.
  "0.30.9": { ...base, name: "0.30.9", version: "0.30.9", engine: "llama-server", promptEvalCount: "all", shiftOffRefuses: true, truncation: "half-window" },
  // Current: cached prompt tokens reported.
  "0.33.0": { ...base, name: "0.33.0", version: "0.33.0", engine: "llama-server", promptEvalCount: "all", cachedCount: true, shiftOffRefuses: true, truncation: "half-window" },
};

export const DEFAULT_PROFILE: ProfileName = "0.33.0";

/** api.DefaultOptions().NumKeep (api/types.go): tokens kept at the front when a prompt is cut. */
export const DEFAULT_NUM_KEEP = 4;

/** Tokens of an over-long prompt that survive the default truncation, per profile. */
export function truncatedLength(profile: ServerProfile, window: number): number {
  switch (profile.truncation) {
    case "to-window":
      return window;
    case "to-window-minus-one":
      return window - 1;
    case "half-window":
      return window - Math.max(Math.floor((window - DEFAULT_NUM_KEEP) / 2), 1);
  }
}

/**
 * The 400 body for a prompt longer than the window with `truncate: false`.
 * Runners: runner.go NewSequence returns errorInputTooLong, sent with
 * http.Error and passed on as api.StatusError (commit 6544e14). llama-server:
 * llama_server.go passes the prompt through untouched and relays llama.cpp's
 * own error body verbatim as the message (statusErrorMessage returns the
 * trimmed body): llama.cpp tools/server (server_task_result_error::to_json)
 * sends {"error":{"code":400,"message":"request (N tokens) exceeds the
 * available context size (M tokens), try increasing it",
 * "type":"exceed_context_size_error","n_prompt_tokens":N,"n_ctx":M}}.
 * source: the message therefore reaches the client as a JSON text inside
 * Ollama's `error` string, not as the bare sentence the issue quotes.
 */
export function overflowMessage(profile: ServerProfile, promptTokens: number, window: number): string {
  if (profile.engine === "runner") return "the input length exceeds the context length";
  return JSON.stringify({
    error: {
      code: 400,
      message: `request (${promptTokens} tokens) exceeds the available context size (${window} tokens), try increasing it`,
      type: "exceed_context_size_error",
      n_prompt_tokens: promptTokens,
      n_ctx: window,
    },
  });
}

/** llm/llama_server.go completionPromptForRequest (v0.30.9+), truncate on and context shift off. */
export const SHIFT_OFF_REFUSAL =
  "the prompt is longer than the context length currently available to the model; shorten the prompt, adjust the context length in settings, or use a model with a longer context length";

/**
 * Whether the runner shifts the context when generation reaches the window.
 * Runners: Sequence.shift = request's shift (default true; false ends the
 * sequence with DoneReasonLength — commit 6544e14). llama-server: a load-time
 * setting, server/sched.go resolveContextShift: the request's shift, else
 * true except for the deepseek2 family (PR #16764).
 */
export function contextShift(requestShift: boolean | undefined, family: string): boolean {
  if (requestShift !== undefined) return requestShift;
  return family !== "deepseek2";
}
