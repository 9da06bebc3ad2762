// Issue 10 item 16: a diagnostic names the root cause first and carries its own
// did-you-mean, instead of a cascade or a separate warning.

import { describe, expect, it } from "vitest";
import { validateSpecs } from "../../grammar/index.js";

const SMD = `---
id: WORDFREQ
status: review
---

# Word frequencies

## Overview

Counts words. An Order has a total.

## Requirements

### Count words

Count each word.

## Properties

- Order.total >= 0
`;
const AMD = `---
spec: WORDFREQ
---

# Word frequencies architecture

## Components

### Count

@path: src/count.mjs
`;
const VMD = "@spec WORDFREQ\n\nscenario counts words:\nwhen $ wordfreq\n";

const messages = (files: { file: string; text: string }[]) =>
  validateSpecs(files).diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity}: ${d.message}${d.hint ? ` — ${d.hint}` : ""}`);

describe("diagnostics name the root cause", () => {
  it("an unclosed frontmatter is the only error: no 'unknown spec' cascade from the .amd and .vmd", () => {
    const broken = SMD.replace("status: review\n---\n", "status: review\n");
    expect(messages([{ file: "w.smd", text: broken }, { file: "w.amd", text: AMD }, { file: "w.vmd", text: VMD }])).toEqual([
      "w.smd:1: error: the frontmatter opened here is never closed — end the frontmatter with a line holding only `---`",
    ]);
    // Once the id reads, a real unknown spec is still reported.
    expect(messages([{ file: "w.smd", text: SMD }, { file: "w.amd", text: AMD.replace("spec: WORDFREQ", "spec: WORDFRQ") }])).toEqual([
      "w.amd:2: error: architecture for unknown spec `WORDFRQ` — did you mean `WORDFREQ`?",
    ]);
  });

  it("`## Requirments` is one error that carries the did-you-mean, at the misspelt heading", () => {
    expect(messages([{ file: "w.smd", text: SMD.replace("## Requirements", "## Requirments") }])).toEqual([
      "w.smd:12: error: the spec has no requirements: `## Requirments` is not `## Requirements` — did you mean `## Requirements`?",
    ]);
    // Without anything close, the general hint.
    expect(messages([{ file: "w.smd", text: SMD.replace("## Requirements", "## Stuff").replace("### Count words\n\nCount each word.\n", "") }])).toContainEqual(
      "w.smd:6: error: the spec has no requirements — add `## Requirements` with one `### Title` block per requirement",
    );
  });

  it("a property name one typo away from a word of the specs gets a did-you-mean in the spec's spelling", () => {
    expect(messages([{ file: "w.smd", text: SMD.replace("- Order.total >= 0", "- Ordr.total >= 0") }])).toEqual([
      "w.smd:20: warning: P1 uses `Ordr`, which no spec mentions outside its Properties — did you mean `Order`? (or name `Ordr` in a requirement, a component or a data model)",
    ]);
  });
});
