// A one-line text field as a reducer: the value and the cursor. Key presses
// become actions in textInputAction (byte 0x7F, what Backspace sends on most
// terminals, arrives from Ink as `key.delete`, so both delete backwards).

import type { KeyPress } from "../keymap.js";

export interface TextInputState {
  value: string;
  /** Index in `value`, 0…value.length. */
  cursor: number;
}

export type TextInputAction =
  | { type: "insert"; text: string }
  | { type: "backspace" }
  | { type: "move"; to: "left" | "right" | "start" | "end" }
  | { type: "clear" };

export function textInputState(value: string): TextInputState {
  return { value, cursor: value.length };
}

export function textInputReducer(state: TextInputState, action: TextInputAction): TextInputState {
  const { value, cursor } = state;
  switch (action.type) {
    case "insert":
      return { value: value.slice(0, cursor) + action.text + value.slice(cursor), cursor: cursor + action.text.length };
    case "backspace":
      return cursor === 0 ? state : { value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1 };
    case "move": {
      const to = action.to === "left" ? cursor - 1 : action.to === "right" ? cursor + 1 : action.to === "start" ? 0 : value.length;
      return { value, cursor: Math.max(0, Math.min(value.length, to)) };
    }
    case "clear":
      return { value: "", cursor: 0 };
  }
}

/** What a key press does to a text field: edit it, submit it, or cancel it. */
export function textInputAction(press: KeyPress): TextInputAction | "submit" | "cancel" | undefined {
  const { input, key } = press;
  if (key.return) return "submit";
  if (key.escape) return "cancel";
  if (key.backspace || key.delete) return { type: "backspace" };
  if (key.leftArrow) return { type: "move", to: "left" };
  if (key.rightArrow) return { type: "move", to: "right" };
  if (key.home || (key.ctrl && input === "a")) return { type: "move", to: "start" };
  if (key.end || (key.ctrl && input === "e")) return { type: "move", to: "end" };
  if (key.ctrl && input === "u") return { type: "clear" };
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
  // Pasted text arrives as one input; keep it on one line.
  const text = input.replace(/[\r\n]+/g, " ").replace(/[\u0000-\u001f\u007f]/g, "");
  return text === "" ? undefined : { type: "insert", text };
}
