// compare's progress lines, which run long (every lane's model and endpoints,
// the estimate's sentence, a task's failure message), are wrapped between
// words to the width given: no line past it, no character lost, no word cut
// that fits a line, the line under a line indented two more than it, and each
// piece in its line's tone.

import { describe, expect, it } from "vitest";
import { progressLines } from "../../src/compare/compare-progress.js";
import { estimateCompare } from "../../src/compare/compare-estimate.js";
import type { CompareDocument } from "../../src/compare/compare-result.js";
import type { CompareProgress } from "../../src/compare/run-compare.js";
import type { EndpointConfig } from "../../src/config/types.js";

const A = "qwen2.5-coder:7b-instruct-q4_K_M";
const B = "deepseek-coder-v2:16b-lite-instruct-q4_K_M";
const estimate = estimateCompare([{ promptTokens: 1650, files: 1 }, { promptTokens: 1400, files: 2 }], [{ model: A, sizeBytes: 4.68e9 }, { model: B, sizeBytes: 10.4e9 }], 1);
// Only `host` of the document is read by the progress lines.
const doc = { host: "http://workstation-gpu.lan:11434" } as CompareDocument;
const endpoint = (n: number): EndpointConfig => ({ url: `http://gpu-box-${n}.lab.example.org:11434`, kind: "ollama", slots: 1, source: "specwright.toml" });

const EVENTS: CompareProgress[] = [
  {
    type: "starting",
    id: "qwen2.5-coder-7b-instruct-q4-k-m-vs-deepseek-3f9a1c2e",
    dir: ".specwright/compare/qwen2.5-coder-7b-instruct-q4-k-m-vs-deepseek-3f9a1c2e",
    resumed: false,
    doc,
    estimate,
    pendingRuns: 2,
    estimatedWallMs: 61_000,
    placement: {
      kind: "side-by-side",
      lanes: [
        { model: A, endpoints: [endpoint(1), endpoint(2)], labels: [endpoint(1).url, endpoint(2).url] },
        { model: B, endpoints: [endpoint(3)], labels: [endpoint(3).url] },
      ],
    },
  },
  { type: "starting", id: "ab", dir: ".specwright/compare/ab", resumed: true, doc, estimate, pendingRuns: 2, placement: { kind: "one-after-another", why: `${endpoint(1).url} serves more than one of them` } },
  { type: "run-started", model: B, run: 2, runs: 3, seed: 2, resumedTasks: 2 },
  {
    type: "build",
    model: B,
    run: 1,
    sideBySide: true,
    event: { type: "task-finished", id: "T002", outcome: "failed", attempts: 3, durationMs: 41_300, evalTokens: 900, evalMs: 20_000, metrics: [], message: "verify `python3 -m unittest discover -s tests -p 'test_*.py'` failed: AssertionError: 4 != 5 in test_add_handles_negative_numbers" },
  },
  { type: "run-finished", model: A, run: 1, status: "partial", message: `Ollama is not reachable at ${endpoint(1).url} — is \`ollama serve\` running?` },
];

const words = (lines: readonly { text: string }[]) => lines.flatMap((l) => l.text.split(" ").filter((w) => w !== ""));
const letters = (lines: readonly { text: string }[]) => lines.map((l) => l.text.replace(/ /g, "")).join("");

describe("compare's progress lines", () => {
  for (const width of [80, 60]) {
    it(`fit ${width} columns, keep every word that fits whole and indent what runs on`, () => {
      for (const event of EVENTS) {
        const whole = progressLines(event, 10_000);
        const lines = progressLines(event, width);
        for (const line of lines) expect(line.text.length, line.text).toBeLessThanOrEqual(width);
        expect(letters(lines)).toBe(letters(whole));
        // Only a word wider than a line (the 75-character folder at 60 columns) is cut.
        if (words(whole).every((w) => w.length <= width - 4)) expect(words(lines)).toEqual(words(whole));
        // Each sentence that ran past the width now takes more than one line.
        expect(lines.length).toBeGreaterThanOrEqual(whole.length);
        if (whole.some((l) => l.text.length > width)) expect(lines.length).toBeGreaterThan(whole.length);
      }
    });
  }

  it("indents a wrapped task line under its own, in the line's tone", () => {
    const lines = progressLines(EVENTS[3]!, 80);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]!.text.startsWith(`  ${B} T002 failed after 3 attempts`)).toBe(true);
    for (const l of lines.slice(1)) expect(l.text).toMatch(/^ {4}\S/);
    expect(lines.every((l) => l.tone === "warning")).toBe(true);
  });

  it("wraps at 80 when no width is given", () => {
    const lines = progressLines(EVENTS[0]!);
    expect(Math.max(...lines.map((l) => l.text.length))).toBeLessThanOrEqual(80);
    expect(lines.length).toBeGreaterThan(3);
  });

  it("keeps to 40 columns on a narrower terminal rather than a word a line", () => {
    for (const l of progressLines(EVENTS[0]!, 12)) expect(l.text.length).toBeLessThanOrEqual(40);
  });
});
