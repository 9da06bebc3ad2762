// `specwright traces` run as a process over traces recorded by real calls to the fake Ollama.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { taskAttemptPath } from "../../src/traces/layout.js";
import { TraceRun } from "../../src/traces/trace-run.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { openRun, user } from "../models/helpers.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let runId: string;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeFile(join(dir, "specwright.toml"), "[project]\nname = \"t\"\n");
  fake = await startFakeOllama();
  const { run: trace } = await TraceRun.open({ projectRoot: dir, command: "build", env: {}, keepRuns: 0, now: new Date("2026-11-21T10:03:12Z") });
  runId = trace.id;
  const { run } = await openRun(fake);
  fake.script({ content: "first try" }, { content: "second try" }, { content: '{"ok": true}' });
  await run.call({ caller: "T003", messages: user("implement T003"), recorder: trace.recorder(taskAttemptPath("T003", 1)) });
  await run.call({ caller: "T003", messages: user("fix T003"), recorder: trace.recorder(taskAttemptPath("T003", 2)) });
  await run.callStructured({ caller: "review", messages: user("review"), schema: { type: "object", properties: {} }, recorder: () => trace.nextCallRecorder("review") });
  // A call interrupted by a crash: started and streamed, never finished.
  const crashed = trace.recorder(taskAttemptPath("T004", 1));
  await crashed.started({
    callId: "T004#9",
    caller: "T004",
    model: run.model,
    host: fake.url,
    messages: user("implement T004"),
    options: { numCtx: 4096, numPredict: 512, temperature: 0.2, keepAlive: "30m", think: false },
    estimatedPromptTokens: 12,
    startedAt: new Date().toISOString(),
  });
  crashed.delta("content", "def half");
  await trace.finish({ tasks: 2 }, new Date("2026-11-21T10:04:00Z"));
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

describe("specwright traces", () => {
  it("lists runs with their call counts", async () => {
    const r = await runCli(["traces"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    // 4 calls: none failed, T004's never finished; 10:03:12 → 10:04:00.
    expect(r.stdout).toMatch(/^ {2}2026-11-21T10-03-12Z-build +build +4 +0 +1 +48\.0s$/m);
  });

  it("lists a run's calls, by id prefix or 'last'", async () => {
    for (const arg of ["2026-11-21T10", "last"]) {
      const r = await runCli(["traces", arg], { cwd: dir });
      expect(r.exitCode).toBe(0);
      const paths = r.stdout.split("\n").slice(2).map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
      expect(paths).toEqual(["tasks/T003/attempt-1", "tasks/T003/attempt-2", "tasks/T004/attempt-1", "calls/review-1"]);
      expect(r.stdout).toMatch(/tasks\/T004\/attempt-1 +in-progress/);
    }
  });

  it("prints one attempt's prompt and reply, by task and attempt or by path", async () => {
    const byPath = await runCli(["traces", "last", "tasks/T003/attempt-1"], { cwd: dir });
    expect(byPath.stdout).toContain("──── response.md ────\nfirst try");
    const r = await runCli(["traces", "last", "T003", "2"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`${runId}/tasks/T003/attempt-2`);
    expect(r.stdout).toContain("outcome   ok");
    expect(r.stdout).toContain("## [1] user\n\nfix T003");
    expect(r.stdout).toContain("──── response.md ────\nsecond try");
  });

  it("prints a call by name, and a crashed call's partial reply with a notice", async () => {
    const review = await runCli(["traces", "last", "review-1"], { cwd: dir });
    expect(review.stdout).toContain('──── response.md ────\n{"ok": true}');
    const crashed = await runCli(["traces", "last", "T004"], { cwd: dir });
    expect(crashed.exitCode).toBe(0);
    expect(crashed.stdout).toContain("──── response.md ────\ndef half\n(the call never finished");
  });

  it("names what is missing and exits 1", async () => {
    const r = await runCli(["traces", "last", "T999"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`specwright: no task or call 'T999' in run ${runId} — hint: \`specwright traces ${runId}\` lists its calls\n`);
    const attempt = await runCli(["traces", "last", "T003", "7"], { cwd: dir });
    expect(attempt.stderr).toContain("task T003 has no attempt 7");
    const outside = await runCli(["traces", "last", "../../.."], { cwd: dir });
    expect([outside.exitCode, outside.stdout]).toEqual([1, ""]);
  });
});
