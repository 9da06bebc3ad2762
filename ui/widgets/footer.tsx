// The key hints of the current screen, from the keymap table, fitted to the
// width in the keymap's order of giving way (help, palette and quit stay).

import { Text } from "ink";
import { footerLine, KEYMAP, type CommandAvailable, type ScreenId } from "../keymap.js";

export interface FooterProps {
  screen: ScreenId;
  width: number;
  /** What the screen can do now (its `why`); a key that does nothing here is not offered. */
  available?: CommandAvailable;
}

export function Footer({ screen, width, available }: FooterProps) {
  // Ink needs the last column free of text on some terminals: one less than the width.
  return (
    <Text dimColor wrap="truncate-end">
      {footerLine(screen, Math.max(10, width - 1), KEYMAP, available)}
    </Text>
  );
}
