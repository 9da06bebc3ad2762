import { describe, expect, it } from "vitest";
import { diffHunks, diffLines, unifiedDiff } from "../../src/text/line-diff.js";

describe("line diff", () => {
  it("prints a changed line as -old/+new with three lines of context, like diff -u", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h"].join("\n") + "\n";
    const after = before.replace("e\n", "E\n");
    expect(unifiedDiff(before, after)).toEqual(["@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h"]);
  });

  it("splits changes far apart into two hunks with the right line numbers", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...lines];
    after.splice(1, 0, "inserted");
    after[19] = "changed 19";
    const hunks = diffHunks(lines.join("\n"), after.join("\n"), 1);
    expect(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [1, 2, 1, 3],
      [18, 3, 19, 3],
    ]);
    expect(hunks[1]!.lines.map((l) => l.kind)).toEqual(["context", "removed", "added", "context"]);
  });

  it("finds nothing to show for equal texts, whatever their line endings", () => {
    expect(unifiedDiff("x\r\ny\r\n", "x\ny\n")).toEqual([]);
    expect(diffLines("x\ny", "x\ny").every((l) => l.kind === "context")).toBe(true);
  });

  it("aligns unchanged lines between insertions and deletions", () => {
    const kinds = diffLines("keep1\nold\nkeep2\n", "new0\nkeep1\nkeep2\nnew3\n").map((l) => `${l.kind[0]}${l.text}`);
    expect(kinds).toEqual(["anew0", "ckeep1", "rold", "ckeep2", "anew3"]);
  });

  it("aligns a few edits in a long text, where an LCS table would not fit", () => {
    // 5,000 lines with edits near both ends: the middle is 5,000 × 5,000 lines.
    const before = Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[2] = "changed 3";
    after.splice(2500, 1);
    after.splice(4997, 0, "inserted");
    const lines = diffLines(before.join("\n"), after.join("\n"));
    expect(lines.filter((l) => l.kind !== "context").map((l) => `${l.kind} ${l.text}`)).toEqual([
      "removed line 3",
      "added changed 3",
      "removed line 2501",
      "added inserted",
    ]);
    expect(lines.find((l) => l.text === "inserted")).toEqual({ kind: "added", text: "inserted", newLine: 4998 });
    expect(lines.at(-1)).toEqual({ kind: "context", text: "line 5000", oldLine: 5000, newLine: 5000 });
  });

  it("shows texts that differ in more than 500 lines as all removed, then all added", () => {
    const before = Array.from({ length: 400 }, (_, i) => `old ${i}`).join("\n");
    const after = Array.from({ length: 400 }, (_, i) => `new ${i}`).join("\n");
    const kinds = diffLines(`same\n${before}\nsame`, `same\n${after}\nsame`).map((l) => l.kind);
    expect(kinds).toEqual(["context", ...Array(400).fill("removed"), ...Array(400).fill("added"), "context"]);
  });
});
