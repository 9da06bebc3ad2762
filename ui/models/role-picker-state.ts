// The Models screen's selection: a row in the role list (the default first,
// then each role), and while picking, a row in the installed models. A plain
// reducer; list lengths come in with the actions that need them.

/** What the role rows stand for: `model.default`, then `model.<role>`. */
export interface RolePickerState {
  /** Index into the role rows. */
  row: number;
  /** Set while choosing a model for the role at `row`: the index into the installed list. */
  picking: number | undefined;
}

export type RolePickerAction =
  | { type: "move"; by: number; rows: number }
  /** Starts picking with the cursor on `at` (the role's current model, or the first). */
  | { type: "pick"; at: number }
  | { type: "cancel" };

export function initialRolePicker(): RolePickerState {
  return { row: 0, picking: undefined };
}

const clamp = (n: number, rows: number) => Math.max(0, Math.min(rows - 1, n));

export function rolePickerReducer(state: RolePickerState, action: RolePickerAction): RolePickerState {
  switch (action.type) {
    case "move":
      if (action.rows <= 0) return state;
      return state.picking === undefined ? { ...state, row: clamp(state.row + action.by, action.rows) } : { ...state, picking: clamp(state.picking + action.by, action.rows) };
    case "pick":
      return { ...state, picking: Math.max(0, action.at) };
    case "cancel":
      return { ...state, picking: undefined };
  }
}
