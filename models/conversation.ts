// A chat conversation that only grows at its end. A fix attempt or a re-ask
// continues the previous attempt's messages unchanged, so the whole previous
// prompt is a prefix of the next one and Ollama reuses its cache (DESIGN.md §5).

import type { ChatMessage } from "./call-record.js";

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
