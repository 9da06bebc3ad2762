import { describe, expect, it } from "vitest";
import { validateSpecs, type Diagnostic } from "../../grammar/index.js";

function check(text: string, file = "specs/demo.smd", strict = false): Diagnostic[] {
  return validateSpecs([{ file, text }], { strict, standalone: true }).diagnostics;
}

function brief(d: Diagnostic[]): [string, number, number, string, string | undefined][] {
  return d.map((x) => [x.severity, x.line, x.column, x.message, x.hint]);
}

const BODY = "# Demo\n## Requirements\n### R\n";

describe("SMD frontmatter values", () => {
  it("requires an id and a sane identifier", () => {
    expect(brief(check("---\nstatus: draft\n---\n" + BODY))).toEqual([
      ["error", 1, 1, "missing `id` in the frontmatter", "add e.g. `id: WORDCOUNT`: other specs and the .amd/.vmd files refer to it"],
    ]);
    expect(check("---\nid: 9 lives\n---\n" + BODY)).toMatchObject([{ line: 2, column: 5, message: "`9 lives` is not a valid spec id", length: 7 }]);
  });

  it("rejects an unknown status or priority with a did-you-mean", () => {
    expect(brief(check("---\nid: D\nstatus: aproved\npriority: urgent\n---\n" + BODY))).toEqual([
      ["error", 3, 9, "`aproved` is not a valid status (draft | review | approved | implemented | deprecated)", "did you mean `approved`?"],
      ["error", 4, 11, "`urgent` is not a valid priority (low | medium | high | critical)", "use one of low | medium | high | critical"],
    ]);
  });

  it("warns about unknown keys and rejects a key set twice", () => {
    expect(brief(check("---\nid: D\ndepend: [X]\nid: E\n---\n" + BODY))).toEqual([
      ["warning", 3, 1, "unknown frontmatter key `depend` is ignored", "did you mean `depends`?"],
      ["error", 4, 1, "`id` is set twice in the frontmatter (first on line 2)", "keep one of them"],
    ]);
  });
});

describe("SMD structure", () => {
  it("requires a title and at least one requirement", () => {
    expect(brief(check("---\nid: D\n---\n## Requirements\nnone yet\n"))).toEqual([
      ["error", 4, 1, "missing `# Title`", "put a `# Title` line after the frontmatter"],
      ["error", 4, 1, "the spec has no requirements", "add `## Requirements` with one `### Title` block per requirement"],
    ]);
  });

  it("warns about unknown sections with a did-you-mean and keeps them", () => {
    const result = validateSpecs([{ file: "d.smd", text: "---\nid: D\n---\n" + BODY + "## Constraint\n- x\n## Glossary\nterms\n" }]);
    expect(brief(result.diagnostics)).toEqual([
      ["warning", 7, 1, "unknown section `## Constraint`", "did you mean `Constraints`?"],
      ["warning", 9, 1, "unknown section `## Glossary`", "unknown sections are kept and can be referenced by tasks"],
    ]);
    const doc = result.files[0]!;
    expect(doc.kind === "smd" && doc.ast?.sections.map((s) => [s.name, s.known, s.raw])).toEqual([
      ["Requirements", true, "### R"],
      ["Constraint", false, "- x"],
      ["Glossary", false, "terms"],
    ]);
  });

  it("rejects a section that appears twice, also through an alias", () => {
    expect(brief(check("---\nid: D\n---\n# D\n## Overview\na\n## Outcome\nb\n## Requirements\n### R\n"))).toEqual([
      ["error", 7, 1, "section `Overview` appears twice (first on line 5)", "merge the two sections: references by name must resolve to one"],
    ]);
  });

  it("rejects duplicate anchors, explicit or derived from the title", () => {
    const text = "---\nid: D\n---\n# D\n## Requirements\n### Count words\n### Count Words!\n### Other {#count-words}\n### Fine {#fine}\n";
    expect(check(text).map((d) => [d.line, d.message])).toEqual([
      [7, "requirement anchor `count-words` is already used by `Count words` (line 6)"],
      [8, "requirement anchor `count-words` is already used by `Count words` (line 6)"],
    ]);
  });

  it("rejects a malformed heading attribute", () => {
    expect(check("---\nid: D\n---\n# D\n## Requirements\n### R {#bad/anchor}\n")).toMatchObject([{ line: 6, message: "`#bad/anchor` is not a valid heading attribute", code: "smd/heading-attribute" }]);
  });

  it("warns about an example without Input or Output, and makes it an error under --strict", () => {
    const text = "---\nid: D\n---\n" + BODY + "## Examples\n### E\n**Input:** x\n";
    expect(check(text).map((d) => [d.severity, d.line, d.message])).toEqual([["warning", 8, "example `E` has no **Output:**"]]);
    expect(check(text, "d.smd", true).filter((d) => d.code === "smd/example-incomplete").map((d) => d.severity)).toEqual(["error"]);
  });
});

describe("--strict", () => {
  it("requires Ossature's sections, status, priority and requirement fields", () => {
    const d = check("---\nid: D\n---\n# D\n## Goals\n## Requirements\n### R\n", "d.smd", true);
    expect(d.map((x) => [x.line, x.message])).toEqual([
      [1, "missing `status` in the frontmatter (required by --strict)"],
      [1, "missing `priority` in the frontmatter (required by --strict)"],
      [4, "missing section `## Overview` (required by --strict)"],
      [4, "missing section `## Non-Goals` (required by --strict)"],
      [4, "missing section `## Constraints` (required by --strict)"],
      [4, "missing section `## Examples` (required by --strict)"],
      [4, "missing section `## Acceptance Criteria` (required by --strict)"],
      [5, "section `Goals` is empty; --strict needs at least one `- ` bullet"],
      [7, "requirement `R` has no description (required by --strict)"],
      [7, "requirement `R` has no **Accepts:** (required by --strict)"],
      [7, "requirement `R` has no **Returns:** (required by --strict)"],
    ]);
    expect(d.every((x) => x.severity === "error")).toBe(true);
  });

  it("accepts AMD components without Contracts, warning only under --strict", () => {
    const text = "---\nspec: D\nstatus: draft\n---\n# A\n## Overview\nx\n## Components\n### C\n@path: c.py\nDoes c.\n**Interface:**\n```\nc()\n```\n";
    expect(check(text, "d.amd")).toEqual([]);
    expect(brief(check(text, "d.amd", true))).toEqual([
      ["warning", 9, 1, "component `C` has no **Contracts:**", "add `**Contracts:**` with `- ` bullets, or `**Contracts:** None`"],
    ]);
  });
});

describe("AMD frontmatter and paths", () => {
  it("requires spec, and rejects paths that leave the output directory", () => {
    const d = check("---\nstatus: done\n---\n## Components\n### A\n@path: ../a.py\n### B\n@path: /etc/b\n### C\n@path:\n", "d.amd");
    expect(d.map((x) => [x.line, x.column, x.message])).toEqual([
      [1, 1, "missing `spec` in the frontmatter"],
      [2, 9, "`done` is not a valid status (draft | review | approved | implemented | deprecated)"],
      [6, 8, "`@path: ../a.py` must be relative and stay inside the output directory"],
      [8, 8, "`@path: /etc/b` must be relative and stay inside the output directory"],
      [10, 7, "`@path:` needs a file path"],
    ]);
  });
});
