// Every fault of issue 3's "Bad input and faults" list, over real HTTP against the fake server.

import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { CallRecord, CallRecorder, CallStart } from "../../models/call-record.js";
import { streamChat } from "../../models/chat-stream.js";
import type { JsonSchema } from "../../models/json-schema.js";
import { openModelRun } from "../../models/model-run.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { MODEL, closedPort, openRun, settingsFor, user, within } from "./helpers.js";

let fake: FakeOllama;
afterEach(async () => {
  await fake?.close();
});

/** A recorder that keeps everything in memory, to check what a trace would get. */
function memoryRecorder() {
  const seen: { start?: CallStart; deltas: string[]; record?: CallRecord } = { deltas: [] };
  const recorder: CallRecorder = {
    started: async (start) => void (seen.start = start),
    delta: (_kind, text) => void seen.deltas.push(text),
    finished: async (record) => void (seen.record = record),
  };
  return { seen, recorder };
}

describe("unreachable server", () => {
  it("names the host and asks whether ollama serve runs", async () => {
    const port = await closedPort();
    fake = await startFakeOllama();
    const opened = await openModelRun(settingsFor(fake, { host: `127.0.0.1:${port}` }));
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error.kind).toBe("unreachable");
    expect(opened.error.message).toBe(`Ollama is not reachable at http://127.0.0.1:${port} — is \`ollama serve\` running?`);
  });

  it("a wrong port with another HTTP server on it is named as not an Ollama server", async () => {
    fake = await startFakeOllama();
    const other: Server = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("404 page not found");
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const port = (other.address() as { port: number }).port;
    try {
      const opened = await openModelRun(settingsFor(fake, { host: `http://127.0.0.1:${port}` }));
      expect(opened.ok).toBe(false);
      if (opened.ok) return;
      expect(opened.error.kind).toBe("not-ollama");
      expect(opened.error.message).toContain(`the server at http://127.0.0.1:${port} is not Ollama (or not this API)`);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

describe("unknown model and missing capabilities", () => {
  it("an uninstalled model says which `ollama pull` to run", async () => {
    fake = await startFakeOllama();
    const opened = await openModelRun(settingsFor(fake, { model: "devstral:24b" }));
    expect(opened.ok ? undefined : opened.error).toMatchObject({
      kind: "model-missing",
      message: "model devstral:24b is not installed — run `ollama pull devstral:24b`",
    });
  });

  it("the server's 404 for a chat with an unknown model maps to model-missing too", async () => {
    fake = await startFakeOllama();
    const outcome = await streamChat(
      fake.url,
      { model: "ghost:7b", messages: user("hi"), options: {}, keepAlive: "5m", think: false },
      { firstChunkTimeoutMs: 2000, stallTimeoutMs: 2000 },
    );
    expect(outcome.ok ? undefined : outcome.error.kind).toBe("model-missing");
  });

  it("an embedding model cannot serve a role", async () => {
    fake = await startFakeOllama({ models: [{ name: "nomic-embed-text:latest", capabilities: ["embedding"] }] });
    const opened = await openModelRun(settingsFor(fake, { model: "nomic-embed-text" }));
    expect(opened.ok ? undefined : opened.error).toMatchObject({ kind: "capability-missing", capability: "completion" });
  });

  it("think on for a model that cannot think is refused before any prompt is sent", async () => {
    fake = await startFakeOllama();
    const opened = await openModelRun(settingsFor(fake, { think: true }));
    expect(opened.ok ? undefined : opened.error).toMatchObject({
      kind: "capability-missing",
      capability: "thinking",
      message: `model ${MODEL} does not support thinking`,
    });
    expect(fake.promptRequests()).toHaveLength(0);
  });

  it("the server's own 400 'does not support thinking' maps to capability-missing", async () => {
    fake = await startFakeOllama();
    const outcome = await streamChat(
      fake.url,
      { model: MODEL, messages: user("hi"), options: {}, keepAlive: "5m", think: true },
      { firstChunkTimeoutMs: 2000, stallTimeoutMs: 2000 },
    );
    expect(outcome.ok ? undefined : outcome.error).toMatchObject({ kind: "capability-missing", capability: "thinking" });
  });
});

describe("server failures", () => {
  it("HTTP 500 is a server error carrying Ollama's message", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    fake.script({ fault: { kind: "http-error", status: 500, message: "llama runner process has terminated: exit status 2" } });
    const { seen, recorder } = memoryRecorder();
    const result = await run.call({ caller: "T001", messages: user("write it"), recorder });
    expect(result.ok ? undefined : result.error).toMatchObject({
      kind: "server-error",
      status: 500,
      midStream: false,
      message: "Ollama failed (HTTP 500): llama runner process has terminated: exit status 2",
    });
    expect(seen.record?.outcome).toBe("failed");
    expect(seen.record?.error?.kind).toBe("server-error");
  });

  it("an error line mid-stream is a server error, and the partial reply reached the recorder", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    fake.script({ content: ["def ", "count", "(text", ")"], fault: { kind: "error-line", afterChunks: 2, message: "CUDA error: out of memory" } });
    const { seen, recorder } = memoryRecorder();
    const result = await run.call({ caller: "T001", messages: user("write it"), recorder });
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "server-error", midStream: true, serverMessage: "CUDA error: out of memory" });
    expect(seen.deltas).toEqual(["def ", "count"]);
  });

  it("a stream that ends without done is a broken stream", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    fake.script({ content: ["a", "b", "c"], fault: { kind: "end-without-done", afterChunks: 3 } });
    const result = await run.call({ caller: "T001", messages: user("x") });
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "stream-broken", reason: "ended-without-done" });
  });

  it("a dropped connection is a broken stream", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    fake.script({ content: ["a", "b", "c"], fault: { kind: "drop-connection", afterChunks: 1 } });
    const result = await run.call({ caller: "T001", messages: user("x") });
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "stream-broken", reason: "connection-dropped" });
  });
});

describe("hangs end promptly and close the socket", () => {
  it("a stall mid-stream ends by the stall timeout", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake, { stallTimeoutMs: 300 });
    fake.script({ content: ["a", "b", "c"], fault: { kind: "hang", afterChunks: 2 } });
    const started = Date.now();
    const result = await run.call({ caller: "T001", messages: user("x") });
    const elapsed = Date.now() - started;
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "timed-out", phase: "mid-stream", afterMs: 300 });
    expect(elapsed).toBeLessThan(1500);
    const request = fake.promptRequests()[0]!;
    await within(1000, request.socketClosed);
    expect(request.clientClosedAt).toBeDefined();
  });

  it("a server that never answers ends by the first-chunk timeout", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake, { stallTimeoutMs: 5000, firstChunkTimeoutMs: 300 });
    fake.script({ fault: { kind: "hang", afterChunks: 0 } });
    const result = await run.call({ caller: "T001", messages: user("x") });
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "timed-out", phase: "before-first-chunk" });
    await within(1000, fake.promptRequests()[0]!.socketClosed);
  });

  it("the caller's abort ends a hang at once, before or after the headers", async () => {
    fake = await startFakeOllama();
    const { run, events } = await openRun(fake, { stallTimeoutMs: 60_000 });
    for (const [index, afterChunks] of [0, 2].entries()) {
      fake.script({ content: ["a", "b", "c"], fault: { kind: "hang", afterChunks } });
      const controller = new AbortController();
      const pending = run.call({ caller: `T00${afterChunks}`, messages: user(`x${afterChunks}`), signal: controller.signal });
      const request = (await fake.waitForRequests(index + 1))[index];
      await new Promise((resolve) => setTimeout(resolve, 50));
      const abortedAt = Date.now();
      controller.abort();
      // Prompt, not instant: a loaded CI machine may delay timers by a few hundred ms.
      const result = await within(2000, pending);
      expect(Date.now() - abortedAt).toBeLessThan(1000);
      expect(result.ok ? undefined : result.error.kind).toBe("aborted");
      await within(1000, request!.socketClosed);
    }
    expect(events.filter((e) => e.type === "call-failed")).toHaveLength(2);
  });

  it("an already-aborted signal sends nothing", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    const result = await run.call({ caller: "T001", messages: user("x"), signal: AbortSignal.abort() });
    expect(result.ok ? undefined : result.error.kind).toBe("aborted");
    expect(fake.promptRequests()).toHaveLength(0);
  });
});

describe("replies cut off or malformed", () => {
  it("done_reason length is an output-truncated error with the partial reply", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    fake.script({ content: "one two three four five six seven eight nine ten" });
    const result = await run.call({ caller: "T004", messages: user("x"), outputBudget: 4 });
    expect(result.ok ? undefined : result.error).toMatchObject({
      kind: "output-truncated",
      caller: "T004",
      reply: "one two three four",
      message: "the reply for T004 was cut off at the output budget (4 tokens)",
    });
    expect(fake.promptRequests()[0]!.options?.["num_predict"]).toBe(4);
  });

  it("invalid JSON for a structured call is re-asked once, quoting the problem, then accepted", async () => {
    fake = await startFakeOllama();
    const { run, events } = await openRun(fake);
    fake.script({ content: "Sure! Here are the findings" }, { content: '{"findings": []}' });
    const schema: JsonSchema = { type: "object", required: ["findings"], properties: { findings: { type: "array", items: { type: "string" } } } };
    const result = await run.callStructured({ caller: "audit", messages: user("audit this"), schema });
    expect(result.ok && result.value).toMatchObject({ value: { findings: [] }, asks: 2 });
    const [first, second] = fake.promptRequests();
    expect(first!.format).toEqual(schema);
    // The default model cannot think: no `think` at all (a thinking model gets false: conformance table).
    expect(first!.think).toBeUndefined();
    expect(second!.messages!.slice(0, 1)).toEqual(first!.messages);
    expect(second!.messages![1]).toEqual({ role: "assistant", content: "Sure! Here are the findings" });
    expect(second!.messages![2]!.content).toContain("the reply is not valid JSON");
    expect(events.some((e) => e.type === "re-ask")).toBe(true);
  });

  it("a second invalid answer is a malformed-output failure naming the schema problem", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    fake.script({ content: '{"verdict": "maybe"}' }, { content: '{"verdict": "perhaps"}' });
    const schema: JsonSchema = { type: "object", required: ["verdict"], properties: { verdict: { type: "string", enum: ["pass", "fail"] } } };
    const result = await run.callStructured({ caller: "reviewer", messages: user("review"), schema });
    expect(result.ok ? undefined : result.error).toMatchObject({
      kind: "malformed-output",
      problems: ['$.verdict: expected one of pass, fail, got "perhaps"'],
      reply: '{"verdict": "perhaps"}',
    });
    expect(fake.promptRequests()).toHaveLength(2);
  });
});

describe("context safety over the wire", () => {
  it("a prompt larger than the model's maximum context is refused and never sent", async () => {
    fake = await startFakeOllama({ models: [{ name: MODEL, contextLength: 4096 }] });
    const { run } = await openRun(fake, { largestPromptTokens: 50_000 });
    expect(run.numCtx).toBe(4096);
    const { seen, recorder } = memoryRecorder();
    const huge = "function step(value) { return value + 1; }\n".repeat(800);
    const result = await run.call({ caller: "T009", messages: user(huge), recorder });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ kind: "context-overflow", caller: "T009", numCtx: 4096, modelMax: 4096, outputBudget: 512 });
    expect(result.error.message).toMatch(/^the prompt for T009 does not fit: ~\d+ tokens \(\d+ with margin\) \+ 512 output > num_ctx 4096; it was not sent$/);
    expect(result.error.hint).toContain("holds at most 4096 tokens");
    expect(fake.promptRequests()).toHaveLength(0);
    // The trace still shows what would have been sent and why it was not.
    expect(seen.start?.messages[0]?.content).toBe(huge);
    expect(seen.record?.error?.kind).toBe("context-overflow");
  });

  it("on a server too old to refuse (0.12.3), a first prompt Ollama truncated (its tokenizer counts 2× our lower bound) is detected after the call", async () => {
    fake = await startFakeOllama({ tokenRatio: 2, profile: "0.12.3" });
    const { run, events } = await openRun(fake, { numCtx: 4096, outputBudget: 100 });
    // ~3,240 estimated tokens: fits 4096 with margin and budget; the server counts ~6,460 and the
    // runner keeps the last 4,096 (runner.go NewSequence), so prompt_eval_count fills the window.
    const prompt = "const total = items.reduce((sum, item) => sum + item.price, 0);\n".repeat(170);
    const result = await run.call({ caller: "T010", messages: user(prompt) });
    const sent = fake.promptRequests()[0]!;
    // The premise: our estimate fit the window, the server's count did not.
    expect(sent.promptTokens).toBeGreaterThan(4096);
    expect(sent.truncated).toBe(true);
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "prompt-truncated", caller: "T010", promptEvalCount: 4096, numCtx: 4096 });
    expect(events.find((e) => e.type === "truncation-suspected")).toBeDefined();
  });

  it("once a reply shows the model counts more tokens than estimated, an over-long prompt is refused unsent", async () => {
    fake = await startFakeOllama({ tokenRatio: 2.5 });
    const { run } = await openRun(fake, { numCtx: 4096 });
    const line = "const total = items.reduce((sum, item) => sum + item.price, 0);\n";
    expect((await run.call({ caller: "T012", messages: user(line.repeat(10)) })).ok).toBe(true);
    expect(run.tokenRatio).toBeGreaterThan(1.5);
    const result = await run.call({ caller: "T013", messages: user(line.repeat(100)) });
    expect(result.ok ? undefined : result.error.kind).toBe("context-overflow");
    expect(fake.promptRequests()).toHaveLength(1);
  });

  it("a fix attempt on a server that counts only uncached tokens is not mistaken for truncation", async () => {
    fake = await startFakeOllama({ profile: "0.30.0" });
    const { run } = await openRun(fake);
    const brief = "The counter module counts words separated by whitespace and reports totals.\n".repeat(40);
    const first = [{ role: "system" as const, content: "You write whole files." }, ...user(`${brief}\nWrite counter.py`)];
    expect((await run.call({ caller: "T011", messages: first })).ok).toBe(true);
    const fix = [...first, { role: "assistant" as const, content: "ok" }, ...user("verify failed: NameError")];
    const second = await run.call({ caller: "T011", messages: fix });
    expect(second.ok).toBe(true);
    const record = fake.promptRequests()[1]!;
    // DESIGN.md §13: at least 90 % of a fix attempt's prompt served from the cache.
    expect(record.cachedTokens! / record.promptTokens!).toBeGreaterThan(0.9);
    expect(second.ok && second.value.metrics.promptEvalCount).toBe(record.evaluatedTokens! - record.cachedTokens!);
  });
});
