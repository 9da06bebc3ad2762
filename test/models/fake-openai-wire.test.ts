// The fake OpenAI-compatible server's bytes on the wire, read with plain
// fetch: the framing and fields the adapter relies on are the ones the real
// servers send (sources cited in models/openai-wire.ts and the fake).

import { afterEach, describe, expect, it } from "vitest";
import { startFakeOpenAi, type FakeOpenAi } from "../fake-openai/server.js";

let fake: FakeOpenAi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function streamed(url: string, body: object): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, type: response.headers.get("content-type") ?? "", text: await response.text() };
}

describe.each(["llama-server", "vllm"] as const)("fake %s", (flavour) => {
  it("streams `data: <chunk>\\n\\n` events, a finish chunk, the usage chunk with empty choices when asked, then `data: [DONE]`", async () => {
    fake = await startFakeOpenAi({ flavour });
    fake.script({ content: ["Hel", "lo"] });
    const { status, type, text } = await streamed(fake.url, { model: "qwen2.5-coder-14b", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });
    expect(status).toBe(200);
    expect(type).toContain("text/event-stream");
    const events = text.split("\n\n").filter((e) => e !== "");
    expect(events.every((e) => e.startsWith("data: "))).toBe(true);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { object: string; choices: Array<{ delta: { content?: string }; finish_reason: string | null }>; usage?: Record<string, unknown>; timings?: Record<string, unknown> });
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hello");
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: fake.countOf([{ role: "user", content: "hi" }]), completion_tokens: 2, prompt_tokens_details: { cached_tokens: 0 } });
    // llama-server appends its timings to the last chunk; vLLM has none.
    expect(last.timings !== undefined).toBe(flavour === "llama-server");
  });

  it("without stream_options.include_usage sends no usage chunk", async () => {
    fake = await startFakeOpenAi({ flavour });
    const { text } = await streamed(fake.url, { model: "qwen2.5-coder-14b", messages: [{ role: "user", content: "hi" }], stream: true });
    expect(text).not.toContain('"usage"');
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("refuses an over-long prompt with the flavour's own 400 body and counts", async () => {
    fake = await startFakeOpenAi({ flavour, contextLength: 64 });
    const messages = [{ role: "user", content: "word ".repeat(100) }];
    const { status, text } = await streamed(fake.url, { model: "qwen2.5-coder-14b", messages, stream: true, max_tokens: 10 });
    expect(status).toBe(400);
    const n = fake.countOf(messages);
    const error = (JSON.parse(text) as { error: Record<string, unknown> }).error;
    if (flavour === "llama-server") {
      expect(error).toEqual({ code: 400, type: "exceed_context_size_error", message: `request (${n} tokens) exceeds the available context size (64 tokens), try increasing it`, n_prompt_tokens: n, n_ctx: 64 });
    } else {
      expect(error).toMatchObject({ code: 400, type: "BadRequestError", param: "input_tokens" });
      expect(error["message"]).toBe(`This model's maximum context length is 64 tokens. However, your request has ${n} input tokens. Please reduce the length of the input messages.`);
    }
  });

  it("answers the discovery and tokenizer routes of its flavour, and 404s the other's", async () => {
    fake = await startFakeOpenAi({ flavour, contextLength: 4096, totalSlots: 2 });
    const props = await fetch(`${fake.url}/props`);
    const tokenize = await fetch(`${fake.url}/tokenize`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(flavour === "llama-server" ? { content: "hello world" } : { model: "qwen2.5-coder-14b", messages: [{ role: "user", content: "hello world" }] }),
    });
    const tokens = (await tokenize.json()) as { tokens: number[]; count?: number; max_model_len?: number };
    if (flavour === "llama-server") {
      expect(props.status).toBe(200);
      expect(await props.json()).toMatchObject({ default_generation_settings: { n_ctx: 4096 }, total_slots: 2 });
      expect(tokens.tokens).toHaveLength(2);
    } else {
      expect(props.status).toBe(404);
      expect(await props.json()).toEqual({ detail: "Not Found" });
      expect(tokens).toMatchObject({ count: fake.countOf([{ role: "user", content: "hello world" }]), max_model_len: 4096 });
      const models = (await (await fetch(`${fake.url}/v1/models`)).json()) as { data: Array<{ owned_by: string; max_model_len: number }> };
      expect(models.data[0]).toMatchObject({ owned_by: "vllm", max_model_len: 4096 });
    }
  });
});
