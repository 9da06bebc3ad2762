import { describe, expect, it } from "vitest";
import { wrapLines, wrapProse } from "../../ui/format.js";

// The demo's first finding, as the Audit screen showed it at 80 columns: "anoth|er developer", "wor|d)".
const ISSUE =
  'Apostrophes are not settled: under "a run of letters or digits" the text don\'t counts as the two words "don" and "t", which is probably not meant, and another developer would keep "don\'t" whole.';
const SUGGESTION = 'suggestion: Say whether an apostrophe between two letters belongs to the word, e.g. "an apostrophe between two letters belongs to the word (don\'t is one word)".';

describe("a finding's text on the Audit screen", () => {
  it("wraps between words, each paragraph on lines of its own, no line wider than the screen", () => {
    const lines = wrapProse(`${ISSUE}\n${SUGGESTION}`, 78);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    const issueLines = lines.slice(0, lines.findIndex((l) => l.startsWith("suggestion:")));
    expect(issueLines.join(" ")).toBe(ISSUE);
    expect(lines.slice(issueLines.length).join(" ")).toBe(SUGGESTION);
    expect(lines.some((l) => /anoth$|^er /.test(l))).toBe(false);
    // Code and traces keep wrapping at the width, every character in place.
    expect(wrapLines("abcdefghijklmnop", 10)).toEqual(["abcdefghij", "klmnop"]);
  });
});
