import { describe, expect, it } from "vitest";
import { checkVerdicts, findQuote } from "../../src/build/review-prompt.js";
import type { CheckItem } from "../../src/build/review-items.js";

const FILE = ["def top(pairs, n):", "    if not isinstance(n, int) or n < 1:", '        raise ValueError("n must be at least 1")', "    return pairs[:n]", ""].join("\n");
const items: CheckItem[] = [
  { id: "requirements/top", kind: "behaviour", text: "keep the first n" },
  { id: "requirements/top/errors/1", kind: "error", text: "n < 1 -> RangeError" },
  { id: "non-goals/1", kind: "non-goal", text: "no stemming" },
];
const files = new Map([["src/top.py", FILE]]);
const v = (item: string, verdict: "pass" | "fail" | "cannot-tell", quote: string, file = "src/top.py") => ({ item, verdict, file, quote, reason: "r" });

describe("the judge's quotes, checked against the file", () => {
  it("finds a line by its trimmed text, a part of a line, and consecutive lines", () => {
    expect(findQuote(FILE, "return pairs[:n]")).toBe(4);
    expect(findQuote(FILE, "    return pairs[:n]   ")).toBe(4);
    expect(findQuote(FILE, 'raise ValueError("n must')).toBe(3);
    expect(findQuote(FILE, 'if not isinstance(n, int) or n < 1:\n    raise ValueError("n must be at least 1")')).toBe(2);
  });

  it("refuses a paraphrase, an elision, lines out of order, and a quote with no letter or digit", () => {
    expect(findQuote(FILE, "return pairs[0:n]")).toBeUndefined();
    expect(findQuote(FILE, "if not isinstance(n, int) ... raise ValueError")).toBeUndefined();
    expect(findQuote(FILE, "return pairs[:n]\ndef top(pairs, n):")).toBeUndefined();
    expect(findQuote(FILE, "):")).toBeUndefined();
  });

  it("keeps verdicts with evidence, discards invented ones with the reason, and lists what went unanswered", () => {
    const checked = checkVerdicts(
      {
        verdicts: [
          v("requirements/top", "pass", "`return pairs[:n]`"),
          v("requirements/top/errors/1", "fail", 'raise RangeError("n")'),
          v("requirements/top/errors/1", "fail", 'raise ValueError("n must be at least 1")'),
          v("non-goals/1", "pass", ""),
        ],
      },
      items,
      files,
    );
    expect(checked.kept).toEqual([
      { item: "requirements/top", verdict: "pass", file: "src/top.py", quote: "return pairs[:n]", reason: "r", line: 4 },
      { item: "requirements/top/errors/1", verdict: "fail", file: "src/top.py", quote: 'raise ValueError("n must be at least 1")', reason: "r", line: 3 },
    ]);
    expect(checked.discarded.map((d) => [d.item, d.why])).toEqual([
      ["requirements/top/errors/1", "the quote is not in src/top.py"],
      ["non-goals/1", "a pass without a quote"],
    ]);
    expect(checked.unanswered).toEqual(["non-goals/1"]);
  });

  it("keeps a cannot-tell without a quote, and discards one whose quote names another file", () => {
    const checked = checkVerdicts({ verdicts: [v("requirements/top", "cannot-tell", ""), v("non-goals/1", "cannot-tell", "return pairs[:n]", "src/other.py")] }, items, files);
    expect(checked.kept.map((k) => k.item)).toEqual(["requirements/top"]);
    expect(checked.discarded[0]!.why).toBe("src/other.py is not a file the task wrote");
  });
});
