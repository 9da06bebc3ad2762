// What a healthy call looks like over the wire: preload, options sent, think off
// by default, streamed deltas as events, metrics from the final chunk.

import { afterEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { MODEL, openRun, user } from "./helpers.js";

let fake: FakeOllama;
afterEach(async () => {
  await fake?.close();
});

describe("preload", () => {
  it("loads the model with the run's num_ctx and keep_alive before the first call, and reports it as events", async () => {
    fake = await startFakeOllama({ loadDelayMs: 120 });
    const { run, events } = await openRun(fake, { largestPromptTokens: 10_000, outputBudget: 2048 });
    expect(run.numCtx).toBe(16384);
    const loaded = await run.preload();
    expect(loaded.ok).toBe(true);
    const [load] = fake.requests.filter((r) => r.path === "/api/chat");
    expect(load).toMatchObject({ model: MODEL, messages: [], keepAlive: "30m", options: { num_ctx: 16384 }, loaded: true });
    expect(events.map((e) => e.type)).toEqual(["model-loading", "model-loaded"]);
    const done = events[1]!;
    expect(done.type === "model-loaded" && done.loadMs).toBeGreaterThanOrEqual(100);
    expect(fake.loaded()).toEqual({ model: MODEL, numCtx: 16384, window: 16384 });
    // The preload sends the same truncate/shift as every call: shift is a load-time setting on
    // the llama-server engine, and another value would reload the model at the first call.
    const preload = fake.requests.find((r) => r.path === "/api/chat")!;
    expect([preload.truncate, preload.shift]).toEqual([false, false]);

    // The first real call finds the model loaded with the same num_ctx: no reload, no load time.
    expect((await run.call({ caller: "T001", messages: user("hi") })).ok).toBe(true);
    const call = fake.promptRequests()[0]!;
    expect(call.loaded).toBeUndefined();
    expect(call.options?.["num_ctx"]).toBe(16384);
  });

  it("a different num_ctx reloads the model (why a run keeps one)", async () => {
    fake = await startFakeOllama();
    const a = await openRun(fake, { numCtx: 8192 });
    const b = await openRun(fake, { numCtx: 12288 });
    await a.run.call({ caller: "x", messages: user("one") });
    await a.run.call({ caller: "x", messages: user("two") });
    await b.run.call({ caller: "x", messages: user("three") });
    expect(fake.promptRequests().map((r) => r.loaded === true)).toEqual([true, false, true]);
  });
});

describe("a call", () => {
  it("sends num_ctx, num_predict, temperature, seed, keep_alive, truncate: false and shift: false, and no think to a model that cannot think", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake, { numCtx: 8192, outputBudget: 1024 });
    await run.call({ caller: "T001", messages: user("hi") });
    const sent = fake.promptRequests()[0]!;
    expect(sent).toMatchObject({
      model: MODEL,
      stream: true,
      keepAlive: "30m",
      truncate: false,
      shift: false,
      options: { num_ctx: 8192, num_predict: 1024, temperature: 0.2, seed: 42 },
    });
    expect(sent.format).toBeUndefined();
    expect("think" in (sent.body as object)).toBe(false);
  });

  it("streams content and thinking deltas as events, in order, and returns them", async () => {
    fake = await startFakeOllama({ models: [{ name: MODEL, capabilities: ["completion", "thinking"] }] });
    const { run, events } = await openRun(fake, { think: true });
    fake.script({ thinking: ["Let me ", "think."], content: ["Hello", ", world"] });
    const result = await run.call({ caller: "drafter", messages: user("greet") });
    expect(fake.promptRequests()[0]!.think).toBe(true);
    expect(result.ok && [result.value.thinking, result.value.content]).toEqual(["Let me think.", "Hello, world"]);
    const deltas = events.flatMap((e) => (e.type === "delta" ? [[e.kind, e.text]] : []));
    expect(deltas).toEqual([
      ["thinking", "Let me "],
      ["thinking", "think."],
      ["content", "Hello"],
      ["content", ", world"],
    ]);
    expect(events.map((e) => e.type).filter((t) => t !== "delta")).toEqual(["call-started", "call-finished"]);
  });

  it("reports metrics from the final chunk plus wall time and time to first token", async () => {
    fake = await startFakeOllama({ tokensPerSecond: 100 });
    const { run } = await openRun(fake);
    fake.script({ content: Array.from({ length: 20 }, (_, i) => `t${i} `), firstChunkDelayMs: 80 });
    const result = await run.call({ caller: "T001", messages: user("count to twenty") });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const m = result.value.metrics;
    const sent = fake.promptRequests()[0]!;
    expect(m.promptEvalCount).toBe(sent.evaluatedTokens);
    expect(m.cachedPromptTokens).toBe(0);
    expect(m.evalCount).toBe(20);
    // 20 tokens paced at 100/s: at least ~200 ms of eval time (timers only run late on a
    // loaded machine), and tokens/s is the server's eval_count over its eval_duration.
    expect(m.evalMs).toBeGreaterThan(180);
    expect(m.tokensPerSecond).toBeCloseTo(20 / (m.evalMs! / 1000), 6);
    expect(m.timeToFirstTokenMs).toBeGreaterThanOrEqual(80 + 10 - 5);
    expect(m.wallMs).toBeGreaterThan(m.timeToFirstTokenMs!);
    expect(m.totalMs).toBeGreaterThan(m.evalMs!);
    expect(m.estimatedPromptTokens).toBeGreaterThanOrEqual(sent.promptTokens!);
  });

  it("reports the server's cached prompt tokens on a repeated prefix", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    const system = { role: "system" as const, content: "Rules that never change. ".repeat(30) };
    await run.call({ caller: "a", messages: [system, ...user("task one")] });
    const second = await run.call({ caller: "a", messages: [system, ...user("task two")] });
    const sent = fake.promptRequests()[1]!;
    expect(sent.cachedTokens).toBeGreaterThan(100);
    expect(second.ok && second.value.metrics.cachedPromptTokens).toBe(sent.cachedTokens);
  });
});
