// The Retro section's lines (pure) and what the ask panel starts from for a
// recommendation: every line within the width, the picked one marked and
// scrolled into view, an old retro's request read from its `ask` arguments.

import { describe, expect, it } from "vitest";
import type { LatestRetro } from "../../src/report/retro.js";
import { askStartOf, specChangeRequests } from "../../src/report/spec-change-request.js";
import { wrapInput } from "../../ui/intent/ask-panel.js";
import { retroLines, retroScroll } from "../../ui/report/retro-lines.js";

const requests = specChangeRequests("2026-12-02", [
  { kind: "add-example", spec: "WORDFREQ", anchor: "requirements/top-words", tasks: ["T002", "T003"], change: "Add an Example with two words of equal count, showing that they are ranked alphabetically and the output line format exactly.", why: "T002 and T003 each needed two fixes for the tie order." },
  { kind: "split-task", tasks: ["T004"], change: "Split T004 into the parser and the report.", why: "Its answers ran out of output budget twice." },
  { kind: "add-constraint", spec: "WORDFREQ", anchor: "constraints", tasks: ["T001"], change: "Tests import the package as `wordfreq`.", why: "ModuleNotFoundError in 3 attempts." },
]);
const found: LatestRetro = { kind: "found", retro: "2026-12-02", file: ".specwright/retros/2026-12-02.md", createdAt: "2026-12-02T10:00:00Z", model: "qwen2.5-coder:7b", summary: "Most fixes came from unstated tie-breaking and the import convention.", requests };

describe("the Retro section's lines", () => {
  it("fits 80 columns, marks the picked recommendation, and keeps its block in view", () => {
    for (const pick of [0, 1, 2]) {
      const r = retroLines(found, pick, 79);
      for (const line of r.lines) expect(line.text.length, line.text).toBeLessThanOrEqual(79);
      expect(r.lines.filter((l) => l.text.startsWith("›"))).toHaveLength(1);
      expect(r.lines[r.starts[pick]!]!.text).toMatch(new RegExp(`^› ${pick + 1}\\. `));
    }
    const r = retroLines(found, 2, 79);
    expect(r.lines.map((l) => l.text.trim()).join(" ")).toContain("ranked alphabetically and the output line format exactly.");
    // In 6 rows the third recommendation's head is on screen; in 40 rows nothing scrolls.
    const scroll = retroScroll(r, 2, 6);
    expect(r.lines.slice(scroll, scroll + 6).map((l) => l.text)).toContain(r.lines[r.starts[2]!]!.text);
    expect(retroScroll(r, 2, 40)).toBe(0);
  });

  it("says what to do when there is no retro, or it cannot be read", () => {
    expect(retroLines({ kind: "none" }, 0, 79).lines.map((l) => l.text).join(" ")).toContain("n asks the reviewer model");
    const bad = retroLines({ kind: "unreadable", file: ".specwright/retros/x.json", message: "Unexpected end of JSON input" }, 0, 79);
    expect(bad.lines[0]).toMatchObject({ tone: "error" });
    expect(bad.lines.map((l) => l.text).join(" ")).toContain("n writes a new retrospective");
  });
});

describe("askStartOf", () => {
  it("does not say the verb twice when the model's change starts with it", () => {
    // "Add an Example: Add an Example with…" otherwise; the request keeps where it belongs.
    expect(requests[0]!.request).toBe("Add an Example with two words of equal count, showing that they are ranked alphabetically and the output line format exactly. (WORDFREQ requirements/top-words)");
    expect(requests[2]!.request).toBe("Add a Constraint in WORDFREQ constraints: Tests import the package as `wordfreq`.");
  });

  it("takes the words and the --at of `ask`, and the retro as the source", () => {
    expect(askStartOf(requests[0]!)).toEqual({
      words: "Add an Example with two words of equal count, showing that they are ranked alphabetically and the output line format exactly. (T002 and T003 each needed two fixes for the tie order.)",
      spec: "WORDFREQ",
      anchor: "top-words",
      source: "retro .specwright/retros/2026-12-02.md recommendation 1",
      tasks: ["T002", "T003"],
    });
    // No spec named: no --at, the words alone.
    expect(askStartOf(requests[1]!)).toEqual({ words: "Split the task: Split T004 into the parser and the report. (Its answers ran out of output budget twice.)", source: "retro .specwright/retros/2026-12-02.md recommendation 2", tasks: ["T004"] });
    // A section ref ("constraints") names the spec only, as `ask --at WORDFREQ` would.
    const section = askStartOf(requests[2]!);
    expect(section.spec).toBe("WORDFREQ");
    expect(section.anchor).toBeUndefined();
  });

  it("carries only task ids from a retro file a person edited, and none from one without tasks", () => {
    const edited = { ...requests[0]!, tasks: ["T002", 7, "", "T 9"] } as unknown as (typeof requests)[number];
    expect(askStartOf(edited).tasks).toEqual(["T002"]);
    const { tasks: _, ...old } = requests[0]!;
    expect(askStartOf(old as (typeof requests)[number]).tasks).toEqual([]);
  });
});

describe("the ask panel's input lines", () => {
  it("break after a space when one is in reach and keep every character", () => {
    const text = "Add an Example where b is 0 and the call raises ZeroDivisionError, with the exact message.\nsecond line ";
    const lines = wrapInput(text, 30);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines.join("")).toBe(text.replace("\n", ""));
    expect(lines).toContain("ZeroDivisionError, with the ");
    // The trailing space typed last is still there, where the cursor goes on.
    expect(lines.at(-1)).toBe("second line ");
    expect(wrapInput("x".repeat(25), 10)).toEqual(["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]);
  });
});
