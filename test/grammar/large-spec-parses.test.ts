import { expect, it } from "vitest";
import { generateCorpus, generateLargeSmd } from "../../bench/spec-corpus.js";
import { requirementsOf, validateSpecs } from "../../grammar/index.js";

it("parses a 2 MB spec completely and without errors", () => {
  const text = generateLargeSmd(2_000_000);
  expect(text.length).toBeGreaterThan(2_000_000);
  const result = validateSpecs([{ file: "specs/large.smd", text }]);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const parsed = result.files[0]!;
  const expected = (text.match(/^### Handle request/gm) ?? []).length;
  expect(expected).toBeGreaterThan(2000);
  expect(parsed.kind === "smd" && parsed.ast && requirementsOf(parsed.ast).length).toBe(expected);
  // The last requirement's position proves nothing was dropped on the way.
  const lastLine = text.split("\n").findLastIndex((l) => l.startsWith("### Handle request")) + 1;
  expect(parsed.kind === "smd" && parsed.ast && requirementsOf(parsed.ast).at(-1)!.line).toBe(lastLine);
});

it("reports each of thousands of unterminated fences without rescanning the file for each", () => {
  const text = "---\nid: D\n---\n# D\n## Requirements\n### R\n" + Array.from({ length: 3000 }, (_, i) => `## S${i}\n\`\`\`py\nopen ${i}\n`).join("");
  const result = validateSpecs([{ file: "d.smd", text }]);
  expect(result.diagnostics.filter((d) => d.code === "fence/unterminated")).toHaveLength(3000);
});

it("validates a 1 MB corpus of spec pairs without errors", () => {
  const files = generateCorpus(1_000_000);
  const result = validateSpecs(files);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(result.specs).toHaveLength(files.length / 2);
});
