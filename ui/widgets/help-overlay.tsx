// Every binding that works on the current screen, from the keymap table.

import { Box, Text } from "ink";
import { SCREEN_TITLES, bindingsFor, type ScreenId } from "../keymap.js";
import { theme } from "../theme.js";

export interface HelpOverlayProps {
  screen: ScreenId;
  /** Rows available, title included. */
  height: number;
  /** Columns available; with too many keys for one column the help uses two. */
  width?: number;
}

export function HelpOverlay({ screen, height, width = 80 }: HelpOverlayProps) {
  const bindings = bindingsFor(screen).filter((b) => !b.command.startsWith("screen.") || b.command === "screen.overview");
  const rows = bindings.map((b) => ({
    keys: b.command === "screen.overview" ? "1-7" : b.label,
    text: b.command === "screen.overview" ? "switch screen (Overview, Specs, Audit, Plan, Build, Traces, Models)" : b.description,
  }));
  // Every key must be visible: past one column's height the list flows into a
  // second column (descriptions cut to fit), and only then is anything cut.
  const perColumn = Math.max(1, height - 2);
  const columns = rows.length > perColumn && width >= 60 ? 2 : 1;
  const columnWidth = Math.floor(width / columns) - 1;
  const take = perColumn * columns;
  const visible = rows.slice(0, take);
  const lists = columns === 1 ? [visible] : [visible.slice(0, Math.ceil(visible.length / 2)), visible.slice(Math.ceil(visible.length / 2))];
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent}>
        Keys on {SCREEN_TITLES[screen]} (? closes){rows.length > take ? ` — ${rows.length - take} more than fit; make the terminal taller` : ""}
      </Text>
      <Box>
        {lists.map((list, c) => (
          <Box key={c} flexDirection="column" width={columnWidth} marginRight={1}>
            {list.map((r, i) => (
              <Text key={i} wrap="truncate-end">
                {r.keys.padEnd(7)} {r.text}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
