// An OpenAI-compatible server's API key travels in the Authorization header
// only: no trace file written for a call — prompt, reply, meta, errors — holds
// it, even when the environment redactor does not know it (env is empty here,
// so only the adapter's own care keeps it out).

import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openModelRun } from "../../models/model-run.js";
import { readCall } from "../../src/traces/read-traces.js";
import { TraceRun } from "../../src/traces/trace-run.js";
import { startFakeOpenAi, type FakeOpenAi } from "../fake-openai/server.js";
import { user } from "../models/helpers.js";

const KEY = "sk-local-7Hq2ZpX9vLw3";
let root: string;
let fake: FakeOpenAi;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "specwright-openai-traces-"));
});
afterEach(async () => {
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe.each(["llama-server", "vllm"] as const)("%s with an API key", (flavour) => {
  it("writes the serving URL and the session id to meta.json, and the key nowhere", async () => {
    fake = await startFakeOpenAi({ flavour, apiKey: KEY });
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0 });
    const opened = await openModelRun({
      kind: "openai", host: `${fake.url}/v1`, apiKey: KEY, model: "qwen2.5-coder-14b", think: false, temperature: 0, keepAlive: "5m",
      numCtx: "auto", largestPromptTokens: 500, outputBudget: 128, stallTimeoutMs: 5000,
    });
    if (!opened.ok) throw new Error(opened.error.message);
    fake.script({ content: "done" }, { fault: { kind: "http-error", status: 500, message: "worker died" } });
    const ok = await opened.value.call({ caller: "T001", messages: user("write it"), recorder: trace.recorder("tasks/T001/attempt-1"), sessionId: "run-9/T001" });
    expect(ok.ok).toBe(true);
    const failed = await opened.value.call({ caller: "T001", messages: user("again"), recorder: trace.recorder("tasks/T001/attempt-2"), sessionId: "run-9/T001" });
    expect(failed.ok).toBe(false);
    await trace.finish({ outcome: "done" });

    // The key did reach the server…
    expect(fake.chatRequests().every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    // …and no file of the trace.
    const files = await filesUnder(trace.dir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) expect(await readFile(file, "utf8"), file).not.toContain(KEY);
    const call = await readCall(root, trace.id, "tasks/T001/attempt-1");
    expect(call?.meta).toMatchObject({ host: fake.url, sessionId: "run-9/T001", outcome: "ok" });
    const second = await readCall(root, trace.id, "tasks/T001/attempt-2");
    expect(second?.meta).toMatchObject({ outcome: "failed", error: { kind: "server-error", status: 500 } });
  });
});
