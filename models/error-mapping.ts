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
  if (status === 404 && /page not found/i.test(serverMessage)) {
    return {
      kind: "bad-request",
      status,
      serverMessage,
      message: `${context.host}${context.endpoint} answered "404 page not found" — is ${context.host} an Ollama server?`,
      hint: "check model.host in specwright.toml or OLLAMA_HOST (a wrong path or port is common)",
    };
  }
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
