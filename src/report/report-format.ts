// Short forms of the report's numbers, shared by `specwright report` and the TUI.

import type { CallCounts, ModelReport } from "./build-report.js";

export function percent(v: number | undefined): string {
  return v === undefined ? "–" : `${Math.round(v * 100)}%`;
}

export function tokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A model's row, in the column order both tables use: key, quant, tasks, first try, final, attempts, tok/s, prompt eval. */
export function modelCells(m: ModelReport): string[] {
  return [
    m.key,
    m.quantization ?? "?",
    String(m.taskRuns),
    percent(m.firstTryRate),
    percent(m.finalRate),
    m.meanAttempts === undefined ? "–" : m.meanAttempts.toFixed(2),
    m.tokensPerSecond === undefined ? "–" : m.tokensPerSecond.toFixed(1),
    percent(m.promptEvalShare),
  ];
}

/**
 * "9 model calls (5 attempts, 3 reviews, 1 review re-ask)": all the calls, the
 * number `specwright traces` shows, then the kinds that occur. `short` says
 * "re-ask" for the judge's re-asks, where a line is narrow.
 */
export function describeCalls(c: CallCounts, form: "long" | "short" = "long"): string {
  const kinds = [
    countOf(c.attempts, "attempt"),
    ...(c.reviews > 0 ? [countOf(c.reviews, "review")] : []),
    ...(c.reviewReasks > 0 ? [countOf(c.reviewReasks, form === "long" ? "review re-ask" : "re-ask")] : []),
    ...(c.other > 0 ? [`${c.other} other`] : []),
  ];
  return `${countOf(c.calls, "model call")} (${kinds.join(", ")})`;
}

function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
