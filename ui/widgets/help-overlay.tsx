// Every binding that works on the current screen, from the keymap table.

import { Box, Text } from "ink";
import { SCREEN_TITLES, bindingsFor, type ScreenId } from "../keymap.js";
import { theme } from "../theme.js";

export interface HelpOverlayProps {
  screen: ScreenId;
  height: number;
}

export function HelpOverlay({ screen, height }: HelpOverlayProps) {
  const bindings = bindingsFor(screen).filter((b) => !b.command.startsWith("screen.") || b.command === "screen.overview");
  const rows = bindings.map((b) => ({
    keys: b.command === "screen.overview" ? "1-7" : b.label,
    text: b.command === "screen.overview" ? "switch screen (Overview, Specs, Audit, Plan, Build, Traces, Models)" : b.description,
  }));
  const visible = rows.slice(0, Math.max(1, height - 2));
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent}>
        Keys on {SCREEN_TITLES[screen]} (? closes)
      </Text>
      {visible.map((r, i) => (
        <Text key={i} wrap="truncate-end">
          {r.keys.padEnd(7)} {r.text}
        </Text>
      ))}
    </Box>
  );
}
