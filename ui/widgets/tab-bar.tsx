// The screens as numbered tabs; the active one bracketed (visible without colour).

import { Box, Text } from "ink";
import { SCREENS, SCREEN_TITLES, type ScreenId } from "../keymap.js";
import { theme } from "../theme.js";

export interface TabBarProps {
  active: ScreenId;
  /** Screens with something running get a marker, e.g. a build in progress. */
  busy?: ScreenId[];
  /** Titles shorten to four letters only when the full ones do not fit in this width. */
  width: number;
}

export function TabBar({ active, busy = [], width }: TabBarProps) {
  // Each tab takes its label plus three columns ("[…] " or " …  ").
  const full = SCREENS.reduce((n, screen, i) => n + `${i + 1} ${SCREEN_TITLES[screen]}`.length + 3 + (busy.includes(screen) ? 1 : 0), 0);
  const short = full > width;
  return (
    <Box>
      {SCREENS.map((screen, i) => {
        const title = short ? SCREEN_TITLES[screen].slice(0, 4) : SCREEN_TITLES[screen];
        const label = `${i + 1} ${title}${busy.includes(screen) ? "*" : ""}`;
        return screen === active ? (
          <Text key={screen} bold color={theme.accent}>
            [{label}]{" "}
          </Text>
        ) : (
          <Text key={screen} dimColor>
            {" "}
            {label}
            {"  "}
          </Text>
        );
      })}
    </Box>
  );
}
