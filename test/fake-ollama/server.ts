// A fake Ollama server for tests and benchmarks: a real HTTP server on
// 127.0.0.1 speaking Ollama's wire format (built by models/ollama-wire.ts, as
// the scripted demo server's is), so the product's adapter and the `ollama`
// client run unmodified against it. Tests script its replies (deltas, pacing,
// thinking, faults), read back every request it received, and rely on it to
// behave like Ollama where it matters to specwright: it counts prompt tokens,
// refuses or truncates over-long prompts, reuses a cached prefix, and reloads
// the model when num_ctx (or, on the llama-server engine, shift) changes.
// Which of these it does, and how, follows the server generation it plays
// (profiles.ts: 0.12.3, 0.12.6, 0.30.0, 0.30.9, 0.33.0; each behaviour cites
// the Ollama source it comes from).
//
// Token counts use the pre-tokenizer split of models/token-estimate.ts (the
// lower bound of a real BPE count), times `tokenRatio`.

import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { preTokenize } from "../../models/token-estimate.js";
import { ndjson, renderChatML, wireChatDelta, wireFinal, wireGenerateDelta, wirePsEntry, wireShow, wireTagEntry, type WireMetrics, type WireModel } from "../../models/ollama-wire.js";
import { JSON_TYPE, answer, bodyFields, readRequest, recordedBasics, startFakeHttp } from "../fake-http/server.js";
import { clientGone, cutStream, deltaDelayMs, deltas, sharedPrefix, sleep, streamDeltas, type PacedReply, type StreamCut } from "../fake-http/stream.js";
import { DEFAULT_PROFILE, PROFILES, SHIFT_OFF_REFUSAL, contextShift, overflowMessage, truncatedLength, type ProfileName, type ServerProfile } from "./profiles.js";

/** A model the fake has "installed". */
export interface FakeModel {
  /** As listed by /api/tags, e.g. "qwen2.5-coder:14b". */
  name: string;
  /** details.family and, unless `architecture` is set, general.architecture. Default "qwen2". */
  family?: string;
  architecture?: string;
  /** details.parameter_size. Default "14.8B". */
  parameterSize?: string;
  /** details.quantization_level. Default "Q4_K_M". */
  quantization?: string;
  /** model_info["<arch>.context_length"]. Default 32768. */
  contextLength?: number;
  /** /api/show capabilities. Default ["completion", "tools", "insert"]. */
  capabilities?: string[];
  /** /api/tags size in bytes. Default 9 GB. */
  sizeBytes?: number;
  /** /api/tags digest (64 hex). Default: sha256 of the name. */
  digest?: string;
  /**
   * A cloud model (`ollama pull x:cloud`): /api/show carries remote_model and
   * remote_host and no usable model_info (PR #13785: `{}` from v0.14.3, absent before).
   */
  remote?: boolean;
  /** model_info tokenizer.ggml.model / tokenizer.ggml.pre. Default "gpt2" / "qwen2". */
  tokenizer?: { model: string; pre?: string };
}

/** What goes wrong instead of, or part-way through, a normal reply. */
export type FakeFault =
  /** Answer with this HTTP status and `{"error": message}` instead of streaming. */
  | { kind: "http-error"; status: number; message: string }
  /** After `afterChunks` deltas, send an `{"error": message}` NDJSON line and end the response. */
  | { kind: "error-line"; afterChunks: number; message: string }
  /** After `afterChunks` deltas, write this raw line (not valid NDJSON, or not a chunk) and go on. */
  | { kind: "invalid-line"; afterChunks: number; line: string }
  /** Drop the connection, end without a `done` chunk, or hang (after 0 deltas: not even headers). */
  | StreamCut;

/** One scripted reply to a chat or generate request. */
export interface ReplyScript extends PacedReply {
  /** Thinking text, streamed as `message.thinking` deltas before the content. */
  thinking?: string | string[];
  /** done_reason of the final chunk. Default "stop", or "length" when num_predict cut the reply. */
  doneReason?: string;
  fault?: FakeFault;
  /** Only a request for this model consumes this reply. */
  model?: string;
}

export interface FakeOllamaOptions {
  models?: FakeModel[];
  /** The server generation to play (profiles.ts). Default "0.33.0". */
  profile?: ProfileName;
  /** Pace of deltas when a reply sets no chunkDelayMs (benchmarks use 50). Default: as fast as possible. */
  tokensPerSecond?: number;
  /** Simulated prompt evaluation speed: delays the first chunk by (uncached prompt tokens / this) seconds. */
  promptTokensPerSecond?: number;
  /** How long a model load takes (first use, another num_ctx). Default 0; load_duration is still reported. */
  loadDelayMs?: number;
  /** Multiplies token counts: 2 simulates a tokenizer needing twice the tokens specwright estimates. */
  tokenRatio?: number;
  /** The reply when the script queue is empty. Default: content "ok". */
  defaultReply?: ReplyScript | ((request: RecordedRequest) => ReplyScript);
  /** Port to listen on. Default 0 (random). */
  port?: number;
  /**
   * OLLAMA_NUM_PARALLEL: at most this many prompts are answered at once (the
   * rest wait their turn, as in the runner's queue), and the prefix cache has
   * one slot per parallel sequence; a prompt takes the free slot sharing its
   * longest prefix (runner/ollamarunner/cache.go LoadCacheSlot →
   * findLongestCacheSlot, the single-user default). Unset: every request is
   * answered at once against one cache per model (the fake's older model).
   */
  parallel?: number;
}

export interface RecordedMessage {
  role: string;
  content: string;
  thinking?: string;
}

/** A request the fake received, with what it did about it. */
export interface RecordedRequest {
  /** 1-based arrival order. */
  seq: number;
  method: string;
  path: string;
  /** The Authorization header, when the client sent one (credentials from OLLAMA_HOST). */
  authorization?: string;
  /** Parsed JSON body, or undefined when there was none or it did not parse. */
  body: unknown;
  model?: string;
  messages?: RecordedMessage[];
  prompt?: string;
  options?: Record<string, unknown>;
  format?: unknown;
  think?: unknown;
  keepAlive?: unknown;
  stream?: boolean;
  /** The request's `truncate` and `shift` fields, as sent. */
  truncate?: unknown;
  shift?: unknown;
  /** HTTP status answered. */
  status?: number;
  /** Prompt tokens as counted by the fake, before truncation. */
  promptTokens?: number;
  /** Prompt tokens evaluated after truncation (what a full prompt_eval_count reports). */
  evaluatedTokens?: number;
  /** Leading prompt tokens shared with the previous prompt for this model (reused from the cache). */
  cachedTokens?: number;
  /** The prompt was longer than the window and the fake cut it (whole old messages, then tokens). */
  truncated?: boolean;
  /** The prompt was longer than the window and the fake refused it (HTTP 400). */
  refused?: boolean;
  /** The context the model was loaded with for this request (num_ctx capped at the training context). */
  window?: number;
  /** This request (re)loaded the model. */
  loaded?: boolean;
  /** How the response ended. */
  outcome?: "done" | "http-error" | "error-line" | "dropped" | "ended-without-done" | "hung" | "client-closed";
  receivedAt: number;
  /** Set when the client closed the connection before the response was complete (an abort). */
  clientClosedAt?: number;
  /** Resolves when the request's connection is closed, by either side. */
  socketClosed: Promise<void>;
}

export interface FakeOllama {
  /** Base URL, e.g. "http://127.0.0.1:43117". */
  url: string;
  port: number;
  /** Every request received, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Queues replies for the next chat/generate requests, first in first out. Load requests (no messages) consume none. */
  script(...replies: ReplyScript[]): void;
  /** Requests to /api/chat and /api/generate that carried a prompt (not loads). */
  promptRequests(): RecordedRequest[];
  /** Resolves once `count` requests to `path` have arrived. */
  waitForRequests(count: number, path?: string): Promise<RecordedRequest[]>;
  /** The model currently loaded: the num_ctx asked for and the context it really has. */
  loaded(): { model: string; numCtx: number; window: number } | undefined;
  /** The profile this fake plays. */
  profile: ServerProfile;
  /** Stops listening and destroys open connections (hung streams included). */
  close(): Promise<void>;
}

export const DEFAULT_FAKE_MODEL: FakeModel = { name: "qwen2.5-coder:14b" };
/** The context a runner gets when a request names no num_ctx (OLLAMA_CONTEXT_LENGTH unset, a small GPU). */
const DEFAULT_NUM_CTX = 4096;

type Model = Required<Omit<FakeModel, "tokenizer">> & { tokenizer: { model: string; pre?: string } };

/** Starts a fake Ollama on 127.0.0.1. Always `close()` it (an afterEach hook). */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const profile = PROFILES[options.profile ?? DEFAULT_PROFILE];
  const models = (options.models ?? [DEFAULT_FAKE_MODEL]).map(withDefaults);
  const queue: ReplyScript[] = [];
  const requests: RecordedRequest[] = [];
  const waiters: Array<() => void> = [];
  const closeWaiters = new WeakMap<Socket, Array<() => void>>();
  const lastPrompt = new Map<string, string[]>();
  let loadedModel: { model: string; numCtx: number; window: number; shift: boolean; expiresAt: Date } | undefined;
  /** With `parallel`: the cache slots, and who waits for one. */
  const cacheSlots = Array.from({ length: options.parallel ?? 0 }, () => ({ pieces: [] as string[], inUse: false, lastUsed: 0 }));
  const slotWaiters: Array<() => void> = [];
  const heldSlots = new Map<RecordedRequest, (typeof cacheSlots)[number]>();

  const http = await startFakeHttp({ port: options.port, handle, bugBody: (message) => ({ error: `fake-ollama bug: ${message}` }) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { path, body, bodyError } = await readRequest(req);
    const record = recordRequest(req, path, body);

    const route = `${req.method} ${path}`;
    if (bodyError !== undefined && req.method === "POST") return sendJson(res, record, 400, { error: bodyError });
    switch (route) {
      case "GET /api/version":
        return sendJson(res, record, 200, { version: profile.version });
      case "GET /api/tags":
        return sendJson(res, record, 200, { models: models.map((m) => wireTagEntry(wire(m))) });
      case "GET /api/ps":
        return sendJson(res, record, 200, { models: psEntries() });
      case "POST /api/show":
        return show(res, record);
      case "POST /api/chat":
      case "POST /api/generate":
        try {
          return await generate(res, record, path === "/api/chat");
        } finally {
          releaseSlot(record);
        }
      case "GET /":
      case "HEAD /":
        return answer(res, record, 200, "text/plain; charset=utf-8", "Ollama is running");
      default:
        // gin's answer to an unknown route.
        return answer(res, record, 404, "text/plain", "404 page not found");
    }
  }

  function recordRequest(req: IncomingMessage, path: string, body: unknown): RecordedRequest {
    const socket = req.socket;
    const socketClosed = new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve();
      // One listener per socket, shared by every request on a kept-alive connection.
      let list = closeWaiters.get(socket);
      if (!list) {
        const waiting: Array<() => void> = [];
        closeWaiters.set(socket, waiting);
        socket.once("close", () => waiting.splice(0).forEach((wake) => wake()));
        list = waiting;
      }
      list.push(resolve);
    });
    const fields = bodyFields(body);
    const record: RecordedRequest = { ...recordedBasics(req, requests.length + 1, path, body), socketClosed };
    const model = fields["model"] ?? fields["name"];
    if (typeof model === "string") record.model = model;
    if (Array.isArray(fields["messages"])) record.messages = fields["messages"] as RecordedMessage[];
    if (typeof fields["prompt"] === "string") record.prompt = fields["prompt"];
    if (typeof fields["options"] === "object" && fields["options"] !== null) record.options = fields["options"] as Record<string, unknown>;
    for (const key of ["format", "think", "truncate", "shift"] as const) if (key in fields) record[key] = fields[key];
    if ("keep_alive" in fields) record.keepAlive = fields["keep_alive"];
    if (typeof fields["stream"] === "boolean") record.stream = fields["stream"];
    requests.push(record);
    for (const wake of waiters.splice(0)) wake();
    return record;
  }

  function findModel(name: string | undefined): Model | undefined {
    if (name === undefined) return undefined;
    const wanted = withLatest(name);
    return models.find((m) => withLatest(m.name) === wanted);
  }

  function show(res: ServerResponse, record: RecordedRequest): void {
    const model = findModel(record.model);
    // server/routes.go ShowHandler: single quotes, no pull hint (unlike chat's handleScheduleError).
    if (!model) return sendJson(res, record, 404, { error: `model '${record.model ?? ""}' not found` });
    const info = model.remote
      ? profile.emptyModelInfo
        ? {}
        : undefined
      : {
          "general.architecture": model.architecture,
          "general.parameter_count": 14_770_033_664,
          [`${model.architecture}.context_length`]: model.contextLength,
          [`${model.architecture}.embedding_length`]: 5120,
          // Strings survive /api/show without verbose; only the big token arrays are dropped.
          "tokenizer.ggml.model": model.tokenizer.model,
          ...(model.tokenizer.pre ? { "tokenizer.ggml.pre": model.tokenizer.pre } : {}),
        };
    sendJson(res, record, 200, wireShow(wire(model), {
      modelInfo: info,
      capabilities: model.capabilities,
      ...(model.remote ? { remote: { model: model.name.replace(/-cloud$|:cloud$/, ""), host: "https://ollama.com:443" } } : {}),
    }));
  }

  function psEntries(): object[] {
    if (!loadedModel) return [];
    const model = findModel(loadedModel.model);
    if (!model) return [];
    // psLoadedContext: see profiles.ts (commit d11fbd2c6, v0.15.5).
    const contextLength = profile.psLoadedContext ? loadedModel.window : loadedModel.numCtx;
    return [wirePsEntry(wire(model), { expiresAt: loadedModel.expiresAt, contextLength })];
  }

  async function generate(res: ServerResponse, record: RecordedRequest, chat: boolean): Promise<void> {
    const endpoint = chat ? "chat" : "generate";
    if (record.model === undefined || record.model === "") return sendJson(res, record, 400, { error: "model is required" });
    const model = findModel(record.model);
    // server/routes.go handleScheduleError.
    if (!model) return sendJson(res, record, 404, { error: `model "${record.model}" not found, try pulling it first` });
    if (!model.capabilities.includes("completion")) {
      return sendJson(res, record, 400, { error: `"${record.model}" does not support ${endpoint}` });
    }
    const thinks = model.capabilities.includes("thinking");
    const harmony = model.family === "gptoss";
    if (typeof record.think === "string" && profile.thinkLevelsHarmonyOnly && !harmony) {
      return sendJson(res, record, 400, { error: `think value "${record.think}" is not supported for this model` });
    }
    if (record.think === true && !thinks) {
      return sendJson(res, record, 400, { error: `"${record.model}" does not support thinking` });
    }
    // routes.go ChatHandler: a thinking model thinks unless told not to; gpt-oss ignores booleans
    // and cannot stop (docs/capabilities/thinking.mdx).
    const thinking = thinks && (harmony || record.think === undefined || (record.think !== false));
    const numCtx = typeof record.options?.["num_ctx"] === "number" ? record.options["num_ctx"] : DEFAULT_NUM_CTX;
    // The training context caps num_ctx (llm/server.go v0.12 "requested context size too large for model";
    // server/sched.go effectiveContext on the llama-server engine).
    const window = Math.min(numCtx, model.contextLength);
    const flags = profile.flags;
    const truncate = !(flags && record.truncate === false);
    const requestShift = flags && typeof record.shift === "boolean" ? record.shift : undefined;
    const shift = contextShift(requestShift, model.family);
    const stream = record.stream !== false;
    const started = process.hrtime.bigint();
    record.window = window;

    // Load (or reload when num_ctx changes, or shift on the llama-server engine where it is a
    // launch flag: server/sched.go needsReload compares runner.contextShift), as Ollama's
    // scheduler does; a reload drops the cache.
    let loadNs = 1_000_000n;
    const shiftAtLoad = profile.engine === "llama-server";
    if (!loadedModel || loadedModel.model !== model.name || loadedModel.numCtx !== numCtx || (shiftAtLoad && loadedModel.shift !== shift)) {
      record.loaded = true;
      lastPrompt.delete(model.name);
      for (const slot of cacheSlots) slot.pieces = [];
      const loadStart = process.hrtime.bigint();
      await sleep(options.loadDelayMs ?? 0);
      loadNs = process.hrtime.bigint() - loadStart + 1_000_000n;
    }
    const unload = record.keepAlive === 0 || record.keepAlive === "0" || record.keepAlive === "0s";
    loadedModel = unload ? undefined : { model: model.name, numCtx, window, shift, expiresAt: new Date(Date.now() + 5 * 60_000) };

    const isLoad = chat ? (record.messages ?? []).length === 0 : (record.prompt ?? "") === "";
    if (isLoad) {
      record.outcome = "done";
      // routes.go ChatHandler: no messages answers done_reason "load", or "unload" with keep_alive 0.
      return sendJson(res, record, 200, wireFinal(model.name, endpoint, unload ? "unload" : "load", { loadNs: Number(loadNs) }), stream ? "application/x-ndjson" : "application/json");
    }

    const reply = takeReply(record);
    if (reply.fault?.kind === "http-error") {
      record.outcome = "http-error";
      return sendJson(res, record, reply.fault.status, { error: reply.fault.message });
    }

    // Prompt accounting: count, then refuse or truncate as the profile's server does, then
    // compare with the previous prompt for the prefix cache.
    const ratio = options.tokenRatio ?? 1;
    const count = (text: string) => Math.round(preTokenize(text).length * ratio);
    const messages = (record.messages ?? []).map((m) => ({ role: m.role, content: m.content }));
    const fullText = chat ? renderChatML(messages) : record.prompt ?? "";
    const promptTokens = count(fullText);
    record.promptTokens = promptTokens;
    let sentText = fullText;
    let evaluated = promptTokens;
    if (!truncate && promptTokens > limitFor(window)) {
      record.refused = true;
      record.outcome = "http-error";
      return sendJson(res, record, 400, { error: overflowMessage(profile, promptTokens, window) });
    }
    if (truncate && promptTokens > window) {
      // server/prompt.go chatPrompt: drop whole old messages (keeping system ones and the last)
      // until the rendered prompt fits num_ctx.
      if (chat) {
        const system = messages.filter((m) => m.role === "system");
        for (let i = 0; i < messages.length; i++) {
          const kept = [...system.filter((m) => !messages.slice(i).includes(m)), ...messages.slice(i)];
          sentText = renderChatML(kept);
          if (count(sentText) <= window || i === messages.length - 1) break;
        }
        evaluated = count(sentText);
      }
      if (evaluated > limitFor(window)) {
        if (profile.shiftOffRefuses && !shift) {
          record.refused = true;
          record.outcome = "http-error";
          return sendJson(res, record, 400, { error: SHIFT_OFF_REFUSAL });
        }
        evaluated = truncatedLength(profile, window);
      }
      record.truncated = true;
    }
    const pieces = preTokenize(sentText);
    const slot = cacheSlots.length > 0 ? await takeSlot(record, pieces) : undefined;
    let cached = record.truncated ? 0 : Math.round(sharedPrefix(slot ? slot.pieces : (lastPrompt.get(model.name) ?? []), pieces) * ratio);
    cached = Math.min(cached, evaluated);
    if (record.truncated) {
      lastPrompt.delete(model.name);
      if (slot) slot.pieces = [];
    } else {
      lastPrompt.set(model.name, pieces);
      if (slot) slot.pieces = pieces;
    }
    record.evaluatedTokens = evaluated;
    record.cachedTokens = cached;
    const reportedPromptCount = profile.promptEvalCount === "uncached" ? Math.max(evaluated - cached, 0) : evaluated;

    const promptEvalStart = process.hrtime.bigint();
    const firstDelay =
      reply.firstChunkDelayMs ??
      (options.promptTokensPerSecond ? ((evaluated - cached) / options.promptTokensPerSecond) * 1000 : 0);
    const gone = clientGone(res, record);
    await sleep(firstDelay, gone.signal);
    const promptEvalNs = process.hrtime.bigint() - promptEvalStart + 1000n;

    const thoughts = thinking ? deltas(reply.thinking) : [];
    let content = deltas(reply.content ?? "ok");
    const numPredict = typeof record.options?.["num_predict"] === "number" ? record.options["num_predict"] : -1;
    let doneReason = reply.doneReason ?? "stop";
    // Generation stops at num_predict (done_reason "length"); with context shift off it also
    // stops when the window is full (runner.go: removeSequence(DoneReasonLength); llama.cpp:
    // STOP_TYPE_LIMIT). With shift on, the front of the context is shifted out silently.
    const room = shift ? Infinity : Math.max(window - evaluated, 0);
    const budget = Math.min(numPredict > 0 ? numPredict : Infinity, room);
    const thoughtsKept = thoughts.slice(0, Number.isFinite(budget) ? budget : undefined);
    if (thoughts.length + content.length > budget) {
      content = content.slice(0, Math.max(budget - thoughtsKept.length, 0));
      doneReason = "length";
    }
    const chunkDelay = deltaDelayMs(reply, options.tokensPerSecond);
    const fault = reply.fault;
    // Ollama's KV cache holds the generated tokens too: a follow-up that repeats this reply as
    // an assistant turn reuses it. (Not for a reply cut by a fault: the cache after a crash is cold.)
    if (!record.truncated && !fault && chat) {
      lastPrompt.set(model.name, preTokenize(sentText + content.join("")));
      if (slot) slot.pieces = preTokenize(sentText + content.join(""));
    }
    const metricsAt = (evalNs: bigint, evalCount: number): WireMetrics => ({
      totalNs: Number(process.hrtime.bigint() - started),
      loadNs: Number(loadNs),
      promptEvalCount: reportedPromptCount,
      promptEvalNs: Number(promptEvalNs),
      evalCount,
      evalNs: Number(evalNs),
      ...(profile.cachedCount ? { promptEvalCachedCount: cached } : {}),
    });

    if (!stream) {
      await sleep(chunkDelay * (thoughtsKept.length + content.length), gone.signal);
      record.outcome = "done";
      const final = wireFinal(model.name, endpoint, doneReason, metricsAt(1000n, thoughtsKept.length + content.length), { content: content.join(""), thinking: thoughtsKept.join("") });
      return sendJson(res, record, 200, final);
    }

    const evalStart = process.hrtime.bigint();
    const all: Array<["thinking" | "content", string]> = [
      ...thoughtsKept.map((t): ["thinking", string] => ["thinking", t]),
      ...content.map((t): ["content", string] => ["content", t]),
    ];
    const writeLine = (value: object | string) => {
      if (!res.headersSent) res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write(typeof value === "string" ? value : ndjson(value));
    };
    const sent = await streamDeltas(all, {
      delayMs: chunkDelay,
      gone: gone.signal,
      write: ([kind, text]) => writeLine(chat ? wireChatDelta(model.name, kind, text) : wireGenerateDelta(model.name, kind, text)),
      ...(fault ? { fault: { at: fault.afterChunks, apply: () => applyFault(fault, res, record, writeLine) } } : {}),
    });
    if (sent === undefined) return;
    writeLine(wireFinal(model.name, endpoint, doneReason, metricsAt(process.hrtime.bigint() - evalStart + 1000n, sent)));
    record.status = 200;
    record.outcome = "done";
    res.end();
  }

  /** A cache slot for a prompt: the free one sharing its longest prefix (least recently used on a tie), once one is free. */
  async function takeSlot(record: RecordedRequest, pieces: readonly string[]) {
    for (;;) {
      let best: (typeof cacheSlots)[number] | undefined;
      let bestShared = -1;
      for (const slot of cacheSlots) {
        if (slot.inUse) continue;
        const shared = sharedPrefix(slot.pieces, pieces);
        if (shared > bestShared || (shared === bestShared && best !== undefined && slot.lastUsed < best.lastUsed)) {
          best = slot;
          bestShared = shared;
        }
      }
      if (best) {
        best.inUse = true;
        best.lastUsed = Date.now();
        heldSlots.set(record, best);
        return best;
      }
      await new Promise<void>((resolve) => slotWaiters.push(resolve));
    }
  }

  function releaseSlot(record: RecordedRequest): void {
    const slot = heldSlots.get(record);
    if (!slot) return;
    heldSlots.delete(record);
    slot.inUse = false;
    slotWaiters.shift()?.();
  }

  /**
   * The most prompt tokens the runner admits. Runners: num_ctx (runner.go NewSequence
   * `len(inputs) > numCtx`). llama-server: one less (llama_server.go
   * completionPromptForRequest `fullPromptLimit := NumCtx - 1`; llama.cpp refuses
   * `n_tokens >= n_ctx`).
   */
  function limitFor(window: number): number {
    return profile.engine === "runner" ? window : window - 1;
  }

  /** Applies a mid-stream fault; true when the response is over. */
  async function applyFault(
    fault: Exclude<FakeFault, { kind: "http-error" }>,
    res: ServerResponse,
    record: RecordedRequest,
    writeLine: (value: object | string) => void,
  ): Promise<boolean> {
    record.status = 200;
    switch (fault.kind) {
      case "error-line":
        // routes.go streamResponse: an error after the first chunk is an {"error": …} line.
        writeLine({ error: fault.message });
        record.outcome = "error-line";
        res.end();
        return true;
      case "invalid-line":
        writeLine(fault.line.endsWith("\n") ? fault.line : `${fault.line}\n`);
        return false;
      default:
        await cutStream(fault, res, record, "application/x-ndjson");
        return true;
    }
  }

  function takeReply(record: RecordedRequest): ReplyScript {
    const index = queue.findIndex((r) => r.model === undefined || withLatest(r.model) === withLatest(record.model ?? ""));
    if (index >= 0) return queue.splice(index, 1)[0]!;
    const fallback = options.defaultReply ?? { content: "ok" };
    return typeof fallback === "function" ? fallback(record) : fallback;
  }

  function sendJson(res: ServerResponse, record: RecordedRequest, status: number, value: object, contentType = JSON_TYPE): void {
    answer(res, record, status, contentType, contentType.includes("ndjson") ? ndjson(value) : JSON.stringify(value));
  }

  return {
    url: http.url,
    port: http.port,
    requests,
    profile,
    script: (...replies) => void queue.push(...replies),
    promptRequests: () => requests.filter((r) => (r.path === "/api/chat" && (r.messages ?? []).length > 0) || (r.path === "/api/generate" && (r.prompt ?? "") !== "")),
    waitForRequests: async (count, path = "/api/chat") => {
      for (;;) {
        const matching = requests.filter((r) => r.path === path);
        if (matching.length >= count) return matching;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    loaded: () => (loadedModel ? { model: loadedModel.model, numCtx: loadedModel.numCtx, window: loadedModel.window } : undefined),
    close: http.close,
  };
}

function withDefaults(model: FakeModel): Model {
  const family = model.family ?? "qwen2";
  return {
    name: model.name,
    family,
    architecture: model.architecture ?? family,
    parameterSize: model.parameterSize ?? "14.8B",
    quantization: model.quantization ?? "Q4_K_M",
    contextLength: model.contextLength ?? 32768,
    capabilities: model.capabilities ?? ["completion", "tools", "insert"],
    sizeBytes: model.sizeBytes ?? 8_988_124_069,
    digest: model.digest ?? createHash("sha256").update(model.name).digest("hex"),
    remote: model.remote ?? false,
    tokenizer: model.tokenizer ?? { model: "gpt2", pre: "qwen2" },
  };
}

function wire(model: Model): WireModel {
  return {
    name: model.name,
    digest: model.digest,
    sizeBytes: model.sizeBytes,
    modifiedAt: "2025-06-01T10:00:00.000000000Z",
    details: { family: model.family, parameterSize: model.parameterSize, quantization: model.quantization },
  };
}

function withLatest(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1).includes(":") ? name : `${name}:latest`;
}
