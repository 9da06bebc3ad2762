// What an OpenAI-compatible server answers when it will not answer, as the same
// ModelError kinds the Ollama adapter returns (errors.ts), so every command
// classifies them alike (modelFault): a refused prompt is context-overflow
// with the server's counts, a missing model is model-missing, a key the
// server rejects, a server still loading or out of slots, or a rate limit is
// server-error with its status (no model to talk to), a dropped connection is
// stream-broken. Messages name the server's URL, never its key.

import { timedOut, type ModelError } from "./errors.js";
import { networkCode } from "./error-mapping.js";

/** Where the request was: before the response headers, or while reading the stream. */
export type OpenAiPhase = "request" | "stream";

/** The parts of an error body the servers send, read from untrusted JSON. */
export interface OpenAiErrorBody {
  message: string;
  type: string | undefined;
  /** llama-server's exceed_context_size_error carries both counts. */
  counted?: { promptTokens: number; numCtx: number };
}

/**
 * Reads an error body in every shape these servers use: llama-server and
 * vLLM `{"error": {"message", "type", "code", …}}` (format_error_response;
 * engine/protocol.py ErrorResponse), vLLM's API-key middleware
 * `{"error": "Unauthorized"}` (api_server.py AuthenticationMiddleware), vLLM
 * before the ErrorInfo wrapper `{"object": "error", "message", "type", "code"}`,
 * FastAPI's `{"detail": …}` for an unknown route, or plain text.
 */
export function readErrorBody(text: string): OpenAiErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { message: text.trim().slice(0, 300) || "(empty body)", type: undefined };
  }
  if (typeof parsed !== "object" || parsed === null) return { message: String(parsed), type: undefined };
  const body = parsed as Record<string, unknown>;
  const inner = body["error"];
  if (typeof inner === "string") return { message: inner, type: undefined };
  if (typeof inner === "object" && inner !== null) return fromErrorObject(inner as Record<string, unknown>);
  if (typeof body["message"] === "string") return fromErrorObject(body);
  if (body["detail"] !== undefined) return { message: typeof body["detail"] === "string" ? body["detail"] : JSON.stringify(body["detail"]), type: undefined };
  return { message: text.trim().slice(0, 300), type: undefined };
}

function fromErrorObject(error: Record<string, unknown>): OpenAiErrorBody {
  const message = typeof error["message"] === "string" ? error["message"] : JSON.stringify(error);
  const type = typeof error["type"] === "string" ? error["type"] : undefined;
  const n = error["n_prompt_tokens"];
  const ctx = error["n_ctx"];
  const counted = typeof n === "number" && typeof ctx === "number" ? { promptTokens: n, numCtx: ctx } : undefined;
  return { message, type, ...(counted ? { counted } : {}) };
}

/**
 * Whether an error body is the server refusing a prompt longer than its
 * context, and the counts when it gives them:
 * - llama-server: type exceed_context_size_error with n_prompt_tokens and
 *   n_ctx; the sentence "request (N tokens) exceeds the available context
 *   size (M tokens)" otherwise;
 * - vLLM (engine/serving.py _validate_input): "This model's maximum context
 *   length is M tokens. However, your request has N input tokens…" or
 *   "…you requested K output tokens and your prompt contains N input tokens…";
 *   older vLLM "…However, you requested T tokens (N in the messages, K in the
 *   completion)".
 */
export function openAiContextRefusal(body: OpenAiErrorBody): { counted?: { promptTokens: number; numCtx: number } } | undefined {
  if (body.counted) return { counted: body.counted };
  const llama = /\((\d+) tokens\) exceeds the available context size \((\d+) tokens\)/i.exec(body.message);
  if (llama) return { counted: { promptTokens: Number(llama[1]), numCtx: Number(llama[2]) } };
  if (body.type === "exceed_context_size_error") return {};
  const max = /maximum context length is (\d+) tokens/i.exec(body.message);
  if (max) {
    const prompt = /(?:your request has|your prompt contains(?: at least)?) (\d+) input tokens/i.exec(body.message) ?? /\((\d+) in the messages/i.exec(body.message);
    return prompt ? { counted: { promptTokens: Number(prompt[1]), numCtx: Number(max[1]) } } : {};
  }
  if (/context length|context size|context window/i.test(body.message) && /exceed|too long|longer than/i.test(body.message)) return {};
  return undefined;
}

/** A refusal by HTTP status, as a ModelError (the context refusal is handled by the caller, which knows the window). */
export function fromStatus(status: number, body: OpenAiErrorBody, context: { host: string; model: string; path: string }): ModelError {
  const said = body.message;
  if (status === 401 || status === 403) {
    return {
      kind: "server-error",
      status,
      serverMessage: said,
      midStream: false,
      message: `the server at ${context.host} refused the request (HTTP ${status}: ${said})`,
      hint: "the server wants an API key: set the endpoint's api_key_env to the name of an environment variable that holds it, and export that variable (the key itself never goes in a file)",
    };
  }
  if (status === 404 && /model/i.test(said)) return servedModelMissing(context.model, context.host, undefined);
  if (status === 404) return notOpenAi(context.host, context.path, `HTTP 404 (${said})`);
  if (status === 429) {
    return {
      kind: "server-error",
      status,
      serverMessage: said,
      midStream: false,
      message: `the server at ${context.host} is rate-limiting requests (HTTP 429: ${said})`,
      hint: "a proxy in front of the model (LiteLLM, a gateway) limits requests; raise its limit, lower build.parallel, or give this endpoint fewer slots",
    };
  }
  if (status === 503) {
    return {
      kind: "server-error",
      status,
      serverMessage: said,
      midStream: false,
      message: `the server at ${context.host} cannot take the request now (HTTP 503: ${said})`,
      hint: /loading/i.test(said)
        ? "the server is still loading its model; wait until its /health answers 200 and run again"
        : "every slot is busy or the server is overloaded; give the endpoint as many slots as the server runs (llama-server --parallel), or run again",
    };
  }
  if (status >= 400 && status < 500) {
    return {
      kind: "bad-request",
      status,
      serverMessage: said,
      message: `the server at ${context.host} rejected the request (HTTP ${status}): ${said}`,
      hint: "this is likely a specwright bug or a server that speaks a different dialect of the OpenAI API; the trace holds the request",
    };
  }
  return {
    kind: "server-error",
    status,
    serverMessage: said,
    midStream: false,
    message: `the server at ${context.host} failed (HTTP ${status}): ${said}`,
    hint: "check the server's log (out of memory and crashed workers are common); run again",
  };
}

/** The model is not among those the server serves (/v1/models, or a 404 naming it). */
export function servedModelMissing(model: string, host: string, served: readonly string[] | undefined): ModelError {
  const list = served && served.length > 0 ? `; it serves ${served.slice(0, 5).join(", ")}${served.length > 5 ? ", …" : ""}` : "";
  return {
    kind: "model-missing",
    model,
    message: `model ${model} is not served at ${host}${list}`,
    hint: "set the role's model to a name from the server's /v1/models (vLLM --served-model-name, llama-server --alias), or start the server with that model",
  };
}

/** The host answered, but not as an OpenAI-compatible server does. */
export function notOpenAi(host: string, endpoint: string, what: string): ModelError {
  return {
    kind: "not-ollama",
    host,
    endpoint,
    what,
    message: `the server at ${host} is not an OpenAI-compatible server (or not this API): ${endpoint} answered ${what}`,
    hint: "check the endpoint's url: it is the server's base address (http://host:port, with or without /v1), and the endpoint's kind must match the server",
  };
}

/** A fetch that failed without an HTTP answer: the server is down, or the connection broke. */
export function fromNetwork(error: unknown, host: string, phase: OpenAiPhase): ModelError {
  const code = networkCode(error);
  if (code === "UND_ERR_HEADERS_TIMEOUT") return timedOut(300_000, "before-first-chunk");
  if (code === "UND_ERR_BODY_TIMEOUT") return timedOut(300_000, "mid-stream");
  if (phase === "request") {
    const cause = (error as { cause?: unknown }).cause;
    const reason = code ?? (cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error));
    return {
      kind: "unreachable",
      host,
      code: reason === "bad port" ? "port blocked by fetch; use another port" : reason,
      message: `the model server is not reachable at ${host}${code === "ECONNREFUSED" ? "" : ` (${reason})`} — is it running?`,
      hint: "start the server (llama-server, vllm serve, LM Studio's server), or fix the endpoint's url",
    };
  }
  return {
    kind: "stream-broken",
    reason: "connection-dropped",
    message: `the connection to the model server at ${host} closed mid-reply${code ? ` (${code})` : ""}`,
    hint: "the server may have crashed or restarted; check its log and run again",
  };
}
