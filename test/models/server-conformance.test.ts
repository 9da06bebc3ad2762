// The adapter against every server generation the fake plays (profiles.ts,
// each behaviour citing the Ollama source it follows): what a user with that
// Ollama would get for an over-long prompt, the cache counts, a capped
// context, a cloud model, a thinking model, and every error body.

import { afterEach, describe, expect, it } from "vitest";
import type { ModelEvent } from "../../models/events.js";
import { openModelRun } from "../../models/model-run.js";
import { PROFILES, SHIFT_OFF_REFUSAL, type ProfileName } from "../fake-ollama/profiles.js";
import { startFakeOllama, type FakeModel, type FakeOllama } from "../fake-ollama/server.js";
import { MODEL, openRun, settingsFor, user } from "./helpers.js";

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const ALL = Object.keys(PROFILES) as ProfileName[];
const line = "const total = items.reduce((sum, item) => sum + item.price, 0);\n";
/** ~3,240 estimated tokens; the fake counts twice that with tokenRatio 2. */
const LONG = line.repeat(170);

describe.each(ALL)("Ollama %s", (profile) => {
  const p = PROFILES[profile];

  it(p.flags ? "an over-long prompt is refused by the server, never cut, and the run grows num_ctx once and resends" : "an over-long prompt is cut by the server (it cannot refuse) and the cut is reported", async () => {
    fake = await startFakeOllama({ profile, tokenRatio: 2 });
    const { run, events } = await openRun(fake, { numCtx: 4096, outputBudget: 100 });
    const result = await run.call({ caller: "T001", messages: user(LONG) });
    const prompts = fake.promptRequests();
    expect(prompts[0]!.promptTokens).toBeGreaterThan(4096);
    if (!p.flags) {
      expect(prompts[0]!.truncated).toBe(true);
      expect(result.ok ? undefined : result.error.kind).toBe("prompt-truncated");
      return;
    }
    // Refused, calibrated, reloaded once, resent whole.
    expect(prompts.map((r) => [r.refused ?? false, r.truncated ?? false])).toEqual([[true, false], [false, false]]);
    expect(result.ok).toBe(true);
    const reload = events.find((e): e is Extract<ModelEvent, { type: "model-reloading" }> => e.type === "model-reloading");
    expect(reload).toMatchObject({ fromNumCtx: 4096, toNumCtx: 8192 });
    expect(run.reloads).toHaveLength(1);
    expect(prompts[1]!.options?.["num_ctx"]).toBe(8192);
    // The preload after the reload sent the same flags (shift is a launch setting on ≥ 0.30).
    const reloadRequest = fake.requests.filter((r) => r.path === "/api/chat" && (r.messages ?? []).length === 0).at(-1)!;
    expect([reloadRequest.truncate, reloadRequest.shift]).toEqual([false, false]);
    const calibrated = events.find((e): e is Extract<ModelEvent, { type: "calibrated" }> => e.type === "calibrated")!;
    if (p.engine === "llama-server") {
      // The count is the server's own: the calibration makes the estimate exact for this prompt.
      expect(calibrated).toMatchObject({ source: "counted-overflow", countedTokens: prompts[0]!.promptTokens });
      expect(Math.abs(run.tokenRatio * calibrated.estimatedTokens - prompts[0]!.promptTokens!)).toBeLessThanOrEqual(1);
      expect(reload!.reason).toContain(`counted ${prompts[0]!.promptTokens} prompt tokens`);
    } else {
      // "the input length exceeds the context length" carries no count: the window is a lower bound.
      expect(calibrated).toMatchObject({ source: "refusal-bound", countedTokens: 4096 });
    }
  });

  it(p.flags ? "a prompt beyond the model's maximum is refused by the server with the sizes, after no reload" : "a prompt beyond the model's maximum is still cut on a server that cannot refuse", async () => {
    fake = await startFakeOllama({ profile, tokenRatio: 2, models: [{ name: MODEL, contextLength: 4096 }] });
    const { run } = await openRun(fake, { outputBudget: 100 });
    const result = await run.call({ caller: "T002", messages: user(LONG) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    if (!p.flags) {
      expect(result.error.kind).toBe("prompt-truncated");
      return;
    }
    expect(result.error).toMatchObject({ kind: "context-overflow", refusedBy: "server", caller: "T002", modelMax: 4096 });
    if (p.engine === "llama-server") {
      const counted = fake.promptRequests()[0]!.promptTokens!;
      expect(result.error.kind === "context-overflow" && result.error.serverCount).toEqual({ promptTokens: counted, numCtx: 4096 });
      expect(result.error.message).toContain(`Ollama counted ${counted} tokens against a loaded context of 4096`);
    }
    expect(run.reloads).toHaveLength(0);
    expect(fake.promptRequests()).toHaveLength(1);
  });

  it("reads the cache counts with the meaning this version gives prompt_eval_count", async () => {
    fake = await startFakeOllama({ profile });
    const { run } = await openRun(fake);
    const brief = "The counter module counts words separated by whitespace and reports totals.\n".repeat(30);
    await run.call({ caller: "T003", messages: user(brief) });
    const second = await run.call({ caller: "T003", messages: [...user(brief), { role: "assistant", content: "ok" }, ...user("again")] });
    const sent = fake.promptRequests()[1]!;
    expect(sent.cachedTokens).toBeGreaterThan(0);
    const m = second.ok ? second.value.metrics : undefined;
    expect(m?.cachedPromptTokens).toBe(p.cachedCount ? sent.cachedTokens : undefined);
    expect(m?.promptEvalCount).toBe(p.promptEvalCount === "uncached" ? sent.evaluatedTokens! - sent.cachedTokens! : sent.evaluatedTokens);
    // The whole count is known where the version counts everything (or says what it cached).
    expect(m?.promptTokens).toBe(p.promptEvalCount === "all" ? sent.evaluatedTokens : undefined);
  });

  it(p.psLoadedContext ? "trusts /api/ps: a context loaded below the one asked for is planned with, and a prompt that no longer fits is refused unsent" : "/api/ps reports the requested context on this version, so there is nothing to trust", async () => {
    // A cloud model: no context length in /api/show, so the config's num_ctx is used, and the
    // server caps it at the model's real context (server/sched.go effectiveContext).
    fake = await startFakeOllama({ profile, models: [{ name: MODEL, contextLength: 8192, remote: true }] });
    const { run, events } = await openRun(fake, { numCtx: 16384, outputBudget: 512 });
    await run.preload();
    if (!p.psLoadedContext) {
      expect(run.numCtx).toBe(16384);
      expect(events.some((e) => e.type === "context-capped")).toBe(false);
      return;
    }
    expect(run.numCtx).toBe(8192);
    expect(events.find((e) => e.type === "context-capped")).toMatchObject({ requested: 16384, loaded: 8192 });
    const capped = events.find((e): e is Extract<ModelEvent, { type: "context-capped" }> => e.type === "context-capped")!;
    expect(capped.hint).toContain("OLLAMA_CONTEXT_LENGTH");
    const result = await run.call({ caller: "T004", messages: user(line.repeat(400)) });
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "context-overflow", refusedBy: "specwright", numCtx: 8192 });
    expect(fake.promptRequests()).toHaveLength(0);
  });

  it("a model without a context length (a cloud model) needs model.num_ctx: the run stops naming the key, never guesses", async () => {
    fake = await startFakeOllama({ profile, models: [{ name: MODEL, remote: true }] });
    const opened = await openModelRun(settingsFor(fake));
    expect(opened.ok ? undefined : opened.error).toMatchObject({ kind: "context-unknown", model: MODEL });
    expect(opened.ok ? "" : opened.error.hint).toContain("model.num_ctx");
    expect(fake.promptRequests()).toHaveLength(0);
    const configured = await openModelRun(settingsFor(fake, { numCtx: 8192 }));
    expect(configured.ok && configured.value.numCtx).toBe(8192);
  });

  it("a thinking model that spends the whole budget thinking is its own error, with the fix", async () => {
    fake = await startFakeOllama({ profile, models: [{ name: MODEL, capabilities: ["completion", "thinking"] }] });
    const { run } = await openRun(fake, { think: true, outputBudget: 8 });
    fake.script({ thinking: "Let me consider every possible layout of the module before writing anything at all.", content: "done" });
    const result = await run.call({ caller: "T005", messages: user("write it") });
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "thinking-exhausted", caller: "T005", evalCount: 8 });
    expect(result.ok ? "" : result.error.hint).toMatch(/raise the role's output budget, or turn thinking off/);
  });

  it("sends think in the form the model takes: false to a thinking model, a level to gpt-oss, nothing to a plain model; structured calls never think", async () => {
    const models: FakeModel[] = [
      { name: "qwen3:8b", capabilities: ["completion", "thinking"] },
      { name: "gpt-oss:20b", family: "gptoss", capabilities: ["completion", "thinking"] },
      { name: MODEL },
    ];
    fake = await startFakeOllama({ profile, models });
    for (const [model, think, expected] of [
      ["qwen3:8b", false, false],
      ["qwen3:8b", true, true],
      ["gpt-oss:20b", false, "low"],
      ["gpt-oss:20b", true, "medium"],
      [MODEL, false, undefined],
    ] as const) {
      const { run } = await openRun(fake, { model, think });
      const result = await run.call({ caller: "x", messages: user("hi") });
      expect(result.ok, `${model} think ${String(think)}`).toBe(true);
      expect(fake.promptRequests().at(-1)!.think).toBe(expected);
    }
    const { run } = await openRun(fake, { model: "qwen3:8b", think: true });
    fake.script({ content: '{"ok": true}' });
    await run.callStructured({ caller: "planner", messages: user("plan"), schema: { type: "object", properties: { ok: { type: "boolean" } } } });
    expect(fake.promptRequests().at(-1)!.think).toBe(false);
  });

  it("loads with done_reason load and unloads with done_reason unload (keep_alive 0)", async () => {
    fake = await startFakeOllama({ profile });
    const { run } = await openRun(fake);
    expect((await run.preload()).ok).toBe(true);
    const post = (body: object) => fetch(`${fake!.url}/api/chat`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(await post({ model: MODEL, messages: [], stream: false })).toMatchObject({ done: true, done_reason: "load" });
    expect(await post({ model: MODEL, messages: [], keep_alive: 0, stream: false })).toMatchObject({ done: true, done_reason: "unload" });
    expect(fake.loaded()).toBeUndefined();
  });

  it("maps every error body this version sends to its typed error", async () => {
    fake = await startFakeOllama({ profile, models: [{ name: MODEL }, { name: "nomic-embed-text", capabilities: ["embedding"] }] });
    // show: `model 'x' not found` (ShowHandler); chat: `model "x" not found, try pulling it first` (handleScheduleError).
    const missing = await openModelRun(settingsFor(fake, { model: "ghost:1b" }));
    expect(missing.ok ? undefined : missing.error.kind).toBe("model-missing");
    const chatMissing = await fetch(`${fake.url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "ghost:1b", messages: user("x") }) });
    expect(await chatMissing.json()).toEqual({ error: 'model "ghost:1b" not found, try pulling it first' });
    const showMissing = await fetch(`${fake.url}/api/show`, { method: "POST", body: JSON.stringify({ model: "ghost:1b" }) });
    expect(await showMissing.json()).toEqual({ error: "model 'ghost:1b' not found" });
    const embedding = await openModelRun(settingsFor(fake, { model: "nomic-embed-text" }));
    expect(embedding.ok ? undefined : embedding.error).toMatchObject({ kind: "capability-missing", capability: "completion" });
    // Every overflow wording Ollama has used, each mapped to context-overflow (the run grows once,
    // the resend is refused again: the error carries the sizes).
    const wordings = [
      "the input length exceeds the context length",
      SHIFT_OFF_REFUSAL,
      JSON.stringify({ error: { code: 400, message: "request (8889 tokens) exceeds the available context size (4096 tokens), try increasing it", type: "exceed_context_size_error", n_prompt_tokens: 8889, n_ctx: 4096 } }),
      "request (8889 tokens) exceeds the available context size (4096 tokens), try increasing it",
    ];
    for (const message of wordings) {
      await fake.close();
      fake = await startFakeOllama({ profile });
      const { run } = await openRun(fake);
      fake.script({ fault: { kind: "http-error", status: 400, message } }, { fault: { kind: "http-error", status: 400, message } });
      const result = await run.call({ caller: "T006", messages: user("hi") });
      expect(result.ok ? undefined : result.error, message).toMatchObject({ kind: "context-overflow", refusedBy: "server" });
      if (message.includes("8889")) expect(result.ok ? undefined : result.error).toMatchObject({ serverCount: { promptTokens: 8889, numCtx: 4096 } });
    }
  });
});

describe("a reply that reaches the window (shift: false)", () => {
  it("stops with done_reason length instead of shifting the prompt out, and says the window was full", async () => {
    // The server counts 2× the estimate: the prompt fits the window, the reply does not.
    fake = await startFakeOllama({ profile: "0.33.0", tokenRatio: 2 });
    const { run } = await openRun(fake, { numCtx: 4096, outputBudget: 1000 });
    fake.script({ content: "word ".repeat(800) });
    const result = await run.call({ caller: "T007", messages: user(line.repeat(90)) });
    const sent = fake.promptRequests()[0]!;
    expect(sent.shift).toBe(false);
    expect(sent.truncated).toBeUndefined();
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "output-truncated", caller: "T007" });
    expect(result.ok ? "" : result.error.message).toMatch(/stopped after \d+ tokens because the context window \(num_ctx 4096\) was full/);
  });
});
