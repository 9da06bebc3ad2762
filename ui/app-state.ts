// The shell's state: which screen is shown, which were visited (they stay
// mounted so a build keeps running while you browse), the help overlay, and
// the double Ctrl-C. A plain reducer; time comes in with the action.

import { SCREENS, type ScreenId } from "./keymap.js";

/** A second Ctrl-C within this window quits; later, it counts as a first one again. */
export const INTERRUPT_WINDOW_MS = 3000;

/** What the process exits with: `q` is a normal quit, a double Ctrl-C an interrupt (as every command's Ctrl-C). */
export const QUIT_EXIT_CODE = 0;
export const INTERRUPT_EXIT_CODE = 130;

const INTERRUPT_NOTICE = `press Ctrl-C again within ${INTERRUPT_WINDOW_MS / 1000} s to quit`;

export interface AppState {
  screen: ScreenId;
  visited: ScreenId[];
  help: boolean;
  /** When the last Ctrl-C that did not quit arrived. */
  interruptArmedAt: number | undefined;
  exiting: boolean;
  /** Set with `exiting`: 0 for `q`, 130 for a double Ctrl-C. */
  exitCode: number;
  /** A one-line message under the screen, replaced by the next one. */
  flash: string | undefined;
}

export type AppAction =
  | { type: "show"; screen: ScreenId }
  | { type: "step"; by: 1 | -1 }
  /** Mount these screens (the palette asks every screen whether its actions can run). */
  | { type: "visit"; screens: ScreenId[] }
  | { type: "toggle-help" }
  | { type: "close-help" }
  | { type: "interrupt"; now: number; cancelled: string | undefined }
  /** The window of the Ctrl-C armed at `armedAt` has passed: its notice goes, the next Ctrl-C counts as a first. */
  | { type: "interrupt-expired"; armedAt: number }
  | { type: "flash"; message: string | undefined }
  | { type: "exit" };

export function initialAppState(screen: ScreenId = "overview"): AppState {
  return { screen, visited: [screen], help: false, interruptArmedAt: undefined, exiting: false, exitCode: QUIT_EXIT_CODE, flash: undefined };
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case "show":
      return { ...state, screen: action.screen, visited: state.visited.includes(action.screen) ? state.visited : [...state.visited, action.screen], help: false };
    case "visit":
      return { ...state, visited: [...state.visited, ...action.screens.filter((s) => !state.visited.includes(s))] };
    case "step": {
      const i = SCREENS.indexOf(state.screen);
      const next = SCREENS[(i + action.by + SCREENS.length) % SCREENS.length]!;
      return appReducer(state, { type: "show", screen: next });
    }
    case "toggle-help":
      return { ...state, help: !state.help };
    case "close-help":
      return { ...state, help: false };
    case "interrupt": {
      const armed = state.interruptArmedAt !== undefined && action.now - state.interruptArmedAt <= INTERRUPT_WINDOW_MS;
      if (armed) return { ...state, exiting: true, exitCode: INTERRUPT_EXIT_CODE };
      const what = action.cancelled ? `cancelled ${action.cancelled}; ` : "";
      return { ...state, interruptArmedAt: action.now, flash: `${what}${INTERRUPT_NOTICE}` };
    }
    case "interrupt-expired": {
      if (state.interruptArmedAt !== action.armedAt) return state;
      // Only the notice goes; a message that replaced it meanwhile stays.
      const flash = state.flash?.endsWith(INTERRUPT_NOTICE) ? undefined : state.flash;
      return { ...state, interruptArmedAt: undefined, flash };
    }
    case "flash":
      return { ...state, flash: action.message };
    case "exit":
      return { ...state, exiting: true, exitCode: QUIT_EXIT_CODE };
  }
}
