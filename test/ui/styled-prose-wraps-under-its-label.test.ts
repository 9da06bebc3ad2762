import { describe, expect, it } from "vitest";
import { wrapHanging, wrapStyled } from "../../ui/format.js";

// A screen's prose line with a bold label and coloured parts, broken to the
// width between words: every character is kept (but the spaces at a break),
// each piece keeps its part's style, and run-on lines start after the indent.

describe("wrapStyled", () => {
  it("breaks between words, keeps each part's style across the break, and indents the run-on lines", () => {
    const parts = [
      { text: "Ollama ", style: "label" },
      { text: "✓ http://127.0.0.1:11434 · 1 model · version 0.0.0-specwright-scripted-demo", style: "ok" },
    ];
    const lines = wrapStyled(parts, 60, "  ");
    expect(lines.map((l) => l.map((p) => p.text).join(""))).toEqual(["Ollama ✓ http://127.0.0.1:11434 · 1 model · version", "  0.0.0-specwright-scripted-demo"]);
    expect(lines[0]!.map((p) => p.style)).toEqual(["label", "ok"]);
    expect(lines[1]!.map((p) => p.style)).toEqual(["label", "ok"]);
  });

  it("never makes a line wider than the width, cuts only a word longer than a line, and drops the padding at a break", () => {
    const text = "  planner      hf.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF:Q4_K_M ✗ not installed — ollama pull hf.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF:Q4_K_M";
    for (const width of [20, 40, 80]) {
      const lines = wrapHanging(text, width, "    ");
      for (const line of lines) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(lines.slice(1).every((l) => l.startsWith("    ") && l[4] !== " "), `${width}`).toBe(true);
      // Every character but spaces, in order.
      expect(lines.join("").replace(/\s+/g, ""), `${width}`).toBe(text.replace(/\s+/g, ""));
    }
    // Counted by hand: 15 + 54 + " ✗ not" is 75 columns; "installed — ollama pull" and the name do not fit 76 together.
    expect(wrapHanging(text, 80, "    ")).toEqual([
      "  planner      hf.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF:Q4_K_M ✗ not",
      "    installed — ollama pull",
      "    hf.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF:Q4_K_M",
    ]);
    expect(wrapHanging("  planner      qwen3:8b", 80)).toEqual(["  planner      qwen3:8b"]);
    expect(wrapHanging("", 80)).toEqual([""]);
  });
});
