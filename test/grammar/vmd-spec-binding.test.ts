import { expect, it } from "vitest";
import { parseSpecText } from "../../grammar/index.js";

const vmd = (text: string) => {
  const parsed = parseSpecText(text, "specs/wc.vmd");
  if (parsed.kind !== "vmd" || !parsed.ast) throw new Error("expected a VMD");
  return { ...parsed, ast: parsed.ast };
};

it("binds the file to its spec and reads every construct", () => {
  const { ast, diagnostics } = vmd(
    [
      "# intro",
      "",
      "@spec WC",
      "@arch WC_ARCH",
      "@status review",
      '@fixture TEXT = "a b a"',
      "@fixture db = !fresh empty store",
      "",
      '@covers count-words, "Count Words"',
      "count(db, text) -> list ~unordered",
      'basic | TEXT | [["a", 2], ["b", 1]]',
      "none  | null | !TypeError: text",
      'empty | ""   | Ok',
      "",
      "scenario counts words:",
      'when $ wc -w "a file.txt"',
      "> 3",
      "when $ wc --bad",
      "then exit 2",
      'then stderr matches "(?i)usage"',
      "",
      "scenario top of nothing:",
      "given pairs = []",
      "when top(pairs, 1)",
      "then returns []",
    ].join("\n"),
  );
  expect(diagnostics).toEqual([]);
  expect(ast.spec).toEqual({ id: "WC", line: 3, column: 7 });
  expect(ast.arch).toEqual({ id: "WC_ARCH", line: 4, column: 7 });
  expect(ast.status).toEqual({ value: "review", line: 5, column: 9 });
  expect(ast.fixtures.map((f) => [f.name, f.opaque, f.opaque ? f.label : f.value])).toEqual([
    ["TEXT", false, "a b a"],
    ["db", true, "fresh empty store"],
  ]);
  const [group] = ast.groups;
  expect(group).toMatchObject({ name: "count", returns: "list", modes: ["unordered"], covers: ["count-words", "Count Words"], arity: 1, line: 10 });
  expect(group!.params.map((p) => [p.name, p.opaqueFixture])).toEqual([
    ["db", "db"],
    ["text", ""],
  ]);
  expect(group!.cases.map((c) => [c.name, c.inputs, c.expect])).toEqual([
    ["basic", ["a b a"], { kind: "value", value: [["a", 2], ["b", 1]], raw: '[["a", 2], ["b", 1]]' }],
    ["none", [null], { kind: "error", type: "TypeError", message: "text" }],
    ["empty", [""], { kind: "ok" }],
  ]);
  const [cmd, call] = ast.scenarios;
  expect(cmd).toMatchObject({ slug: "counts_words", kind: "command" });
  expect(cmd!.steps.map((s) => [s.argv, s.stdoutLines, s.exitCode, s.stderr])).toEqual([
    [["wc", "-w", "a file.txt"], ["3"], 0, undefined],
    [["wc", "--bad"], undefined, 2, { mode: "matches", text: "(?i)usage" }],
  ]);
  expect(call).toMatchObject({ kind: "call", call: { target: "top", args: [[], 1], expect: { kind: "value", value: [] } } });
});

it("reports a missing @spec with Ossature's words", () => {
  expect(parseSpecText("scenario x:\nwhen $ x\n", "specs/wc.vmd").diagnostics).toMatchObject([
    { severity: "error", file: "specs/wc.vmd", line: 1, column: 1, message: "Missing required directive: @spec", code: "vmd/missing-spec" },
  ]);
});

it("points at the exact cell, token or word that is wrong", () => {
  const at = (text: string) => parseSpecText(text, "a.vmd").diagnostics.map((d) => [d.line, d.column, d.message]);
  expect(at("@spec\n\nscenario s:\nwhen $ x\n")).toEqual([[1, 1, "@spec needs a value"]]);
  expect(at("@spec two words\n\nscenario s:\nwhen $ x\n")).toEqual([[1, 7, "invalid @spec id: 'two words'"]]);
  expect(at("@spec A\n@spec B\n\nscenario s:\nwhen $ x\n")).toEqual([[2, 1, "duplicate @spec directive (first on line 1)"]]);
  // As in Ossature, a bad row is not kept, so its group also has no rows.
  expect(at("@spec A\n\nf(x, y)\nok | 1 | oops | 2\n")).toEqual([
    [4, 10, "case 'ok', input 'y': not valid JSON (and not a known fixture name): 'oops'"],
    [3, 1, "group 'f' has no case rows"],
  ]);
  expect(at("@spec A\n\n  f(x) ~approx ~fuzzy\n  a | 1 | 2\n")).toEqual([
    [3, 16, "unknown mode ~fuzzy"],
    [1, 1, "No case groups or scenarios found (need at least one)"],
  ]);
  expect(at("@spec A\n\nscenario s:\nwhen $ a | b\n")).toEqual([
    [4, 6, "shell features are not available ('|'); a scenario runs one program per when step, no pipes or redirects"],
    [3, 1, "scenario 's' has no when step"],
  ]);
});
