// The scripted demo server: a small HTTP server on 127.0.0.1 that answers the
// part of Ollama's API specwright uses, with the prepared replies of
// wordfreq-replies.ts. It lets a machine without Ollama run the whole
// pipeline on the example. It is honest about what it is: it lists one model,
// "specwright-demo:scripted", whose details say "scripted demo", and it
// refuses (HTTP 400 with a sentence) any prompt it has no reply for.
//
// Replies stream one pre-token per NDJSON chunk at a steady pace (200 tokens/s
// by default) so the UI shows streaming as it would with a model; the final
// chunk carries done_reason and the metrics the model layer records. The
// payloads come from models/ollama-wire.ts, the builders the test suite's fake
// Ollama uses too.

import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ndjson, renderChatML, wireChatDelta, wireFinal, wirePsEntry, wireShow, wireTagEntry, type WireModel } from "../../models/ollama-wire.js";
import { estimateTokens, preTokenize } from "../../models/token-estimate.js";
import { SCRIPTED_DEMO_MODEL } from "./scripted-demo-label.js";
import { preparedReply, type DemoMessage } from "./wordfreq-replies.js";

export const DEMO_TOKENS_PER_SECOND = 200;
/** What /api/show reports as the context length: ample for the example's prompts. */
const DEMO_CONTEXT_LENGTH = 32768;
const DIGEST = createHash("sha256").update(`${SCRIPTED_DEMO_MODEL} wordfreq replies v1`).digest("hex");
/** Ollama's own version string here says what answers instead. */
const VERSION = "0.0.0-specwright-scripted-demo";
const DEMO_MODEL: WireModel = {
  name: SCRIPTED_DEMO_MODEL,
  digest: DIGEST,
  sizeBytes: 0,
  modifiedAt: new Date(0).toISOString(),
  details: { family: "scripted-demo", parameterSize: "none", quantization: "none", format: "scripted" },
};

export interface ScriptedDemoServerOptions {
  /** Streaming pace; 0 sends every chunk at once. */
  tokensPerSecond?: number;
  /** Told about each answered or refused prompt (the demo command logs nothing by default). */
  onReply?: (what: string, ok: boolean) => void;
}

export interface ScriptedDemoServer {
  /** Base URL for OLLAMA_HOST, e.g. http://127.0.0.1:53123. */
  url: string;
  close(): Promise<void>;
}

export async function startScriptedDemoServer(options: ScriptedDemoServerOptions = {}): Promise<ScriptedDemoServer> {
  const pace = options.tokensPerSecond ?? DEMO_TOKENS_PER_SECOND;
  const sockets = new Set<Socket>();
  let loaded: { numCtx: number; expiresAt: Date } | undefined;

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the demo itself: answer with it rather than leave the client hanging.
      if (!res.headersSent) sendJson(res, 500, { error: `scripted demo failed: ${error instanceof Error ? error.message : String(error)}` });
      else res.end();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    const body = req.method === "POST" ? await readJson(req) : undefined;
    switch (`${req.method} ${path}`) {
      case "GET /":
      case "HEAD /":
        res.writeHead(200, { "content-type": "text/plain" });
        return void res.end("specwright scripted demo (not a model) is running");
      case "GET /api/version":
        return sendJson(res, 200, { version: VERSION });
      case "GET /api/tags":
        return sendJson(res, 200, { models: [wireTagEntry(DEMO_MODEL)] });
      case "GET /api/ps":
        return sendJson(res, 200, { models: loaded && loaded.expiresAt > new Date() ? [wirePsEntry(DEMO_MODEL, { expiresAt: loaded.expiresAt, contextLength: loaded.numCtx, sizeVram: 0 })] : [] });
      case "POST /api/show":
        if (!isDemoModel(field(body, "model") ?? field(body, "name"))) return modelNotFound(res, field(body, "model"));
        return sendJson(res, 200, wireShow(DEMO_MODEL, {
          modelInfo: { "general.architecture": "scripted-demo", "scripted-demo.context_length": DEMO_CONTEXT_LENGTH },
          capabilities: ["completion"],
          template: "",
          modelfile: "# specwright scripted demo: prepared replies for examples/wordfreq, not a model\n",
        }));
      case "POST /api/chat":
        return chat(res, body);
      default:
        return sendJson(res, 404, { error: `the scripted demo does not serve ${req.method} ${path}` });
    }
  }

  async function chat(res: ServerResponse, body: unknown): Promise<void> {
    const model = field(body, "model");
    if (!isDemoModel(model)) return modelNotFound(res, model);
    const messages = messagesOf(body);
    if (messages === undefined) return sendJson(res, 400, { error: "messages must be a list of {role, content}" });
    const stream = !(isRecord(body) && body["stream"] === false);
    const opts = isRecord(body) && isRecord(body["options"]) ? body["options"] : {};
    const numCtx = typeof opts["num_ctx"] === "number" ? opts["num_ctx"] : 2048;
    const started = process.hrtime.bigint();
    loaded = { numCtx, expiresAt: new Date(Date.now() + 30 * 60_000) };

    // Ollama's load request: no messages, answered with done_reason "load".
    if (messages.length === 0) return sendJson(res, 200, wireFinal(SCRIPTED_DEMO_MODEL, "chat", "load", { loadNs: 1_000_000 }), stream);

    const reply = preparedReply(messages);
    options.onReply?.(reply.ok ? reply.what : reply.message, reply.ok);
    if (!reply.ok) return sendJson(res, 400, { error: reply.message });

    let pieces = preTokenize(reply.content);
    let doneReason = "stop";
    const numPredict = typeof opts["num_predict"] === "number" ? opts["num_predict"] : -1;
    if (numPredict > 0 && pieces.length > numPredict) {
      pieces = pieces.slice(0, numPredict);
      doneReason = "length";
    }
    // The prompt count the model layer checks against its estimate: the same
    // estimator over a ChatML rendering, so no truncation is ever suspected.
    const promptEvalCount = estimateTokens(renderChatML(messages));
    const metrics = (evalNs: bigint) => ({
      totalNs: Number(process.hrtime.bigint() - started),
      loadNs: 1_000_000,
      promptEvalCount,
      promptEvalNs: 1_000_000,
      evalCount: pieces.length,
      evalNs: Number(evalNs),
    });

    if (!stream) {
      await sleep(pace > 0 ? (pieces.length / pace) * 1000 : 0);
      return sendJson(res, 200, wireFinal(SCRIPTED_DEMO_MODEL, "chat", doneReason, metrics(process.hrtime.bigint() - started), { content: pieces.join("") }));
    }

    let gone = false;
    res.on("close", () => {
      if (!res.writableFinished) gone = true;
    });
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    const evalStart = Date.now();
    const evalStartNs = process.hrtime.bigint();
    for (let i = 0; i < pieces.length; i++) {
      if (gone) return;
      // Keep to the schedule rather than sleeping a fixed interval: timers run late, the pace should not drift.
      if (pace > 0) await sleep(evalStart + (i * 1000) / pace - Date.now());
      if (gone) return;
      res.write(ndjson(wireChatDelta(SCRIPTED_DEMO_MODEL, "content", pieces[i]!)));
    }
    res.end(ndjson(wireFinal(SCRIPTED_DEMO_MODEL, "chat", doneReason, metrics(process.hrtime.bigint() - evalStartNs))));
  }

  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isDemoModel(name: string | undefined): boolean {
  return name === SCRIPTED_DEMO_MODEL;
}

function modelNotFound(res: ServerResponse, name: string | undefined): void {
  sendJson(res, 404, { error: `model "${name ?? ""}" not found: the scripted demo serves only "${SCRIPTED_DEMO_MODEL}"` });
}

function sendJson(res: ServerResponse, status: number, value: object, asNdjson = false): void {
  res.writeHead(status, { "content-type": asNdjson ? "application/x-ndjson" : "application/json; charset=utf-8" });
  res.end(asNdjson ? ndjson(value) : JSON.stringify(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(value: unknown, name: string): string | undefined {
  return isRecord(value) && typeof value[name] === "string" ? value[name] : undefined;
}

function messagesOf(body: unknown): DemoMessage[] | undefined {
  if (!isRecord(body)) return undefined;
  const list = body["messages"] ?? [];
  if (!Array.isArray(list)) return undefined;
  const out: DemoMessage[] = [];
  for (const m of list) {
    if (!isRecord(m) || typeof m["role"] !== "string" || typeof m["content"] !== "string") return undefined;
    out.push({ role: m["role"], content: m["content"] });
  }
  return out;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
