import { describe, expect, it } from "vitest";
import { extractPublicInterface, MAX_INTERFACE_LINES, WHOLE_FILE_LINES } from "../../src/build/public-interface.js";
import { assembleTaskPrompt } from "../../src/build/task-prompt.js";
import { calcInput, task } from "./fixtures.js";
import { PYTHON_SAMPLE, RUST_SAMPLE, TYPESCRIPT_SAMPLE } from "./interface-samples.js";

function lines(text: string): string[] {
  return text.split("\n");
}

describe("the public interface of a Python file", () => {
  const shape = extractPublicInterface(PYTHON_SAMPLE);
  const kept = lines(shape.text);

  it("keeps imports, constants, classes with their fields, signatures and docstring first lines", () => {
    expect(shape.kind).toBe("declarations");
    for (const line of [
      "from dataclasses import dataclass, field",
      "MAX_WORD_LENGTH = 64",
      "@dataclass",
      "class Counts:",
      '    """Totals for one input."""',
      "    words: int = 0",
      "    longest: list[str] = field(default_factory=list)",
      "    def add(self, other: Counts) -> Counts:",
      "    @property",
      "    def empty(self) -> bool: ...",
      "class CountError(Exception): ...",
      "def count_words(text: str) -> int:",
      '    """Count the words in text, splitting on white space."""',
      "def count_lines(text: str) -> int: ...",
      "    keep_longest: int = 3,",
      ") -> Counts:",
    ]) {
      expect(kept).toContain(line);
    }
  });

  it("drops bodies, nested functions, docstring details and the main block", () => {
    const text = shape.text;
    for (const fragment of ["total += 1", "def local_helper", "words: the number of words", "Raises CountError", "def main_only", "__main__", "_SPLIT = "]) {
      expect(text).not.toContain(fragment);
    }
  });
});

describe("the public interface of a Rust file", () => {
  const shape = extractPublicInterface(RUST_SAMPLE);
  const kept = lines(shape.text);

  it("keeps use lines, items with their doc line, enum variants, struct fields and impl signatures", () => {
    for (const line of [
      "use std::io::{self, Write};",
      "/// Bytes written per syscall.",
      "pub const BUFFER_SIZE: usize = 64 * 1024;",
      "#[derive(Debug)]",
      "pub enum WriteError {",
      "    Io(io::Error),",
      "    Closed,",
      "pub struct OutputBuffer {",
      "    pub bytes: Vec<u8>,",
      "impl OutputBuffer {",
      "    pub fn new() -> Self { … }",
      "/// Packs as many copies of output+newline as fit.",
      "pub fn fill_buffer(output: &str, buffer: &mut Vec<u8>) -> usize { … }",
      "pub fn run(output: &str) -> Result<(), WriteError> { … }",
    ]) {
      expect(kept).toContain(line);
    }
  });

  it("drops function bodies and later doc lines", () => {
    for (const fragment of ["let line_len", "buffer.clear()", "Always returns at least 1", "match lock.write_all", "assert_eq!"]) {
      expect(shape.text).not.toContain(fragment);
    }
  });
});

describe("the public interface of a TypeScript file", () => {
  const shape = extractPublicInterface(TYPESCRIPT_SAMPLE);
  const kept = lines(shape.text);

  it("keeps imports, exported types with their members, class members and multi-line signatures", () => {
    for (const line of [
      'import { readFile, writeFile } from "node:fs/promises";',
      "export const DEFAULT_TTL_MS = 60_000;",
      "/** One stored value and when it expires. */",
      "export interface Entry<T> {",
      "  tags?: string[];",
      "export type StoreEvent =",
      '  | { kind: "expired"; key: string };',
      "export type Options = {",
      "  now?: () => number;",
      "/** A store that forgets values after their time to live. */",
      "export class ExpiringStore<T> {",
      "  readonly ttlMs: number;",
      "  constructor(options: Partial<Options> = {}) { … }",
      "  /** Stores a value. */",
      "  get size(): number { … }",
      "export async function saveStore<T>(",
      "): Promise<void> { … }",
      "export { internalHelper as helperForTests };",
    ]) {
      expect(kept).toContain(line);
    }
  });

  it("drops bodies, locals and the second line of a doc comment", () => {
    for (const fragment of ["const unused", "this.entries.delete", "const local", "Not safe for concurrent writers", "case \"set\""]) {
      expect(shape.text).not.toContain(fragment);
    }
  });
});

describe("the extraction rule", () => {
  it("shows a small file whole", () => {
    const small = Array.from({ length: WHOLE_FILE_LINES }, (_, i) => `x${i} = compute(${i})`).join("\n") + "\n";
    expect(extractPublicInterface(small)).toMatchObject({ kind: "whole", text: small.trimEnd(), totalLines: WHOLE_FILE_LINES });
  });

  it("keeps at most the line budget and counts the rest", () => {
    const many = Array.from({ length: 100 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`).join("\n");
    const shape = extractPublicInterface(many);
    expect(shape.shownLines).toBe(MAX_INTERFACE_LINES);
    expect(shape.omittedLines).toBe(100 - MAX_INTERFACE_LINES);
    expect(lines(shape.text)[0]).toBe("def f0(x): ...");
  });

  it("marks a hidden body after the code, not inside a trailing comment", () => {
    const source = ["fn main() { // entry point", "    run();", "}", "def helper(x):  # not public", "    return x", ...Array.from({ length: 90 }, (_, i) => `// filler ${i}`)].join("\n");
    expect(lines(extractPublicInterface(source).text)).toEqual(["fn main() { … }", "def helper(x): ..."]);
  });

  it("shows the head of a long file without declarations", () => {
    const data = Array.from({ length: 200 }, (_, i) => `${i},${i * i}`).join("\n");
    const shape = extractPublicInterface(data);
    expect(shape.kind).toBe("head");
    expect(lines(shape.text)).toEqual(Array.from({ length: 20 }, (_, i) => `${i},${i * i}`));
  });

  it("says in the prompt whether a dependency file is whole or cut to its declarations", () => {
    const t = task({ id: "T003", title: "Report", outputs: ["calc/report.py"], dependsOn: ["T001", "T002"] });
    const prompt = assembleTaskPrompt(
      calcInput({
        task: t,
        dependencies: [
          { id: "T001", title: "Counter", files: [{ path: "calc/counter.py", content: PYTHON_SAMPLE }] },
          { id: "T002", title: "Tiny", files: [{ path: "calc/tiny.py", content: "def tiny():\n    return 1\n" }] },
        ],
      }),
    );
    const text = prompt.messages[1]?.content ?? "";
    expect(text).toContain("### calc/counter.py (declarations only, from 93 lines)\n\n```python\nfrom __future__ import annotations\n");
    expect(text).toContain("### calc/tiny.py (whole file, 2 lines)\n\n```python\ndef tiny():\n    return 1\n```");
  });
});
