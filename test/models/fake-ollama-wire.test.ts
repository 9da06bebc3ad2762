// The fake speaks Ollama's wire format: checked with plain fetch, not through the adapter.

import { afterEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";

let fake: FakeOllama;
afterEach(async () => {
  await fake?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${fake.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("fake Ollama wire format", () => {
  it("streams NDJSON deltas and a final chunk with nanosecond metrics", async () => {
    fake = await startFakeOllama();
    fake.script({ content: ["Hel", "lo"] });
    const response = await post("/api/chat", { model: "qwen2.5-coder:14b", messages: [{ role: "user", content: "hi" }] });
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await response.text()).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ model: "qwen2.5-coder:14b", message: { role: "assistant", content: "Hel" }, done: false });
    expect(lines[2]).toMatchObject({ done: true, done_reason: "stop", eval_count: 2, message: { role: "assistant", content: "" } });
    for (const key of ["total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_duration"]) {
      expect(typeof lines[2]![key]).toBe("number");
    }
  });

  it("answers stream: false with one JSON object, and /api/generate with `response`", async () => {
    fake = await startFakeOllama();
    fake.script({ content: "whole reply" }, { content: ["gen", "erated"] });
    const chat = (await (await post("/api/chat", { model: "qwen2.5-coder:14b", stream: false, messages: [{ role: "user", content: "x" }] })).json()) as Record<string, unknown>;
    expect(chat).toMatchObject({ done: true, message: { content: "whole reply" } });
    const generate = await (await post("/api/generate", { model: "qwen2.5-coder:14b", prompt: "x" })).text();
    expect(generate.trim().split("\n").map((l) => (JSON.parse(l) as { response: string }).response).join("")).toBe("generated");
  });

  it("serves tags, show, ps and version like Ollama", async () => {
    fake = await startFakeOllama({ profile: "0.12.3" });
    expect(await (await fetch(`${fake.url}/api/version`)).json()).toEqual({ version: "0.12.3" });
    const tags = (await (await fetch(`${fake.url}/api/tags`)).json()) as { models: Array<Record<string, unknown>> };
    expect(tags.models[0]).toMatchObject({ name: "qwen2.5-coder:14b", details: { family: "qwen2", parameter_size: "14.8B", quantization_level: "Q4_K_M" } });
    expect(String(tags.models[0]!["digest"])).toMatch(/^[0-9a-f]{64}$/);
    const show = (await (await post("/api/show", { model: "qwen2.5-coder:14b" })).json()) as { model_info: Record<string, unknown>; capabilities: string[] };
    expect(show.model_info["general.architecture"]).toBe("qwen2");
    expect(show.model_info["qwen2.context_length"]).toBe(32768);
    expect(show.capabilities).toEqual(["completion", "tools", "insert"]);
    expect(await (await fetch(`${fake.url}/api/ps`)).json()).toEqual({ models: [] });
  });

  it("answers errors the way Ollama does", async () => {
    fake = await startFakeOllama();
    const missing = await post("/api/chat", { model: "ghost", messages: [{ role: "user", content: "x" }] });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'model "ghost" not found, try pulling it first' });
    const noModel = await post("/api/chat", { messages: [] });
    expect([noModel.status, await noModel.json()]).toEqual([400, { error: "model is required" }]);
    const unknown = await fetch(`${fake.url}/api/nope`);
    expect([unknown.status, await unknown.text()]).toEqual([404, "404 page not found"]);
    fake.script({ fault: { kind: "http-error", status: 500, message: "boom" } });
    const failed = await post("/api/chat", { model: "qwen2.5-coder:14b", messages: [{ role: "user", content: "x" }] });
    expect([failed.status, await failed.json()]).toEqual([500, { error: "boom" }]);
  });

  it("truncates an over-long prompt to about half the window and says so in prompt_eval_count (0.33, no flags)", async () => {
    fake = await startFakeOllama();
    const response = await post("/api/chat", { model: "qwen2.5-coder:14b", stream: false, options: { num_ctx: 2048 }, messages: [{ role: "user", content: "word ".repeat(3000) }] });
    const body = (await response.json()) as { prompt_eval_count: number };
    // llama_server.go contextShiftPromptLimit: 2048 − max((2048 − num_keep 4) / 2, 1) = 1026.
    expect(body.prompt_eval_count).toBe(1026);
    expect(fake.promptRequests()[0]).toMatchObject({ truncated: true, evaluatedTokens: 1026 });
    expect(fake.promptRequests()[0]!.promptTokens).toBeGreaterThan(3000);
  });

  it("cuts a reply at num_predict with done_reason length", async () => {
    fake = await startFakeOllama();
    fake.script({ content: ["a", "b", "c", "d"] });
    const text = await (await post("/api/chat", { model: "qwen2.5-coder:14b", options: { num_predict: 2 }, messages: [{ role: "user", content: "x" }] })).text();
    const lines = text.trim().split("\n").map((l) => JSON.parse(l) as { done: boolean; done_reason?: string });
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ done: true, done_reason: "length" });
  });
});
