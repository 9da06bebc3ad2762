// Plain accessible mode (`--plain`, or `[ui] plain = true`): for screen
// readers and dumb terminals. No box drawing, no spinners or running timers,
// ASCII marks, and the app prints on the normal screen. Screens read it here.

import { createContext, useContext } from "react";

export const PlainContext = createContext(false);

export function usePlain(): boolean {
  return useContext(PlainContext);
}

/** The marks screens draw with, in both modes. */
export interface Marks {
  selected: string;
  ok: string;
  failed: string;
  running: string;
  pending: string;
  rule: string;
}

const FANCY: Marks = { selected: "›", ok: "✓", failed: "✗", running: "▶", pending: "·", rule: "─" };
const PLAIN: Marks = { selected: ">", ok: "ok", failed: "FAILED", running: "running", pending: "-", rule: "-" };

export function marks(plain: boolean): Marks {
  return plain ? PLAIN : FANCY;
}
