import { describe, expect, it } from "vitest";
import { componentsOf, dataModelsOf, findSection, parseSpecText, type AmdDocument, type Diagnostic } from "../../grammar/index.js";

function lines(...l: string[]): string {
  return l.join("\n") + "\n";
}

function amd(text: string): { doc: AmdDocument; diagnostics: Diagnostic[] } {
  const parsed = parseSpecText(text, "specs/demo.amd");
  if (parsed.kind !== "amd" || !parsed.ast) throw new Error("expected an AMD document");
  return { doc: parsed.ast, diagnostics: parsed.diagnostics };
}

const HEAD = ["---", "spec: DEMO", "status: draft", "---", "# Architecture: Demo"];

describe("AMD components", () => {
  it("reads @path, description, interface, contracts and depends on", () => {
    const { doc, diagnostics } = amd(
      lines(...HEAD, "## Components", "### Parser", "@path: src/parser.py", "Parses input.", "", "Second paragraph.", "**Interface:**", "```python", "def parse(s: str) -> Ast: ...", "```", "**Contracts:**", "- parse never raises [inferred]", "- parse is pure", "**Depends on:** Lexer, `Tokens`.", "### Lexer", "@path: src/lexer.py", "**Contracts:** None", "**Depends on:** None", "### Tokens", "@path:  src/tokens.py", "**Depends on:**", "- Lexer"),
    );
    expect(diagnostics).toEqual([]);
    const [parser, lexer, tokens] = componentsOf(doc);
    expect(parser).toMatchObject({ name: "Parser", line: 7, column: 1, path: { value: "src/parser.py", line: 8, column: 8 }, description: "Parses input.\n\nSecond paragraph." });
    expect(parser!.interface).toMatchObject({ info: "python", content: "def parse(s: str) -> Ast: ...", line: 13 });
    expect(parser!.contracts?.kind).toBe("list");
    expect(parser!.contracts?.kind === "list" && parser!.contracts.items.map((i) => [i.text, i.inferred])).toEqual([
      ["parse never raises", true],
      ["parse is pure", false],
    ]);
    expect(parser!.dependsOn).toEqual([
      { name: "Lexer", line: 19, column: 17 },
      { name: "Tokens", line: 19, column: 24 },
    ]);
    expect(lexer).toMatchObject({ contracts: { kind: "none", line: 22 }, dependsOn: [] });
    expect(tokens).toMatchObject({ path: { value: "src/tokens.py", column: 9 }, dependsOn: [{ name: "Lexer", line: 27, column: 3 }] });
    expect(tokens!.contracts).toBeUndefined();
  });

  it("reads data models, flow, dependencies and notes", () => {
    const { doc } = amd(lines(...HEAD, "## Overview", "Small.", "## Data Models", "### Record", "````rust", "struct Record { name: String }", "````", "## Flow", "```", "main -> parse", "```", "## Dependencies", "- serde: parsing", "## Notes", "- keep it small"));
    expect(dataModelsOf(doc).map((m) => [m.name, m.line, m.definition?.content])).toEqual([["Record", 9, "struct Record { name: String }"]]);
    expect(findSection(doc, "Flow")).toMatchObject({ kind: "prose", raw: "```\nmain -> parse\n```" });
    const deps = findSection(doc, "Dependencies");
    expect(deps?.kind === "bullets" && deps.bullets.map((b) => b.text)).toEqual(["serde: parsing"]);
    expect(findSection(doc, "Notes")?.kind).toBe("prose");
  });

  it("reports Contracts that say None and list bullets, or say nothing", () => {
    const { diagnostics } = amd(lines(...HEAD, "## Components", "### A", "@path: a.py", "**Contracts:** None", "- but this", "### B", "@path: b.py", "**Contracts:**", "just prose"));
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [9, 1, "**Contracts:** says `None` but also lists bullets"],
      [13, 1, "**Contracts:** needs `- ` bullets or `None`"],
    ]);
  });

  it("reports a second @path in one component at the second one", () => {
    const { diagnostics } = amd(lines(...HEAD, "## Components", "### A", "@path: a.py", "@path: b.py"));
    expect(diagnostics).toMatchObject([{ severity: "error", line: 9, column: 1, message: "component `A` already has `@path: a.py` (line 8)" }]);
  });
});
