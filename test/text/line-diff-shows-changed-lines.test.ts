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
});
