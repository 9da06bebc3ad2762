// The one-line input dialog: a label, the field with its cursor, a hint.

import { Box, Text } from "ink";
import { theme } from "../theme.js";
import { usePlain } from "../plain-mode.js";
import type { TextInputState } from "./text-input-state.js";

export interface TextPromptProps {
  /** What is asked, e.g. "Notes for T002". */
  label: string;
  /** The field's value and cursor. */
  state: TextInputState;
  /** A line under the field (what Enter and Esc do, or a format hint). */
  hint?: string;
  width: number;
}

export function TextPrompt({ label, state, hint, width }: TextPromptProps) {
  const plain = usePlain();
  const before = state.value.slice(0, state.cursor);
  const at = state.value[state.cursor] ?? " ";
  const after = state.value.slice(state.cursor + 1);
  const hintLine = <Text dimColor>{hint ?? "Enter saves · Esc cancels"}</Text>;
  if (plain) {
    // The field is the last line, and at its end the terminal's own cursor is the cursor: what is
    // typed then continues that line in the transcript (plain-transcript.ts), as a shell prompt does.
    return (
      <Box flexDirection="column" width={Math.min(width, 100)}>
        <Text bold>{label}</Text>
        {hintLine}
        <Text>
          {"> "}
          {before}
          {state.cursor < state.value.length ? <Text inverse>{at}</Text> : null}
          {after}
        </Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={Math.min(width, 100)}>
      <Text bold>{label}</Text>
      <Text>
        {"> "}
        {before}
        <Text inverse>{at}</Text>
        {after}
      </Text>
      {hintLine}
    </Box>
  );
}
