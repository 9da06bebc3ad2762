// Streaming a scripted reply, as both fake model servers do: its text as
// deltas paced by a delay, a fault injected after so many deltas, a client
// that goes away mid-stream, and a server that dies mid-stream. The wire
// shape of a delta (NDJSON or SSE) is each fake's own.

import type { ServerResponse } from "node:http";
import { preTokenize } from "../../models/token-estimate.js";

/** What the scripted replies of both fakes say about their text and its pace. */
export interface PacedReply {
  /** Reply text. A string is streamed as one delta per pre-token piece; an array is streamed as given. */
  content?: string | string[];
  /** Delay before every delta in ms; overrides the server's `tokensPerSecond`. */
  chunkDelayMs?: number;
  /** Delay before the first chunk (prompt evaluation) in ms. */
  firstChunkDelayMs?: number;
}

/** The delay before each delta: the reply's own, else the server's pace, else none. */
export function deltaDelayMs(reply: PacedReply, tokensPerSecond: number | undefined): number {
  return reply.chunkDelayMs ?? (tokensPerSecond ? 1000 / tokensPerSecond : 0);
}

/** A string is streamed as one delta per pre-token piece; an array as given. */
export function deltas(text: string | string[] | undefined): string[] {
  if (text === undefined) return [];
  return typeof text === "string" ? preTokenize(text) : text;
}

/** How many leading pieces two prompts share (what a prefix cache reuses). */
export function sharedPrefix(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Aborts when the client closes the connection before the response is complete (and notes when, on the record). */
export function clientGone(res: ServerResponse, record: { clientClosedAt?: number; outcome?: string }): AbortController {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) {
      record.clientClosedAt = Date.now();
      if (record.outcome === undefined) record.outcome = "client-closed";
      controller.abort();
    }
  });
  return controller;
}

/** The faults both fakes play part-way through a stream, after `afterChunks` deltas. */
export type StreamCut =
  /** Destroy the socket (a crashed server). */
  | { kind: "drop-connection"; afterChunks: number }
  /** End the response cleanly without the final chunk (Ollama's `done`, OpenAI's finish_reason and [DONE]). */
  | { kind: "end-without-done"; afterChunks: number }
  /** Send nothing more and keep the connection open. */
  | { kind: "hang"; afterChunks: number };

/**
 * Plays a StreamCut; the response is over for the fake afterwards. A stream
 * with nothing written yet gets its 200 headers (`contentType`) first, except
 * when it hangs.
 */
export async function cutStream(cut: StreamCut, res: ServerResponse, record: { outcome?: string }, contentType: string): Promise<void> {
  if (cut.kind !== "hang" && !res.headersSent) res.writeHead(200, { "content-type": contentType });
  switch (cut.kind) {
    case "drop-connection":
      record.outcome = "dropped";
      res.flushHeaders();
      // Let the headers (and any chunks) reach the client before the cut.
      await sleep(5);
      res.socket?.destroy();
      return;
    case "end-without-done":
      record.outcome = "ended-without-done";
      res.end();
      return;
    case "hang":
      record.outcome = "hung";
      // Nothing more is written; the client's timeout or abort, or close(), ends it.
      return;
  }
}

/**
 * Writes `pieces` one at a time, `delayMs` before each, until the client goes
 * (`gone`). Before delta number `fault.at` (or at the end, when that is past
 * the last one) `fault.apply` runs; it says whether it ended the response.
 * Resolves to the count of deltas sent, or undefined when the response is
 * over (the client went, or the fault ended it).
 */
export async function streamDeltas<P>(
  pieces: readonly P[],
  how: { delayMs: number; gone: AbortSignal; write: (piece: P) => void; fault?: { at: number; apply: () => Promise<boolean> } },
): Promise<number | undefined> {
  const { fault, gone } = how;
  let sent = 0;
  for (const piece of pieces) {
    if (gone.aborted) return undefined;
    if (fault && fault.at === sent && (await fault.apply())) return undefined;
    await sleep(how.delayMs, gone);
    if (gone.aborted) return undefined;
    how.write(piece);
    sent += 1;
  }
  if (fault && fault.at >= sent && (await fault.apply())) return undefined;
  return sent;
}
