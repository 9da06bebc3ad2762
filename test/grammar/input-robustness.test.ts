import { describe, expect, it } from "vitest";
import { parseSpecText, requirementsOf, validateSpecs, type Diagnostic } from "../../grammar/index.js";

function where(d: Diagnostic[]): [number, number, string][] {
  return d.map((x) => [x.line, x.column, x.message]);
}

const SPEC = ["---", "id: DEMO", "---", "# Demo", "## Requirements", "### Count {#count}", "**Errors:**", "- no arrow here", "- empty -> exit 1"];

describe("line endings and BOM", () => {
  for (const [name, eol] of [["LF", "\n"], ["CRLF", "\r\n"], ["lone CR", "\r"]] as const) {
    it(`report the same 1-based positions with ${name} line endings and a BOM`, () => {
      const parsed = parseSpecText("\uFEFF" + SPEC.join(eol) + eol, "specs/demo.smd");
      expect(where(parsed.diagnostics)).toEqual([[8, 1, "this **Errors:** bullet has no arrow between condition and response"]]);
      if (parsed.kind !== "smd" || !parsed.ast) throw new Error("expected an SMD");
      expect(parsed.ast.frontmatter?.entries[0]).toMatchObject({ key: "id", line: 2, column: 1, value: { text: "DEMO", column: 5 } });
      const [req] = requirementsOf(parsed.ast);
      expect(req).toMatchObject({ title: "Count", line: 6, errors: [{ condition: "empty", response: "exit 1", line: 9 }] });
      expect(req!.fields[0]!.value).not.toContain("\r");
    });
  }

  it("counts the BOM as no column on line 1", () => {
    const parsed = parseSpecText("\uFEFFid: X\n# T\n", "specs/demo.smd");
    expect(parsed.diagnostics).toMatchObject([{ line: 1, column: 1, message: "missing frontmatter", code: "frontmatter/missing" }]);
  });
});

describe("empty input", () => {
  for (const [name, text] of [["empty", ""], ["whitespace-only", "  \n\t\r\n"], ["BOM-only", "\uFEFF"]] as const) {
    it(`reports an ${name} file as one error at 1:1`, () => {
      for (const file of ["a.smd", "a.amd", "a.vmd"]) {
        const parsed = parseSpecText(text, file);
        expect(parsed.diagnostics).toMatchObject([{ severity: "error", file, line: 1, column: 1, message: "the file is empty", code: "file/empty" }]);
        expect("ast" in parsed && parsed.ast).toBeFalsy();
      }
    });
  }
});

describe("frontmatter problems", () => {
  it("reports missing frontmatter at line 1 with a hint", () => {
    const parsed = parseSpecText("# Demo\n## Requirements\n### R\n", "specs/demo.smd");
    expect(parsed.diagnostics).toEqual([
      { severity: "error", file: "specs/demo.smd", line: 1, column: 1, message: "missing frontmatter", hint: "start the file with `---`, `id: MY_SPEC`, `---`", code: "frontmatter/missing" },
    ]);
  });

  it("reports unterminated frontmatter at its opening line, once, and still reads the body", () => {
    const result = validateSpecs([{ file: "specs/demo.smd", text: "\n---\nid: DEMO\n\n# Demo\n## Requirements\n### R\n" }]);
    expect(result.diagnostics).toEqual([
      { severity: "error", file: "specs/demo.smd", line: 2, column: 1, message: "the frontmatter opened here is never closed", hint: "end the frontmatter with a line holding only `---`", code: "frontmatter/unterminated" },
    ]);
    expect(result.specs[0]).toMatchObject({ title: "Demo", requirements: 1 });
  });

  it("says what is supported when a key specwright reads holds a nested map, an anchor, an alias, a tag, a multi-line string or a flow map", () => {
    const text = ["---", "id: &a DEMO", "status: *a", "priority: !!str high", "depends: |", "  A", "spec: {a: 1}", "---", "# Demo"].join("\n");
    const amdText = ["---", "spec:", "  name: Ann", "status: \"open", "---", "# Demo"].join("\n");
    const smd = parseSpecText(text, "specs/demo.smd");
    expect(smd.diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([
      [2, 5, "frontmatter/unsupported"],
      [3, 9, "frontmatter/unsupported"],
      [4, 11, "frontmatter/unsupported"],
      [5, 10, "frontmatter/unsupported"],
    ]);
    const supported = "frontmatter values specwright reads are `key: value` scalars, quoted strings, flow lists `[A, B]` and block lists (`- x` lines)";
    expect(smd.diagnostics[3]!.message).toBe(`a multi-line string (\`|\` / \`>\`) is not supported: ${supported}`);
    const amd = parseSpecText(amdText, "specs/demo.amd");
    expect(amd.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [3, 3, `a nested map under \`spec\` is not supported: ${supported}`],
      [4, 9, "the quoted string is not closed on this line (multi-line strings are not supported)"],
    ]);
  });

  it("reports a list item that follows a key with a value", () => {
    const parsed = parseSpecText("---\nid: DEMO\n- stray\n---\n# D\n", "specs/demo.smd");
    expect(where(parsed.diagnostics)).toEqual([[3, 1, "`id` already has a value on its own line, so this list item has nowhere to go"]]);
  });
});

describe("construct errors", () => {
  it("points an Errors bullet without an arrow at the bullet", () => {
    const parsed = parseSpecText(["---", "id: D", "---", "# D", "## Requirements", "### R", "**Errors:**", "", "  - missing the arrow", "- -> exit 1"].join("\n"), "specs/d.smd");
    expect(parsed.diagnostics).toMatchObject([
      { severity: "error", line: 9, column: 3, message: "this **Errors:** bullet has no arrow between condition and response", code: "smd/errors-bullet-arrow", hint: expect.stringContaining("`->` or `→`") },
      { severity: "error", line: 10, column: 1, message: "this **Errors:** bullet has an empty condition", code: "smd/errors-bullet-empty" },
    ]);
  });

  it("points an AMD component without @path at its ### heading", () => {
    const result = validateSpecs([{ file: "specs/d.amd", text: ["---", "spec: D", "---", "# A", "## Components", "", "  ### Store", "Keeps things.", "### Ok", "@path: ok.py"].join("\n") }], { standalone: true });
    expect(result.diagnostics).toEqual([
      {
        severity: "error",
        file: "specs/d.amd",
        line: 7,
        column: 3,
        message: "component `Store` has no `@path:`",
        hint: "add a line `@path: relative/file` under the heading: the file this component is built into",
        code: "amd/missing-path",
        length: 9,
      },
    ]);
  });

  it("reports a second # title and a ### before any section", () => {
    const parsed = parseSpecText(["---", "id: D", "---", "# D", "### Early", "## Requirements", "### R", "# Again"].join("\n"), "specs/d.smd");
    expect(where(parsed.diagnostics)).toEqual([
      [5, 1, "`### Early` comes before any `##` section, so it belongs to none"],
      [8, 1, "a spec has one `# Title`; this `# Again` is a second one (the title is on line 4)"],
    ]);
  });
});
