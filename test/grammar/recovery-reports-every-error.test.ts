import { expect, it } from "vitest";
import { validateSpecs } from "../../grammar/index.js";

it("reports three independent errors of one file in one run", () => {
  const text = [
    "---",
    "id: DEMO",
    "status: drafty",
    "---",
    "# Demo",
    "## Requirements",
    "### Count",
    "**Errors:**",
    "- no arrow",
    "### Other",
    "```",
    "never closed",
  ].join("\n");
  const result = validateSpecs([{ file: "specs/demo.smd", text }]);
  expect(result.diagnostics.map((d) => [d.severity, d.line, d.column, d.code])).toEqual([
    ["error", 3, 9, "frontmatter/invalid-status"],
    ["error", 9, 1, "smd/errors-bullet-arrow"],
    ["error", 11, 1, "fence/unterminated"],
  ]);
});

it("reports every error in every file of a set", () => {
  const result = validateSpecs([
    { file: "a.smd", text: "---\nid: A\n---\n# A\n" },
    { file: "b.amd", text: "---\nspec: A\n---\n## Components\n### X\n### Y\n" },
  ]);
  expect(result.diagnostics.map((d) => [d.file, d.line, d.code])).toEqual([
    ["a.smd", 4, "smd/no-requirements"],
    ["b.amd", 5, "amd/missing-path"],
    ["b.amd", 6, "amd/missing-path"],
  ]);
});
