import { describe, expect, it } from "vitest";
import { initialRolePicker, rolePickerReducer } from "../../ui/models/role-picker-state.js";

describe("the role picker's selection", () => {
  it("moves among roles, then among installed models while picking, within bounds", () => {
    let s = rolePickerReducer(initialRolePicker(), { type: "move", by: 1, rows: 7 });
    s = rolePickerReducer(s, { type: "move", by: 10, rows: 7 });
    expect(s).toEqual({ row: 6, picking: undefined });
    s = rolePickerReducer(s, { type: "pick", at: 2 });
    s = rolePickerReducer(s, { type: "move", by: 1, rows: 3 });
    s = rolePickerReducer(s, { type: "move", by: 1, rows: 3 });
    expect(s).toEqual({ row: 6, picking: 2 });
    s = rolePickerReducer(s, { type: "move", by: -5, rows: 3 });
    expect(s.picking).toBe(0);
    expect(rolePickerReducer(s, { type: "cancel" })).toEqual({ row: 6, picking: undefined });
  });

  it("ignores moves in an empty list", () => {
    const s = rolePickerReducer({ row: 0, picking: 0 }, { type: "move", by: 1, rows: 0 });
    expect(s).toEqual({ row: 0, picking: 0 });
  });
});
