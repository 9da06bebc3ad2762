// The OpenAI-compatible adapter against the fake llama-server and the fake vLLM,
// over real HTTP: what a call sends, what comes back into events and call
// records, how the served context is read and enforced, and every way a
// server says no.

import { afterEach, describe, expect, it } from "vitest";
import type { CallRecord, CallRecorder, CallStart } from "../../models/call-record.js";
import type { ModelEvent } from "../../models/events.js";
import { openModelRun, type ModelRun, type ModelRunSettings } from "../../models/model-run.js";
import type { JsonSchema } from "../../models/json-schema.js";
import { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiFlavour, type FakeOpenAiOptions } from "../fake-openai/server.js";
import { closedPort, user, within } from "./helpers.js";

const MODEL = "qwen2.5-coder-14b";
let fake: FakeOpenAi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function settings(url: string, overrides: Partial<ModelRunSettings> = {}): ModelRunSettings {
  return {
    kind: "openai",
    host: url,
    model: MODEL,
    think: false,
    temperature: 0.2,
    seed: 7,
    keepAlive: "30m",
    numCtx: "auto",
    largestPromptTokens: 1000,
    outputBudget: 256,
    stallTimeoutMs: 5000,
    ...overrides,
  };
}

async function open(options: FakeOpenAiOptions, overrides: Partial<ModelRunSettings> = {}): Promise<{ run: ModelRun; events: ModelEvent[]; fake: FakeOpenAi }> {
  fake = await startFakeOpenAi(options);
  const events: ModelEvent[] = [];
  const opened = await openModelRun(settings(fake.url, { onEvent: (e) => events.push(e), ...overrides }));
  if (!opened.ok) throw new Error(`expected the run to open: ${opened.error.message}`);
  return { run: opened.value, events, fake };
}

class MemoryRecorder implements CallRecorder {
  start: CallStart | undefined;
  record: CallRecord | undefined;
  deltas: string[] = [];
  started(call: CallStart): Promise<void> {
    this.start = call;
    return Promise.resolve();
  }
  delta(_kind: "content" | "thinking", text: string): void {
    this.deltas.push(text);
  }
  finished(record: CallRecord): Promise<void> {
    this.record = record;
    return Promise.resolve();
  }
}

const FLAVOURS: FakeOpenAiFlavour[] = ["llama-server", "vllm"];

describe.each(FLAVOURS)("on %s", (flavour) => {
  it("reads the served context at open and plans every prompt against it (num_ctx is not the server's to change)", async () => {
    const { run } = await open({ flavour, contextLength: 12288 });
    expect(run.kind).toBe("openai");
    expect(run.numCtx).toBe(12288);
    expect(run.modelMaxContext).toBe(12288);
    // A configured num_ctx above the served context is capped to it.
    const capped = await openModelRun(settings(fake!.url, { numCtx: 32768 }));
    expect(capped.ok && capped.value.numCtx).toBe(12288);
    expect(capped.ok && capped.value.numCtxChoice.capped).toBe(true);
  });

  it("streams the reply as deltas and records usage, cached tokens and the serving URL in the call record", async () => {
    const { run, events, fake } = await open({ flavour });
    fake.script({ content: ["def ", "add", "(a, b):\n", "    return a + b\n"] }, { content: "again" });
    const recorder = new MemoryRecorder();
    const messages = [
      { role: "system" as const, content: "You write Python." },
      { role: "user" as const, content: "Write add(a, b) in a file. ".repeat(20) },
    ];
    const first = await run.call({ caller: "T001", messages, recorder, sessionId: "run-1/T001" });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.content).toBe("def add(a, b):\n    return a + b\n");
    expect(recorder.deltas.join("")).toBe(first.value.content);
    expect(events.filter((e) => e.type === "delta").length).toBe(4);
    const exact = fake.countOf(messages);
    expect(first.value.metrics.promptTokens).toBe(exact);
    expect(first.value.metrics.countedPromptTokens).toBe(exact);
    expect(first.value.metrics.evalCount).toBe(4);
    expect(first.value.metrics.tokensPerSecond).toBeGreaterThan(0);
    expect(recorder.record).toMatchObject({ outcome: "ok", doneReason: "stop", host: fake.url, sessionId: "run-1/T001", model: MODEL });

    // A fix attempt continues the conversation: the server serves the old prompt from its cache.
    const second = await run.call({ caller: "T001", messages: [...messages, { role: "assistant", content: first.value.content }, { role: "user", content: "Add a docstring." }] });
    if (!second.ok) throw new Error(second.error.message);
    const cached = fake.chatRequests()[1]!.cachedTokens!;
    expect(cached).toBeGreaterThan(0.8 * exact - 16);
    expect(second.value.metrics.cachedPromptTokens).toBe(cached);
    expect(second.value.metrics.promptEvalCount).toBe(second.value.metrics.promptTokens! - cached);
  });

  it("sends the request as the server expects: streaming with usage, max_tokens, seed, and the session id as X-Session-Id", async () => {
    const { run, fake } = await open({ flavour }, { outputBudget: 300 });
    await run.call({ caller: "T002", messages: user("hi"), sessionId: "r/T002" });
    const sent = fake.chatRequests()[0]!;
    expect(sent.body).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true }, max_tokens: 300, temperature: 0.2, seed: 7 });
    expect(sent.sessionId).toBe("r/T002");
    expect(sent.chatTemplateKwargs).toEqual({ enable_thinking: false });
  });

  it("aborts a streaming call promptly and records it as aborted", async () => {
    const { run, fake } = await open({ flavour });
    fake.script({ content: Array.from({ length: 200 }, () => "x "), chunkDelayMs: 20 });
    const controller = new AbortController();
    const recorder = new MemoryRecorder();
    const pending = run.call({ caller: "T003", messages: user("long"), signal: controller.signal, recorder });
    setTimeout(() => controller.abort(), 150);
    const result = await within(2000, pending);
    expect(!result.ok && result.error.kind).toBe("aborted");
    expect(recorder.record?.outcome).toBe("failed");
    await within(2000, (async () => {
      while (fake.chatRequests()[0]?.clientClosedAt === undefined) await new Promise((r) => setTimeout(r, 10));
    })());
  });

  it("counts the prompt exactly with the server's tokenizer and refuses one that does not fit before sending it", async () => {
    const { run, fake } = await open({ flavour, contextLength: 4096 }, { outputBudget: 1024 });
    const messages = user("word ".repeat(3500));
    const exact = fake.countOf(messages);
    expect(exact + 1024).toBeGreaterThan(4096);
    const recorder = new MemoryRecorder();
    const result = await run.call({ caller: "T004", messages, recorder });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: "context-overflow", refusedBy: "specwright", promptTokens: exact, numCtx: 4096, serverCount: { promptTokens: exact, numCtx: 4096 } });
    expect(fake.chatRequests()).toHaveLength(0);
    expect(recorder.record?.metrics.countedPromptTokens).toBe(exact);
    expect(fake.requests.some((r) => r.path === "/tokenize")).toBe(true);
  });

  it("without a tokenizer route, refuses an over-long prompt by the estimate and the served context, unsent", async () => {
    const { run, fake } = await open({ flavour, contextLength: 4096, tokenize: false }, { outputBudget: 1024 });
    const result = await run.call({ caller: "T005", messages: user("word ".repeat(3500)) });
    expect(!result.ok && result.error).toMatchObject({ kind: "context-overflow", refusedBy: "specwright", numCtx: 4096 });
    expect(fake.chatRequests()).toHaveLength(0);
    // The failed /tokenize turned exact counting off for the run: later calls do not ask again.
    const before = fake.requests.filter((r) => r.path === "/tokenize").length;
    await run.call({ caller: "T005", messages: user("short") });
    expect(fake.requests.filter((r) => r.path === "/tokenize").length).toBe(before);
  });

  it("a prompt the estimate let through but the server counts as too long is the server's refusal, with its counts", async () => {
    // A tokenizer that needs 3× the estimate, no tokenizer route: only the server can tell.
    const { run, events, fake } = await open({ flavour, contextLength: 4096, tokenize: false, tokenRatio: 3 }, { outputBudget: 256 });
    const messages = user("word ".repeat(1500));
    const result = await run.call({ caller: "T006", messages });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const counted = fake.countOf(messages);
    expect(result.error).toMatchObject({ kind: "context-overflow", refusedBy: "server", serverCount: { promptTokens: counted, numCtx: 4096 } });
    expect(fake.chatRequests()[0]!.refused).toBe(true);
    // The count calibrates the run's estimate: the next such prompt is refused before sending.
    expect(events.some((e) => e.type === "calibrated" && e.source === "counted-overflow")).toBe(true);
    expect(run.fits(messages)).toBe(false);
  });

  it("structured output: sends the schema as response_format json_schema and validates the answer", async () => {
    const { run, fake } = await open({ flavour });
    const schema: JsonSchema = { type: "object", properties: { answer: { type: "integer" } }, required: ["answer"], additionalProperties: false };
    fake.script({ content: '{"answer": 42}' });
    const result = await run.callStructured<{ answer: number }>({ caller: "planner", messages: user("6×7?"), schema });
    expect(result.ok && result.value.value).toEqual({ answer: 42 });
    expect(fake.chatRequests()[0]!.responseFormat).toEqual({ type: "json_schema", json_schema: { name: "answer", schema, strict: true } });
  });

  it("structured output: one re-ask quotes the problems, appended to the conversation", async () => {
    const { run, events, fake } = await open({ flavour });
    const schema: JsonSchema = { type: "object", properties: { answer: { type: "integer" } }, required: ["answer"] };
    fake.script({ content: '{"answer": "forty-two"}' }, { content: '{"answer": 42}' });
    const result = await run.callStructured<{ answer: number }>({ caller: "planner", messages: user("6×7?"), schema });
    expect(result.ok && result.value.asks).toBe(2);
    expect(events.some((e) => e.type === "re-ask")).toBe(true);
    const second = fake.chatRequests()[1]!.messages!;
    expect(second.slice(0, 2)).toEqual([{ role: "user", content: "6×7?" }, { role: "assistant", content: '{"answer": "forty-two"}' }]);
    expect(second[2]!.content).toContain("$.answer: expected integer");
  });

  it("structured output on a server without json_schema: the schema goes in the prompt, the answer is still validated", async () => {
    const { run, fake } = await open({ flavour, jsonSchema: false });
    const schema: JsonSchema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    fake.script({ content: "" }, { content: '{"ok": true}' }, { content: '{"ok": true}' });
    const result = await run.callStructured<{ ok: boolean }>({ caller: "judge", messages: user("Is it fine?"), schema });
    expect(result.ok && result.value.value).toEqual({ ok: true });
    const [rejected, prompted] = fake.chatRequests();
    expect(rejected!.status).toBe(400);
    expect(prompted!.responseFormat).toBeUndefined();
    expect(prompted!.messages!.at(-1)!.content).toContain('Answer with only a JSON value that follows this JSON schema');
    // The run remembers: the next structured call does not try response_format again.
    await run.callStructured({ caller: "judge", messages: user("Again?"), schema });
    expect(fake.chatRequests()[2]!.responseFormat).toBeUndefined();
  });

  it("a connection that dies mid-stream is stream-broken (connection-dropped), with the partial reply kept out", async () => {
    const { run, fake } = await open({ flavour });
    fake.script({ content: ["a", "b", "c", "d"], fault: { kind: "drop-connection", afterChunks: 2 } });
    const result = await run.call({ caller: "T007", messages: user("x") });
    expect(!result.ok && result.error).toMatchObject({ kind: "stream-broken", reason: "connection-dropped" });
  });

  it("an error event mid-stream is the server's error (midStream), not a short reply", async () => {
    const { run, fake } = await open({ flavour });
    fake.script({ content: ["a", "b", "c"], fault: { kind: "error-event", afterChunks: 1, message: "CUDA error: out of memory" } });
    const result = await run.call({ caller: "T008", messages: user("x") });
    expect(!result.ok && result.error).toMatchObject({ kind: "server-error", midStream: true, serverMessage: "CUDA error: out of memory" });
  });

  it("an event that is not JSON fails the call rather than shorten the reply", async () => {
    const { run, fake } = await open({ flavour });
    fake.script({ content: ["a", "b"], fault: { kind: "invalid-event", afterChunks: 1, text: "data: {not json" } });
    const result = await run.call({ caller: "T009", messages: user("x") });
    expect(!result.ok && result.error).toMatchObject({ kind: "stream-broken", reason: "invalid-line" });
  });

  it("a stream that ends without finish_reason or [DONE] is stream-broken", async () => {
    const { run, fake } = await open({ flavour });
    fake.script({ content: ["a", "b"], fault: { kind: "end-without-done", afterChunks: 1 } });
    const result = await run.call({ caller: "T010", messages: user("x") });
    expect(!result.ok && result.error).toMatchObject({ kind: "stream-broken", reason: "ended-without-done" });
  });

  it("a server that stops sending times out mid-stream", async () => {
    const { run, fake } = await open({ flavour }, { stallTimeoutMs: 300 });
    fake.script({ content: ["a", "b"], fault: { kind: "hang", afterChunks: 1 } });
    const result = await within(3000, run.call({ caller: "T011", messages: user("x") }));
    expect(!result.ok && result.error).toMatchObject({ kind: "timed-out", phase: "mid-stream" });
  });

  it("429 from a proxy and 503 with no slot are server errors with their status (no model to talk to now)", async () => {
    const { run, fake } = await open({ flavour });
    fake.script({ fault: { kind: "http-error", status: 429, message: "Rate limit exceeded" } }, { fault: { kind: "http-error", status: 503, message: "no slot available" } });
    const limited = await run.call({ caller: "T012", messages: user("x") });
    expect(!limited.ok && limited.error).toMatchObject({ kind: "server-error", status: 429, midStream: false });
    const busy = await run.call({ caller: "T012", messages: user("x") });
    expect(!busy.ok && busy.error).toMatchObject({ kind: "server-error", status: 503 });
  });

  it("output cut at max_tokens is output-truncated", async () => {
    const { run, fake } = await open({ flavour }, { outputBudget: 3 });
    fake.script({ content: ["one ", "two ", "three ", "four ", "five"] });
    const result = await run.call({ caller: "T013", messages: user("count") });
    expect(!result.ok && result.error).toMatchObject({ kind: "output-truncated", evalCount: 3 });
  });

  it("the API key goes in the Authorization header, and a wrong one is refused with 401 and a hint naming api_key_env", async () => {
    fake = await startFakeOpenAi({ flavour, apiKey: "sk-test-SECRET-123" });
    const good = await openModelRun(settings(fake.url, { apiKey: "sk-test-SECRET-123" }));
    if (!good.ok) throw new Error(good.error.message);
    expect((await good.value.call({ caller: "T014", messages: user("x") })).ok).toBe(true);
    expect(fake.chatRequests()[0]!.authorization).toBe("Bearer sk-test-SECRET-123");

    // vLLM guards /v1/models; llama-server lists its models without a key and guards /props: the run does not open.
    const bad = await openModelRun(settings(fake.url, { apiKey: "wrong" }));
    const error = bad.ok ? undefined : bad.error;
    expect(error).toMatchObject({ kind: "server-error", status: 401 });
    expect(error?.hint).toContain("api_key_env");
    expect(JSON.stringify(error)).not.toContain("wrong");
  });
});

describe("opening a run", () => {
  it("an unreachable server is unreachable, naming the URL", async () => {
    const port = await closedPort();
    const opened = await openModelRun(settings(`http://127.0.0.1:${port}/v1`));
    expect(!opened.ok && opened.error).toMatchObject({ kind: "unreachable", host: `http://127.0.0.1:${port}` });
  });

  it("vLLM: a model it does not serve is model-missing, listing what it serves", async () => {
    fake = await startFakeOpenAi({ flavour: "vllm", models: ["Qwen/Qwen2.5-Coder-14B-Instruct"] });
    const opened = await openModelRun(settings(fake.url, { model: "qwen3:8b" }));
    expect(!opened.ok && opened.error.kind).toBe("model-missing");
    expect(!opened.ok && opened.error.message).toContain("Qwen/Qwen2.5-Coder-14B-Instruct");
  });

  it("vLLM: a chat naming a model it no longer serves is model-missing (404 NotFoundError)", async () => {
    fake = await startFakeOpenAi({ flavour: "vllm", models: [MODEL] });
    const opened = await openModelRun(settings(fake.url));
    if (!opened.ok) throw new Error(opened.error.message);
    // What engine/serving.py _check_model answers after a restart with another --served-model-name.
    const body = { error: { message: `The model \`${MODEL}\` does not exist.`, type: "NotFoundError", param: "model", code: 404 } };
    fake.script({ fault: { kind: "http-error", status: 404, message: "", body } });
    const result = await opened.value.call({ caller: "T015", messages: user("x") });
    expect(!result.ok && result.error).toMatchObject({ kind: "model-missing", model: MODEL });
  });

  it("llama-server still loading: the preload reports 503 Loading model, and works once loaded", async () => {
    fake = await startFakeOpenAi({ flavour: "llama-server" });
    const opened = await openModelRun(settings(fake.url));
    if (!opened.ok) throw new Error(opened.error.message);
    fake.setLoading(true);
    const loading = await opened.value.preload();
    expect(!loading.ok && loading.error).toMatchObject({ kind: "server-error", status: 503 });
    expect(!loading.ok && loading.error.hint).toContain("loading");
    fake.setLoading(false);
    expect((await opened.value.preload()).ok).toBe(true);
  });

  it("llama-server: the per-slot context from /props is the window (total_slots divides -c)", async () => {
    fake = await startFakeOpenAi({ flavour: "llama-server", contextLength: 6144, totalSlots: 4 });
    const opened = await openModelRun(settings(fake.url));
    expect(opened.ok && opened.value.numCtx).toBe(6144);
  });

  it("LM Studio: the context the model was loaded with (/api/v0/models loaded_context_length) is the window; no tokenizer route is tried", async () => {
    // LM Studio's REST API v0 (docs: developer/rest/endpoints, LM Studio 0.3.6+): state, max_context_length, loaded_context_length.
    const { createServer } = await import("node:http");
    const seen: string[] = [];
    const studio = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.url === "/v1/models") return json(200, { object: "list", data: [{ id: MODEL, object: "model", owned_by: "organization_owner" }] });
      if (req.url === "/api/v0/models") return json(200, { object: "list", data: [{ id: MODEL, object: "model", type: "llm", state: "loaded", max_context_length: 131072, loaded_context_length: 16384 }] });
      // An unknown route: LM Studio answers 200 with an error string (as other clients record it), which must not read as a model list.
      return json(200, { error: `Unexpected endpoint or method. (${req.method} ${req.url})` });
    });
    await new Promise<void>((resolve) => studio.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(studio.address() as { port: number }).port}`;
    try {
      const opened = await openModelRun(settings(url));
      if (!opened.ok) throw new Error(opened.error.message);
      expect(opened.value.numCtx).toBe(16384);
      expect(opened.value.features.llamaServerEngine).toBe(false);
      expect(seen.some((s) => s.includes("/tokenize"))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => studio.close(() => resolve()));
    }
  });

  it("a server that reports no context needs num_ctx in the config (context-unknown), and then uses it", async () => {
    // The fake vLLM without max_model_len in its list is what a proxy looks like: serve it through an HTTP shim.
    const { createServer } = await import("node:http");
    const proxy = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url === "/v1/models" ? JSON.stringify({ object: "list", data: [{ id: MODEL, object: "model", owned_by: "litellm" }] }) : "{}");
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const unknown = await openModelRun(settings(url));
      expect(!unknown.ok && unknown.error.kind).toBe("context-unknown");
      const configured = await openModelRun(settings(url, { numCtx: 16384 }));
      expect(configured.ok && configured.value.numCtx).toBe(16384);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
