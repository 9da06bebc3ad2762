// Every way a model call can fail, as values with a message a user can act on.
// The adapter returns these (never throws them); the CLI prints `message` and
// `hint`, and every command maps them to an exit code through one
// classification (`modelFault`).

export type ModelError =
  | { kind: "unreachable"; host: string; code: string; message: string; hint: string }
  | { kind: "model-missing"; model: string; message: string; hint: string }
  | { kind: "capability-missing"; model: string; capability: string; message: string; hint: string }
  | { kind: "bad-request"; status: number; serverMessage: string; message: string; hint: string }
  | { kind: "server-error"; status: number | undefined; serverMessage: string; midStream: boolean; message: string; hint: string }
  /** The host answered, but not as an Ollama server does (an HTML page, "404 page not found", not JSON). */
  | { kind: "not-ollama"; host: string; endpoint: string; what: string; message: string; hint: string }
  | { kind: "stream-broken"; reason: "connection-dropped" | "ended-without-done" | "invalid-line"; message: string; hint: string }
  | { kind: "aborted"; message: string; hint: string }
  | { kind: "timed-out"; afterMs: number; phase: "before-first-chunk" | "mid-stream"; message: string; hint: string }
  | {
      kind: "context-overflow";
      caller: string;
      /** Our (calibrated) estimate, or the server's count when it gave one. */
      promptTokens: number;
      outputBudget: number;
      numCtx: number;
      modelMax: number;
      /** "specwright": refused before sending; "server": sent with truncate:false and refused with HTTP 400. */
      refusedBy: "specwright" | "server";
      /** What the server counted, when its refusal says (llama-server: n_prompt_tokens, n_ctx). */
      serverCount?: { promptTokens: number; numCtx: number };
      message: string;
      hint: string;
    }
  /** /api/show gave no context length (a cloud model, an empty model_info) and the config names none. */
  | { kind: "context-unknown"; model: string; message: string; hint: string }
  /** A thinking call spent its whole output budget thinking: empty content, done_reason "length". */
  | { kind: "thinking-exhausted"; caller: string; evalCount: number | undefined; thinking: string; message: string; hint: string }
  | {
      kind: "prompt-truncated";
      caller: string;
      estimatedTokens: number;
      promptEvalCount: number;
      numCtx: number;
      /** The reply that was generated from the truncated prompt, for a trace or a human. */
      reply: string;
      message: string;
      hint: string;
    }
  | { kind: "output-truncated"; caller: string; evalCount: number | undefined; reply: string; message: string; hint: string }
  | { kind: "malformed-output"; caller: string; problems: string[]; reply: string; message: string; hint: string };

export type ModelErrorKind = ModelError["kind"];

/** A result of an operation that can fail in a way the user can fix. */
export type ModelResult<T> = { ok: true; value: T } | { ok: false; error: ModelError };

export function ok<T>(value: T): ModelResult<T> {
  return { ok: true, value };
}

export function fail<T>(error: ModelError): ModelResult<T> {
  return { ok: false, error };
}

/**
 * The one classification of model-server faults every command uses for its
 * exit code:
 * - "unavailable" (exit 3): there is no model to talk to — the server is down,
 *   is not an Ollama server, does not answer in time, fails with HTTP 5xx, drops
 *   the connection, or lacks the model or a capability it needs;
 * - "config" (exit 2): the configuration must say something the server cannot
 *   tell us (the model's context length);
 * - "cancelled" (exit 130);
 * - "call-failed" (exit 1): the server works, one call failed — a prompt too
 *   long, a reply cut or malformed, an error line or a broken line in one reply,
 *   a request the server rejected (4xx).
 */
export type ModelFault = "unavailable" | "config" | "cancelled" | "call-failed";

export function modelFault(error: ModelError): ModelFault {
  switch (error.kind) {
    case "unreachable":
    case "not-ollama":
    case "model-missing":
    case "capability-missing":
    case "timed-out":
      return "unavailable";
    case "server-error":
      return error.midStream ? "call-failed" : "unavailable";
    case "stream-broken":
      return error.reason === "connection-dropped" ? "unavailable" : "call-failed";
    case "context-unknown":
      return "config";
    case "aborted":
      return "cancelled";
    case "bad-request":
    case "context-overflow":
    case "prompt-truncated":
    case "output-truncated":
    case "thinking-exhausted":
    case "malformed-output":
      return "call-failed";
  }
}

/** Errors that mean "no model to talk to" (exit code 3): see `modelFault`. */
export function isModelUnavailable(error: ModelError): boolean {
  return modelFault(error) === "unavailable";
}

export function unreachable(host: string, code: string): ModelError {
  const wrongPort = code === "ECONNREFUSED" ? "" : ` (${code})`;
  return {
    kind: "unreachable",
    host,
    code,
    message: `Ollama is not reachable at ${host}${wrongPort} — is \`ollama serve\` running?`,
    hint: "start it with `ollama serve`, or set model.host in specwright.toml / OLLAMA_HOST to where it listens",
  };
}

export function modelMissing(model: string): ModelError {
  return {
    kind: "model-missing",
    model,
    message: `model ${model} is not installed — run \`ollama pull ${model}\``,
    hint: "`specwright models` lists the installed models and which model each role uses",
  };
}

export function capabilityMissing(model: string, capability: string): ModelError {
  const why =
    capability === "thinking"
      ? "turn `think` off for this role or pick a thinking model"
      : capability === "completion"
        ? "it looks like an embedding model; pick a chat model for this role"
        : `pick a model with the '${capability}' capability`;
  return {
    kind: "capability-missing",
    model,
    capability,
    message: `model ${model} does not support ${capability}`,
    hint: why,
  };
}

export function aborted(): ModelError {
  return { kind: "aborted", message: "the model call was cancelled", hint: "run the command again to resume" };
}

export function timedOut(afterMs: number, phase: "before-first-chunk" | "mid-stream"): ModelError {
  const seconds = Math.round(afterMs / 100) / 10;
  const what = phase === "before-first-chunk" ? "did not start answering" : "stopped sending output";
  return {
    kind: "timed-out",
    afterMs,
    phase,
    message: `the model ${what} for ${seconds}s`,
    hint:
      phase === "before-first-chunk"
        ? "a large prompt on a CPU can take minutes to read; raise model.request_timeout or use a smaller model"
        : "check `ollama ps` and the Ollama server log; raise model.request_timeout if the machine is just slow",
  };
}

/**
 * A metadata request (/api/tags, /api/show, /api/version, /api/ps) got no
 * answer in time. Those answer in milliseconds on a working server, and the
 * limit is fixed: the config's request timeout does not apply, so the hint does
 * not suggest raising it.
 */
export function metadataTimedOut(host: string, endpoint: string, afterMs: number): ModelError {
  return {
    kind: "timed-out",
    afterMs,
    phase: "before-first-chunk",
    message: `the server at ${host} accepted the connection but did not answer ${endpoint} within ${Math.round(afterMs / 1000)}s`,
    hint: "the Ollama server is stuck or something else listens there; check `ollama ps` and the server log, or restart `ollama serve`",
  };
}
