// Plain accessible mode (`--plain`, or `[ui] plain = true`): for screen
// readers and dumb terminals. No box drawing, no spinners or running timers,
// ASCII marks (terminal-screen.ts), and the app draws on the normal screen,
// each change printed as new lines (plain-transcript.ts). Screens read it
// here, and leave out what streams (docs/tui.md, "Plain mode's transcript").

import { createContext, useContext, useEffect, useRef, useState } from "react";

export const PlainContext = createContext(false);

export function usePlain(): boolean {
  return useContext(PlainContext);
}

/**
 * How often, at most, plain mode tells the progress of something that runs
 * (a model answering, a task building): each telling is a line read aloud.
 */
export const PLAIN_PROGRESS_MS = 10_000;

/** A count told at a human pace: what it was, and how long the thing had run, at the last whole period. */
export interface PacedCount {
  count: number;
  seconds: number;
}

/**
 * In plain mode, `count` as it was every PLAIN_PROGRESS_MS while `running`
 * names the same run (a model call's id): undefined for the first period
 * (a short run says nothing more than its start and end), then changed once
 * a period, so the line it is in is printed once a period. Outside plain
 * mode, or when nothing runs, undefined and no timer.
 */
export function usePacedCount(running: string | undefined, count: number): PacedCount | undefined {
  const plain = usePlain();
  const latest = useRef(count);
  latest.current = count;
  const [told, setTold] = useState<{ run: string; paced: PacedCount } | undefined>(undefined);
  useEffect(() => {
    if (!plain || running === undefined) return;
    const since = Date.now();
    const timer = setInterval(() => setTold({ run: running, paced: { count: latest.current, seconds: Math.round((Date.now() - since) / 1000) } }), PLAIN_PROGRESS_MS);
    return () => clearInterval(timer);
  }, [plain, running]);
  return plain && told !== undefined && told.run === running ? told.paced : undefined;
}
