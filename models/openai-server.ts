// What an OpenAI-compatible server says about itself before the first prompt:
// which server it is, the models it serves, the context it was launched with
// (these servers ignore num_ctx: the window is fixed at launch), how many
// requests it runs at once, and whether it can count a prompt's tokens
// exactly. Each server tells it differently:
// - llama-server: GET /props → default_generation_settings.n_ctx (the context
//   of one slot) and total_slots (--parallel); GET /v1/models → meta.n_ctx_train
//   (tools/server/README.md); POST /apply-template + POST /tokenize count a chat;
// - vLLM: GET /v1/models → max_model_len (engine/protocol.py ModelCard);
//   POST /tokenize {model, messages} applies the chat template itself
//   (TokenizeChatRequest, add_generation_prompt defaults true) and answers
//   {count, max_model_len, tokens} (TokenizeResponse); GET /version;
// - LM Studio: GET /api/v0/models → state, loaded_context_length,
//   max_context_length (its REST API v0, LM Studio 0.3.6+); no tokenizer route;
// - anything else (LiteLLM, a gateway): /v1/models only; the context must come
//   from the config.
// Replies are untrusted JSON, read field by field.

import type { ChatMessage } from "./call-record.js";
import { aborted, fail, metadataTimedOut, ok, type ModelResult } from "./errors.js";
import { fromNetwork, fromStatus, notOpenAi, readErrorBody } from "./openai-errors.js";
import type { OpenAiFlavour } from "./openai-wire.js";
import { METADATA_TIMEOUT_MS } from "./model-facts.js";

/** Where requests go and with which headers. `headers` may hold the API key: never print it. */
export interface OpenAiEndpoint {
  /** The server's root (no /v1, no credentials), printable. */
  url: string;
  headers: Record<string, string>;
}

export interface ServedModel {
  id: string;
  /** vLLM max_model_len, LM Studio loaded_context_length (or max_context_length when not loaded). */
  contextLength?: number;
  /** llama-server meta.n_ctx_train, LM Studio max_context_length: what the model was trained for. */
  trainedContext?: number;
  /** vLLM's ModelCard root: the model (a Hugging Face id or a path) the id serves. */
  root?: string;
}

export interface OpenAiServerFacts {
  flavour: OpenAiFlavour;
  /** llama-server build_info, vLLM /version. */
  version: string | undefined;
  models: ServedModel[];
  /** The context one request gets: llama-server's per-slot n_ctx, vLLM's max_model_len, LM Studio's loaded context. */
  servedContext: number | undefined;
  /** llama-server total_slots (requests it runs at once). */
  totalSlots: number | undefined;
  /** llama-server model_path: the file it serves (names the model family). */
  modelPath: string | undefined;
  /** How this server counts a chat's tokens exactly, if it can. */
  tokenizer: "llama-server" | "vllm" | undefined;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** One small request with a fixed timeout; the caller's signal aborts it. */
export async function smallRequest(
  endpoint: OpenAiEndpoint,
  path: string,
  init: { method?: "GET" | "POST"; body?: unknown; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ModelResult<Answer>> {
  const timeoutMs = init.timeoutMs ?? METADATA_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  try {
    const response = await fetch(`${endpoint.url}${path}`, {
      method: init.method ?? "GET",
      headers: { ...endpoint.headers, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal,
    });
    const text = await response.text();
    return ok({ status: response.status, contentType: response.headers.get("content-type") ?? "", text });
  } catch (error) {
    if (init.signal?.aborted) return fail(aborted());
    if (timeout.aborted) return fail(metadataTimedOut(endpoint.url, path, timeoutMs));
    return fail(fromNetwork(error, endpoint.url, "request"));
  }
}

function jsonOf(answer: Answer): Record<string, unknown> | undefined {
  if (answer.status !== 200) return undefined;
  try {
    const value: unknown = JSON.parse(answer.text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const positive = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined);

/**
 * Reads what the server is and serves. Fails when the server cannot be
 * reached, refuses the key, or /v1/models does not answer as an
 * OpenAI-compatible server does; the other probes are optional.
 */
export async function openAiServerFacts(endpoint: OpenAiEndpoint, signal?: AbortSignal): Promise<ModelResult<OpenAiServerFacts>> {
  const listed = await smallRequest(endpoint, "/v1/models", signal ? { signal } : {});
  if (!listed.ok) return listed;
  if (listed.value.status !== 200) {
    const body = readErrorBody(listed.value.text);
    return fail(fromStatus(listed.value.status, body, { host: endpoint.url, model: "", path: "/v1/models" }));
  }
  const list = jsonOf(listed.value);
  const data = list?.["data"];
  if (!Array.isArray(data)) return fail(notOpenAi(endpoint.url, "/v1/models", `${listed.value.contentType || "a body"} without a model list`));
  const owners = new Set<string>();
  const models: ServedModel[] = [];
  for (const entry of data) {
    if (typeof entry !== "object" || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e["id"] !== "string") continue;
    if (typeof e["owned_by"] === "string") owners.add(e["owned_by"]);
    const meta = typeof e["meta"] === "object" && e["meta"] !== null ? (e["meta"] as Record<string, unknown>) : {};
    const contextLength = positive(e["max_model_len"]);
    const trainedContext = positive(meta["n_ctx_train"]);
    const root = typeof e["root"] === "string" && e["root"] !== "" ? e["root"] : undefined;
    models.push({ id: e["id"], ...(contextLength ? { contextLength } : {}), ...(trainedContext ? { trainedContext } : {}), ...(root ? { root } : {}) });
  }

  // llama-server answers /props; nothing else does.
  const props = await smallRequest(endpoint, "/props", signal ? { signal } : {});
  if (!props.ok && props.error.kind === "aborted") return props;
  // llama-server lists its models without a key but wants it for /props: a refusal here is the key's.
  if (props.ok && (props.value.status === 401 || props.value.status === 403)) {
    return fail(fromStatus(props.value.status, readErrorBody(props.value.text), { host: endpoint.url, model: "", path: "/props" }));
  }
  const propsJson = props.ok ? jsonOf(props.value) : undefined;
  const settings = propsJson?.["default_generation_settings"];
  if (propsJson && typeof settings === "object" && settings !== null) {
    const s = settings as Record<string, unknown>;
    return ok({
      flavour: "llama-server",
      version: typeof propsJson["build_info"] === "string" ? propsJson["build_info"] : undefined,
      models,
      servedContext: positive(s["n_ctx"]),
      totalSlots: positive(propsJson["total_slots"]),
      modelPath: typeof propsJson["model_path"] === "string" ? propsJson["model_path"] : undefined,
      tokenizer: "llama-server",
    });
  }

  if (owners.has("vllm") || models.some((m) => m.contextLength !== undefined)) {
    const version = await smallRequest(endpoint, "/version", signal ? { signal } : {});
    const v = version.ok ? jsonOf(version.value)?.["version"] : undefined;
    return ok({ flavour: "vllm", version: typeof v === "string" ? v : undefined, models, servedContext: undefined, totalSlots: undefined, modelPath: undefined, tokenizer: "vllm" });
  }

  // LM Studio's REST API (beta) reports the context a loaded model really has.
  const studio = await smallRequest(endpoint, "/api/v0/models", signal ? { signal } : {});
  const studioData = studio.ok ? jsonOf(studio.value)?.["data"] : undefined;
  if (Array.isArray(studioData)) {
    for (const entry of studioData) {
      if (typeof entry !== "object" || entry === null) continue;
      const e = entry as Record<string, unknown>;
      const model = models.find((m) => m.id === e["id"]);
      if (!model) continue;
      const loaded = e["state"] === "loaded" ? positive(e["loaded_context_length"]) : undefined;
      const max = positive(e["max_context_length"]);
      if (loaded ?? max) model.contextLength = (loaded ?? max)!;
      if (max) model.trainedContext = max;
    }
    return ok({ flavour: "lmstudio", version: undefined, models, servedContext: undefined, totalSlots: undefined, modelPath: undefined, tokenizer: undefined });
  }
  return ok({ flavour: "openai", version: undefined, models, servedContext: undefined, totalSlots: undefined, modelPath: undefined, tokenizer: undefined });
}

/**
 * The exact token count of a chat as the server will see it, template and
 * generation prompt included:
 * - llama-server: POST /apply-template {messages} renders the chat with the
 *   model's template (README), POST /tokenize {content, add_special: true,
 *   parse_special: true} counts it with the BOS the chat route adds;
 * - vLLM: POST /tokenize {model, messages} renders and counts in one request.
 * Undefined when the server does not answer as expected: the caller falls back
 * to the estimate.
 */
export async function countChatTokens(
  endpoint: OpenAiEndpoint,
  tokenizer: "llama-server" | "vllm",
  model: string,
  messages: readonly ChatMessage[],
  signal?: AbortSignal,
): Promise<ModelResult<number | undefined>> {
  const wire = messages.map((m) => ({ role: m.role, content: m.content }));
  const withSignal = signal ? { signal } : {};
  if (tokenizer === "vllm") {
    const answer = await smallRequest(endpoint, "/tokenize", { method: "POST", body: { model, messages: wire }, ...withSignal });
    if (!answer.ok) return answer;
    const body = jsonOf(answer.value);
    const count = body?.["count"];
    if (typeof count === "number") return ok(count);
    const tokens = body?.["tokens"];
    return ok(Array.isArray(tokens) ? tokens.length : undefined);
  }
  const rendered = await smallRequest(endpoint, "/apply-template", { method: "POST", body: { messages: wire }, ...withSignal });
  if (!rendered.ok) return rendered;
  const prompt = jsonOf(rendered.value)?.["prompt"];
  if (typeof prompt !== "string") return ok(undefined);
  const answer = await smallRequest(endpoint, "/tokenize", { method: "POST", body: { content: prompt, add_special: true, parse_special: true }, ...withSignal });
  if (!answer.ok) return answer;
  const tokens = jsonOf(answer.value)?.["tokens"];
  return ok(Array.isArray(tokens) ? tokens.length : undefined);
}

/**
 * llama-server's GET /health: 200 `{"status": "ok"}` once the model is loaded,
 * 503 `{"error": {"code": 503, "message": "Loading model", "type":
 * "unavailable_error"}}` before (README). vLLM answers 200 with an empty body;
 * a server without the route answers 404, which says nothing.
 */
export async function checkHealth(endpoint: OpenAiEndpoint, signal?: AbortSignal): Promise<ModelResult<void>> {
  const answer = await smallRequest(endpoint, "/health", signal ? { signal } : {});
  if (!answer.ok) return answer;
  if (answer.value.status === 503) return fail(fromStatus(503, readErrorBody(answer.value.text), { host: endpoint.url, model: "", path: "/health" }));
  return ok(undefined);
}
