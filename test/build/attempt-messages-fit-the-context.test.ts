import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../models/call-record.js";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import { conversationTokens, firstThatFits } from "../../src/build/attempt-messages.js";
import { FIX_REQUEST_TOKENS, fixMessages, freshFixMessages, freshPiecesMessages, freshReaskMessages, piecesMessages } from "../../src/build/task-prompt.js";
import { PROMPT_TAIL_MAX_CHARS } from "../../src/build/verify-failure.js";

const first: ChatMessage[] = [
  { role: "system", content: "You are a code generator." },
  { role: "user", content: "# Task T002: Arithmetic tests\n\nWrite the file now." },
];
const reply = "tests/test_arith.py\n```python\nassert add(2, 2) == 5\n```\n";
const failure = { command: "python3 -m unittest tests/test_arith.py", output: "AssertionError: 4 != 5\nFAILED (failures=1)", attempt: 1 };

describe("the forms of a later attempt's conversation", () => {
  it("continues the conversation, keeping every earlier message as its prefix", () => {
    const fix = fixMessages(first, reply, failure);
    expect(fix.slice(0, 2)).toEqual(first);
    expect(fix.slice(2).map((m) => m.role)).toEqual(["assistant", "user"]);
    expect(fix[3]!.content).toContain("$ python3 -m unittest tests/test_arith.py");
  });

  it("fresh: the first prompt with the request appended to its message, without the reply", () => {
    const fresh = freshFixMessages(first, failure);
    expect(fresh).toHaveLength(2);
    expect(fresh[0]).toEqual(first[0]);
    expect(fresh[1]!.content.startsWith(first[1]!.content)).toBe(true);
    expect(fresh[1]!.content).toContain("An earlier answer to this task failed verify (attempt 1)");
    expect(fresh[1]!.content).toContain("AssertionError: 4 != 5");
    expect(fresh[1]!.content).not.toContain("assert add(2, 2) == 5");
    expect(freshReaskMessages(first, "the block is never closed")[1]!.content).toContain("could not be used: the block is never closed");
    // The first prompt is never changed in place.
    expect(first[1]!.content).toBe("# Task T002: Arithmetic tests\n\nWrite the file now.");
  });

  it("after a cut reply asks for the missing files only, keeping the complete part or nothing of it", () => {
    const cut = { limit: 8192, kept: ["calc/a.py"], asked: ["calc/b.py"] };
    const continued = piecesMessages(first, "calc/a.py\n```python\nA = 1\n```", cut);
    expect(continued[2]).toEqual({ role: "assistant", content: "calc/a.py\n```python\nA = 1\n```" });
    expect(continued[3]!.content).toMatch(/cut off at the output limit \(8192 tokens\); these files arrived complete and are kept: calc\/a\.py\.\n\nSend only calc\/b\.py, whole/);
    const fresh = freshPiecesMessages(first, { limit: 8192, kept: [], asked: ["calc/a.py"] });
    expect(fresh).toHaveLength(2);
    expect(fresh[1]!.content).toMatch(/cut off at the output limit \(8192 tokens\) before any file was complete\.\n\nSend only calc\/a\.py, whole/);
  });

  it("sizes the run for the first prompt, a whole reply and a fix request with the longest trimmed output", () => {
    expect(conversationTokens(3000, 8192, FIX_REQUEST_TOKENS)).toBe(3000 + 8192 + FIX_REQUEST_TOKENS);
    // A fix request with verify output at the trim limit stays within what the run reserves for it.
    const worst = { ...failure, output: "E   assert (x == y), 'mismatch' # " .repeat(PROMPT_TAIL_MAX_CHARS / 32) };
    const added = estimateMessagesTokens(fixMessages(first, reply, worst)) - estimateMessagesTokens([...first, { role: "assistant", content: reply }]);
    expect(added).toBeLessThanOrEqual(FIX_REQUEST_TOKENS);
  });
});

describe("choosing the form that fits", () => {
  const forms = (): [("continued" | "latest" | "fresh"), () => ChatMessage[]][] => [
    ["continued", () => [...first, { role: "assistant", content: "x".repeat(90) }]],
    ["latest", () => [...first, { role: "assistant", content: "x".repeat(50) }]],
    ["fresh", () => [...first]],
  ];
  const within = (chars: number) => (messages: readonly ChatMessage[]) => messages.reduce((n, m) => n + m.content.length, 0) <= chars;

  it("takes the longest form that fits", () => {
    expect(firstThatFits(forms(), within(1000)).form).toBe("continued");
    expect(firstThatFits(forms(), within(first[0]!.content.length + first[1]!.content.length + 60)).form).toBe("latest");
    expect(firstThatFits(forms(), within(first[0]!.content.length + first[1]!.content.length)).form).toBe("fresh");
  });

  it("falls back to the last form when none fits, for the call to refuse with its own message", () => {
    expect(firstThatFits(forms(), () => false).form).toBe("fresh");
  });
});
