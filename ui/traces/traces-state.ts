// Where the trace browser is: the list of runs, one run's calls, or one call
// with the part shown (prompt, response, verify log, meta) and its scroll.
// A plain reducer; the screen loads what the current level needs.

export const CALL_PARTS = ["prompt", "response", "verify", "meta"] as const;
export type CallPart = (typeof CALL_PARTS)[number];

export type TracesLocation =
  | { level: "runs"; cursor: number }
  | { level: "calls"; runId: string; cursor: number; runCursor: number }
  | { level: "call"; runId: string; path: string; part: CallPart; scroll: number; callCursor: number; runCursor: number };

export type TracesAction =
  | { type: "move"; by: number; count: number }
  | { type: "to"; edge: "first" | "last"; count: number }
  | { type: "open-run"; runId: string }
  | { type: "open-call"; path: string }
  | { type: "part"; by: 1 | -1 }
  | { type: "back" }
  | { type: "jump"; runId: string; path?: string };

export function tracesReducer(state: TracesLocation, action: TracesAction): TracesLocation {
  const clamp = (n: number, count: number) => Math.max(0, Math.min(n, Math.max(0, count - 1)));
  switch (action.type) {
    case "move":
      if (state.level === "call") return { ...state, scroll: clamp(state.scroll + action.by, action.count) };
      return { ...state, cursor: clamp(state.cursor + action.by, action.count) };
    case "to": {
      const at = action.edge === "first" ? 0 : Math.max(0, action.count - 1);
      return state.level === "call" ? { ...state, scroll: at } : { ...state, cursor: at };
    }
    case "open-run":
      return state.level === "runs" ? { level: "calls", runId: action.runId, cursor: 0, runCursor: state.cursor } : state;
    case "open-call":
      return state.level === "calls" ? { level: "call", runId: state.runId, path: action.path, part: "response", scroll: 0, callCursor: state.cursor, runCursor: state.runCursor } : state;
    case "part": {
      if (state.level !== "call") return state;
      const i = CALL_PARTS.indexOf(state.part);
      return { ...state, part: CALL_PARTS[(i + action.by + CALL_PARTS.length) % CALL_PARTS.length]!, scroll: 0 };
    }
    case "back":
      if (state.level === "call") return { level: "calls", runId: state.runId, cursor: state.callCursor, runCursor: state.runCursor };
      if (state.level === "calls") return { level: "runs", cursor: state.runCursor };
      return state;
    case "jump":
      return action.path
        ? { level: "call", runId: action.runId, path: action.path, part: "response", scroll: 0, callCursor: 0, runCursor: 0 }
        : { level: "calls", runId: action.runId, cursor: 0, runCursor: 0 };
  }
}
