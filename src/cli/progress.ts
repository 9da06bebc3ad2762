// The plain reporter's progress lines for model events, on stderr. Streamed
// tokens are not echoed (a pipe or CI log wants lines, not a token stream);
// the UI shows them live instead.

import type { ModelEvent } from "../../models/events.js";
import type { Palette } from "./style.js";

export function formatModelEvent(event: ModelEvent, style: Palette): string | undefined {
  switch (event.type) {
    case "model-loading":
      return style.dim(`loading model ${event.model} (num_ctx ${event.numCtx})…`);
    case "model-loaded":
      return style.dim(`model ${event.model} ready in ${(event.wallMs / 1000).toFixed(1)}s`);
    case "call-started":
      return style.dim(`${event.caller}: asking ${event.model} (~${event.estimatedPromptTokens} prompt tokens)`);
    case "call-finished": {
      const m = event.metrics;
      const speed = m.tokensPerSecond !== undefined ? `, ${m.tokensPerSecond.toFixed(1)} tok/s` : "";
      return style.dim(`${event.caller}: answered in ${(m.wallMs / 1000).toFixed(1)}s (${m.evalCount ?? "?"} tokens${speed})`);
    }
    case "call-failed":
      return `${event.caller}: ${style.red("failed")}: ${event.error.message}`;
    case "truncation-suspected":
      return `${event.caller}: ${style.yellow("warning")}: the server read ${event.check.promptEvalCount} of ~${event.check.estimatedTokens} prompt tokens`;
    case "context-capped":
      return `${style.yellow("warning")}: ${event.message} — ${event.hint}`;
    case "model-reloading":
      return `${event.caller}: ${event.reason}; reloading ${event.model} with num_ctx ${event.toNumCtx} (was ${event.fromNumCtx})`;
    case "calibrated":
      return event.source === "reply" ? undefined : style.dim(`${event.caller}: the server counted ${event.countedTokens} prompt tokens where specwright estimated ${event.estimatedTokens}; estimates for ${event.model} are now ×${event.ratio.toFixed(2)}`);
    case "re-ask":
      return `${event.caller}: ${style.yellow("invalid answer")}, asking once more: ${event.problems[0] ?? ""}`;
    case "delta":
      return undefined;
  }
}

export function writeProgress(line: string | undefined): void {
  if (line !== undefined) process.stderr.write(line + "\n");
}
