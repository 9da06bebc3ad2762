// The plan screen's graph view: the laid-out task graph, scrolled to keep the
// selected task in sight, with its ancestors and dependents coloured and
// named in a line underneath (the line is what NO_COLOR readers get).

import { Box, Text } from "ink";
import { CURSOR, inColor, theme, toneColor, type Tone } from "../theme.js";
import { GRAPH_LEGEND, relationsParts, type GraphMark, type GraphRelations, type TaskGraphLayout } from "./task-graph-layout.js";

export interface TaskGraphViewProps {
  layout: TaskGraphLayout;
  /** The selected task's id; its line carries the cursor. */
  selected: string | undefined;
  /** What the selected task needs and what needs it (coloured in the graph, named below it). */
  relations: GraphRelations;
  /** Marks by task id, for the glyph's colour. */
  marks: ReadonlyMap<string, GraphMark>;
  /** Rows for the whole view: header, graph window and the relations line. */
  height: number;
  width: number;
}

const MARK_TONE: Record<GraphMark, Tone> = { done: "ok", failed: "error", "to-build": "plain", skip: "muted", manual: "info", unknown: "warning" };
/** Colours of the selected task's relatives; the relations line uses the same, so it doubles as a legend. */
const NEEDS_COLOR = theme.accent;
const NEEDED_BY_COLOR = theme.warning;

export function TaskGraphView({ layout, selected, relations, marks, height, width }: TaskGraphViewProps) {
  const { lines } = layout;
  const cycleRows = layout.cycle ? 1 : 0;
  const windowRows = Math.max(1, height - 2 - cycleRows);
  const at = selected === undefined ? 0 : (layout.lineOf.get(selected) ?? 0);
  const first = Math.max(0, Math.min(at - Math.floor(windowRows / 2), lines.length - windowRows));
  const shown = lines.slice(first, first + windowRows);
  const scrolled = lines.length > windowRows ? ` · ${first + 1}–${first + shown.length} of ${lines.length}` : "";
  const needs = new Set(relations.needs);
  const neededBy = new Set(relations.neededBy);
  const [needsText, neededByText] = selected === undefined ? ["", ""] : relationsParts(selected, relations, width);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {"  "}task graph{scrolled} · {GRAPH_LEGEND}
      </Text>
      {layout.cycle ? (
        <Text color={theme.error} wrap="truncate-end">
          ✗ dependency cycle {layout.cycle.join(" → ")}: no build order, tasks in plan order
        </Text>
      ) : null}
      {shown.map((line) => {
        const isSelected = line.taskId === selected;
        const color = needs.has(line.taskId) ? NEEDS_COLOR : neededBy.has(line.taskId) ? NEEDED_BY_COLOR : undefined;
        return (
          <Text key={line.taskId} wrap="truncate-end">
            {isSelected ? CURSOR : " "} <Text dimColor>{line.rails}</Text>
            <Text {...inColor(toneColor(MARK_TONE[marks.get(line.taskId) ?? "unknown"]))}>{line.glyph}</Text>{" "}
            <Text bold={isSelected} {...inColor(color)}>
              {line.label}
            </Text>
          </Text>
        );
      })}
      {selected === undefined ? null : (
        <Text wrap="truncate-end">
          {selected} · <Text color={NEEDS_COLOR}>{needsText}</Text> · <Text color={NEEDED_BY_COLOR}>{neededByText}</Text>
        </Text>
      )}
    </Box>
  );
}
