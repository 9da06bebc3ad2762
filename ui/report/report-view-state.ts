// Where the Report view is: which section and how far it is scrolled. A plain
// reducer; the view computes the lines and passes their count.

import { REPORT_SECTIONS, type ReportSection } from "./report-lines.js";

export interface ReportViewState {
  section: ReportSection;
  scroll: number;
}

export type ReportViewAction = { type: "section"; by: 1 | -1 } | { type: "scroll"; by: number; max: number } | { type: "edge"; edge: "first" | "last"; max: number };

export const INITIAL_REPORT_VIEW: ReportViewState = { section: "tasks", scroll: 0 };

export function reportViewReducer(state: ReportViewState, action: ReportViewAction): ReportViewState {
  switch (action.type) {
    case "section": {
      const i = REPORT_SECTIONS.indexOf(state.section);
      return { section: REPORT_SECTIONS[(i + action.by + REPORT_SECTIONS.length) % REPORT_SECTIONS.length]!, scroll: 0 };
    }
    case "scroll":
      return { ...state, scroll: Math.max(0, Math.min(state.scroll + action.by, action.max)) };
    case "edge":
      return { ...state, scroll: action.edge === "first" ? 0 : Math.max(0, action.max) };
  }
}
