// What each attempt after the first sends, sized to the run's context. A run
// picks one num_ctx up front (changing it reloads the model), so it is sized
// for the conversations its tasks will send: the first prompt, one whole
// reply, one request (a fix with its verify output, a re-ask), and room for
// the next reply. A conversation that grows past that (a second fix, a
// tokenizer that counts more than estimated) is sent in a shorter form rather
// than refused: first the whole conversation, then the first prompt with only
// the latest exchange, then the first prompt alone with the request appended.
// The first prompt opens every form, so it stays the cached prefix.

import type { ChatMessage } from "../../models/call-record.js";

/** How much of the conversation an attempt sends. */
export type ConversationForm =
  /** Everything so far, then the reply and the request: the longest cached prefix. */
  | "continued"
  /** The first prompt, the latest reply and the request: older attempts dropped. */
  | "latest"
  /** The first prompt with the request appended: no reply at all. */
  | "fresh";

export interface NextConversation {
  messages: ChatMessage[];
  form: ConversationForm;
}

/**
 * The largest conversation a task's attempts plan to send, in estimated
 * tokens, not counting the reply it asks for (the run adds its output budget):
 * the first prompt, a whole previous reply, and the request that follows it.
 */
export function conversationTokens(firstPromptTokens: number, replyBudget: number, requestTokens: number): number {
  return firstPromptTokens + replyBudget + requestTokens;
}

/**
 * The first candidate whose messages fit, in the order given (longest first).
 * When none fits the last is returned: the model call then refuses it unsent
 * with the overflow and its hint, which is the honest answer.
 */
export function firstThatFits(candidates: readonly [ConversationForm, () => ChatMessage[]][], fits: (messages: readonly ChatMessage[]) => boolean): NextConversation {
  if (candidates.length === 0) throw new Error("no conversation to choose from");
  let last: NextConversation | undefined;
  for (const [form, build] of candidates) {
    last = { form, messages: build() };
    if (fits(last.messages)) return last;
  }
  return last!;
}
