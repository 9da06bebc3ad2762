// Builds prompts in the order Ollama's prefix cache rewards (DESIGN.md §5):
// the role's byte-stable system text, then stable context (rules, brief, spec
// sections, interfaces, context files), then the task, then per-attempt data.
// The order is enforced by the types: once the task is set, no more context can
// be added, and a fix attempt can only append to the previous conversation.

import type { ChatMessage } from "./call-record.js";

export interface ContextBlock {
  /** A stable heading ("Project brief", "WORDCOUNT › Requirements"). */
  title: string;
  body: string;
}

/** Stage 1 and 2: system text, then stable context blocks in the caller's canonical order. */
export class PromptBuilder {
  private readonly blocks: ContextBlock[] = [];

  constructor(private readonly system: string) {}

  context(title: string, body: string): this {
    this.blocks.push({ title, body });
    return this;
  }

  /** Stage 3: the task. Returns a prompt that only accepts per-attempt data from here on. */
  task(text: string): TaskPrompt {
    return new TaskPrompt(this.system, renderBlocks(this.blocks), text);
  }
}

/** Stage 3 and 4: the task is fixed; optional per-attempt data goes last. */
export class TaskPrompt {
  private readonly attemptParts: string[] = [];

  constructor(
    private readonly system: string,
    private readonly contextText: string,
    private readonly taskText: string,
  ) {}

  /** Per-attempt data (e.g. the previous verify output); always after the task. */
  attempt(text: string): this {
    this.attemptParts.push(text);
    return this;
  }

  messages(): Conversation {
    const user = [this.contextText, this.taskText, ...this.attemptParts].filter((p) => p !== "").join("\n\n");
    return new Conversation([
      { role: "system", content: this.system },
      { role: "user", content: user },
    ]);
  }
}

/**
 * An immutable message list. A fix attempt continues it: the previous
 * messages unchanged, the model's answer, then the new request, so the whole
 * previous prompt is a prefix of the next one and the server reuses its cache.
 */
export class Conversation {
  readonly messages: readonly ChatMessage[];

  constructor(messages: readonly ChatMessage[]) {
    this.messages = Object.freeze(messages.map((m) => Object.freeze({ ...m })));
  }

  continueWith(reply: string, followUp: string): Conversation {
    return new Conversation([
      ...this.messages,
      { role: "assistant", content: reply },
      { role: "user", content: followUp },
    ]);
  }

  toArray(): ChatMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }
}

function renderBlocks(blocks: readonly ContextBlock[]): string {
  return blocks.map((b) => `## ${b.title}\n\n${b.body.replace(/\s+$/, "")}`).join("\n\n");
}
