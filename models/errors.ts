// Every way a model call can fail, as values with a message a user can act on.
// The adapter returns these (never throws them); the CLI prints `message` and
// `hint` and maps any of them to exit code 3 or 1 (see `isModelUnavailable`).

export type ModelError =
  | { kind: "unreachable"; host: string; code: string; message: string; hint: string }
  | { kind: "model-missing"; model: string; message: string; hint: string }
  | { kind: "capability-missing"; model: string; capability: string; message: string; hint: string }
  | { kind: "bad-request"; status: number; serverMessage: string; message: string; hint: string }
  | { kind: "server-error"; status: number | undefined; serverMessage: string; midStream: boolean; message: string; hint: string }
  | { kind: "stream-broken"; reason: "connection-dropped" | "ended-without-done"; message: string; hint: string }
  | { kind: "aborted"; message: string; hint: string }
  | { kind: "timed-out"; afterMs: number; phase: "before-first-chunk" | "mid-stream"; message: string; hint: string }
  | {
      kind: "context-overflow";
      caller: string;
      promptTokens: number;
      outputBudget: number;
      numCtx: number;
      modelMax: number;
      message: string;
      hint: string;
    }
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
 * Errors that mean "no model to talk to" (exit code 3), as opposed to a failed
 * call (exit 1): down, not installed, not able, or gone in the middle of a reply.
 */
export function isModelUnavailable(error: ModelError): boolean {
  return (
    error.kind === "unreachable" ||
    error.kind === "model-missing" ||
    error.kind === "capability-missing" ||
    (error.kind === "stream-broken" && error.reason === "connection-dropped")
  );
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
