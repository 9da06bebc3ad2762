// Turns what the `ollama` client and Node's fetch throw into ModelError values.
// The client's ResponseError class is not exported, so it is recognised by its
// name and `status_code`; network failures are undici TypeErrors whose `cause`
// carries the errno code; mid-stream failures are plain Errors whose message is
// the server's error line or the client's "Did not receive done" complaint.

import {
  capabilityMissing,
  modelMissing,
  unreachable,
  timedOut,
  type ModelError,
} from "./errors.js";

/** The host answered 200 with something that is not Ollama's JSON (an HTML page, plain text, broken JSON). */
export class NotOllamaAnswer extends Error {
  constructor(readonly what: string) {
    super(`not an Ollama answer: ${what}`);
    this.name = "NotOllamaAnswer";
  }
}

/** A line of a streamed reply that is not a JSON object. */
export class InvalidStreamLine extends Error {
  constructor(
    readonly lineNumber: number,
    readonly excerpt: string,
  ) {
    super(`line ${lineNumber} of the reply stream is not a JSON object: ${excerpt}`);
    this.name = "InvalidStreamLine";
  }
}

/** Where the request was when it failed: before the response headers, or while reading the stream. */
export type FailurePhase = "request" | "stream";

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ETIMEDOUT",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The message ollama-js throws when a stream closes cleanly without a `done` chunk. */
const NO_DONE_MESSAGE = "Did not receive done or success response in stream.";

interface ResponseErrorShape {
  name: "ResponseError";
  error: string;
  status_code: number;
}

function isResponseError(error: unknown): error is ResponseErrorShape {
  return (
    error instanceof Error &&
    error.name === "ResponseError" &&
    typeof (error as { status_code?: unknown }).status_code === "number"
  );
}

/** The errno-like code of a fetch failure: `cause.code`, or the first of an AggregateError's. */
export function networkCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = (error as { cause?: unknown }).cause;
  if (typeof cause !== "object" || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const inner = (cause as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return networkCode({ cause: inner[0] } as unknown as Error);
  return undefined;
}

export function mapOllamaError(
  error: unknown,
  context: { host: string; model: string | undefined; phase: FailurePhase; endpoint: string },
): ModelError {
  if (isResponseError(error)) return fromStatus(error.status_code, error.error, context);
  if (error instanceof NotOllamaAnswer) return notOllama(context.host, context.endpoint, error.what);
  if (error instanceof InvalidStreamLine) {
    return {
      kind: "stream-broken",
      reason: "invalid-line",
      message: `the model's reply stream broke at line ${error.lineNumber}, which is not an Ollama chunk (${error.excerpt}); the call failed rather than keep a shortened reply`,
      hint: "something between specwright and Ollama (a proxy, a load balancer) altered the stream, or the server is not Ollama; run again, or point model.host at the Ollama server itself",
    };
  }

  const code = networkCode(error);
  if (error instanceof TypeError && code !== undefined) {
    if (UNREACHABLE_CODES.has(code) && context.phase === "request") return unreachable(context.host, code);
    // undici's own limits (300 s without headers, 300 s between body chunks) fire
    // before a generous configured stall timeout would; report them as timeouts.
    if (code === "UND_ERR_HEADERS_TIMEOUT") return timedOut(300_000, "before-first-chunk");
    if (code === "UND_ERR_BODY_TIMEOUT") return timedOut(300_000, "mid-stream");
    return connectionDropped(context.host, code);
  }
  if (error instanceof TypeError && error.message === "fetch failed" && context.phase === "request") {
    // No errno: fetch refused before connecting, e.g. "bad port" for ports the
    // fetch standard blocks (1, 22, 6000, 6665–6669…), or an invalid URL.
    const cause = (error as { cause?: unknown }).cause;
    const reason = cause instanceof Error ? cause.message : "fetch failed";
    return unreachable(context.host, reason === "bad port" ? "port blocked by fetch; use another port" : reason);
  }
  if (error instanceof TypeError && (error.message === "terminated" || error.message === "fetch failed")) {
    return connectionDropped(context.host, undefined);
  }
  if (error instanceof Error && error.message === NO_DONE_MESSAGE) {
    return {
      kind: "stream-broken",
      reason: "ended-without-done",
      message: "the model's reply ended without its final chunk — the reply may be incomplete",
      hint: "the Ollama server may have restarted or crashed; check its log and run again",
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  if (context.phase === "stream") {
    // ollama-js rethrows an `{"error": …}` line as a plain Error with that text.
    return {
      kind: "server-error",
      status: undefined,
      serverMessage: text,
      midStream: true,
      message: `Ollama reported an error while answering: ${text}`,
      hint: "check the Ollama server log (a runner crash or out of memory is common); run again",
    };
  }
  return {
    kind: "server-error",
    status: undefined,
    serverMessage: text,
    midStream: false,
    message: `unexpected answer from Ollama at ${context.host}${context.endpoint}: ${text}`,
    hint: "check that the host is an Ollama server and its version is recent (`ollama --version`)",
  };
}

function notOllama(host: string, endpoint: string, what: string): ModelError {
  return {
    kind: "not-ollama",
    host,
    endpoint,
    what,
    message: `the server at ${host} is not Ollama (or not this API): ${endpoint} answered ${what}`,
    hint: "check model.host in specwright.toml or OLLAMA_HOST (a wrong port, a path, or a proxy's login page are common)",
  };
}

/**
 * The server's refusal of a prompt longer than the loaded context, in every
 * wording Ollama has used, with the token counts when it gives them:
 * - "the input length exceeds the context length": the Go runners with
 *   truncate:false (runner.go errorInputTooLong, v0.12.6 commit 6544e14);
 * - "the prompt is longer than the context length currently available to the
 *   model; …": llm/llama_server.go with truncate on and context shift off
 *   (PRs #16712, #16764, v0.30.9);
 * - llama.cpp's own refusal, relayed verbatim by llama_server.go
 *   (statusErrorMessage returns the body as the message), so it arrives as JSON
 *   text inside Ollama's error string: {"error":{"message":"request (N tokens)
 *   exceeds the available context size (M tokens), try increasing it",
 *   "type":"exceed_context_size_error","n_prompt_tokens":N,"n_ctx":M}};
 * - the bare sentence, should a later version unwrap it;
 * - "input exceeds maximum context length": /api/embed (server/routes.go).
 */
export function contextRefusal(serverMessage: string): { counted?: { promptTokens: number; numCtx: number } } | undefined {
  let text = serverMessage;
  let counted: { promptTokens: number; numCtx: number } | undefined;
  try {
    const parsed = JSON.parse(serverMessage) as { error?: { message?: unknown; type?: unknown; n_prompt_tokens?: unknown; n_ctx?: unknown } | string };
    const inner = typeof parsed.error === "object" && parsed.error !== null ? parsed.error : undefined;
    if (inner) {
      if (typeof inner.message === "string") text = inner.message;
      if (typeof inner.n_prompt_tokens === "number" && typeof inner.n_ctx === "number") counted = { promptTokens: inner.n_prompt_tokens, numCtx: inner.n_ctx };
      if (inner.type === "exceed_context_size_error") return counted ? { counted } : fromSentence(text) ?? {};
    } else if (typeof parsed.error === "string") {
      text = parsed.error;
    }
  } catch {
    // Not JSON: a plain sentence.
  }
  const sentence = fromSentence(text);
  if (sentence) return counted ? { counted } : sentence;
  if (/the input length exceeds the context length|input exceeds maximum context length|prompt is longer than the context length|exceeds the available context/i.test(text)) return {};
  return undefined;
}

function fromSentence(text: string): { counted: { promptTokens: number; numCtx: number } } | undefined {
  const match = /\((\d+) tokens\) exceeds the available context size \((\d+) tokens\)/i.exec(text);
  return match ? { counted: { promptTokens: Number(match[1]), numCtx: Number(match[2]) } } : undefined;
}

function connectionDropped(host: string, code: string | undefined): ModelError {
  return {
    kind: "stream-broken",
    reason: "connection-dropped",
    message: `the connection to Ollama at ${host} closed mid-reply${code ? ` (${code})` : ""}`,
    hint: "the Ollama server may have crashed or restarted; check its log and run again",
  };
}

function fromStatus(
  status: number,
  serverMessage: string,
  context: { host: string; model: string | undefined; endpoint: string },
): ModelError {
  const model = context.model ?? "";
  if (status === 404 && /not found/i.test(serverMessage) && /model/i.test(serverMessage)) return modelMissing(model);
  if (status === 404 && /page not found/i.test(serverMessage)) return notOllama(context.host, context.endpoint, `"404 page not found"`);
  if (/: an HTML page/.test(serverMessage)) return notOllama(context.host, context.endpoint, `HTTP ${serverMessage}`);
  const unsupported = /does not support (\w+)/i.exec(serverMessage);
  if (status === 400 && unsupported) {
    const word = unsupported[1]!.toLowerCase();
    // Ollama says "does not support chat/generate" when the completion capability is missing.
    const capability = word === "chat" || word === "generate" ? "completion" : word;
    return capabilityMissing(model, capability);
  }
  if (status >= 400 && status < 500) {
    return {
      kind: "bad-request",
      status,
      serverMessage,
      message: `Ollama rejected the request (HTTP ${status}): ${serverMessage}`,
      hint: "this is likely a specwright bug or an Ollama version mismatch; the trace holds the request",
    };
  }
  return {
    kind: "server-error",
    status,
    serverMessage,
    midStream: false,
    message: `Ollama failed (HTTP ${status}): ${serverMessage}`,
    hint: "check the Ollama server log (out of memory and runner crashes are common); run again",
  };
}
