// Lines that wrapStyled (ui/format.ts) broke to the screen's width, one Ink
// row each: the screen knows how many rows they take before they are drawn.

import { Text } from "ink";
import type { Styled } from "../format.js";

/** What a piece of a line may set: the `<Text>` props the screens use for prose. */
export interface LineStyle {
  bold?: boolean;
  dimColor?: boolean;
  color?: string;
}

/** Each line on a row of its own; a line never wraps again (it already fits) and is never cut. */
export function StyledLines({ lines }: { lines: readonly Styled<LineStyle>[][] }) {
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i}>
          {line.length === 0 ? " " : line.map((p, j) => (
            <Text key={j} {...p.style}>
              {p.text}
            </Text>
          ))}
        </Text>
      ))}
    </>
  );
}
