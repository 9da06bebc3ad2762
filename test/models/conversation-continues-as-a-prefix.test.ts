import { describe, expect, it } from "vitest";
import { flattenMessages } from "../../models/context-budget.js";
import { Conversation } from "../../models/conversation.js";

const first = new Conversation([
  { role: "system", content: "You write whole files." },
  { role: "user", content: "## Project brief\n\nwc-lite counts words.\n\nWrite src/counter.py." },
]);

describe("a conversation continues as a prefix, so the server reuses its cache", () => {
  it("a fix attempt's messages are the previous attempt's messages plus new ones at the end", () => {
    const second = first.continueWith("src/counter.py\n```python\nx = 1\n```", "The verify command failed:\nNameError");
    const third = second.continueWith("src/counter.py\n```python\nx = 2\n```", "Still failing:\nNameError");
    expect(second.messages.slice(0, first.messages.length)).toEqual(first.messages);
    expect(second.messages.slice(first.messages.length).map((m) => m.role)).toEqual(["assistant", "user"]);
    expect(third.messages.slice(0, second.messages.length)).toEqual(second.messages);
    expect(flattenMessages(third.messages).startsWith(flattenMessages(second.messages))).toBe(true);
    // Continuing never mutates the earlier conversation.
    expect(first.messages).toHaveLength(2);
  });
});
