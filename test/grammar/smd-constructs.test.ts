import { describe, expect, it } from "vitest";
import { examplesOf, findSection, frontmatterEntry, parseSpecText, requirementsOf, type SmdDocument } from "../../grammar/index.js";

/** Joins lines with "\n" so that line N of the spec is element N-1: positions can be read off the array. */
function lines(...l: string[]): string {
  return l.join("\n") + "\n";
}

function smd(text: string): SmdDocument {
  const parsed = parseSpecText(text, "specs/demo.smd");
  if (parsed.kind !== "smd" || !parsed.ast) throw new Error("expected an SMD document");
  expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return parsed.ast;
}

const HEAD = ["---", "id: DEMO", "---", "", "# Demo", ""];

describe("SMD frontmatter subset", () => {
  it("reads scalars, quoted strings, flow lists, block lists and comments", () => {
    const doc = smd(
      lines("---", "# a comment", "id: DEMO", 'status: "draft"', "priority: 'high' # trailing comment", "depends: [AUTH, \"STORE\" , 'LOG']", "tags:", "  - one", "  - 'two words'", "---", "# Demo"),
    );
    expect(frontmatterEntry(doc, "id")?.value).toMatchObject({ kind: "scalar", text: "DEMO", quoted: false, line: 3, column: 5 });
    expect(frontmatterEntry(doc, "status")?.value).toMatchObject({ kind: "scalar", text: "draft", quoted: true });
    expect(frontmatterEntry(doc, "priority")?.value).toMatchObject({ kind: "scalar", text: "high", quoted: true });
    const depends = frontmatterEntry(doc, "depends")?.value;
    expect(depends?.kind === "list" && depends.items.map((i) => [i.text, i.column])).toEqual([
      ["AUTH", 11],
      ["STORE", 17],
      ["LOG", 27],
    ]);
    const tags = frontmatterEntry(doc, "tags")?.value;
    expect(tags?.kind === "list" && tags.style).toBe("block");
    expect(tags?.kind === "list" && tags.items.map((i) => [i.text, i.line, i.column])).toEqual([
      ["one", 8, 5],
      ["two words", 9, 5],
    ]);
    expect(doc.frontmatter).toMatchObject({ line: 1, endLine: 10 });
  });
});

describe("SMD sections", () => {
  it("resolves aliases and names case-insensitively to canonical names", () => {
    const doc = smd(
      lines(...HEAD, "## OUTCOME", "prose", "## out of scope", "- x", "## Checks", "- y", "## non goals", "- z", "## Requirements", "### R", "text"),
    );
    expect(doc.sections.map((s) => [s.name, s.heading, s.kind, s.line])).toEqual([
      ["Overview", "OUTCOME", "prose", 7],
      ["Non-Goals", "out of scope", "bullets", 9],
      ["Acceptance Criteria", "Checks", "bullets", 11],
      ["Non-Goals", "non goals", "bullets", 13],
      ["Requirements", "Requirements", "requirements", 15],
    ]);
  });

  it("collects bullets of Goals, Non-Goals, Constraints, Assumptions, Decisions and Acceptance Criteria", () => {
    const doc = smd(
      lines(...HEAD, "## Goals", "- g1", "* g2", "+ g3", "1. g4", "## Constraints", "- c1", "## Assumptions", "- a1", "## Decisions", "- d1", "## Acceptance Criteria", "- ac1", "## Requirements", "### R"),
    );
    const goals = findSection(doc, "Goals");
    expect(goals?.kind === "bullets" && goals.bullets.map((b) => [b.marker, b.text])).toEqual([
      ["-", "g1"],
      ["-", "g2"],
      ["-", "g3"],
      ["1.", "g4"],
    ]);
    for (const [name, text] of [["Constraints", "c1"], ["Assumptions", "a1"], ["Decisions", "d1"], ["Acceptance Criteria", "ac1"]] as const) {
      const section = findSection(doc, name);
      expect(section?.kind === "bullets" && section.bullets.map((b) => b.text)).toEqual([text]);
    }
  });

  it("joins a bullet's continuation lines and records [inferred] without keeping the marker", () => {
    const doc = smd(lines(...HEAD, "## Goals", "- first line", "  continues here [inferred]", "- [inferred] second", "- mentions [inferred] in the middle", "## Requirements", "### R"));
    const goals = findSection(doc, "Goals");
    expect(goals?.kind === "bullets" && goals.bullets.map((b) => [b.text, b.inferred, b.line, b.endLine])).toEqual([
      ["first line continues here", true, 8, 9],
      ["second", true, 10, 10],
      ["mentions [inferred] in the middle", false, 11, 11],
    ]);
  });

  it("keeps Overview and Notes as prose with raw text and line ranges", () => {
    const doc = smd(lines(...HEAD, "## Overview", "", "First paragraph.  ", "", "", "Second.", "", "## Requirements", "### R", "## Notes", "Some notes"));
    const overview = findSection(doc, "Overview")!;
    expect(overview).toMatchObject({ kind: "prose", line: 7, endLine: 12, raw: "First paragraph.  \n\n\nSecond." });
    expect(findSection(doc, "Notes")).toMatchObject({ kind: "prose", raw: "Some notes", line: 16, endLine: 17 });
  });

  it("numbers Properties lines P1, P2, …", () => {
    const doc = smd(lines(...HEAD, "## Properties", "Order.paid -> Order.total > 0", "", "- u1 in u2.friends <-> u2 in u1.friends", "## Requirements", "### R"));
    const props = findSection(doc, "Properties");
    // The column is where the property's text starts (after a bullet's "- ").
    expect(props?.kind === "properties" && props.properties).toMatchObject([
      { id: "P1", text: "Order.paid -> Order.total > 0", line: 8, column: 1, canonical: "Order.paid -> Order.total > 0" },
      { id: "P2", text: "u1 in u2.friends <-> u2 in u1.friends", line: 10, column: 3, canonical: "u1 in u2.friends <-> u2 in u1.friends" },
    ]);
  });
});

describe("SMD requirements", () => {
  it("reads anchors, {.no-verify}, [inferred], and slugs titles without an anchor", () => {
    const doc = smd(
      lines(...HEAD, "## Requirements", "### Count Words {#count}", "### Parse the CLI's flags! {.no-verify}", "### Both {#both .no-verify} [inferred]", "### Marker first [inferred] {#m}", "### Title {not attributes}"),
    );
    expect(requirementsOf(doc).map((r) => [r.title, r.anchor, r.anchorExplicit, r.noVerify, r.inferred, r.line])).toEqual([
      ["Count Words", "count", true, false, false, 8],
      ["Parse the CLI's flags!", "parse-the-cli-s-flags", false, true, false, 9],
      ["Both", "both", true, true, true, 10],
      ["Marker first", "m", true, false, true, 11],
      ["Title {not attributes}", "title-not-attributes", false, false, false, 12],
    ]);
  });

  it("reads Accepts and Returns on the label line or on the following lines, and other fields verbatim", () => {
    const doc = smd(
      lines(...HEAD, "## Requirements", "### Add", "Adds things.", "More description.", "**Accepts:**", "amount (positive),", "category", "**Returns:** the record   ", "  with its id", "**Rate limit:** 10/s *per user*", "**Errors:** None"),
    );
    const [req] = requirementsOf(doc);
    expect(req!.description).toBe("Adds things.\nMore description.");
    expect(req!.accepts).toBe("amount (positive),\ncategory");
    expect(req!.returns).toBe("the record   \n  with its id");
    expect(req!.fields.map((f) => [f.label, f.value, f.line])).toEqual([
      ["Accepts", "amount (positive),\ncategory", 11],
      ["Returns", "the record   \n  with its id", 14],
      ["Rate limit", "10/s *per user*", 16],
      ["Errors", "None", 17],
    ]);
    expect(req!.errors).toEqual([]);
  });

  it("splits Errors bullets at -> or →, whichever comes first, and records [inferred]", () => {
    const doc = smd(lines(...HEAD, "## Requirements", "### R", "**Errors:**", "- empty -> exit 1", "- closed → exit 0 [inferred]", "- a → b -> c", "  - wrapped -> continues"));
    expect(requirementsOf(doc)[0]!.errors).toEqual([
      { condition: "empty", response: "exit 1", inferred: false, line: 10, column: 1 },
      { condition: "closed", response: "exit 0", inferred: true, line: 11, column: 1 },
      { condition: "a", response: "b -> c", inferred: false, line: 12, column: 1 },
      { condition: "wrapped", response: "continues", inferred: false, line: 13, column: 3 },
    ]);
  });

  it("accepts bold labels written **Label**: too", () => {
    const doc = smd(lines(...HEAD, "## Requirements", "### R", "**Accepts**: x"));
    expect(requirementsOf(doc)[0]!.accepts).toBe("x");
  });
});

describe("SMD examples", () => {
  it("reads fenced Input and Output, or inline text when there is no fence", () => {
    const doc = smd(lines(...HEAD, "## Requirements", "### R", "## Examples", "### Fenced", "**Input:**", "```sh", "wc -w file", "```", "**Output:**", "~~~", "3", "~~~", "### Inline", "**Input:** `wc -w`", "**Output:** 3"));
    const [fenced, inline] = examplesOf(doc);
    expect(fenced).toMatchObject({ name: "Fenced", line: 10, input: { text: "wc -w file", line: 11, code: { info: "sh", fence: "```" } }, output: { text: "3", code: { fence: "~~~" } } });
    expect(inline).toMatchObject({ name: "Inline", input: { text: "`wc -w`" }, output: { text: "3" } });
    expect(inline!.input!.code).toBeUndefined();
  });
});

describe("forgiving layout", () => {
  it("needs no blank lines, tolerates trailing whitespace, extra spaces and closing #s", () => {
    const doc = smd(["---   ", "id:   DEMO   ", "---", "#   Demo  ", "##  Requirements ##", "###   Count  {#count}  ", "Counts.", "**Accepts:**   text  ", "**Errors:**", "-   empty   ->   exit 1  "].join("\n"));
    expect(doc.title).toEqual({ text: "Demo", line: 4, column: 1 });
    expect(doc.sections[0]!.name).toBe("Requirements");
    const [req] = requirementsOf(doc);
    expect(req).toMatchObject({ title: "Count", anchor: "count", accepts: "text", description: "Counts." });
    expect(req!.errors[0]).toMatchObject({ condition: "empty", response: "exit 1" });
  });

  it("leaves a heading without a space after # as text", () => {
    const doc = smd(lines(...HEAD, "##Requirements", "## Requirements", "### R"));
    expect(doc.preamble).toEqual([{ kind: "paragraph", line: 7, column: 1, endLine: 7, lines: ["##Requirements"] }]);
  });
});
