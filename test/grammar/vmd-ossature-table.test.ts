// Ossature 0.2.1's own VMD parser tests as the table: every text its
// tests/unit/test_parsers_vmd.py hands to parse_vmd, with Ossature's verdict
// (parser-cases.json) and, for a rejected text, the words its test expects in
// the error (vmd-error-matches.json, copied from the test's _expect_error
// calls). A rejected text must give an error diagnostic with those words (or,
// for Ossature's "line N" test, at that line); an accepted one none.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSpecText } from "../../grammar/index.js";

const inputs = resolve(process.cwd(), "test", "fixtures", "ossature", "test-inputs");
interface ParserCase {
  test: string;
  kind: string;
  ossature: "accepts" | "rejects";
  text: string;
}
const cases = (JSON.parse(readFileSync(resolve(inputs, "parser-cases.json"), "utf8")) as ParserCase[]).filter((c) => c.kind === "vmd");
const matches = JSON.parse(readFileSync(resolve(inputs, "vmd-error-matches.json"), "utf8")) as Record<string, string>;

const errorsOf = (text: string) => parseSpecText(text, "case.vmd").diagnostics.filter((d) => d.severity === "error");

describe("Ossature's VMD parser tests", () => {
  it("has every input: 37 accepted and 80 rejected, each rejected one with the words its test expects", () => {
    expect(cases.filter((c) => c.ossature === "accepts")).toHaveLength(37);
    const rejected = cases.filter((c) => c.ossature === "rejects");
    expect(rejected).toHaveLength(80);
    expect(rejected.filter((c) => matches[c.test] === undefined)).toEqual([]);
  });

  for (const c of cases) {
    const name = c.test.replace(/^tests\/unit\/test_parsers_vmd\.py::/, "");
    if (c.ossature === "accepts") {
      it(`accepts ${name}`, () => {
        expect(errorsOf(c.text).map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([]);
      });
    } else {
      const words = matches[c.test]!;
      it(`rejects ${name} with "${words}" at a position`, () => {
        const errors = errorsOf(c.text);
        const lineOnly = /^line (\d+)$/.exec(words);
        const hit = errors.find((d) => (lineOnly ? d.line === Number(lineOnly[1]) : d.message.includes(words)));
        expect(hit, errors.map((d) => `${d.line}:${d.column} ${d.message}`).join("\n")).toBeDefined();
        expect(hit!.line).toBeGreaterThan(0);
        expect(hit!.column).toBeGreaterThan(0);
        expect(hit!.code).toMatch(/^vmd\//);
      });
    }
  }
});
