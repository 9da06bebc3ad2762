import { describe, expect, it } from "vitest";
import { errorFingerprint, normaliseErrorText, trimOutputForPrompt } from "../../src/build/verify-failure.js";

const attempt1 = [
  "\x1b[31mFAILED\x1b[0m tests/test_counter.py::test_words - AssertionError: expected 3, got 4",
  'Traceback: File "/tmp/specwright-e2e-a81f/output/src/wc_lite/counter.py", line 12, in count_words',
  "object at 0x7f3a2b4c1d90",
  "src/wc_lite/counter.py:12:5: error",
  "commit 4f2c9a1e in 0.42s",
  "=== 1 failed, 2 passed in 0.12s ===",
].join("\n");

const attempt2 = [
  "FAILED tests/test_counter.py::test_words - AssertionError: expected 3, got 5",
  'Traceback: File "/tmp/specwright-e2e-9c0d/output/src/wc_lite/counter.py", line 14, in count_words',
  "object at 0x55d1e0a3f010",
  "src/wc_lite/counter.py:14:9: error",
  "commit b81d77c0 in 1.9s",
  "=== 1 failed, 2 passed in 3.07s ===",
].join("\n");

describe("error fingerprint", () => {
  it("normalises colour codes, temp paths, hex addresses, hashes, timings and numbers", () => {
    expect(normaliseErrorText(attempt1)).toBe([
      "FAILED tests/test_counter.py::test_words - AssertionError: expected #, got #",
      'Traceback: File "<tmp>/counter.py", line #, in count_words',
      "object at <addr>",
      "src/wc_lite/counter.py:#:#: error",
      "commit <hex> in <time>",
      "=== # failed, # passed in <time> ===",
    ].join("\n"));
  });

  it("keeps the basename of an absolute path outside temp dirs", () => {
    expect(normaliseErrorText('File "/home/ann/proj/output/src/a.py", line 3')).toBe('File "<abs>/a.py", line #');
  });

  it("gives two attempts with the same error the same fingerprint", () => {
    expect(errorFingerprint({ command: "pytest -q", output: attempt1 })).toBe(errorFingerprint({ command: "pytest -q", output: attempt2 }));
  });

  it("tells apart a different error, a different failing file and a different command", () => {
    const base = errorFingerprint({ command: "pytest -q", output: attempt1 });
    expect(errorFingerprint({ command: "pytest -q", output: attempt1.replace("AssertionError", "TypeError") })).not.toBe(base);
    expect(errorFingerprint({ command: "pytest -q", output: attempt1.replace("counter.py", "reader.py") })).not.toBe(base);
    expect(errorFingerprint({ command: "python -m pytest -q", output: attempt1 })).not.toBe(base);
  });

  it("ignores blank lines and spacing differences", () => {
    expect(normaliseErrorText("a   b\n\n\n  c\r\n")).toBe("a b\nc");
  });
});

describe("prompt tail", () => {
  it("returns short output unchanged apart from trailing blank lines", () => {
    expect(trimOutputForPrompt("one\ntwo\n\n")).toBe("one\ntwo");
  });

  it("keeps the last lines and says how many it left out", () => {
    const output = Array.from({ length: 500 }, (_, k) => `line ${k + 1}`).join("\n");
    const trimmed = trimOutputForPrompt(output, { maxLines: 20 });
    const lines = trimmed.split("\n");
    expect(lines[0]).toBe("[… 480 earlier lines omitted …]");
    expect(lines.slice(1)).toEqual(Array.from({ length: 20 }, (_, k) => `line ${k + 481}`));
  });

  it("stays within the character budget", () => {
    const output = Array.from({ length: 300 }, (_, k) => `${k}: ${"x".repeat(70)}`).join("\n");
    const trimmed = trimOutputForPrompt(output, { maxLines: 1000, maxChars: 1000 });
    expect(trimmed.length).toBeLessThanOrEqual(1000);
    expect(trimmed.endsWith(`299: ${"x".repeat(70)}`)).toBe(true);
  });

  it("keeps the end of a single line longer than the budget", () => {
    const trimmed = trimOutputForPrompt("a".repeat(5000) + "END", { maxChars: 500 });
    expect(trimmed.length).toBeLessThanOrEqual(500);
    expect(trimmed.endsWith("aEND")).toBe(true);
  });

  it("keeps the first error line when it lies before the tail", () => {
    const output = [
      "src/a.ts(3,1): error TS2304: Cannot find name 'foo'.",
      "  context 1",
      "  context 2",
      ...Array.from({ length: 100 }, (_, k) => `cascade ${k}`),
    ].join("\n");
    const lines = trimOutputForPrompt(output, { maxLines: 10 }).split("\n");
    expect(lines[0]).toBe("src/a.ts(3,1): error TS2304: Cannot find name 'foo'.");
    expect(lines[3]).toBe("[… 93 lines omitted …]");
    expect(lines[lines.length - 1]).toBe("cascade 99");
    // 3 front lines + 7 tail lines: the line budget holds the excerpt too.
    expect(lines.filter((l) => !l.startsWith("[…")).length).toBe(10);
  });

  it("keeps only the last frame of carriage-return progress lines and drops colour", () => {
    expect(trimOutputForPrompt("\x1b[32m10%\r50%\r100%\x1b[0m\ndone")).toBe("100%\ndone");
  });
});
