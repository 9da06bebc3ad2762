// A call's session id leaves as the X-Session-Id header on either adapter, so a
// router in front of the servers (LiteLLM, the vLLM production stack) can keep
// a task on one replica. The Ollama side is observed through a forwarding
// proxy that records the headers the fake Ollama does not keep.

import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { openModelRun } from "../../models/model-run.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { startFakeOpenAi, type FakeOpenAi } from "../fake-openai/server.js";
import { MODEL, settingsFor, user } from "./helpers.js";

let ollama: FakeOllama | undefined;
let openai: FakeOpenAi | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await ollama?.close();
  await openai?.close();
  if (proxy) await new Promise<void>((resolve) => proxy!.close(() => resolve()));
  ollama = undefined;
  openai = undefined;
  proxy = undefined;
});

/** A proxy to `target` that records each request's path and X-Session-Id. */
async function recordingProxy(target: string): Promise<{ url: string; seen: Array<{ path: string; session: string | undefined }> }> {
  const seen: Array<{ path: string; session: string | undefined }> = [];
  const to = new URL(target);
  proxy = createServer((req, res) => {
    const header = req.headers["x-session-id"];
    seen.push({ path: req.url ?? "", session: typeof header === "string" ? header : undefined });
    const out = forward({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, seen };
}

describe("X-Session-Id", () => {
  it("the Ollama adapter sends it on a call that has one, and not on one that has none", async () => {
    ollama = await startFakeOllama();
    const { url, seen } = await recordingProxy(ollama.url);
    const opened = await openModelRun(settingsFor(ollama, { host: url }));
    if (!opened.ok) throw new Error(opened.error.message);
    expect((await opened.value.call({ caller: "T001", messages: user("hi"), sessionId: "run-1/T001" })).ok).toBe(true);
    expect((await opened.value.call({ caller: "audit", messages: user("hi") })).ok).toBe(true);
    const chats = seen.filter((s) => s.path === "/api/chat");
    expect(chats.map((c) => c.session)).toEqual(["run-1/T001", undefined]);
  });

  it("the OpenAI-compatible adapter sends it on the chat, including a structured call's re-ask", async () => {
    openai = await startFakeOpenAi({ flavour: "vllm", models: [MODEL] });
    const opened = await openModelRun({ kind: "openai", host: openai.url, model: MODEL, think: false, temperature: 0, keepAlive: "5m", numCtx: "auto", largestPromptTokens: 100, outputBudget: 64, stallTimeoutMs: 5000 });
    if (!opened.ok) throw new Error(opened.error.message);
    openai.script({ content: "not json" }, { content: '{"ok": true}' });
    const result = await opened.value.callStructured({ caller: "T002-review", messages: user("fine?"), schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] }, sessionId: "run-1/T002" });
    expect(result.ok && result.value.asks).toBe(2);
    expect(openai.chatRequests().map((r) => r.sessionId)).toEqual(["run-1/T002", "run-1/T002"]);
  });
});
