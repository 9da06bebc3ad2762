// The Models screen's "compare these" (c): mark installed models, Enter runs
// `specwright compare` on them (the core's runCompare, in scratch folders, one
// model after another or side by side), its progress while it runs, then its
// table — the same lines the command prints (src/compare/compare-table.ts).
// Every sentence wraps to the screen's width; none is cut.

import { Box, Text } from "ink";
import { compareTableLines } from "../../src/compare/compare-table.js";
import { wrapHanging } from "../format.js";
import { CURSOR, theme } from "../theme.js";
import type { CompareViewState } from "./compare-view-state.js";

export interface CompareViewProps {
  state: Exclude<CompareViewState, { mode: "off" }>;
  /** The installed models' names, in the screen's order. */
  installed: readonly string[];
  /** Where the marked models will run, in words ("one model after another on this Ollama"). */
  placement: string;
  /** Rows the view may use. */
  height: number;
  /** Columns: the sentences wrap to it (the table itself is made for 80). */
  width: number;
}

/** A line of the finished view; `warning` for why the comparison did not finish. */
export interface FinishedLine {
  text: string;
  warning?: true;
}

/** The finished comparison's lines (the screen bounds its scroll with their count): why it stopped, wrapped whole, then the table. */
export function finishedLines(state: CompareViewState, width: number): FinishedLine[] {
  if (state.mode !== "finished") return [];
  const table = state.doc ? compareTableLines(state.doc).map((l): FinishedLine => ({ text: l.text })) : [];
  if (state.outcome === "done") return table;
  return [...wrapHanging(whyUnfinished(state), width, "  ").map((text): FinishedLine => ({ text, warning: true })), { text: "" }, ...table];
}

/**
 * Why the comparison did not finish, and what goes on from there. A server lost or a model that
 * could not start is said under the table already, run by run (how far it got, and the server's
 * words): said twice, it would push the table's note off a 24-row screen.
 */
function whyUnfinished(state: Extract<CompareViewState, { mode: "finished" }>): string {
  if (state.outcome === "interrupted") return "Interrupted: c, the same models and Enter continue where it stopped.";
  const message = state.message ?? "the comparison failed";
  if (!state.doc) return `Not finished: ${message}`;
  const noted = state.doc.models.some((m) => m.runs.some((r) => r.status !== "done" && r.message !== undefined && message.includes(r.message)));
  return `Not finished: ${noted ? "the note under the table says which model stopped, and why" : message}. c, the same models and Enter go on from there (finished runs are kept).`;
}

export function CompareView({ state, installed, placement, height, width }: CompareViewProps) {
  const wrap = (text: string) => wrapHanging(text, width, "  ");
  if (state.mode === "choosing") {
    const head = wrap("Compare these · Space marks · Enter builds the plan with each (scratch folders) · Esc back");
    const marked = wrap(`${state.marked.length} marked${state.marked.length > 0 ? `: ${state.marked.join(", ")}` : ""} — ${placement}`);
    const refusal = state.message !== undefined ? wrap(state.message) : [];
    const rows = Math.max(1, height - head.length - marked.length - refusal.length);
    const first = Math.max(0, Math.min(state.cursor - Math.floor(rows / 2), installed.length - rows));
    return (
      <Box flexDirection="column">
        {head.map((line, i) => (
          <Text key={`h${i}`} bold>
            {line}
          </Text>
        ))}
        {marked.map((line, i) => (
          <Text key={`m${i}`} dimColor>
            {line}
          </Text>
        ))}
        {installed.slice(first, first + rows).map((name, i) => (
          <Text key={name} wrap="truncate-end" {...(first + i === state.cursor ? { color: theme.accent } : {})}>
            {first + i === state.cursor ? CURSOR : " "} {state.marked.includes(name) ? "[x]" : "[ ]"} {name}
          </Text>
        ))}
        {refusal.map((line, i) => (
          <Text key={`r${i}`} color={theme.warning}>
            {line}
          </Text>
        ))}
      </Box>
    );
  }
  if (state.mode === "running") {
    // Progress lines come wrapped to the screen's width (src/compare/compare-progress.ts).
    const head = wrap(`Comparing ${state.models.join(", ")} · Esc stops (the same models again continue)`);
    const shown = state.progress.slice(-Math.max(1, height - head.length));
    return (
      <Box flexDirection="column">
        {head.map((line, i) => (
          <Text key={`h${i}`} bold>
            {line}
          </Text>
        ))}
        {shown.map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {line === "" ? " " : line}
          </Text>
        ))}
      </Box>
    );
  }
  const lines = finishedLines(state, width);
  const rows = Math.max(1, height - 1);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        Comparison {state.outcome === "done" ? "finished" : state.outcome} · ↑↓ scroll · Esc back
      </Text>
      {lines.slice(state.scroll, state.scroll + rows).map((line, i) => (
        <Text key={state.scroll + i} wrap="truncate-end" {...(line.warning ? { color: theme.warning } : {})}>
          {line.text === "" ? " " : line.text}
        </Text>
      ))}
    </Box>
  );
}
