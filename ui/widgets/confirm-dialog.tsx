// A yes/no question from the shell or the engine (overwrite a hand-edited file?).

import { Box, Text } from "ink";
import { theme } from "../theme.js";
import { usePlain } from "../plain-mode.js";

export interface ConfirmDialogProps {
  /** The question. */
  title: string;
  /** Details under it (files, messages). */
  lines: string[];
  width: number;
}

export function ConfirmDialog({ title, lines, width }: ConfirmDialogProps) {
  const plain = usePlain();
  return (
    <Box flexDirection="column" {...(plain ? {} : { borderStyle: "round" as const, borderColor: theme.warning })} paddingX={1} width={Math.min(width, 100)}>
      <Text bold>{title}</Text>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text>
        <Text bold>y</Text> yes · <Text bold>n</Text>/Esc no
      </Text>
    </Box>
  );
}
