// The command palette (`:` or Ctrl-P): a search field over every action of
// every screen; an action that cannot run now is listed with the reason.

import { Box, Text } from "ink";
import type { PaletteEntry } from "../palette/palette-entries.js";
import { CURSOR, theme } from "../theme.js";
import { usePlain } from "../plain-mode.js";
import type { TextInputState } from "./text-input-state.js";
import { wrapWords } from "../format.js";

export interface CommandPaletteProps {
  query: TextInputState;
  /** The entries matching the query. */
  entries: readonly PaletteEntry[];
  /** Index into `entries`. */
  selected: number;
  /** Why an entry cannot run now, or undefined when it can. */
  disabled: (entry: PaletteEntry) => string | undefined;
  width: number;
  height: number;
}

export function CommandPalette({ query, entries, selected, disabled, width, height }: CommandPaletteProps) {
  const plain = usePlain();
  // Each entry takes as many lines as its description needs, plus one for the reason it cannot run now: nothing is cut.
  const keyWidth = 8;
  const textWidth = Math.max(20, width - keyWidth - 3);
  const lines = entries.flatMap((e, index) => {
    const why = disabled(e);
    const text = wrapWords(`${e.where ? `${e.where}: ` : ""}${e.description}`, textWidth);
    const reason = why ? wrapWords(`not now: ${why}`, textWidth) : [];
    return [
      ...text.map((t, i) => ({ index, text: `${i === 0 ? e.keys.padEnd(keyWidth) : "".padEnd(keyWidth)} ${t}`, off: why !== undefined, first: i === 0 })),
      ...reason.map((t) => ({ index, text: `${"".padEnd(keyWidth)} ${t}`, off: true, first: false })),
    ];
  });
  const rows = Math.max(1, height - 3);
  const at = Math.max(0, lines.findIndex((l) => l.index === selected));
  const first = Math.max(0, Math.min(at - Math.floor(rows / 3), lines.length - rows));
  const before = query.value.slice(0, query.cursor);
  const cursorChar = query.value[query.cursor] ?? " ";
  const after = query.value.slice(query.cursor + 1);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={theme.accent} wrap="truncate-end">
        Actions ({entries.length}) · type to search · ↑↓ choose · Enter runs · Esc closes
      </Text>
      <Text>
        {": "}
        {before}
        {/* Plain mode: at the end the terminal's own cursor is the cursor, so typing continues the line (plain-transcript.ts). */}
        {plain && query.cursor >= query.value.length ? null : <Text inverse>{cursorChar}</Text>}
        {after}
      </Text>
      {entries.length === 0 ? <Text dimColor>no action matches “{query.value}”</Text> : null}
      {lines.slice(first, first + rows).map((line, i) => (
        <Text key={first + i} wrap="truncate-end" dimColor={line.off} bold={line.index === selected}>
          {line.index === selected && line.first ? CURSOR : " "} {line.text}
        </Text>
      ))}
    </Box>
  );
}
