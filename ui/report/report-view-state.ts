// Where the Report view is: which section, how far it is scrolled, and which
// recommendation of the retro is picked. A plain reducer; the view computes
// the lines and passes their count.

import { REPORT_SECTIONS, type ReportSection } from "./report-lines.js";

/** The report's sections, then the latest retrospective's recommendations. */
export const VIEW_SECTIONS = [...REPORT_SECTIONS, "retro"] as const;
export type ViewSection = ReportSection | "retro";

export interface ReportViewState {
  section: ViewSection;
  scroll: number;
  /** The retro's picked recommendation (0-based). */
  pick: number;
}

export type ReportViewAction =
  | { type: "section"; by: 1 | -1 }
  | { type: "scroll"; by: number; max: number }
  | { type: "edge"; edge: "first" | "last"; max: number }
  | { type: "pick"; by: number; count: number }
  | { type: "show-retro" };

export const INITIAL_REPORT_VIEW: ReportViewState = { section: "tasks", scroll: 0, pick: 0 };

export function reportViewReducer(state: ReportViewState, action: ReportViewAction): ReportViewState {
  switch (action.type) {
    case "section": {
      const i = VIEW_SECTIONS.indexOf(state.section);
      return { ...state, section: VIEW_SECTIONS[(i + action.by + VIEW_SECTIONS.length) % VIEW_SECTIONS.length]!, scroll: 0 };
    }
    case "scroll":
      return { ...state, scroll: Math.max(0, Math.min(state.scroll + action.by, action.max)) };
    case "edge":
      return { ...state, scroll: action.edge === "first" ? 0 : Math.max(0, action.max) };
    case "pick":
      return { ...state, pick: Math.max(0, Math.min(state.pick + action.by, action.count - 1)) };
    case "show-retro":
      return { ...state, section: "retro", scroll: 0, pick: 0 };
  }
}
