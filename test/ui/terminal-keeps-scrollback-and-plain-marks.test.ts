import { describe, expect, it } from "vitest";
import { ERASE_SCROLLBACK, inPlainMarks, withoutScrollbackErase } from "../../ui/terminal-screen.js";

describe("what the app writes to the terminal", () => {
  it("never erases the scrollback: Ink's full clear keeps its screen clear and home, loses ESC[3J", () => {
    // ansi-escapes' clearTerminal, as Ink 6.8 writes it when its last frame filled the terminal.
    const inkClear = "\u001b[2J\u001b[3J\u001b[H";
    expect(withoutScrollbackErase(inkClear + "frame")).toBe("\u001b[2J\u001b[Hframe");
    expect(withoutScrollbackErase(`a${ERASE_SCROLLBACK}b${ERASE_SCROLLBACK}`)).toBe("ab");
  });

  it("in plain mode writes the drawing symbols as ASCII, one column each (the layout's widths stay)", () => {
    const line = "› ✓ specs/a.smd ── T001 │ ◐ build…";
    expect(inPlainMarks(line)).toBe("> + specs/a.smd -- T001 | * build~");
    expect(inPlainMarks(line)).toHaveLength(line.length);
    expect(inPlainMarks("╭──╮\n╰──╯")).toBe("+--+\n+--+");
  });
});
