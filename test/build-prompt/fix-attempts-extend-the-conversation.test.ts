import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../models/call-record.js";
import { assembleTaskPrompt, fixMessages, reaskMessages } from "../../src/build/task-prompt.js";
import { calcInput, task } from "./fixtures.js";

const prompt = assembleTaskPrompt(
  calcInput({ task: task({ id: "T001", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["requirements/add"], verify: ["python -m pytest -q"] }) }),
);
const REPLY = "calc/arith.py\n```python\ndef add(a, b):\n    return a - b\n```\n";

function expectPrefix(previous: readonly ChatMessage[], next: readonly ChatMessage[]): void {
  expect(next.length).toBeGreaterThan(previous.length);
  expect(next.slice(0, previous.length)).toEqual(previous);
}

describe("a fix attempt", () => {
  it("is the previous attempt's messages unchanged, then the reply, then the verify failure", () => {
    const previous = prompt.messages;
    const snapshot = JSON.stringify(previous);
    const next = fixMessages(previous, REPLY, { command: "python -m pytest -q", output: "E   assert -1 == 3\n1 failed in 0.01s\n", attempt: 1 });
    expectPrefix(previous, next);
    expect(JSON.stringify(previous)).toBe(snapshot);
    expect(next).toHaveLength(previous.length + 2);
    expect(next[previous.length]).toEqual({ role: "assistant", content: REPLY });
    const request = next[previous.length + 1];
    expect(request?.role).toBe("user");
    expect(request?.content).toContain("$ python -m pytest -q");
    expect(request?.content).toContain("E   assert -1 == 3");
    expect(request?.content).toContain("attempt 1");
    expect(request?.content).toContain("every listed file again, complete and corrected");
  });

  it("keeps the whole conversation as a prefix across several attempts", () => {
    const second = fixMessages(prompt.messages, REPLY, { command: "pytest", output: "boom", attempt: 1 });
    const third = fixMessages(second, REPLY.replace("a - b", "a * b"), { command: "pytest", output: "boom again", attempt: 2 });
    expectPrefix(prompt.messages, third);
    expectPrefix(second, third);
  });

  it("puts only the useful tail of a long verify output into the request", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `progress line ${i}`);
    lines.push("Traceback (most recent call last):", "AssertionError: expected 3");
    const next = fixMessages(prompt.messages, REPLY, { command: "pytest", output: lines.join("\n"), attempt: 2 });
    const request = next[next.length - 1]?.content ?? "";
    expect(request).toContain("AssertionError: expected 3");
    expect(request).not.toContain("progress line 10\n");
    expect(request).toContain("lines omitted");
    expect(request.length).toBeLessThan(5000);
  });

  it("fences verify output that itself contains a fence so the request stays readable", () => {
    const next = fixMessages(prompt.messages, REPLY, { command: "cat README.md", output: "```bash\nls\n```", attempt: 1 });
    const request = next[next.length - 1]?.content ?? "";
    expect(request).toContain("````text\n```bash\nls\n```\n````");
  });
});

describe("a re-ask after a malformed reply", () => {
  it("continues the conversation, quotes the parser's problem and restates the protocol", () => {
    const problem = "the block opened at line 3 for calc/arith.py is never closed; close it with a line of 3 backticks";
    const next = reaskMessages(prompt.messages, "calc/arith.py\n```python\ndef add(a, b):", problem);
    expectPrefix(prompt.messages, next);
    expect(next[next.length - 2]).toEqual({ role: "assistant", content: "calc/arith.py\n```python\ndef add(a, b):" });
    const request = next[next.length - 1]?.content ?? "";
    expect(request).toContain(problem);
    expect(request).toContain("its path alone on one line followed by a fenced code block holding the entire file");
  });
});
