// The shell's state: which screen is shown, which were visited (they stay
// mounted so a build keeps running while you browse), the help overlay, and
// the double Ctrl-C. A plain reducer; time comes in with the action.

import { SCREENS, type ScreenId } from "./keymap.js";

/** A second Ctrl-C within this window quits; later, it counts as a first one again. */
export const INTERRUPT_WINDOW_MS = 3000;

export interface AppState {
  screen: ScreenId;
  visited: ScreenId[];
  help: boolean;
  /** When the last Ctrl-C that did not quit arrived. */
  interruptArmedAt: number | undefined;
  exiting: boolean;
  /** A one-line message under the screen, replaced by the next one. */
  flash: string | undefined;
}

export type AppAction =
  | { type: "show"; screen: ScreenId }
  | { type: "step"; by: 1 | -1 }
  | { type: "toggle-help" }
  | { type: "close-help" }
  | { type: "interrupt"; now: number; cancelled: string | undefined }
  | { type: "flash"; message: string | undefined }
  | { type: "exit" };

export function initialAppState(screen: ScreenId = "overview"): AppState {
  return { screen, visited: [screen], help: false, interruptArmedAt: undefined, exiting: false, flash: undefined };
}

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case "show":
      return { ...state, screen: action.screen, visited: state.visited.includes(action.screen) ? state.visited : [...state.visited, action.screen], help: false };
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
      if (armed) return { ...state, exiting: true };
      const what = action.cancelled ? `cancelled ${action.cancelled}; ` : "";
      return { ...state, interruptArmedAt: action.now, flash: `${what}press Ctrl-C again to quit` };
    }
    case "flash":
      return { ...state, flash: action.message };
    case "exit":
      return { ...state, exiting: true };
  }
}
