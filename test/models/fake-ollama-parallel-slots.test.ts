// The fake Ollama's OLLAMA_NUM_PARALLEL model (the endpoints bench relies on
// it): at most `parallel` prompts at once, and one prefix cache per sequence,
// each prompt taking the free slot that shares its longest prefix — as
// Ollama's single-user cache does, even when another slot is empty.

import { afterEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const words = (tag: string) => Array.from({ length: 200 }, (_, i) => `${tag}${i}`).join(" ");
const chat = (f: FakeOllama, content: string) =>
  fetch(`${f.url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "qwen2.5-coder:14b", stream: false, messages: [{ role: "user", content }] }) }).then((r) => r.json());

describe("fake Ollama with parallel slots", () => {
  it("keeps a cache per slot: two conversations answered at once each find their own prompt cached next time", async () => {
    // Slow enough that both are in flight together, so each takes a slot of its own.
    fake = await startFakeOllama({ parallel: 2, defaultReply: { content: "ok ok ok ok", chunkDelayMs: 30 } });
    const a = words("alpha");
    const b = words("beta");
    await Promise.all([chat(fake, a), chat(fake, b)]);
    await chat(fake, `${a} more`);
    await chat(fake, `${b} more`);
    const [first, second, againA, againB] = fake.promptRequests();
    // The two first prompts overlapped in time.
    expect(second!.receivedAt).toBeLessThan(first!.receivedAt + 4 * 30);
    expect(againA!.cachedTokens! / againA!.promptTokens!).toBeGreaterThan(0.9);
    expect(againB!.cachedTokens! / againB!.promptTokens!).toBeGreaterThan(0.9);
  });

  it("with one slot, a second conversation evicts the first, and prompts wait their turn", async () => {
    fake = await startFakeOllama({ parallel: 1, defaultReply: { content: "ok ok ok ok", chunkDelayMs: 30 } });
    const a = words("alpha");
    const started = Date.now();
    await Promise.all([chat(fake, a), chat(fake, words("beta"))]);
    // Two replies of four 30 ms chunks, one after the other.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 4 * 30 - 10);
    await chat(fake, `${a} more`);
    const again = fake.promptRequests()[2]!;
    expect(again.cachedTokens! / again.promptTokens!).toBeLessThan(0.2);
  });

  it("gives a prompt the free slot with the longest shared prefix even when another is empty, as findLongestCacheSlot does", async () => {
    fake = await startFakeOllama({ parallel: 2, defaultReply: { content: "ok" } });
    const a = words("alpha");
    await chat(fake, a);
    // Shares only the chat template's opening with a's slot, nothing with the empty one: it takes a's slot.
    await chat(fake, words("beta"));
    await chat(fake, `${a} more`);
    const again = fake.promptRequests()[2]!;
    expect(again.cachedTokens! / again.promptTokens!).toBeLessThan(0.2);
  });
});
