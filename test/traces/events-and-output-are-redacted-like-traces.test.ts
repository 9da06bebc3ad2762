// Events that leave the process (the TUI, `--json` on stdout, CI logs) are
// redacted the way trace files are, including secrets split across two
// deltas and secrets straddling the verify output's "bytes elided" cut.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelEvent } from "../../models/events.js";
import { runVerifyCommand } from "../../src/build/verify-runner.js";
import { Redactor, redactValue, secretsFromEnv } from "../../src/traces/redact.js";
import { redactModelEvents } from "../../src/traces/redact-model-events.js";

const TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
const redactor = new Redactor(secretsFromEnv({ GITHUB_TOKEN: TOKEN }));

describe("model events", () => {
  it("redact a secret split across deltas, and release what was held back before the call ends", () => {
    const seen: ModelEvent[] = [];
    const listen = redactModelEvents(redactor, (e) => seen.push(e));
    const delta = (text: string): ModelEvent => ({ type: "delta", callId: "T001#1", caller: "T001", kind: "content", text });
    listen(delta(`token: ${TOKEN.slice(0, 12)}`));
    listen(delta(`${TOKEN.slice(12)} and then gh`));
    listen({ type: "call-finished", callId: "T001#1", caller: "T001", doneReason: "stop", metrics: { estimatedPromptTokens: 1, wallMs: 1 } });
    const text = seen.filter((e) => e.type === "delta").map((e) => (e as { text: string }).text).join("");
    expect(text).toBe("token: [redacted $GITHUB_TOKEN] and then gh");
    expect(seen.at(-1)?.type).toBe("call-finished");
    expect(JSON.stringify(seen)).not.toContain(TOKEN.slice(0, 8));
  });

  it("redact every string of any other event, keeping its shape", () => {
    const seen: ModelEvent[] = [];
    redactModelEvents(redactor, (e) => seen.push(e))({ type: "call-failed", callId: "c", caller: "plan", error: { kind: "http", status: 401, message: `bad token ${TOKEN}`, hint: "h" } as never });
    expect(seen).toEqual([{ type: "call-failed", callId: "c", caller: "plan", error: { kind: "http", status: 401, message: "bad token [redacted $GITHUB_TOKEN]", hint: "h" } }]);
    expect(redactValue(redactor, { a: [TOKEN, 1, null, { b: TOKEN }] })).toEqual({ a: ["[redacted $GITHUB_TOKEN]", 1, null, { b: "[redacted $GITHUB_TOKEN]" }] });
  });
});

describe("verify output", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "specwright-verify-redact-"));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("never keeps the first characters of a secret that straddles the head cut", async () => {
    // A 200-byte cap keeps a 100-byte head: the token starts 10 bytes before the cut.
    const chunks: string[] = [];
    const r = await runVerifyCommand(`printf '%090d' 0; printf '%s' "$GITHUB_TOKEN"; printf '%0400d\\n' 0`, {
      cwd: dir, timeoutMs: 10_000, maxOutputBytes: 200, env: { GITHUB_TOKEN: TOKEN }, redactor,
      onOutput: (chunk) => chunks.push(chunk),
    });
    expect(r.truncatedBytes).toBeGreaterThan(0);
    expect(r.output).toMatch(/bytes of output elided/);
    for (let n = 4; n <= TOKEN.length; n++) expect(r.output).not.toContain(TOKEN.slice(0, n));
    expect(chunks.join("")).toContain("[redacted $GITHUB_TOKEN]");
    expect(chunks.join("")).not.toContain(TOKEN.slice(0, 4));
  });

  it("is left as it is without a redactor (nothing is guessed)", async () => {
    const r = await runVerifyCommand(`printf '%s' "$GITHUB_TOKEN"`, { cwd: dir, timeoutMs: 10_000, env: { GITHUB_TOKEN: TOKEN } });
    expect(r.output).toBe(TOKEN);
  });
});
