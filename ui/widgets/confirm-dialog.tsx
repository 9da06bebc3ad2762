// A yes/no question from the shell or the engine (overwrite a hand-edited file?
// try a failed task again?). The person answers from what it says, so its
// sentences wrap instead of being cut; a detail too long for the rows keeps its
// first and last lines and says how many are left out.

import { Box, Text } from "ink";
import { splitLines } from "../../grammar/diagnostic.js";
import { elideLines, wrapHanging } from "../format.js";
import { theme } from "../theme.js";
import { usePlain } from "../plain-mode.js";

export interface ConfirmDialogProps {
  /** The question. */
  title: string;
  /** Details under it (files, messages): each wrapped, its run-on lines indented. */
  lines: string[];
  width: number;
  /** Rows the dialog may take, border included; without it, every line is shown. */
  height?: number;
}

export function ConfirmDialog({ title, lines, width, height }: ConfirmDialogProps) {
  const plain = usePlain();
  const outer = Math.min(width, 100);
  // The border and the padding take two columns each side (the padding only, in plain mode).
  const inner = outer - (plain ? 2 : 4);
  const titleLines = wrapHanging(title, inner, "  ");
  const rows = height === undefined ? Infinity : height - (plain ? 0 : 2) - titleLines.length - 1;
  const details = fitDetails(lines.map((detail) => splitLines(detail).map((line) => wrapHanging(line, inner, "  "))), rows);
  return (
    <Box flexDirection="column" {...(plain ? {} : { borderStyle: "round" as const, borderColor: theme.warning })} paddingX={1} width={outer}>
      {titleLines.map((line, i) => (
        <Text key={`t${i}`} bold>
          {line}
        </Text>
      ))}
      {details.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
      <Text>
        <Text bold>y</Text> yes · <Text bold>n</Text>/Esc no
      </Text>
    </Box>
  );
}

/**
 * The details (each its lines, each line its wrapped rows) in `rows`: whole
 * when they fit; else the longest gives up its middle lines (the others, such
 * as what y and n do, stay whole), or, when that is not enough, all together.
 */
function fitDetails(details: string[][][], rows: number): string[] {
  const size = (detail: string[][]) => detail.reduce((n, line) => n + line.length, 0);
  const total = details.reduce((n, d) => n + size(d), 0);
  if (total <= rows) return details.flat(2);
  const longest = details.reduce((at, d, i) => (size(d) > size(details[at]!) ? i : at), 0);
  const room = rows - (total - size(details[longest]!));
  if (room >= 3) return details.flatMap((d, i) => (i === longest ? elideLines(d, room) : d.flat()));
  return elideLines(details.flat(), Math.max(1, rows));
}
