// One streamed /api/chat request through the `ollama` client, ended promptly by
// the caller's AbortSignal or by a stall timeout (no chunk for N ms).
//
// ollama-js can only abort streams, and only once the response headers have
// arrived (the iterator is returned after them). A hung server sends no
// headers, so we also hand the client a fetch that carries our own signal:
// aborting it cancels the request at any stage and undici closes the socket.
//
// The same fetch checks what comes back before ollama-js reads it. ollama-js
// skips an NDJSON line that does not parse with a console warning (its
// parseJSON), and throws a TypeError on a line that parses to a non-object
// (`"error" in message`): a reply with a broken line would come back shorter
// and look whole. Here any such line fails the stream, and an answer that is
// not JSON at all (an HTML page from a proxy) fails the request.

import { Ollama, type ChatResponse } from "ollama";
import type { ChatMessage } from "./call-record.js";
import { aborted, type ModelError } from "./errors.js";
import { StreamStop } from "./stream-stop.js";
import { InvalidStreamLine, NotOllamaAnswer, mapOllamaError, type FailurePhase } from "./error-mapping.js";
import { endpointHeaders, endpointUrl, sessionHeaders, type OllamaEndpoint } from "./host.js";

export interface ChatStreamRequest {
  model: string;
  messages: ChatMessage[];
  options: Record<string, number>;
  keepAlive: string | number;
  /** Omitted when undefined: a thinking model then thinks (routes.go ChatHandler), a plain one does not. */
  think: boolean | "low" | "medium" | "high" | undefined;
  format?: object;
  /** Sent as is; servers before 0.12.6 ignore them (see server-features.ts). */
  truncate?: boolean;
  shift?: boolean;
  /** Sent as the X-Session-Id header (host.ts). */
  sessionId?: string;
}

export interface ChatStreamHooks {
  signal?: AbortSignal;
  /** No response headers (or first chunk) within this many ms ends the call. */
  firstChunkTimeoutMs: number;
  /** No chunk for this many ms once the stream runs ends the call. */
  stallTimeoutMs: number;
  onDelta?(kind: "content" | "thinking", text: string): void;
}

export interface ChatStreamProgress {
  content: string;
  thinking: string;
  wallMs: number;
  /** From sending to the first content or thinking delta. */
  timeToFirstTokenMs?: number;
}

export type ChatStreamOutcome =
  | ({ ok: true; final: ChatResponse } & ChatStreamProgress)
  | ({ ok: false; error: ModelError } & ChatStreamProgress);

/**
 * A fetch bound to `signal` that adds `headers` (a host's credentials), turns
 * non-JSON error bodies into JSON (ollama-js console.logs otherwise), refuses a
 * 200 answer that is not JSON, and fails a stream on its first line that is not
 * a JSON object.
 */
export function boundFetch(signal: AbortSignal, headers: Record<string, string> = {}): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const combined = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    const response = await fetch(input, { ...init, headers: merged, signal: combined });
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok) {
      if (type.includes("application/json")) return response;
      const text = (await response.text()).trim();
      // Ollama answers every refusal with JSON, and an unknown route with gin's
      // "404 page not found" (server/routes.go uses gin; mapped in error-mapping).
      // Any other 4xx body comes from something else at that address.
      if (response.status >= 400 && response.status < 500 && !/^404 page not found$/.test(text)) {
        throw new NotOllamaAnswer(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} with ${describeBody(type, text)}`);
      }
      const error = type.includes("text/html") ? `${response.status} ${response.statusText}: ${describeBody(type, text)}` : text || response.statusText;
      return new Response(JSON.stringify({ error }), { status: response.status, statusText: response.statusText, headers: { "content-type": "application/json" } });
    }
    if (type.includes("application/x-ndjson")) {
      if (!response.body) return response;
      return new Response(response.body.pipeThrough(validatedLines()), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    const text = await response.text();
    if (!type.includes("application/json")) throw new NotOllamaAnswer(describeBody(type, text));
    try {
      JSON.parse(text);
    } catch {
      throw new NotOllamaAnswer(`JSON that does not parse: ${excerptOf(text)}`);
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** One line of what a server answered: an HTML page by its title (or first text), anything else by its type and first 80 characters. */
export function describeBody(type: string, text: string): string {
  if (type.includes("text/html") || /^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    const visible = (title ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ")).replace(/&[a-z]+;|&#\d+;/gi, " ");
    return visible.trim() === "" ? "an HTML page" : `an HTML page: ${excerptOf(visible)}`;
  }
  if (text.trim() === "") return `an empty ${type || "body"}`;
  return `${type || "no content type"}: ${excerptOf(text)}`;
}

function excerptOf(text: string): string {
  const flat = text.trim().replace(/\s+/g, " ");
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}

/**
 * Passes NDJSON through unchanged; errors the stream at the first line that is
 * not a JSON object. Works on bytes (a newline byte never occurs inside a UTF-8
 * sequence), decoding each line only to check it.
 */
function validatedLines(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let pending: Uint8Array = new Uint8Array(0);
  let lineNumber = 0;
  const check = (bytes: Uint8Array) => {
    lineNumber += 1;
    const line = decoder.decode(bytes);
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InvalidStreamLine(lineNumber, excerptOf(line));
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidStreamLine(lineNumber, excerptOf(line));
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, out) {
      const bytes = pending.length === 0 ? chunk : concat(pending, chunk);
      let start = 0;
      for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, start)) {
        check(bytes.subarray(start, i));
        start = i + 1;
      }
      if (start > 0) out.enqueue(bytes.subarray(0, start));
      pending = bytes.slice(start);
    },
    flush(out) {
      if (pending.length === 0) return;
      check(pending);
      out.enqueue(pending);
    },
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

export async function streamChat(host: OllamaEndpoint, request: ChatStreamRequest, hooks: ChatStreamHooks): Promise<ChatStreamOutcome> {
  const started = performance.now();
  const progress: ChatStreamProgress = { content: "", thinking: "", wallMs: 0 };
  const finish = (result: { ok: true; final: ChatResponse } | { ok: false; error: ModelError }): ChatStreamOutcome => {
    progress.wallMs = performance.now() - started;
    return { ...result, ...progress };
  };
  if (hooks.signal?.aborted) return finish({ ok: false, error: aborted() });

  const stop = new StreamStop(hooks.signal);
  stop.arm(hooks.firstChunkTimeoutMs, "before-first-chunk");

  // ollama-js 0.6 takes headers per client only (chat() sends `this.config.headers`), and a
  // client lives for one request here, so the session id rides on the client's fetch.
  const headers = { ...endpointHeaders(host), ...sessionHeaders(request.sessionId) };
  const client = new Ollama({ host: endpointUrl(host), fetch: boundFetch(stop.signal, headers) });
  let phase: FailurePhase = "request";
  let final: ChatResponse | undefined;
  let line = 0;
  try {
    // ollama-js passes fields it does not type (truncate, shift) through to the server.
    const chatRequest = {
      model: request.model,
      messages: request.messages,
      stream: true as const,
      ...(request.think !== undefined ? { think: request.think } : {}),
      keep_alive: request.keepAlive,
      options: request.options,
      ...(request.format ? { format: request.format } : {}),
      ...(request.truncate !== undefined ? { truncate: request.truncate } : {}),
      ...(request.shift !== undefined ? { shift: request.shift } : {}),
    };
    const stream = await client.chat(chatRequest);
    phase = "stream";
    for await (const chunk of stream) {
      line += 1;
      // Every chat chunk carries `done` (api/types.go ChatResponse: no omitempty); an object
      // without it is not a chunk, and a reply made of such lines would end "without done".
      if (typeof (chunk as { done?: unknown }).done !== "boolean") throw new InvalidStreamLine(line, excerptOf(JSON.stringify(chunk)));
      stop.arm(hooks.stallTimeoutMs, "mid-stream");
      const thinking = chunk.message?.thinking;
      if (thinking) deliver("thinking", thinking);
      const content = chunk.message?.content;
      if (content) deliver("content", content);
      if (chunk.done) final = chunk;
    }
  } catch (error) {
    return finish({ ok: false, error: classify(error) });
  } finally {
    // A failed stream may still hold its socket open (an error line, a parse
    // failure); aborting releases it. After a clean `done` there is nothing to release.
    stop.release(final === undefined);
  }
  if (final === undefined) {
    // ollama-js returns on `done`; reaching here means the iterator ended some other way.
    return finish({ ok: false, error: classify(new Error("Did not receive done or success response in stream.")) });
  }
  return finish({ ok: true, final });

  function deliver(kind: "content" | "thinking", text: string) {
    if (progress.timeToFirstTokenMs === undefined) progress.timeToFirstTokenMs = performance.now() - started;
    if (kind === "content") progress.content += text;
    else progress.thinking += text;
    hooks.onDelta?.(kind, text);
  }

  function classify(error: unknown): ModelError {
    const stopped = stop.stoppedError();
    if (stopped) return stopped;
    return mapOllamaError(error, { host: endpointUrl(host), model: request.model, phase, endpoint: "/api/chat" });
  }
}
