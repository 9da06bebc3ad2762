import { describe, expect, it } from "vitest";
import { PlainTranscript, lineChanges } from "../../ui/plain-transcript.js";

/** A transcript whose output is collected, and the frames fed to it one by one. */
function transcriptOf(...frames: string[][]): string {
  let out = "";
  const t = new PlainTranscript((text) => (out += text));
  for (const frame of frames) t.frame(frame.join("\n"));
  t.end();
  return out;
}

const BAR = " 1 Overview   2 Specs   3 Audit   4 Plan  [5 Build*]  6 Traces   7 Models";
const FOOTER = "b build · p pause · s skip · r retry · : actions · ? help · q quit";

describe("plain mode's transcript", () => {
  it("prints a build's progress as successive lines: only the rows that changed, no blank lines, no escapes", () => {
    const frame = (header: string, rows: string[], status: string) => [BAR, header, ...rows, "", "", status, FOOTER];
    const out = transcriptOf(
      frame("build r1 · 0/2 built", ["› ▶ T001   Counting functions    generating", "  · T002   Counting tests        pending"], "build running · Esc cancels"),
      frame("build r1 · 0/2 built", ["› ▶ T001   Counting functions    verifying", "  · T002   Counting tests        pending"], "build running · Esc cancels"),
      frame("build r1 · 1/2 built · 197.0 tok/s (last call)", ["  ✓ T001   Counting functions    done", "› ▶ T002   Counting tests        generating"], "build running · Esc cancels"),
      frame("build r1 · 2/2 built · 3s · 196.2 tok/s avg", ["  ✓ T001   Counting functions    done", "› ✓ T002   Counting tests        done", "✓ 2 built, 0 up to date"], " "),
    );
    expect(out.split("\n")).toEqual([
      BAR,
      "build r1 · 0/2 built",
      "› ▶ T001   Counting functions    generating",
      "  · T002   Counting tests        pending",
      "build running · Esc cancels",
      FOOTER,
      "› ▶ T001   Counting functions    verifying",
      "build r1 · 1/2 built · 197.0 tok/s (last call)",
      "  ✓ T001   Counting functions    done",
      "› ▶ T002   Counting tests        generating",
      "build r1 · 2/2 built · 3s · 196.2 tok/s avg",
      "› ✓ T002   Counting tests        done",
      "✓ 2 built, 0 up to date",
      "",
    ]);
  });

  it("does not print the row the cursor left, only the one it moved to", () => {
    const out = transcriptOf(["› ✓ specs/a.smd", "  ✓ specs/b.smd"], ["  ✓ specs/a.smd", "› ✓ specs/b.smd"], ["› ✓ specs/a.smd", "  ✓ specs/b.smd"]);
    expect(out).toBe("› ✓ specs/a.smd\n  ✓ specs/b.smd\n› ✓ specs/b.smd\n› ✓ specs/a.smd\n");
  });

  it("continues the open line while a prompt is typed into, and starts a new line when the text is not a continuation", () => {
    const prompt = (field: string) => ["New spec name", "word-count writes word-count.smd", field, FOOTER];
    const out = transcriptOf([FOOTER], prompt("> "), prompt("> n"), prompt("> no"), prompt("> not"), prompt("> no"), prompt("> now"), ["› ✓ specs/now.smd", FOOTER]);
    // What the terminal shows: the prompt, then the typing echoed on its line; a deletion starts a line of its own ("> no"), which typing then continues.
    expect(out).toBe(`${FOOTER}\nNew spec name\nword-count writes word-count.smd\n> not\n> now\n› ✓ specs/now.smd\n`);
  });

  it("prints only the new rows of a list that scrolls, even where rows repeat", () => {
    const out = transcriptOf(["a()", "}", "b()", "}"], ["}", "b()", "}", "c()", "}"]);
    expect(out).toBe("a()\n}\nb()\n}\nc()\n}\n");
  });

  it("keeps colours but writes no other escape sequence, whatever reaches it", () => {
    const out = transcriptOf(["\u001b[2K\u001b[1A\u001b[32m✓ ok\u001b[39m\u001b[?25l", "\u001b]8;;http://x\u0007link\u001b]8;;\u0007"]);
    expect(out).toBe("\u001b[32m✓ ok\u001b[39m\nlink\n");
  });

  it("prints the whole screen again after a reset (the terminal was lent to an editor), and ignores empty writes", () => {
    let out = "";
    const t = new PlainTranscript((text) => (out += text));
    t.frame("one\ntwo");
    t.frame("");
    t.frame("one\ntwo");
    expect(out).toBe("one\ntwo");
    t.reset();
    t.frame("one\ntwo");
    expect(out).toBe("one\ntwo\none\ntwo");
  });

  it("finds the lines added and removed between two frames (longest common subsequence)", () => {
    expect(lineChanges(["a", "b", "c"], ["a", "x", "c", "d"])).toEqual({ added: [1, 3], removed: new Set(["b"]) });
    expect(lineChanges([], ["a"])).toEqual({ added: [0], removed: new Set() });
  });
});
