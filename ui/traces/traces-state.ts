// Where the trace browser is: the list of runs, one run's calls (one may be
// marked for a comparison), one call with the part shown (prompt, response,
// verify log, meta) and its scroll, or a diff of two calls' response or
// verify log. A plain reducer; the screen loads what the current level needs.

export const CALL_PARTS = ["prompt", "response", "verify", "meta"] as const;
export type CallPart = (typeof CALL_PARTS)[number];

/** The parts two attempts are compared on. */
export const DIFF_PARTS = ["response", "verify"] as const;
export type DiffPart = (typeof DIFF_PARTS)[number];

export type TracesLocation =
  | { level: "runs"; cursor: number }
  | { level: "calls"; runId: string; cursor: number; runCursor: number; marked?: string }
  | { level: "call"; runId: string; path: string; part: CallPart; scroll: number; callCursor: number; runCursor: number }
  | { level: "diff"; runId: string; left: string; right: string; part: DiffPart; scroll: number; callCursor: number; runCursor: number; marked?: string };

export type TracesAction =
  | { type: "move"; by: number; count: number }
  | { type: "to"; edge: "first" | "last"; count: number }
  | { type: "open-run"; runId: string }
  | { type: "open-call"; path: string }
  /** The next or previous part the call has (a call outside a task has no verify log). */
  | { type: "part"; by: 1 | -1; parts?: readonly CallPart[] }
  | { type: "back" }
  /** Marks a call of the run to compare with (again on the same call: unmarks). */
  | { type: "mark"; path: string }
  | { type: "open-diff"; left: string; right: string }
  | { type: "jump"; runId: string; path?: string };

export function tracesReducer(state: TracesLocation, action: TracesAction): TracesLocation {
  const clamp = (n: number, count: number) => Math.max(0, Math.min(n, Math.max(0, count - 1)));
  switch (action.type) {
    case "move":
      if (state.level === "call" || state.level === "diff") return { ...state, scroll: clamp(state.scroll + action.by, action.count) };
      return { ...state, cursor: clamp(state.cursor + action.by, action.count) };
    case "to": {
      const at = action.edge === "first" ? 0 : Math.max(0, action.count - 1);
      return state.level === "call" || state.level === "diff" ? { ...state, scroll: at } : { ...state, cursor: at };
    }
    case "mark": {
      if (state.level !== "calls") return state;
      const { marked: _, ...rest } = state;
      return state.marked === action.path ? rest : { ...rest, marked: action.path };
    }
    case "open-diff":
      if (state.level !== "calls") return state;
      return { level: "diff", runId: state.runId, left: action.left, right: action.right, part: "response", scroll: 0, callCursor: state.cursor, runCursor: state.runCursor, ...(state.marked ? { marked: state.marked } : {}) };
    case "open-run":
      return state.level === "runs" ? { level: "calls", runId: action.runId, cursor: 0, runCursor: state.cursor } : state;
    case "open-call":
      return state.level === "calls" ? { level: "call", runId: state.runId, path: action.path, part: "response", scroll: 0, callCursor: state.cursor, runCursor: state.runCursor } : state;
    case "part": {
      if (state.level === "diff") return { ...state, part: state.part === "response" ? "verify" : "response", scroll: 0 };
      if (state.level !== "call") return state;
      const parts = action.parts && action.parts.length > 0 ? action.parts : CALL_PARTS;
      const i = Math.max(0, parts.indexOf(state.part));
      return { ...state, part: parts[(i + action.by + parts.length) % parts.length]!, scroll: 0 };
    }
    case "back":
      if (state.level === "diff") return { level: "calls", runId: state.runId, cursor: state.callCursor, runCursor: state.runCursor, ...(state.marked ? { marked: state.marked } : {}) };
      if (state.level === "call") return { level: "calls", runId: state.runId, cursor: state.callCursor, runCursor: state.runCursor };
      if (state.level === "calls") return { level: "runs", cursor: state.runCursor };
      return state;
    case "jump":
      return action.path
        ? { level: "call", runId: action.runId, path: action.path, part: "response", scroll: 0, callCursor: 0, runCursor: 0 }
        : { level: "calls", runId: action.runId, cursor: 0, runCursor: 0 };
  }
}

/** The attempt before `path` of the same task ("tasks/T002/attempt-2" → "tasks/T002/attempt-1"), if it is one of `paths`. */
export function previousAttempt(path: string, paths: readonly string[]): string | undefined {
  const match = /^(tasks\/[^/]+\/attempt-)(\d+)$/.exec(path);
  if (!match) return undefined;
  const previous = `${match[1]}${Number(match[2]) - 1}`;
  return paths.includes(previous) ? previous : undefined;
}
