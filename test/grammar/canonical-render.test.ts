import { describe, expect, it } from "vitest";
import { componentsOf, parseSpecText, renderComponent, renderRequirement, renderSection, requirementsOf, type AmdDocument, type SmdDocument } from "../../grammar/index.js";

function smd(text: string): SmdDocument {
  const p = parseSpecText(text, "d.smd");
  if (p.kind !== "smd" || !p.ast) throw new Error("expected an SMD");
  return p.ast;
}

const TIDY = `---
id: D
---
# D
## Goals
- one
- two [inferred]
## Requirements
### Count {#count .no-verify} [inferred]

Counts words.

**Accepts:** text
more text

**Errors:**

- empty -> exit 1
- closed → exit 0 [inferred]
`;

// The same content with different incidental whitespace, bullet markers and an alias.
const MESSY = "\uFEFF---\r\nid: D\r\n---\r\n\r\n#  D\r\n\r\n\r\n## goals   \r\n* one   \r\n+ [inferred] two\r\n##   Requirements\r\n### Count   {#count .no-verify}   [inferred]\r\nCounts words.   \r\n\r\n\r\n**Accepts:**   text\r\nmore text\r\n**Errors:**\r\n- empty -> exit 1\r\n\r\n- closed → exit 0 [inferred]\r\n\r\n";

describe("canonical rendering", () => {
  it("renders a requirement with its anchor, flags, marker and fields", () => {
    const [req] = requirementsOf(smd(TIDY));
    expect(renderRequirement(req!)).toBe(
      "### Count {#count .no-verify} [inferred]\n\nCounts words.\n\n**Accepts:** text\nmore text\n\n**Errors:**\n\n- empty -> exit 1\n- closed → exit 0 [inferred]\n",
    );
  });

  it("is byte-identical for sources that differ only in layout", () => {
    const a = smd(TIDY).sections.map(renderSection);
    const b = smd(MESSY).sections.map(renderSection);
    expect(b).toEqual(a);
    expect(a[0]).toBe("## Goals\n\n- one\n- two [inferred]\n");
  });

  it("re-parses to the same requirement", () => {
    const [req] = requirementsOf(smd(TIDY));
    const again = requirementsOf(smd(`---\nid: D\n---\n# D\n## Requirements\n${renderRequirement(req!)}`))[0]!;
    expect(again).toMatchObject({ title: req!.title, anchor: req!.anchor, noVerify: true, inferred: true, accepts: req!.accepts, errors: req!.errors.map((e) => ({ ...e, line: expect.any(Number) })) });
  });

  it("renders a component with its fenced interface intact", () => {
    const p = parseSpecText("---\nspec: D\n---\n## Components\n### Main\n@path:   src/main.rs\nEntry.\n**Interface:**\n````rust\nfn main()\n\n```nested```\n````\n**Depends on:** None\n", "d.amd");
    const [main] = componentsOf(p.kind === "amd" ? (p.ast as AmdDocument) : ({ sections: [] } as unknown as AmdDocument));
    expect(renderComponent(main!)).toBe("### Main\n\n@path: src/main.rs\n\nEntry.\n\n**Interface:**\n\n````rust\nfn main()\n\n```nested```\n````\n\n**Depends on:** None\n");
  });
});
