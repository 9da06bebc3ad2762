// One streamed /api/chat request through the `ollama` client, ended promptly by
// the caller's AbortSignal or by a stall timeout (no chunk for N ms).
//
// ollama-js can only abort streams, and only once the response headers have
// arrived (the iterator is returned after them). A hung server sends no
// headers, so we also hand the client a fetch that carries our own signal:
// aborting it cancels the request at any stage and undici closes the socket.

import { Ollama, type ChatResponse } from "ollama";
import type { ChatMessage } from "./call-record.js";
import { aborted, timedOut, type ModelError } from "./errors.js";
import { mapOllamaError, type FailurePhase } from "./error-mapping.js";

export interface ChatStreamRequest {
  model: string;
  messages: ChatMessage[];
  options: Record<string, number>;
  keepAlive: string | number;
  think: boolean;
  format?: object;
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

/** Why we aborted our own controller; read back from `signal.reason`. */
class StopReason {
  constructor(
    readonly kind: "caller" | "timeout" | "cleanup",
    readonly afterMs = 0,
    readonly phase: "before-first-chunk" | "mid-stream" = "before-first-chunk",
  ) {}
}

/** A fetch bound to `signal`, which also turns non-JSON error bodies into JSON (ollama-js console.logs otherwise). */
export function boundFetch(signal: AbortSignal): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const combined = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
    const response = await fetch(input, { ...init, signal: combined });
    if (response.ok || (response.headers.get("content-type") ?? "").includes("application/json")) return response;
    const text = (await response.text()).trim();
    return new Response(JSON.stringify({ error: text || response.statusText }), {
      status: response.status,
      statusText: response.statusText,
      headers: { "content-type": "application/json" },
    });
  };
}

export async function streamChat(host: string, request: ChatStreamRequest, hooks: ChatStreamHooks): Promise<ChatStreamOutcome> {
  const started = performance.now();
  const progress: ChatStreamProgress = { content: "", thinking: "", wallMs: 0 };
  const finish = (result: { ok: true; final: ChatResponse } | { ok: false; error: ModelError }): ChatStreamOutcome => {
    progress.wallMs = performance.now() - started;
    return { ...result, ...progress };
  };
  if (hooks.signal?.aborted) return finish({ ok: false, error: aborted() });

  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(new StopReason("caller"));
  hooks.signal?.addEventListener("abort", onCallerAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, phase: "before-first-chunk" | "mid-stream") => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new StopReason("timeout", ms, phase)), ms);
  };
  arm(hooks.firstChunkTimeoutMs, "before-first-chunk");

  const client = new Ollama({ host, fetch: boundFetch(controller.signal) });
  let phase: FailurePhase = "request";
  let final: ChatResponse | undefined;
  try {
    const stream = await client.chat({
      model: request.model,
      messages: request.messages,
      stream: true,
      think: request.think,
      keep_alive: request.keepAlive,
      options: request.options,
      ...(request.format ? { format: request.format } : {}),
    });
    phase = "stream";
    for await (const chunk of stream) {
      arm(hooks.stallTimeoutMs, "mid-stream");
      const thinking = chunk.message?.thinking;
      if (thinking) deliver("thinking", thinking);
      const content = chunk.message?.content;
      if (content) deliver("content", content);
      if (chunk.done) final = chunk;
    }
  } catch (error) {
    return finish({ ok: false, error: classify(error) });
  } finally {
    clearTimeout(timer);
    hooks.signal?.removeEventListener("abort", onCallerAbort);
    // A failed stream may still hold its socket open (an error line, a parse
    // failure); aborting releases it. After a clean `done` there is nothing to release.
    if (final === undefined && !controller.signal.aborted) controller.abort(new StopReason("cleanup"));
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
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && reason instanceof StopReason) {
      if (reason.kind === "caller") return aborted();
      if (reason.kind === "timeout") return timedOut(reason.afterMs, reason.phase);
    }
    return mapOllamaError(error, { host, model: request.model, phase, endpoint: "/api/chat" });
  }
}
