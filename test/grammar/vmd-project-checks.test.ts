// Ossature's validate checks across VMD files (validation.py and
// verification/ledger.py of 0.2.1): @arch resolution, duplicates across files,
// targets bound to the AMD interfaces, @covers targets resolving.

import { expect, it } from "vitest";
import { validateSpecs } from "../../grammar/index.js";

const smd = "---\nid: WC\n---\n# Word count\n## Requirements\n### Count words {#count-words}\nCounts.\n### Top words\nKeeps the first n.\n";
const amd = "---\nspec: WC\n---\n# A\n## Components\n### Count\n@path: src/count.py\n\nCounts.\n\n**Interface:**\n\n```python\ndef count_words(text): ...\ndef top_words(pairs, n): ...\n```\n";
const shown = (files: { file: string; text: string }[]) => validateSpecs(files).diagnostics.map((d) => [d.severity, d.file, d.line, d.message]);

it("accepts groups bound to the AMD interface and covers that resolve by anchor or heading", () => {
  const vmd = '@spec WC\n\n@covers count-words\ncount_words(text)\nbasic | "a" | [["a", 1]]\n\n@covers "Top Words"\nscenario top of one:\nwhen top_words([], 1)\nthen returns []\n';
  expect(shown([{ file: "wc.smd", text: smd }, { file: "wc.amd", text: amd }, { file: "wc.vmd", text: vmd }])).toEqual([]);
});

it("warns about a target not in the interfaces and a @covers matching no requirement", () => {
  const vmd = "@spec WC\n\n@covers counting\ncount_wrds(text)\nbasic | \"a\" | []\n";
  expect(shown([{ file: "wc.smd", text: smd }, { file: "wc.amd", text: amd }, { file: "wc.vmd", text: vmd }])).toEqual([
    ["warning", "wc.vmd", 3, "WC: group 'count_wrds' covers 'counting', which matches no requirement"],
    ["warning", "wc.vmd", 4, "WC: group 'count_wrds' targets 'count_wrds', which does not appear in the WC AMD interface(s)"],
  ]);
});

it("rejects an @arch naming no spec and a group or scenario repeated in another file of the spec", () => {
  const one = '@spec WC\n@arch WCX\n\ncount_words(text)\nbasic | "a" | []\n\nscenario Runs OK:\nwhen $ wc\n';
  const two = '@spec WC\n\nCOUNT_WORDS(text)\nother | "b" | []\n\nscenario runs ok:\nwhen $ wc -l\n';
  expect(shown([{ file: "wc.smd", text: smd }, { file: "wc.amd", text: amd }, { file: "a.vmd", text: one }, { file: "b.vmd", text: two }])).toEqual([
    ["error", "a.vmd", 2, "Verification for spec WC points @arch at WCX, which doesn't exist."],
    ["error", "b.vmd", 3, "Spec WC has duplicate verification group 'COUNT_WORDS' in its VMD file(s)."],
    ["warning", "b.vmd", 3, "WC: group 'COUNT_WORDS' targets 'COUNT_WORDS', which does not appear in the WC AMD interface(s)"],
    ["error", "b.vmd", 6, "Spec WC has duplicate scenario 'runs ok' in its VMD file(s)."],
  ]);
});
