// The HTTP plumbing the fake model servers share (fake-ollama, fake-openai):
// a real server on 127.0.0.1 that closes with its open connections, a
// request's path and JSON body, and answers that note their status on the
// request's record. What each fake answers, and its citations, stay in its own
// server.ts.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface FakeHttpServer {
  /** Base URL, e.g. "http://127.0.0.1:43117". */
  url: string;
  port: number;
  /** Stops listening and destroys open connections (hung streams included). */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (`port` 0: a free one). A throw from `handle` is a bug
 * in the fake: it answers 500 with `bugBody(message)` so the test fails loudly
 * instead of hanging.
 */
export async function startFakeHttp(options: {
  port?: number | undefined;
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  bugBody: (message: string) => object;
}): Promise<FakeHttpServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void options.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(options.bugBody(String(error))));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A request as both fakes first read it: the path without the query, and the body parsed as JSON (or why it did not parse). */
export interface ReadRequest {
  path: string;
  /** Undefined when there was no body or it did not parse. */
  body: unknown;
  /** The JSON parser's message when a body was sent and did not parse. */
  bodyError?: string;
}

export async function readRequest(req: IncomingMessage): Promise<ReadRequest> {
  const raw = await readBody(req);
  const path = (req.url ?? "/").split("?")[0]!;
  if (raw.length === 0) return { path, body: undefined };
  try {
    return { path, body: JSON.parse(raw) as unknown };
  } catch (error) {
    return { path, body: undefined, bodyError: error instanceof Error ? error.message : String(error) };
  }
}

/** The fields of a JSON object body; {} for anything else. */
export function bodyFields(body: unknown): Record<string, unknown> {
  return (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
}

/** What every recorded request starts with, in the order the record files show it. */
export interface RecordedBasics {
  /** 1-based arrival order. */
  seq: number;
  method: string;
  path: string;
  body: unknown;
  receivedAt: number;
  /** The Authorization header, when the client sent one. */
  authorization?: string;
}

export function recordedBasics(req: IncomingMessage, seq: number, path: string, body: unknown): RecordedBasics {
  const basics: RecordedBasics = { seq, method: req.method ?? "GET", path, body, receivedAt: Date.now() };
  if (typeof req.headers.authorization === "string") basics.authorization = req.headers.authorization;
  return basics;
}

/** Answers with one complete body and notes the status on the request's record. */
export function answer(res: ServerResponse, record: { status?: number }, status: number, contentType: string, text: string): void {
  record.status = status;
  res.writeHead(status, { "content-type": contentType });
  res.end(text);
}

export const JSON_TYPE = "application/json; charset=utf-8";

export function answerJson(res: ServerResponse, record: { status?: number }, status: number, value: object): void {
  answer(res, record, status, JSON_TYPE, JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
