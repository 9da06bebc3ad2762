// Trace files written while real calls stream from the fake Ollama.

import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { taskAttemptPath } from "../../src/traces/layout.js";
import { listCalls, readCall } from "../../src/traces/read-traces.js";
import { TraceRun } from "../../src/traces/trace-run.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { openRun, user, within } from "../models/helpers.js";

let root: string;
let fake: FakeOllama;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "specwright-traces-"));
  fake = await startFakeOllama();
});
afterEach(async () => {
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("a call's trace", () => {
  it("holds the exact messages, the streamed reply and meta with model, digest, options and metrics", async () => {
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0 });
    const { run } = await openRun(fake);
    fake.script({ content: ["src/a.py\n", "```python\n", "x = 1\n", "```\n"] });
    const messages = [
      { role: "system" as const, content: "You write whole files." },
      { role: "user" as const, content: "## Task\n\nWrite src/a.py" },
    ];
    const result = await run.call({ caller: "T003", messages, recorder: trace.recorder(taskAttemptPath("T003", 1)) });
    expect(result.ok).toBe(true);

    const call = await readCall(root, trace.id, "tasks/T003/attempt-1");
    expect(call?.response).toBe("src/a.py\n```python\nx = 1\n```\n");
    expect(call?.prompt).toContain("## [1] system\n\nYou write whole files.\n\n## [2] user\n\n## Task\n\nWrite src/a.py\n");
    expect(call?.meta).toMatchObject({
      callId: "T003#1",
      caller: "T003",
      model: "qwen2.5-coder:14b",
      digest: run.facts.digest,
      messageCount: 2,
      outcome: "ok",
      doneReason: "stop",
      options: { numCtx: run.numCtx, numPredict: 512, temperature: 0.2, seed: 42, keepAlive: "30m", think: false },
    });
    expect(call?.meta?.metrics?.evalCount).toBe(4);
    expect(call?.meta?.metrics?.promptEvalCount).toBe(fake.promptRequests()[0]!.evaluatedTokens);
  });

  it("is readable while the call streams, and after an abort keeps the partial reply and says so", async () => {
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0 });
    const { run } = await openRun(fake, { stallTimeoutMs: 60_000 });
    fake.script({ content: ["def ", "count", "(text):", " ..."], fault: { kind: "hang", afterChunks: 2 } });
    const controller = new AbortController();
    const pending = run.call({ caller: "T004", messages: user("write count"), signal: controller.signal, recorder: trace.recorder(taskAttemptPath("T004", 1)) });
    await fake.waitForRequests(1);
    // Mid-call, as after a crash: the prompt is on disk, the reply so far too, meta says in progress.
    let during = await readCall(root, trace.id, "tasks/T004/attempt-1");
    for (let i = 0; i < 100 && during?.response !== "def count"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      during = await readCall(root, trace.id, "tasks/T004/attempt-1");
    }
    expect(during?.prompt).toContain("write count");
    expect(during?.response).toBe("def count");
    expect(during?.meta?.outcome).toBe("in-progress");

    controller.abort();
    const result = await within(1000, pending);
    expect(result.ok ? undefined : result.error.kind).toBe("aborted");
    const after = await readCall(root, trace.id, "tasks/T004/attempt-1");
    expect(after?.response).toBe("def count");
    expect(after?.meta).toMatchObject({ outcome: "failed", error: { kind: "aborted" } });
  });

  it("a structured call's re-ask is a call of its own", async () => {
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "audit", env: {}, keepRuns: 0 });
    const { run } = await openRun(fake);
    fake.script({ content: "not json" }, { content: "[]" });
    const result = await run.callStructured({
      caller: "audit",
      messages: user("audit"),
      schema: { type: "array", items: { type: "string" } },
      recorder: () => trace.nextCallRecorder("audit"),
    });
    expect(result.ok).toBe(true);
    const calls = await listCalls(root, trace.id);
    expect(calls.map((c) => [c.path, c.meta?.outcome])).toEqual([
      ["calls/audit-1", "ok"],
      ["calls/audit-2", "ok"],
    ]);
    const second = await readCall(root, trace.id, "calls/audit-2");
    expect(second?.prompt).toContain("## [2] assistant\n\nnot json");
    expect(second?.prompt).toContain("## format (JSON schema)");
  });
});

describe("secrets never reach a trace file", () => {
  it("redacts env secrets from prompt, streamed reply (split across deltas), meta and run.json", async () => {
    const secret = "ghp_9f8e7d6c5b4a3210";
    const env = { GITHUB_TOKEN: secret, HOME: "/home/someone" };
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "build", env, keepRuns: 0, info: { note: `token ${secret}` } });
    const { run } = await openRun(fake);
    fake.script({ content: ["use ", "ghp_9f8e", "7d6c5b4a", "3210 ", "here"] });
    const result = await run.call({ caller: secret, messages: user(`the token is ${secret}`), recorder: trace.recorder("calls/secret-1") });
    expect(result.ok).toBe(true);
    const files = await filesUnder(trace.dir);
    expect(files.map((f) => f.slice(trace.dir.length + 1)).sort()).toEqual(["calls/secret-1/meta.json", "calls/secret-1/prompt.md", "calls/secret-1/response.md", "run.json"]);
    for (const file of files) expect(await readFile(file, "utf8")).not.toContain(secret);
    expect(await readFile(join(trace.dir, "calls/secret-1/response.md"), "utf8")).toBe("use [redacted $GITHUB_TOKEN] here");
    expect(await readFile(join(trace.dir, "calls/secret-1/prompt.md"), "utf8")).toContain("the token is [redacted $GITHUB_TOKEN]");
  });
});
