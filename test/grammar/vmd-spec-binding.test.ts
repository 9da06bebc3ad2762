import { expect, it } from "vitest";
import { parseSpecText } from "../../grammar/index.js";

it("reads @spec and classifies the other lines loosely", () => {
  const parsed = parseSpecText('# intro\n\n@spec WC\n@covers "Count Words"\nscenario counts words:\nwhen $ wc -w a.txt\nthen exit 0\ncount(a) | 1\n', "specs/wc.vmd");
  if (parsed.kind !== "vmd" || !parsed.ast) throw new Error("expected a VMD");
  expect(parsed.diagnostics).toEqual([]);
  expect(parsed.ast.spec).toEqual({ id: "WC", line: 3, column: 7 });
  expect(parsed.ast.lines.map((l) => [l.kind, "value" in l ? l.value : l.text])).toEqual([
    ["comment", "# intro"],
    ["blank", ""],
    ["spec", "WC"],
    ["covers", '"Count Words"'],
    ["scenario", "counts words"],
    ["when", "$ wc -w a.txt"],
    ["then", "exit 0"],
    ["other", "count(a) | 1"],
  ]);
});

it("reports a missing @spec", () => {
  expect(parseSpecText("scenario x:\nthen exit 0\n", "specs/wc.vmd").diagnostics).toMatchObject([
    { severity: "error", file: "specs/wc.vmd", line: 1, column: 1, message: "missing `@spec`: a .vmd file must say which spec it verifies", code: "vmd/missing-spec" },
  ]);
});

it("reports an empty, invalid or repeated @spec where it is", () => {
  expect(parseSpecText("@spec\n", "a.vmd").diagnostics.map((d) => [d.line, d.message])).toEqual([[1, "`@spec` needs a spec id"]]);
  expect(parseSpecText("@spec two words\n", "a.vmd").diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[1, 7, "`two words` is not a valid spec id"]]);
  expect(parseSpecText("@spec A\n@spec B\n", "a.vmd").diagnostics.map((d) => [d.line, d.message])).toEqual([[2, "a second `@spec` (the first is on line 1)"]]);
});
