// The OpenAI-compatible wire format as llama-server and vLLM speak it: the SSE
// chunks of a streamed /v1/chat/completions, the final usage chunk, the error
// bodies, and the discovery answers (/props, /v1/models, /tokenize,
// /apply-template, LM Studio's /api/v0/models). The adapter reads these
// shapes; the test suite's fake server (test/fake-openai) writes them with the
// builders below, so the format is written down once. Every shape names the
// source it was read from:
// - llama.cpp tools/server/README.md (commit 25d5b0c5), server-task.cpp
//   (commit 00efb3e1: to_json_oaicompat_chat_stream, usage_json_oaicompat,
//   result_timings::to_json) and server.cpp (handle_completions_impl's
//   streaming, format_error_response);
// - vLLM vllm/entrypoints/openai/engine/protocol.py (commit 040a2cc2:
//   ErrorInfo/ErrorResponse, ModelCard.max_model_len, UsageInfo,
//   PromptTokenUsageInfo, StreamOptions) and engine/serving.py
//   (_validate_input's context-length messages).

/** Which server answers; decides what can be asked besides /v1/chat/completions. */
export type OpenAiFlavour = "llama-server" | "vllm" | "lmstudio" | "openai";

/** A usage block (vLLM UsageInfo; llama-server usage_json_oaicompat). */
export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** vLLM: only with --enable-prompt-tokens-details; llama-server: always (n_prompt_tokens_cache). */
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

/** llama-server's result_timings::to_json: the prompt tokens reused (cache_n) and evaluated (prompt_n), and speeds. */
export interface WireTimings {
  cache_n: number;
  prompt_n: number;
  prompt_ms: number;
  prompt_per_token_ms: number;
  prompt_per_second: number;
  predicted_n: number;
  predicted_ms: number;
  predicted_per_token_ms: number;
  predicted_per_second: number;
}

/** One `data:` event's JSON: a chat.completion.chunk. */
export interface WireChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: { role?: string; content?: string | null; reasoning_content?: string | null; reasoning?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: WireUsage | null;
  timings?: WireTimings;
  /** A mid-stream error: llama-server `format_oai_sse(json {{"error", res_json}})`, vLLM create_streaming_error_response. */
  error?: unknown;
}

/** The SSE framing both servers use: `data: <json>\n\n` (llama.cpp format_oai_sse, "required by RFC 8895"). */
export function sseData(value: object | string): string {
  return `data: ${typeof value === "string" ? value : JSON.stringify(value)}\n\n`;
}

/** The stream's end: llama-server handle_completions_impl writes `data: [DONE]\n\n` for OAI-compatible routes; vLLM the same. */
export const SSE_DONE = "data: [DONE]\n\n";

/** A content (or reasoning) delta chunk, finish_reason null (server-task.cpp to_json_oaicompat_chat_stream's diffs). */
export function wireDeltaChunk(id: string, model: string, delta: { content?: string; reasoning_content?: string; role?: string }): WireChunk {
  return { id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: null }] };
}

/** The chunk carrying finish_reason with an empty delta (server-task.cpp: "stop" for EOS or a stop word, else "length"). */
export function wireFinishChunk(id: string, model: string, finishReason: string): WireChunk {
  return { id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta: {}, finish_reason: finishReason }] };
}

/**
 * With `stream_options.include_usage`, the last chunk has an empty `choices`
 * and the usage (OpenAI's spec; llama-server server-task.cpp, vLLM serving.py).
 * llama-server appends `timings` to the last chunk it sends.
 */
export function wireUsageChunk(id: string, model: string, usage: WireUsage, timings?: WireTimings): WireChunk {
  return { id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [], usage, ...(timings ? { timings } : {}) };
}

/**
 * llama-server's error body: `{"error": {"code", "message", "type"}}` from
 * format_error_response (README "API errors"); the context refusal adds
 * `n_prompt_tokens` and `n_ctx` (type exceed_context_size_error).
 */
export function llamaServerError(code: number, type: string, message: string, extra: Record<string, unknown> = {}): { error: Record<string, unknown> } {
  return { error: { code, message, type, ...extra } };
}

/** llama-server's refusal of a prompt longer than a slot's context (server-context.cpp; README). */
export function llamaServerOverflow(promptTokens: number, nCtx: number): { error: Record<string, unknown> } {
  return llamaServerError(400, "exceed_context_size_error", `request (${promptTokens} tokens) exceeds the available context size (${nCtx} tokens), try increasing it`, {
    n_prompt_tokens: promptTokens,
    n_ctx: nCtx,
  });
}

/** vLLM's error body (engine/protocol.py ErrorResponse: `{"error": ErrorInfo{message, type, param, code}}`). */
export function vllmError(code: number, type: string, message: string, param: string | null = null): { error: Record<string, unknown> } {
  return { error: { message, type, param, code } };
}

/**
 * vLLM's two context-length refusals (engine/serving.py _validate_input),
 * raised as VLLMValidationError and answered 400 BadRequestError: a prompt
 * alone at or over max_model_len, or a prompt plus max_tokens over it.
 */
export function vllmOverflowMessage(maxModelLen: number, promptTokens: number, maxTokens: number | undefined): string {
  if (maxTokens === undefined || promptTokens >= maxModelLen) {
    return `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`;
  }
  const total = promptTokens + maxTokens;
  return `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${maxTokens} output tokens and your prompt contains ${promptTokens} input tokens, for a total of ${total} tokens (${promptTokens} + ${maxTokens} = ${total} > ${maxModelLen}). Please reduce the length of the input prompt or the number of requested output tokens.`;
}

/** GET /props on llama-server (README): the per-slot context is default_generation_settings.n_ctx; total_slots is --parallel. */
export function wireProps(options: { nCtx: number; totalSlots: number; modelPath: string; buildInfo: string }): Record<string, unknown> {
  return {
    default_generation_settings: { id: 0, id_task: -1, n_ctx: options.nCtx, speculative: false, is_processing: false, params: { n_predict: -1, temperature: 0.8 } },
    total_slots: options.totalSlots,
    model_path: options.modelPath,
    chat_template: "{{ messages }}",
    modalities: { vision: false },
    build_info: options.buildInfo,
  };
}

/** GET /v1/models on llama-server: one entry, `owned_by` "llamacpp", `meta.n_ctx_train` (README). */
export function wireLlamaModels(id: string, nCtxTrain: number): Record<string, unknown> {
  return { object: "list", data: [{ id, object: "model", created: Math.floor(Date.now() / 1000), owned_by: "llamacpp", meta: { vocab_type: 2, n_vocab: 151936, n_ctx_train: nCtxTrain } }] };
}

/**
 * GET /v1/models on vLLM (engine/protocol.py ModelList/ModelCard, owned_by "vllm", max_model_len).
 * `root` is the model it loaded (serving_models.py: `root=base_model.model_path`), which the ids
 * name when it was started with --served-model-name; by default the id itself.
 */
export function wireVllmModels(ids: readonly string[], maxModelLen: number, root?: string): Record<string, unknown> {
  return {
    object: "list",
    data: ids.map((id) => ({ id, object: "model", created: Math.floor(Date.now() / 1000), owned_by: "vllm", root: root ?? id, parent: null, max_model_len: maxModelLen, permission: [] })),
  };
}
