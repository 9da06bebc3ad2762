// A fake OpenAI-compatible model server for tests and benchmarks: real HTTP
// on 127.0.0.1 in one of two flavours, llama-server or vLLM, each answering as
// that server does where it matters to specwright — the SSE stream of
// /v1/chat/completions with its final usage chunk, the discovery routes
// (/props, /v1/models, /version, /health), the tokenizer routes (/tokenize,
// /apply-template), the refusals (context, key, model, loading) and their
// bodies. The payloads come from models/openai-wire.ts, where each shape names
// its source (llama.cpp tools/server README.md, server.cpp, server-task.cpp;
// vLLM vllm/entrypoints/openai/engine/protocol.py and serving.py); behaviours
// written here cite theirs beside the code.
//
// Token counts: the chat rendered as ChatML (models/ollama-wire.ts) split by
// the pre-tokenizer of models/token-estimate.ts, times `tokenRatio` — the same
// count for /tokenize and for usage.prompt_tokens, as on the real servers.

import type { IncomingMessage, ServerResponse } from "node:http";
import { renderChatML } from "../../models/ollama-wire.js";
import {
  SSE_DONE,
  llamaServerError,
  llamaServerOverflow,
  sseData,
  vllmError,
  vllmOverflowMessage,
  wireDeltaChunk,
  wireFinishChunk,
  wireLlamaModels,
  wireProps,
  wireUsageChunk,
  wireVllmModels,
  type WireTimings,
  type WireUsage,
} from "../../models/openai-wire.js";
import { preTokenize } from "../../models/token-estimate.js";
import { answerJson, bodyFields, readRequest, recordedBasics, startFakeHttp } from "../fake-http/server.js";
import { clientGone, cutStream, deltaDelayMs, deltas, sharedPrefix, sleep, streamDeltas, type PacedReply, type StreamCut } from "../fake-http/stream.js";

export type FakeOpenAiFlavour = "llama-server" | "vllm";

/** What goes wrong instead of, or part-way through, a normal reply. */
export type FakeOpenAiFault =
  /** Answer with this HTTP status and body (default: the flavour's error body with `message`) instead of streaming. */
  | { kind: "http-error"; status: number; message: string; body?: unknown }
  /** After `afterChunks` deltas, send `data: {"error": …}` (and, on vLLM, `data: [DONE]`) and end. */
  | { kind: "error-event"; afterChunks: number; message: string }
  /** After `afterChunks` deltas, write this raw event text and go on. */
  | { kind: "invalid-event"; afterChunks: number; text: string }
  /** Drop the connection, end without finish_reason or [DONE], or hang (the role chunk is sent first). */
  | StreamCut;

export interface FakeOpenAiReply extends PacedReply {
  /** Streamed as delta.reasoning_content before the content (llama-server --reasoning-format, vLLM --reasoning-parser). */
  reasoning?: string | string[];
  fault?: FakeOpenAiFault;
}

export interface FakeOpenAiOptions {
  flavour: FakeOpenAiFlavour;
  /** Served model ids. llama-server: one (its --alias; the request's `model` is ignored). Default ["qwen2.5-coder-14b"]. */
  models?: string[];
  /** llama-server: the context of one slot (/props n_ctx); vLLM: max_model_len. Default 8192. */
  contextLength?: number;
  /** vLLM: the model the ids stand for (ModelCard root, its --model when started with --served-model-name). Default: each id. */
  root?: string;
  /** llama-server total_slots (--parallel). Default 1. */
  totalSlots?: number;
  /** Require `Authorization: Bearer <apiKey>` (llama-server --api-key; vLLM --api-key). */
  apiKey?: string;
  /** llama-server still loading its model: /health and every other route answer 503. */
  loading?: boolean;
  /** Answer /tokenize (default true); false makes the route 404 as on a server without it. */
  tokenize?: boolean;
  /** Accept response_format json_schema (default true); false rejects it with 400 as a server without it would. */
  jsonSchema?: boolean;
  /** vLLM: report usage.prompt_tokens_details.cached_tokens (--enable-prompt-tokens-details). Default true. */
  promptTokensDetails?: boolean;
  tokenRatio?: number;
  /** Counts a rendered prompt instead of the pre-tokenizer (the bench plugs a real tokenizer in). */
  countTokens?: (text: string) => number;
  tokensPerSecond?: number;
  /** The reply when the script queue is empty; a function answers by the request (a build routes replies by task). */
  defaultReply?: FakeOpenAiReply | ((request: FakeOpenAiRequest) => FakeOpenAiReply);
  port?: number;
}

export interface FakeOpenAiRequest {
  seq: number;
  method: string;
  path: string;
  /** The Authorization header as sent (tests check it carries the key, and that traces do not). */
  authorization?: string;
  /** The X-Session-Id header as sent. */
  sessionId?: string;
  body: unknown;
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  maxTokens?: number;
  responseFormat?: unknown;
  chatTemplateKwargs?: unknown;
  streamOptions?: unknown;
  status?: number;
  promptTokens?: number;
  cachedTokens?: number;
  refused?: boolean;
  outcome?: "done" | "http-error" | "error-event" | "dropped" | "ended-without-done" | "hung" | "client-closed";
  receivedAt: number;
  clientClosedAt?: number;
}

export interface FakeOpenAi {
  url: string;
  port: number;
  flavour: FakeOpenAiFlavour;
  requests: FakeOpenAiRequest[];
  script(...replies: FakeOpenAiReply[]): void;
  /** Chat completion requests. */
  chatRequests(): FakeOpenAiRequest[];
  /** The count /tokenize gives for these messages (and usage.prompt_tokens reports). */
  countOf(messages: ReadonlyArray<{ role: string; content: string }>): number;
  setLoading(loading: boolean): void;
  close(): Promise<void>;
}

const DEFAULT_MODEL = "qwen2.5-coder-14b";

export async function startFakeOpenAi(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
  const flavour = options.flavour;
  const models = options.models ?? [DEFAULT_MODEL];
  const contextLength = options.contextLength ?? 8192;
  const totalSlots = options.totalSlots ?? 1;
  const ratio = options.tokenRatio ?? 1;
  const queue: FakeOpenAiReply[] = [];
  const requests: FakeOpenAiRequest[] = [];
  /** Recent prompts (one per slot), for the prefix cache. */
  const recent: string[][] = [];
  let loading = options.loading ?? false;
  let completionId = 0;

  const count = options.countTokens ?? ((text: string) => Math.round(preTokenize(text).length * ratio));
  const countOf = (messages: ReadonlyArray<{ role: string; content: string }>) => count(renderChatML(messages));

  const http = await startFakeHttp({
    port: options.port,
    handle,
    bugBody: (message) => ({ error: { code: 500, message: `fake-openai bug: ${message}`, type: "server_error" } }),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, body } = await readRequest(req);
    const record = recordRequest(req, path, body);
    const route = `${req.method} ${path}`;

    if (flavour === "llama-server") {
      // server.cpp middleware_server_state: while the model loads every route answers 503
      // {"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}} (README /health).
      if (loading) return sendJson(res, record, 503, llamaServerError(503, "unavailable_error", "Loading model"));
      // server.cpp middleware_validate_api_key: /health and the model lists are public; the rest
      // needs the key, else 401 "Invalid API Key" authentication_error (README "API errors").
      const isPublic = ["/health", "/v1/health", "/models", "/v1/models"].includes(path);
      if (options.apiKey !== undefined && !isPublic && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return sendJson(res, record, 401, llamaServerError(401, "authentication_error", "Invalid API Key"));
      }
    } else if (options.apiKey !== undefined && path.startsWith("/v1") && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      // vLLM api_server.py AuthenticationMiddleware guards only paths under /v1.
      return sendJson(res, record, 401, { error: "Unauthorized" });
    }

    switch (route) {
      case "GET /health":
        // llama-server: {"status": "ok"} (README); vLLM: 200 with an empty body (api_server.py health).
        if (flavour === "llama-server") return sendJson(res, record, 200, { status: "ok" });
        record.status = 200;
        res.writeHead(200);
        res.end();
        return;
      case "GET /v1/models":
      case "GET /models":
        return sendJson(res, record, 200, flavour === "llama-server" ? wireLlamaModels(models[0]!, 32768) : wireVllmModels(models, contextLength, options.root));
      case "GET /props":
        if (flavour === "llama-server") return sendJson(res, record, 200, wireProps({ nCtx: contextLength, totalSlots, modelPath: `/models/${models[0]!}-Q4_K_M.gguf`, buildInfo: "b6500-fake" }));
        break;
      case "GET /version":
        if (flavour === "vllm") return sendJson(res, record, 200, { version: "0.11.0" });
        break;
      case "POST /apply-template":
        // README "POST /apply-template": {messages} → {prompt} rendered with the model's template.
        if (flavour === "llama-server") return sendJson(res, record, 200, { prompt: renderChatML(record.messages ?? []) });
        break;
      case "POST /tokenize":
        if (options.tokenize === false) break;
        return tokenize(res, record);
      case "POST /v1/chat/completions":
        return chat(res, record);
    }
    // Unknown routes: llama-server answers 404 "File Not Found" not_found_error (format_error_response);
    // vLLM is FastAPI: {"detail": "Not Found"}.
    return sendJson(res, record, 404, flavour === "llama-server" ? llamaServerError(404, "not_found_error", "File Not Found") : { detail: "Not Found" });
  }

  function tokenize(res: ServerResponse, record: FakeOpenAiRequest): void {
    const fields = (record.body ?? {}) as Record<string, unknown>;
    if (flavour === "llama-server") {
      // README "POST /tokenize": {content, add_special, parse_special} → {"tokens": [ids]}.
      const content = typeof fields["content"] === "string" ? fields["content"] : "";
      return sendJson(res, record, 200, { tokens: ids(count(content)) });
    }
    // vLLM TokenizeChatRequest {model, messages} (chat template applied, add_generation_prompt
    // defaulting true) or TokenizeCompletionRequest {model, prompt}; TokenizeResponse {count, max_model_len, tokens}.
    const n = record.messages ? countOf(record.messages) : count(typeof fields["prompt"] === "string" ? fields["prompt"] : "");
    return sendJson(res, record, 200, { count: n, max_model_len: contextLength, tokens: ids(n), token_strs: null });
  }

  async function chat(res: ServerResponse, record: FakeOpenAiRequest): Promise<void> {
    const model = record.model ?? "";
    const responseModel = flavour === "llama-server" ? models[0]! : model;
    if (flavour === "vllm" && !models.includes(model)) {
      // engine/serving.py _check_model: 404 NotFoundError "The model `x` does not exist.".
      return sendJson(res, record, 404, vllmError(404, "NotFoundError", `The model \`${model}\` does not exist.`, "model"));
    }
    const byDefault = options.defaultReply;
    const reply = queue.shift() ?? (typeof byDefault === "function" ? byDefault(record) : byDefault) ?? { content: "ok" };
    if (reply.fault?.kind === "http-error") {
      record.outcome = "http-error";
      const fallback = flavour === "llama-server" ? llamaServerError(reply.fault.status, "server_error", reply.fault.message) : vllmError(reply.fault.status, "InternalServerError", reply.fault.message);
      return sendJson(res, record, reply.fault.status, (reply.fault.body ?? fallback) as object);
    }
    if (record.responseFormat !== undefined && options.jsonSchema === false) {
      return sendJson(res, record, 400, flavour === "llama-server" ? llamaServerError(400, "invalid_request_error", "response_format type json_schema is not supported") : vllmError(400, "BadRequestError", "response_format json_schema is not supported"));
    }

    const messages = record.messages ?? [];
    const rendered = renderChatML(messages);
    const promptTokens = count(rendered);
    record.promptTokens = promptTokens;
    const maxTokens = record.maxTokens;
    if (flavour === "llama-server" && promptTokens >= contextLength) {
      // server-context.cpp: a prompt of n_ctx tokens or more is refused, with both counts.
      record.refused = true;
      return sendJson(res, record, 400, llamaServerOverflow(promptTokens, contextLength));
    }
    if (flavour === "vllm" && (promptTokens >= contextLength || (maxTokens !== undefined && promptTokens + maxTokens > contextLength))) {
      // engine/serving.py _validate_input: the prompt alone, or the prompt plus max_tokens, over max_model_len.
      record.refused = true;
      return sendJson(res, record, 400, vllmError(400, "BadRequestError", vllmOverflowMessage(contextLength, promptTokens, maxTokens), promptTokens >= contextLength ? "input_tokens" : "max_tokens"));
    }

    // The prefix cache: the longest shared prefix with a recent prompt (one per slot). vLLM's
    // automatic prefix caching reuses whole KV blocks (16 tokens by default), so its count is a
    // multiple of 16; llama-server reuses a slot's cache token by token (cache_n).
    const pieces = preTokenize(rendered);
    let shared = 0;
    for (const previous of recent) shared = Math.max(shared, sharedPrefix(previous, pieces));
    let cached = Math.min(Math.round(shared * ratio), promptTokens);
    if (flavour === "vllm") cached = Math.floor(cached / 16) * 16;
    record.cachedTokens = cached;

    const gone = clientGone(res, record);
    await sleep(reply.firstChunkDelayMs ?? 0, gone.signal);
    if (gone.signal.aborted) return;

    const reasoning = deltas(reply.reasoning);
    let content = deltas(reply.content ?? "ok");
    // Generation stops at max_tokens, and on llama-server (context shift off by default) when
    // the slot's context is full: finish_reason "length" (server-task.cpp: anything but EOS or a stop word).
    const room = flavour === "llama-server" ? Math.max(contextLength - promptTokens, 0) : Infinity;
    const budget = Math.min(maxTokens ?? Infinity, room);
    let finishReason = "stop";
    const reasoningKept = reasoning.slice(0, Number.isFinite(budget) ? budget : undefined);
    if (reasoning.length + content.length > budget) {
      content = content.slice(0, Math.max(budget - reasoningKept.length, 0));
      finishReason = "length";
    }
    const chunkDelay = deltaDelayMs(reply, options.tokensPerSecond);
    const fault = reply.fault;
    if (!fault) {
      recent.unshift(preTokenize(rendered + content.join("")));
      recent.length = Math.min(recent.length, Math.max(totalSlots, 1));
    }

    completionId += 1;
    const id = `chatcmpl-${completionId}`;
    const write = (text: string) => {
      if (!res.headersSent) res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(text);
    };
    // The first chunk carries the role (vLLM: role "assistant" with content ""; llama-server the same diff shape).
    write(sseData(wireDeltaChunk(id, responseModel, { role: "assistant", content: "" })));
    const started = performance.now();
    const all: Array<["reasoning_content" | "content", string]> = [
      ...reasoningKept.map((t): ["reasoning_content", string] => ["reasoning_content", t]),
      ...content.map((t): ["content", string] => ["content", t]),
    ];
    const sent = await streamDeltas(all, {
      delayMs: chunkDelay,
      gone: gone.signal,
      write: ([field, text]) => write(sseData(wireDeltaChunk(id, responseModel, { [field]: text }))),
      ...(fault ? { fault: { at: fault.afterChunks, apply: () => applyFault(fault, res, record, write) } } : {}),
    });
    if (sent === undefined) return;
    const predictedMs = Math.max(performance.now() - started, 0.001);
    const usage: WireUsage = { prompt_tokens: promptTokens, completion_tokens: sent, total_tokens: promptTokens + sent };
    if (flavour === "llama-server" || options.promptTokensDetails !== false) usage.prompt_tokens_details = { cached_tokens: cached };
    const timings: WireTimings | undefined =
      flavour === "llama-server"
        ? {
            cache_n: cached,
            prompt_n: promptTokens - cached,
            prompt_ms: 1,
            prompt_per_token_ms: 1 / Math.max(promptTokens - cached, 1),
            prompt_per_second: Math.max(promptTokens - cached, 1) * 1000,
            predicted_n: sent,
            predicted_ms: predictedMs,
            predicted_per_token_ms: predictedMs / Math.max(sent, 1),
            predicted_per_second: (sent / predictedMs) * 1000,
          }
        : undefined;
    write(sseData(wireFinishChunk(id, responseModel, finishReason)));
    // Asked for with stream_options.include_usage; llama-server adds timings to the last chunk.
    const wantsUsage = (record.streamOptions as { include_usage?: unknown } | undefined)?.include_usage === true;
    if (wantsUsage) write(sseData(wireUsageChunk(id, responseModel, usage, timings)));
    write(SSE_DONE);
    record.status = 200;
    record.outcome = "done";
    res.end();
  }

  async function applyFault(fault: Exclude<FakeOpenAiFault, { kind: "http-error" }>, res: ServerResponse, record: FakeOpenAiRequest, write: (text: string) => void): Promise<boolean> {
    record.status = 200;
    switch (fault.kind) {
      case "error-event": {
        // llama-server (server.cpp, after PR #16486): `data: {"error": …}` and the stream ends;
        // vLLM (serving.py chat_completion_stream_generator): the error event, then `data: [DONE]`.
        const error = flavour === "llama-server" ? llamaServerError(500, "server_error", fault.message) : vllmError(500, "InternalServerError", fault.message);
        write(sseData(error));
        if (flavour === "vllm") write(SSE_DONE);
        record.outcome = "error-event";
        res.end();
        return true;
      }
      case "invalid-event":
        write(fault.text.endsWith("\n\n") ? fault.text : `${fault.text}\n\n`);
        return false;
      default:
        await cutStream(fault, res, record, "text/event-stream");
        return true;
    }
  }

  function recordRequest(req: IncomingMessage, path: string, body: unknown): FakeOpenAiRequest {
    const fields = bodyFields(body);
    const record: FakeOpenAiRequest = recordedBasics(req, requests.length + 1, path, body);
    const session = req.headers["x-session-id"];
    if (typeof session === "string") record.sessionId = session;
    if (typeof fields["model"] === "string") record.model = fields["model"];
    if (Array.isArray(fields["messages"])) record.messages = fields["messages"] as Array<{ role: string; content: string }>;
    if (typeof fields["max_tokens"] === "number") record.maxTokens = fields["max_tokens"];
    if ("response_format" in fields) record.responseFormat = fields["response_format"];
    if ("chat_template_kwargs" in fields) record.chatTemplateKwargs = fields["chat_template_kwargs"];
    if ("stream_options" in fields) record.streamOptions = fields["stream_options"];
    requests.push(record);
    return record;
  }

  function sendJson(res: ServerResponse, record: FakeOpenAiRequest, status: number, value: object): void {
    answerJson(res, record, status, value);
    if (status >= 400 && record.outcome === undefined) record.outcome = "http-error";
  }

  return {
    url: http.url,
    port: http.port,
    flavour,
    requests,
    script: (...replies) => void queue.push(...replies),
    chatRequests: () => requests.filter((r) => r.path === "/v1/chat/completions"),
    countOf,
    setLoading: (value) => {
      loading = value;
    },
    close: http.close,
  };
}

function ids(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1000 + i);
}
