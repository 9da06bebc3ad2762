// The model's state in one line, for screens that run model calls (audit,
// plan): loading, waiting for the first token, streaming, answered. A plain
// reducer over the model layer's events.

import type { ModelEvent } from "../models/events.js";
import type { PacedCount } from "./plain-mode.js";

export type ModelActivity =
  | { kind: "idle" }
  | { kind: "loading"; model: string }
  | { kind: "asking"; callId: string; caller: string; model: string; tokens: number }
  | { kind: "answered"; caller: string; seconds: number; tokensPerSecond: number | undefined };

export function applyModelEvent(model: ModelActivity, event: ModelEvent): ModelActivity {
  switch (event.type) {
    case "model-loading":
      return { kind: "loading", model: event.model };
    case "model-loaded":
      return model.kind === "loading" ? { kind: "idle" } : model;
    case "call-started":
      return { kind: "asking", callId: event.callId, caller: event.caller, model: event.model, tokens: 0 };
    case "delta":
      return model.kind === "asking" && event.kind === "content" ? { ...model, tokens: model.tokens + 1 } : model;
    case "call-finished":
      return { kind: "answered", caller: event.caller, seconds: event.metrics.wallMs / 1000, tokensPerSecond: event.metrics.tokensPerSecond };
    case "call-failed":
    case "truncation-suspected":
    case "context-capped":
    case "model-reloading":
    case "calibrated":
    case "re-ask":
      // Reported elsewhere (the status line, the trace); the activity line keeps its state.
      return model;
  }
}

/**
 * One line for the model's state, or undefined when there is nothing to say.
 * `plain`: without the count of pieces streamed so far, which changes with
 * every piece (plain mode prints every change as a new line), but with
 * `paced`, that count as it stood at the last PLAIN_PROGRESS_MS (usePacedCount).
 */
export function modelActivityLine(model: ModelActivity, plain = false, paced?: PacedCount): string | undefined {
  switch (model.kind) {
    case "idle":
      return undefined;
    case "loading":
      return `loading ${model.model}…`;
    case "asking":
      if (model.tokens === 0) return `${model.caller}: waiting for ${model.model}…`;
      if (!plain) return `${model.caller}: ${model.model} streaming · ${model.tokens} pieces`;
      // Not "answering… N tokens": a line that only adds to the one before is printed as its continuation (plain-transcript.ts).
      return paced ? `${model.caller}: ${model.model} answering · ${paced.count} token${paced.count === 1 ? "" : "s"}, ${paced.seconds} s` : `${model.caller}: ${model.model} answering…`;
    case "answered":
      return `${model.caller}: answered in ${model.seconds.toFixed(1)}s${model.tokensPerSecond !== undefined ? ` · ${model.tokensPerSecond.toFixed(1)} tok/s` : ""}`;
  }
}
