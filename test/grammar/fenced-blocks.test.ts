import { describe, expect, it } from "vitest";
import { examplesOf, findSection, parseSpecText, requirementsOf, type SmdDocument } from "../../grammar/index.js";

function lines(...l: string[]): string {
  return l.join("\n") + "\n";
}

const HEAD = ["---", "id: DEMO", "---", "# Demo"];

function parse(text: string) {
  const parsed = parseSpecText(text, "specs/demo.smd");
  if (parsed.kind !== "smd" || !parsed.ast) throw new Error("expected an SMD document");
  return { doc: parsed.ast as SmdDocument, diagnostics: parsed.diagnostics };
}

describe("fenced code blocks", () => {
  it("treat a ## line inside a fence as content, not as a section", () => {
    const { doc, diagnostics } = parse(lines(...HEAD, "## Requirements", "### R", "## Examples", "### E", "**Input:**", "```md", "## Not a section", "### nor a requirement", "**Accepts:** nor a field", "```", "## Notes", "n"));
    expect(diagnostics).toEqual([]);
    expect(doc.sections.map((s) => s.name)).toEqual(["Requirements", "Examples", "Notes"]);
    expect(examplesOf(doc)[0]!.input!.text).toBe("## Not a section\n### nor a requirement\n**Accepts:** nor a field");
  });

  it("close only on a fence at least as long as the opening one, of the same character", () => {
    const { doc } = parse(lines(...HEAD, "## Requirements", "### R", "**Accepts:**", "````md", "```js", "x", "```", "~~~", "````", "after"));
    const accepts = requirementsOf(doc)[0]!.fields[0]!;
    const code = accepts.blocks[0];
    expect(code).toMatchObject({ kind: "code", fence: "````", info: "md", content: "```js\nx\n```\n~~~", line: 8, endLine: 13, closed: true });
    expect(accepts.blocks[1]).toMatchObject({ kind: "paragraph", lines: ["after"] });
  });

  it("report an unterminated fence at its opening line and still parse the sections after it", () => {
    const { doc, diagnostics } = parse(lines(...HEAD, "## Overview", "text", "  ```python", "def f():", "## Requirements", "### R"));
    expect(diagnostics).toEqual([
      { severity: "error", file: "specs/demo.smd", line: 7, column: 3, message: "the code fence opened here is never closed", hint: "close it with a line holding only ```", code: "fence/unterminated" },
    ]);
    expect(findSection(doc, "Overview")?.blocks[1]).toMatchObject({ kind: "code", closed: false, content: "def f():", endLine: 8 });
    expect(requirementsOf(doc).map((r) => r.title)).toEqual(["R"]);
  });

  it("run an unterminated fence without a later ## heading to the end of the file", () => {
    const { doc, diagnostics } = parse(lines(...HEAD, "## Requirements", "### R", "~~~~", "### not a requirement", "last"));
    expect(diagnostics.map((d) => [d.line, d.code])).toEqual([[7, "fence/unterminated"]]);
    expect(requirementsOf(doc)[0]!.blocks[0]).toMatchObject({ kind: "code", content: "### not a requirement\nlast" });
  });

  it("do not open on inline code that starts a line", () => {
    const { doc } = parse(lines(...HEAD, "## Overview", "```inline``` code", "## Requirements", "### R"));
    expect(findSection(doc, "Overview")!.blocks).toMatchObject([{ kind: "paragraph", lines: ["```inline``` code"] }]);
  });
});
