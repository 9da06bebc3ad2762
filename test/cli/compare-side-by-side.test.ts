// `specwright compare` side by side: two fake Ollamas (real HTTP), each with
// one scripted model, listed as [[model.endpoints]] with `models = [...]`.
// Each model's requests go only to its own endpoint (the fakes' request logs),
// the two runs overlap in time (request timestamps), the table and
// result.json are complete; and on one endpoint the runs do not overlap.
// Either way, every progress line on stderr fits 80 columns (stderr is a pipe).

import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama, type RecordedRequest, type ReplyScript } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, builtCalcProject, taskOf } from "../helpers/calc-build.js";
import { addEndpoints, progressOf, unwrapped } from "../helpers/compare-project.js";

const A = "coder-a:7b";
const B = "coder-b:7b";
const REPLIES: Record<string, string> = { T001: ARITH, T002: TEST_RIGHT, T003: CLI };
const reply = (r: RecordedRequest): ReplyScript => ({ content: REPLIES[taskOf(r) ?? ""] ?? "no reply" });
// Paced deltas, so each run lasts long enough for an overlap to be seen (fake-ollama tokensPerSecond).
const TOKENS_PER_SECOND = 200;

const built = builtCalcProject();
let dir: string;
let cleanup: () => Promise<void>;
const fakes: FakeOllama[] = [];
beforeEach(async () => ({ dir, cleanup } = await tempDir("specwright-side-by-side-")));
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await cleanup();
});
afterAll(() => built.cleanup());

const builds = (f: FakeOllama) => f.promptRequests().filter((r) => taskOf(r) !== undefined);
const span = (rs: RecordedRequest[]) => [Math.min(...rs.map((r) => r.receivedAt)), Math.max(...rs.map((r) => r.receivedAt))] as const;

describe("specwright compare on several endpoints", () => {
  it("runs each model on its own endpoint, at the same time", async () => {
    await built.copyTo(dir);
    const a = await startFakeOllama({ models: [{ name: A, sizeBytes: 4e9 }], defaultReply: reply, tokensPerSecond: TOKENS_PER_SECOND });
    const b = await startFakeOllama({ models: [{ name: B, sizeBytes: 4e9 }], defaultReply: reply, tokensPerSecond: TOKENS_PER_SECOND });
    fakes.push(a, b);
    await addEndpoints(dir, [{ url: a.url, models: [A] }, { url: b.url, models: [B] }]);
    const r = await runCli(["compare", "--models", `${A},${B}`, "--id", "ab"], { cwd: dir, env: { SPECWRIGHT_BUILD_REVIEW: "off" } });
    expect(r.exitCode, r.stderr).toBe(0);
    // The placement names every lane: wrapped at 80 columns, so read with its line breaks undone.
    const progress = progressOf(r.stderr);
    expect(unwrapped(progress.join("\n"))).toContain(`side by side: ${A} on ${a.url}, ${B} on ${b.url}`);
    for (const line of progress) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(Math.max(...progress.map((l) => l.length))).toBeGreaterThan(60);
    // The table's header names the placement, wrapped to 80 columns.
    expect(r.stdout.replace(/\n\s+/g, " ")).toContain(`side by side: ${A} on ${a.url}, ${B} on ${b.url}`);
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    // Every prompt to A was for model A, every prompt to B for model B.
    expect(new Set(a.promptRequests().map((q) => q.model))).toEqual(new Set([A]));
    expect(new Set(b.promptRequests().map((q) => q.model))).toEqual(new Set([B]));
    expect(builds(a).map(taskOf)).toEqual(["T001", "T002", "T003"]);
    expect(builds(b).map(taskOf)).toEqual(["T001", "T002", "T003"]);
    // Overlap: each run's first request came before the other's last.
    const [a0, a1] = span(builds(a));
    const [b0, b1] = span(builds(b));
    expect(a0).toBeLessThan(b1);
    expect(b0).toBeLessThan(a1);
    // The table: both models, every task first try.
    for (const m of [A, B]) expect(r.stdout).toMatch(new RegExp(`${m.replace(/[.:]/g, "\\$&")}\\s+3\\s+0\\s+0\\s+3\\s`));
    const doc = JSON.parse(await readFile(join(dir, ".specwright/compare/ab/result.json"), "utf8")) as { sideBySide: unknown; models: { model: string; runs: { status: string; tasks: Record<string, { outcome: string }> }[] }[] };
    expect(doc.sideBySide).toEqual([
      { model: A, endpoints: [a.url] },
      { model: B, endpoints: [b.url] },
    ]);
    for (const m of doc.models) {
      expect(m.runs[0]!.status).toBe("done");
      expect(Object.fromEntries(Object.entries(m.runs[0]!.tasks).map(([k, t]) => [k, t.outcome]))).toEqual({ T001: "done", T002: "done", T003: "done" });
    }
  });

  it("runs them one after another on one endpoint", async () => {
    await built.copyTo(dir);
    const one = await startFakeOllama({ models: [{ name: A, sizeBytes: 4e9 }, { name: B, sizeBytes: 4e9 }], defaultReply: reply, tokensPerSecond: TOKENS_PER_SECOND });
    fakes.push(one);
    await addEndpoints(dir, [{ url: one.url }]);
    const r = await runCli(["compare", "--models", `${A},${B}`, "--id", "ab"], { cwd: dir, env: { SPECWRIGHT_BUILD_REVIEW: "off" } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("one after another");
    const progress = progressOf(r.stderr);
    expect(unwrapped(progress.join("\n"))).toContain(`to go, one after another on ${one.url}: each model is loaded in turn (a reload per model).`);
    for (const line of progress) expect(line.length, line).toBeLessThanOrEqual(80);
    const [, a1] = span(builds(one).filter((q) => q.model === A));
    const [b0] = span(builds(one).filter((q) => q.model === B));
    expect(a1).toBeLessThan(b0);
  });
});
