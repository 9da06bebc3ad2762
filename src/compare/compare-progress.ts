// A comparison's progress in words, for the CLI's stderr and the TUI's view
// alike: what runs, each task's end, each run's end, wrapped between words to
// the width given (80 by default; the line under a line is indented two more). Pure.

import { tokens } from "../report/report-format.js";
import { ASSUMED_BANDWIDTH } from "./compare-estimate.js";
import { wall, wrapped } from "./compare-table.js";
import type { CompareProgress } from "./run-compare.js";

export interface ProgressLine {
  text: string;
  tone?: "bold" | "dim" | "warning";
}

/** Narrower than this, a line would hold a word or two: wrap at this instead. */
const NARROWEST = 40;

/** The event's lines, none wider than `width`; a line that wraps keeps its tone on every piece. */
export function progressLines(event: CompareProgress, width = 80): ProgressLine[] {
  const w = Math.max(NARROWEST, width);
  return sentences(event).flatMap((line) => {
    const lead = /^ */.exec(line.text)![0];
    return wrapped(lead, line.text.slice(lead.length), `${lead}  `, w).map((text) => (line.tone ? { text, tone: line.tone } : { text }));
  });
}

function sentences(event: CompareProgress): ProgressLine[] {
  switch (event.type) {
    case "starting": {
      const e = event.estimate;
      const perModel = e.models.map((m) => `${m.model} ~${m.ms === undefined ? "?" : wall(m.ms)}`).join(", ");
      return [
        { text: `${event.resumed ? "resuming" : "starting"} comparison ${event.id} (${event.dir}/)` },
        event.placement.kind === "side-by-side"
          ? { text: `${event.pendingRuns} model run${event.pendingRuns === 1 ? "" : "s"} to go, side by side: ${event.placement.lanes.map((l) => `${l.model} on ${l.labels.join(" + ")}`).join(", ")} (no reloads between models)${event.callLimit !== undefined ? `, at most ${event.callLimit} model call${event.callLimit === 1 ? "" : "s"} at once over all of them (build.parallel)` : ""}.` }
          : { text: `${event.pendingRuns} model run${event.pendingRuns === 1 ? "" : "s"} to go, one after another on ${event.doc.host}${event.placement.why === "one endpoint" ? "" : ` (${event.placement.why})`}: each model is loaded in turn (a reload per model).` },
        { text: `Estimate per run: ${perModel}${event.estimatedWallMs !== undefined ? `; ~${wall(event.estimatedWallMs)} in all${event.placement.kind === "side-by-side" ? (event.callLimit !== undefined ? " (the lanes sharing build.parallel)" : " (the longest lane)") : ""}` : ""} — from the model sizes and ${tokens(e.promptTokens)} prompt + ~${tokens(e.outputTokens)} output tokens, on a GPU with ~${ASSUMED_BANDWIDTH / 1e9} GB/s (docs/compare.md).` },
      ];
    }
    case "run-started":
      return [{ text: `${event.model} — run ${event.run}/${event.runs} (seed ${event.seed})${event.resumedTasks > 0 ? `, resuming after ${event.resumedTasks} settled task${event.resumedTasks === 1 ? "" : "s"}` : ""}`, tone: "bold" }];
    case "build": {
      const b = event.event;
      const who = event.sideBySide ? `${event.model} ` : "";
      if (b.type === "model" && b.event.type === "model-loading") return [{ text: `  loading ${b.event.model}…`, tone: "dim" }];
      if (b.type === "task-started") return [{ text: `  ${who}${b.id} ${b.title}` }];
      if (b.type === "task-finished") {
        const text = `  ${who}${b.id} ${b.serverLost ? "could not finish (its server went away)" : b.outcome}${b.attempts > 0 ? ` after ${b.attempts} attempt${b.attempts === 1 ? "" : "s"}` : ""} (${wall(b.durationMs)})${b.message && b.outcome !== "done" ? ` — ${b.message}` : ""}`;
        return [b.outcome === "done" ? { text } : { text, tone: "warning" }];
      }
      if (b.type === "notice") return [{ text: `  ${who}${b.message}`, tone: "dim" }];
      return [];
    }
    case "run-finished":
      return [{ text: `  ${event.model} run ${event.run}: ${event.status}${event.message ? ` — ${event.message}` : ""}` }];
    case "notice":
      return [{ text: event.message }];
  }
}
