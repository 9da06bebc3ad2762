// The Models screen's "compare these": choosing installed models (marks), then
// a comparison running (its progress lines, newest last), then its table. A
// plain reducer; the screen starts and stops the comparison itself.

import type { CompareDocument } from "../../src/compare/compare-result.js";

/** Progress lines kept while a comparison runs: enough for a screen, bounded for a long one. */
export const PROGRESS_KEPT = 200;

export type CompareViewState =
  | { mode: "off" }
  | { mode: "choosing"; cursor: number; marked: string[]; message?: string }
  | { mode: "running"; models: string[]; progress: string[] }
  | { mode: "finished"; models: string[]; progress: string[]; doc?: CompareDocument; outcome: "done" | "interrupted" | "failed"; message?: string; scroll: number };

export type CompareViewAction =
  | { type: "choose"; marked: string[] }
  | { type: "move"; by: number; rows: number }
  | { type: "toggle"; model: string }
  | { type: "refuse"; message: string }
  | { type: "start" }
  | { type: "progress"; line: string }
  | { type: "finish"; outcome: "done" | "interrupted" | "failed"; doc?: CompareDocument; message?: string }
  | { type: "scroll"; by: number; lines: number; rows: number }
  | { type: "close" };

export function initialCompareView(): CompareViewState {
  return { mode: "off" };
}

export function compareViewReducer(state: CompareViewState, action: CompareViewAction): CompareViewState {
  switch (action.type) {
    case "choose":
      return { mode: "choosing", cursor: 0, marked: action.marked };
    case "move":
      if (state.mode !== "choosing" || action.rows <= 0) return state;
      return { ...state, cursor: Math.max(0, Math.min(action.rows - 1, state.cursor + action.by)) };
    case "toggle": {
      if (state.mode !== "choosing") return state;
      const marked = state.marked.includes(action.model) ? state.marked.filter((m) => m !== action.model) : [...state.marked, action.model];
      const { message: _gone, ...rest } = state;
      return { ...rest, marked };
    }
    case "refuse":
      return state.mode === "choosing" ? { ...state, message: action.message } : state;
    case "start":
      return state.mode === "choosing" ? { mode: "running", models: state.marked, progress: [] } : state;
    case "progress":
      if (state.mode !== "running") return state;
      return { ...state, progress: [...state.progress, action.line].slice(-PROGRESS_KEPT) };
    case "finish":
      if (state.mode !== "running") return state;
      return {
        mode: "finished",
        models: state.models,
        progress: state.progress,
        outcome: action.outcome,
        scroll: 0,
        ...(action.doc ? { doc: action.doc } : {}),
        ...(action.message !== undefined ? { message: action.message } : {}),
      };
    case "scroll":
      if (state.mode !== "finished") return state;
      return { ...state, scroll: Math.max(0, Math.min(Math.max(0, action.lines - action.rows), state.scroll + action.by)) };
    case "close":
      return state.mode === "running" ? state : { mode: "off" };
  }
}
