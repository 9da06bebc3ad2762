// Every binding that works on the current screen, from the keymap table, with
// every key of a binding and its whole description (wrapped, never cut).
// When the list is taller than the screen, ↑↓ and PgUp/PgDn scroll it.

import { Box, Text } from "ink";
import { SCREEN_TITLES, bindingsFor, keysText, type ScreenId } from "../keymap.js";
import { theme } from "../theme.js";
import { wrapWords } from "../format.js";

export interface HelpOverlayProps {
  screen: ScreenId;
  /** Rows available, title included. */
  height: number;
  width?: number;
  /** The first line shown (the shell keeps it while the help is open). */
  scroll?: number;
}

/** The help's lines for a width: key column, then the description wrapped under itself. */
export function helpLines(screen: ScreenId, width: number): string[] {
  const bindings = bindingsFor(screen).filter((b) => !b.command.startsWith("screen.") || b.command === "screen.overview");
  const rows = bindings.map((b) => ({
    keys: b.command === "screen.overview" ? "1-7" : keysText(b),
    text: b.command === "screen.overview" ? "switch screen (Overview, Specs, Audit, Plan, Build, Traces, Models)" : b.description,
  }));
  const keyWidth = Math.min(12, Math.max(...rows.map((r) => r.keys.length))) + 1;
  const textWidth = Math.max(20, width - keyWidth - 1);
  return rows.flatMap((r) => wrapWords(r.text, textWidth).map((line, i) => `${(i === 0 ? r.keys : "").padEnd(keyWidth)} ${line}`));
}

/** The largest first line that still fills the overlay. */
export function helpMaxScroll(screen: ScreenId, width: number, height: number): number {
  return Math.max(0, helpLines(screen, width).length - Math.max(1, height - 1));
}

export function HelpOverlay({ screen, height, width = 80, scroll = 0 }: HelpOverlayProps) {
  const lines = helpLines(screen, width);
  const rows = Math.max(1, height - 1);
  const first = Math.max(0, Math.min(scroll, lines.length - rows));
  const more = lines.length > rows ? ` · ↑↓ scroll · lines ${first + 1}–${Math.min(lines.length, first + rows)} of ${lines.length}` : "";
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent} wrap="truncate-end">
        Keys on {SCREEN_TITLES[screen]} (? closes{more})
      </Text>
      {lines.slice(first, first + rows).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
