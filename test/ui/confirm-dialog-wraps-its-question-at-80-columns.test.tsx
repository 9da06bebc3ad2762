// At 80×24 "T001 failed. Try it again from the start?" cut the failure reason
// at the dialog's edge, and the person answers y or n from it. Its lines wrap
// now; a reason longer than the rows keeps its first and last lines whole and
// says how many are left out, and what y and n do stays in view.

import { describe, expect, it } from "vitest";
import { Box } from "ink";
import { render } from "ink-testing-library";
import { ConfirmDialog } from "../../ui/widgets/confirm-dialog.js";

// As src/build/attempt-loop.ts ends a task and ui/screens/build-screen.tsx asks about it.
const TITLE = "T001 failed. Try it again from the start?";
const REASON =
  "verify failed after 2 fix attempts: `python3 -m unittest tests/test_arith.py` exited 1 — AssertionError: 5 != 4 in test_add (tests/test_arith.py:7); the reply changed calc/arith.py but the test still expects add(2, 2) to be 4";
const ANSWERS = "y builds it again in this build; n leaves it failed (r retries it later)";

/** The dialog in an 80-column terminal, inside a body of `height` rows as the app gives it. */
function frameAt(lines: string[], height: number): string[] {
  const { lastFrame, unmount } = render(
    <Box width={80} flexDirection="column">
      <ConfirmDialog title={TITLE} lines={lines} width={80} height={height} />
    </Box>,
  );
  const frame = (lastFrame() ?? "").split("\n");
  unmount();
  return frame;
}

/** The dialog's text inside its border, each row trimmed, joined by spaces: a wrapped sentence reads whole. */
const flat = (lines: string[]) => lines.map((l) => l.replace(/^[│╭╰]\s?|\s?[│╮╯]$/g, "").trim()).join(" ");

describe("the confirm dialog at 80 columns", () => {
  it("shows the whole failure reason, wrapped, with what y and n do", () => {
    // 16: the body of a 24-row terminal under the tab bar and a four-row Ollama banner.
    const lines = frameAt([REASON, ANSWERS], 16);
    expect(lines.length).toBeLessThanOrEqual(16);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines.filter((l) => /…\s*│?$/.test(l)), lines.join("\n")).toEqual([]);
    const text = flat(lines);
    expect(text).toContain(TITLE);
    expect(text).toContain(REASON);
    expect(text).toContain(ANSWERS);
    expect(text).toContain("y yes · n/Esc no");
  });

  it("keeps a very long reason's first and last lines within its rows and says how many are left out", () => {
    const log = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of the verify output: FAIL test_case_${i + 1} (tests.test_arith.ArithTest) expected 4, got 5`);
    const reason = `verify failed: \`python3 -m unittest\` exited 1\n${log.join("\n")}`;
    const lines = frameAt([reason, ANSWERS], 14);
    expect(lines.length, lines.join("\n")).toBeLessThanOrEqual(14);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const text = flat(lines);
    expect(text).toContain(TITLE);
    expect(text).toContain("verify failed: `python3 -m unittest` exited 1");
    expect(text).toContain(log.at(-1));
    expect(text).toContain(ANSWERS);
    expect(text).toContain("y yes · n/Esc no");
    // 14 rows less the border (2), the title, the answers and y/n leave 9 for the reason, whose first line takes
    // one row and each log line two: the first line and line 1 (3 rows) and lines 29 and 30 (4 rows) around the count.
    const shown = flat(lines);
    expect(shown).toContain(`exited 1 ${log[0]} … 27 lines left out … ${log[28]} ${log[29]} ${ANSWERS}`);
    // 3 + 1 + 4 = 8 of the 9 rows: line 28 (two rows) does not fit in the one left, so it is counted, not cut.
    expect(lines).toHaveLength(13);
  });
});
