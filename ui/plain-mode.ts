// Plain accessible mode (`--plain`, or `[ui] plain = true`): for screen
// readers and dumb terminals. No box drawing, no spinners or running timers,
// ASCII marks (terminal-screen.ts), and the app draws on the normal screen,
// each change printed as new lines (plain-transcript.ts). Screens read it
// here, and leave out what streams (docs/tui.md, "Plain mode's transcript").

import { createContext, useContext } from "react";

export const PlainContext = createContext(false);

export function usePlain(): boolean {
  return useContext(PlainContext);
}
