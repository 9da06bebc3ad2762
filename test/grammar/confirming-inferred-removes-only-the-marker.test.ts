import { describe, expect, it } from "vitest";
import { confirmInferred, inferredItems } from "../../grammar/inferred-items.js";
import { parseSpecText } from "../../grammar/parse.js";

const SPEC = `---
id: CALC
status: draft
depends: []
---

# Calc

## Overview

A small calculator; the word [inferred] in prose is content.

## Goals

- Add and divide integers
- [inferred]  Report division by zero clearly
- Keep the library small
  and dependency free [inferred]

## Requirements

### Add numbers {#add}

Add two integers.

**Errors:**

- [inferred] A non-integer argument -> raise TypeError

### Divide numbers [inferred] {#divide}

Divide a by b.

### Round results [inferred]

Round to two places.
`;

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("inferred items", () => {
  it("lists exactly the bullets and headings the parser takes as inferred", () => {
    const items = inferredItems(SPEC, "specs/calc.smd");
    expect(items.map((i) => [i.line, i.kind, i.text])).toEqual([
      [lineOf(SPEC, "Report division"), "bullet", "Report division by zero clearly"],
      [lineOf(SPEC, "Keep the library"), "bullet", "Keep the library small and dependency free"],
      [lineOf(SPEC, "non-integer"), "bullet", "A non-integer argument -> raise TypeError"],
      [lineOf(SPEC, "### Divide"), "heading", "Divide numbers"],
      [lineOf(SPEC, "### Round"), "heading", "Round results"],
    ]);
  });

  it("confirming a bullet removes its leading marker and the spaces after it, nothing else", () => {
    const r = confirmInferred(SPEC, "specs/calc.smd", lineOf(SPEC, "Report division"));
    expect(r).toEqual({ ok: true, text: SPEC.replace("- [inferred]  Report", "- Report") });
  });

  it("confirming a bullet with a continuation removes the marker at the end of its last line", () => {
    const r = confirmInferred(SPEC, "specs/calc.smd", lineOf(SPEC, "Keep the library"));
    expect(r).toEqual({ ok: true, text: SPEC.replace("dependency free [inferred]", "dependency free") });
  });

  it("confirming a heading removes its marker whether it ends the line or precedes the attributes", () => {
    const divide = confirmInferred(SPEC, "specs/calc.smd", lineOf(SPEC, "### Divide"));
    expect(divide).toEqual({ ok: true, text: SPEC.replace("### Divide numbers [inferred] {#divide}", "### Divide numbers {#divide}") });
    const round = confirmInferred(SPEC, "specs/calc.smd", lineOf(SPEC, "### Round"));
    expect(round).toEqual({ ok: true, text: SPEC.replace("### Round results [inferred]", "### Round results") });
    // The confirmed item is no longer inferred; the others still are.
    if (!round.ok) throw new Error(round.problem);
    expect(inferredItems(round.text, "specs/calc.smd")).toHaveLength(4);
    expect(parseSpecText(round.text, "specs/calc.smd").diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("keeps CRLF line breaks and a byte order mark", () => {
    const crlf = "\uFEFF" + SPEC.replace(/\n/g, "\r\n");
    const r = confirmInferred(crlf, "specs/calc.smd", lineOf(SPEC, "non-integer"));
    expect(r).toEqual({ ok: true, text: crlf.replace("- [inferred] A non-integer", "- A non-integer") });
  });

  it("says so when the line holds no inferred item (the file changed meanwhile)", () => {
    expect(confirmInferred(SPEC, "specs/calc.smd", lineOf(SPEC, "Add and divide"))).toMatchObject({ ok: false });
    expect(confirmInferred(SPEC, "specs/calc.smd", lineOf(SPEC, "the word [inferred]"))).toMatchObject({ ok: false });
  });
});
