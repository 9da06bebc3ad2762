// Issue 12 item 2: the spec lexer and the reply parser share one rule for
// which lines are fences (grammar/fence-line.ts). Each line below is tried as
// a spec's code block and as a reply's file block; both must agree.

import { describe, expect, it } from "vitest";
import { closes, fenceAt } from "../../grammar/fence-line.js";
import { tokenizeSpec } from "../../grammar/markdown-lexer.js";
import { parseReply } from "../../src/build/reply-protocol.js";

const LINES: [string, boolean][] = [
  ["```", true],
  ["```python", true],
  ["   ```python", true],
  ["    ```python", false], // four spaces: indented code
  ["\t```python", false], // a tab is never fence indentation
  ["~~~", true],
  ["~~~ python `x`", true], // a backtick in a tilde fence's info is fine
  ["``` `x`", false], // a backtick in a backtick fence's info: inline code
  ["``", false],
  ["````markdown", true],
];

describe("one rule for fence lines", () => {
  for (const [line, isFence] of LINES) {
    it(`${isFence ? "reads" : "does not read"} ${JSON.stringify(line)} as a fence, in a spec and in a reply`, () => {
      expect(fenceAt(line, 0, line.length) !== undefined).toBe(isFence);
      const spec = tokenizeSpec(`${line}\nbody\n${line.trimStart().startsWith("~") ? "~~~~" : "````"}\n`);
      expect(spec[0]?.kind === "Fence").toBe(isFence);
      const reply = parseReply({ reply: `a.txt\n${line}\nbody\n${line.trimStart().startsWith("~") ? "~~~~" : "````"}\n`, expected: ["a.txt"] });
      expect(reply.ok).toBe(isFence);
    });
  }

  it("closes only with the same character, at least as long, and no info string", () => {
    const open = fenceAt("````js", 0, 6)!;
    expect(closes(fenceAt("````", 0, 4)!, open)).toBe(true);
    expect(closes(fenceAt("`````", 0, 5)!, open)).toBe(true);
    expect(closes(fenceAt("```", 0, 3)!, open)).toBe(false);
    expect(closes(fenceAt("~~~~", 0, 4)!, open)).toBe(false);
    expect(closes(fenceAt("````js", 0, 6)!, open)).toBe(false);
  });
});
