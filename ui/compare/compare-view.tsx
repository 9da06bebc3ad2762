// The Models screen's "compare these" (c): mark installed models, Enter runs
// `specwright compare` on them (the core's runCompare, in scratch folders, one
// model after another), its progress while it runs, then its table — the same
// lines the command prints (src/compare/compare-table.ts).

import { Box, Text } from "ink";
import { compareTableLines } from "../../src/compare/compare-table.js";
import { CURSOR, theme } from "../theme.js";
import type { CompareViewState } from "./compare-view-state.js";

export interface CompareViewProps {
  state: Exclude<CompareViewState, { mode: "off" }>;
  /** The installed models' names, in the screen's order. */
  installed: readonly string[];
  /** Rows the view may use. */
  height: number;
}

/** The finished comparison's lines (the screen bounds its scroll with their count). */
export function finishedLines(state: CompareViewState): string[] {
  if (state.mode !== "finished") return [];
  const table = state.doc ? compareTableLines(state.doc).map((l) => l.text) : [];
  const end =
    state.outcome === "done"
      ? []
      : [state.outcome === "interrupted" ? "Interrupted: c, the same models and Enter continue where it stopped." : `Not finished: ${state.message ?? "the comparison failed"}`, ""];
  return [...end, ...table];
}

export function CompareView({ state, installed, height }: CompareViewProps) {
  if (state.mode === "choosing") {
    const rows = Math.max(1, height - 3);
    const first = Math.max(0, Math.min(state.cursor - Math.floor(rows / 2), installed.length - rows));
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          Compare these · Space marks · Enter builds the plan with each (scratch folders) · Esc back
        </Text>
        <Text dimColor wrap="truncate-end">
          {state.marked.length} marked{state.marked.length > 0 ? `: ${state.marked.join(", ")}` : ""} — one model after another on this Ollama
        </Text>
        {installed.slice(first, first + rows).map((name, i) => (
          <Text key={name} wrap="truncate-end" {...(first + i === state.cursor ? { color: theme.accent } : {})}>
            {first + i === state.cursor ? CURSOR : " "} {state.marked.includes(name) ? "[x]" : "[ ]"} {name}
          </Text>
        ))}
        {state.message !== undefined ? <Text color={theme.warning}>{state.message}</Text> : null}
      </Box>
    );
  }
  if (state.mode === "running") {
    const shown = state.progress.slice(-Math.max(1, height - 1));
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          Comparing {state.models.join(", ")} · Esc stops (the same models again continue)
        </Text>
        {shown.map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {line === "" ? " " : line}
          </Text>
        ))}
      </Box>
    );
  }
  const lines = finishedLines(state);
  const rows = Math.max(1, height - 1);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        Comparison {state.outcome === "done" ? "finished" : state.outcome} · ↑↓ scroll · Esc back
      </Text>
      {lines.slice(state.scroll, state.scroll + rows).map((line, i) => (
        <Text key={state.scroll + i} wrap="truncate-end" {...(i === 0 && state.outcome !== "done" ? { color: theme.warning } : {})}>
          {line === "" ? " " : line}
        </Text>
      ))}
    </Box>
  );
}
