import { describe, expect, it } from "vitest";
import { flattenMessages } from "../../models/context-budget.js";
import { PromptBuilder } from "../../models/prompt-builder.js";

function implementPrompt() {
  return new PromptBuilder("You write whole files.")
    .context("Project brief", "wc-lite counts words.")
    .context("WORDCOUNT › Requirements", "Count words separated by whitespace.\n\n")
    .task("Write src/counter.py.")
    .messages();
}

describe("prompt order serves the prefix cache", () => {
  it("puts system text, then stable context, then the task, then attempt data", () => {
    const messages = new PromptBuilder("SYS").context("A", "a").context("B", "b").task("TASK").attempt("DATA").messages().toArray();
    expect(messages).toEqual([
      { role: "system", content: "SYS" },
      { role: "user", content: "## A\n\na\n\n## B\n\nb\n\nTASK\n\nDATA" },
    ]);
  });

  it("builds byte-identical prompts from identical inputs", () => {
    expect(flattenMessages(implementPrompt().messages)).toBe(flattenMessages(implementPrompt().messages));
  });

  it("a fix attempt's messages are the previous attempt's messages plus new ones at the end", () => {
    const first = implementPrompt();
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
