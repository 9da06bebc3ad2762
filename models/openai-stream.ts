// One streamed POST /v1/chat/completions over Node's fetch, read as
// server-sent events, ended promptly by the caller's AbortSignal or by a stall
// timeout (no bytes for N ms). No client library: the official `openai`
// package's current line (7.x) requires Node 22, and the wire is small; here
// every event is checked (a line that is not JSON fails the call rather than
// shorten the reply), the servers' extra fields (llama-server's `timings`) are
// read, and an abort or timeout cancels the request at any stage.
//
// The stream, as llama-server (server.cpp handle_completions_impl,
// format_oai_sse) and vLLM write it: `data: <chunk>\n\n` events, a chunk with
// finish_reason, with stream_options.include_usage a last chunk with empty
// choices and the usage, then `data: [DONE]\n\n`. An error before the first
// chunk is an HTTP error status with a JSON body; an error after it is
// `data: {"error": …}` and the end of the stream (llama-server ≥ PR #16486;
// vLLM create_streaming_error_response), or an `error: {…}` event (older
// llama-server: server_sent_event(sink, "error", …)).

import type { ChatMessage } from "./call-record.js";
import { aborted, type ModelError } from "./errors.js";
import { StreamStop } from "./stream-stop.js";
import { fromNetwork, fromStatus, notOpenAi, openAiContextRefusal, readErrorBody, type OpenAiErrorBody, type OpenAiPhase } from "./openai-errors.js";
import type { OpenAiEndpoint } from "./openai-server.js";
import type { WireChunk, WireTimings, WireUsage } from "./openai-wire.js";

export interface OpenAiStreamRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  seed?: number;
  /** `response_format: {type: "json_schema", …}` when set. */
  jsonSchema?: object;
  /** llama-server and vLLM pass it to the chat template (Qwen 3's enable_thinking). */
  chatTemplateKwargs?: Record<string, unknown>;
  /** Extra headers for this request (X-Session-Id). */
  headers?: Record<string, string>;
}

export interface OpenAiStreamHooks {
  signal?: AbortSignal;
  firstChunkTimeoutMs: number;
  stallTimeoutMs: number;
  onDelta?(kind: "content" | "thinking", text: string): void;
}

export interface OpenAiStreamProgress {
  content: string;
  thinking: string;
  wallMs: number;
  timeToFirstTokenMs?: number;
  /** From the first delta to the last, for a speed when the server sends no timings. */
  streamingMs?: number;
}

export interface OpenAiFinal {
  finishReason: string | undefined;
  usage: WireUsage | undefined;
  timings: WireTimings | undefined;
}

export type OpenAiStreamOutcome =
  | ({ ok: true; final: OpenAiFinal } & OpenAiStreamProgress)
  | ({ ok: false; error: ModelError; refusal?: { counted?: { promptTokens: number; numCtx: number } }; body?: OpenAiErrorBody } & OpenAiStreamProgress);

/** A streamed event that is not what the servers send: fails the call rather than keep a shortened reply. */
class BrokenEvent extends Error {
  constructor(readonly excerpt: string) {
    super(`an event of the reply stream is not a JSON chunk: ${excerpt}`);
  }
}

/** The server reported an error in the stream itself. */
class StreamedError extends Error {
  constructor(readonly body: OpenAiErrorBody) {
    super(body.message);
  }
}

export function chatRequestBody(request: OpenAiStreamRequest): Record<string, unknown> {
  return {
    model: request.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    // The usage chunk (prompt and cached tokens) only comes when asked for (vLLM StreamOptions; llama-server include_usage).
    stream_options: { include_usage: true },
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.jsonSchema ? { response_format: { type: "json_schema", json_schema: { name: "answer", schema: request.jsonSchema, strict: true } } } : {}),
    ...(request.chatTemplateKwargs ? { chat_template_kwargs: request.chatTemplateKwargs } : {}),
  };
}

export async function streamOpenAiChat(endpoint: OpenAiEndpoint, request: OpenAiStreamRequest, hooks: OpenAiStreamHooks): Promise<OpenAiStreamOutcome> {
  const started = performance.now();
  const progress: OpenAiStreamProgress = { content: "", thinking: "", wallMs: 0 };
  let firstDeltaAt: number | undefined;
  let lastDeltaAt: number | undefined;
  const finish = (result: { ok: true; final: OpenAiFinal } | { ok: false; error: ModelError; refusal?: { counted?: { promptTokens: number; numCtx: number } }; body?: OpenAiErrorBody }): OpenAiStreamOutcome => {
    progress.wallMs = performance.now() - started;
    if (firstDeltaAt !== undefined && lastDeltaAt !== undefined && lastDeltaAt > firstDeltaAt) progress.streamingMs = lastDeltaAt - firstDeltaAt;
    return { ...result, ...progress };
  };
  if (hooks.signal?.aborted) return finish({ ok: false, error: aborted() });

  const stop = new StreamStop(hooks.signal);
  stop.arm(hooks.firstChunkTimeoutMs, "before-first-chunk");

  let phase: OpenAiPhase = "request";
  const final: OpenAiFinal = { finishReason: undefined, usage: undefined, timings: undefined };
  let sawDone = false;
  let sawChunk = false;
  try {
    const response = await fetch(`${endpoint.url}/v1/chat/completions`, {
      method: "POST",
      headers: { ...endpoint.headers, ...request.headers, "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(chatRequestBody(request)),
      signal: stop.signal,
    });
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok) {
      const body = readErrorBody(await response.text());
      const refusal = response.status === 400 ? openAiContextRefusal(body) : undefined;
      return finish({
        ok: false,
        error: fromStatus(response.status, body, { host: endpoint.url, model: request.model, path: "/v1/chat/completions" }),
        ...(refusal ? { refusal } : {}),
        body,
      });
    }
    if (!type.includes("text/event-stream") || !response.body) {
      const text = await response.text();
      return finish({ ok: false, error: notOpenAi(endpoint.url, "/v1/chat/completions", `${type || "no content type"} instead of an event stream: ${JSON.stringify(text.trim().slice(0, 80))}`) });
    }
    phase = "stream";
    stop.arm(hooks.stallTimeoutMs, "mid-stream");
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      stop.arm(hooks.stallTimeoutMs, "mid-stream");
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (onEvent(event)) sawDone = true;
      }
      if (sawDone) break;
    }
    if (!sawDone && buffer.trim() !== "" && onEvent(buffer)) sawDone = true;
  } catch (error) {
    return finish(classify(error));
  } finally {
    stop.release(true);
  }
  // A server that closes without [DONE] after its finish_reason (ik_llama.cpp without --send-done) still finished.
  if (!sawDone && final.finishReason === undefined) {
    return finish({
      ok: false,
      error: {
        kind: "stream-broken",
        reason: sawChunk ? "ended-without-done" : "connection-dropped",
        message: "the model's reply stream ended without its finish_reason or [DONE] — the reply may be incomplete",
        hint: "the server may have restarted or crashed; check its log and run again",
      },
    });
  }
  return finish({ ok: true, final });

  /** Handles one SSE event; true at `[DONE]`. */
  function onEvent(event: string): boolean {
    const data: string[] = [];
    let errorField: string | undefined;
    for (const line of event.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(value);
      else if (field === "error") errorField = value;
    }
    if (errorField !== undefined) throw new StreamedError(readErrorBody(errorField));
    if (data.length === 0) return false;
    const text = data.join("\n");
    if (text.trim() === "[DONE]") return true;
    let chunk: unknown;
    try {
      chunk = JSON.parse(text);
    } catch {
      throw new BrokenEvent(excerpt(text));
    }
    if (typeof chunk !== "object" || chunk === null || Array.isArray(chunk)) throw new BrokenEvent(excerpt(text));
    const c = chunk as WireChunk;
    if (c.error !== undefined) throw new StreamedError(readErrorBody(JSON.stringify(c)));
    if (!Array.isArray(c.choices)) throw new BrokenEvent(excerpt(text));
    sawChunk = true;
    for (const choice of c.choices) {
      const delta = choice.delta ?? {};
      // llama-server and vLLM's reasoning parsers: reasoning_content; newer vLLM: reasoning.
      const thinking = delta.reasoning_content ?? delta.reasoning;
      if (typeof thinking === "string" && thinking !== "") deliver("thinking", thinking);
      if (typeof delta.content === "string" && delta.content !== "") deliver("content", delta.content);
      if (typeof choice.finish_reason === "string") final.finishReason = choice.finish_reason;
    }
    if (c.usage) final.usage = c.usage;
    if (c.timings) final.timings = c.timings;
    return false;
  }

  function deliver(kind: "content" | "thinking", text: string) {
    const now = performance.now();
    if (progress.timeToFirstTokenMs === undefined) progress.timeToFirstTokenMs = now - started;
    firstDeltaAt ??= now;
    lastDeltaAt = now;
    if (kind === "content") progress.content += text;
    else progress.thinking += text;
    hooks.onDelta?.(kind, text);
  }

  function classify(error: unknown): { ok: false; error: ModelError; refusal?: { counted?: { promptTokens: number; numCtx: number } }; body?: OpenAiErrorBody } {
    const stopped = stop.stoppedError();
    if (stopped) return { ok: false, error: stopped };
    if (error instanceof BrokenEvent) {
      return {
        ok: false,
        error: {
          kind: "stream-broken",
          reason: "invalid-line",
          message: `${error.message}; the call failed rather than keep a shortened reply`,
          hint: "something between specwright and the server (a proxy) altered the stream, or the server is not OpenAI-compatible; run again, or point the endpoint at the server itself",
        },
      };
    }
    if (error instanceof StreamedError) {
      const refusal = openAiContextRefusal(error.body);
      return {
        ok: false,
        error: {
          kind: "server-error",
          status: undefined,
          serverMessage: error.body.message,
          midStream: true,
          message: `the model server reported an error while answering: ${error.body.message}`,
          hint: "check the server's log (a crashed worker or out of memory is common); run again",
        },
        ...(refusal ? { refusal } : {}),
        body: error.body,
      };
    }
    return { ok: false, error: fromNetwork(error, endpoint.url, phase) };
  }
}

function excerpt(text: string): string {
  const flat = text.trim().replace(/\s+/g, " ");
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}
