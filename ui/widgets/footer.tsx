// The key hints of the current screen, from the keymap table.

import { Text } from "ink";
import { footerHints, type ScreenId } from "../keymap.js";

export interface FooterProps {
  screen: ScreenId;
  width: number;
}

export function Footer({ screen, width }: FooterProps) {
  const hints = footerHints(screen).map((h) => `${h.label} ${h.text}`);
  return (
    <Text dimColor wrap="truncate-end">
      {hints.join(" · ").slice(0, Math.max(10, width))}
    </Text>
  );
}
