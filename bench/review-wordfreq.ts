// The implementation judge's cost on examples/wordfreq (issue 14): builds the
// example with build.review on and off, as a child process, against the fake
// Ollama pacing replies at 50 tokens/s and answering with the scripted demo's
// prepared replies (src/demo/wordfreq-replies.ts, whose judge quotes real
// lines). Prints, per review: its prompt tokens next to the task's first build
// prompt, the share of its prompt the fake served from the prefix cache; and
// the build's wall time with and without the judge (medians of BENCH_REPEATS).
// Run: npm run build && node dist/bench/review-wordfreq.js

import { spawn } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { preparedReply } from "../src/demo/wordfreq-replies.js";
import { exampleDir } from "../src/demo/example-project.js";
import { startFakeOllama, type RecordedRequest, type ReplyScript } from "../test/fake-ollama/server.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 3);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function cli(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; ms: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: join(cwd, ".none"), ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, ms: performance.now() - started, stderr }));
  });
}

const reply = (request: RecordedRequest): ReplyScript => {
  const r = preparedReply(request.messages ?? []);
  return r.ok ? { content: r.content } : { content: r.message };
};

async function once(review: boolean): Promise<{ ms: number; requests: RecordedRequest[] }> {
  const dir = await mkdtemp(join(tmpdir(), "sw-review-bench-"));
  try {
    await cp(exampleDir(), dir, { recursive: true });
    // Planning is not what is measured: an instant fake plans, then a paced one builds.
    const planner = await startFakeOllama({ defaultReply: reply, models: [{ name: "qwen2.5-coder:7b" }] });
    const planned = await cli(["plan"], dir, { OLLAMA_HOST: planner.url, SPECWRIGHT_BUILD_REVIEW: "off" });
    await planner.close();
    if (planned.code !== 0) throw new Error(`plan failed: ${planned.stderr}`);
    const fake = await startFakeOllama({ defaultReply: reply, tokensPerSecond: 50, models: [{ name: "qwen2.5-coder:7b" }] });
    const built = await cli(["build"], dir, { OLLAMA_HOST: fake.url, SPECWRIGHT_BUILD_REVIEW: review ? "on" : "off" });
    const requests = fake.promptRequests();
    await fake.close();
    if (built.code !== 0) throw new Error(`build failed: ${built.stderr}`);
    return { ms: built.ms, requests };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isReview = (r: RecordedRequest) => /^# Review of task /m.test(r.messages?.find((m) => m.role === "user")?.content ?? "");
const taskOf = (r: RecordedRequest) => /^# (?:Review of task|Task) (T\d+):/m.exec(r.messages?.find((m) => m.role === "user")?.content ?? "")?.[1] ?? "?";

const on: number[] = [];
const off: number[] = [];
let sample: RecordedRequest[] = [];
for (let i = 0; i < REPEATS; i++) {
  off.push((await once(false)).ms);
  const run = await once(true);
  on.push(run.ms);
  sample = run.requests;
}
const builds = new Map(sample.filter((r) => !isReview(r) && !r.messages!.some((m) => m.role === "assistant")).map((r) => [taskOf(r), r]));
const reviews = sample.filter(isReview);
console.log("task  build-prompt  review-prompt  ratio  review-cached  cached-share");
let promptSum = 0;
let cachedSum = 0;
for (const r of reviews) {
  const b = builds.get(taskOf(r));
  promptSum += r.promptTokens ?? 0;
  cachedSum += r.cachedTokens ?? 0;
  console.log(
    `${taskOf(r).padEnd(5)} ${String(b?.promptTokens ?? "?").padStart(12)}  ${String(r.promptTokens).padStart(13)}  ${b?.promptTokens ? (r.promptTokens! / b.promptTokens).toFixed(2) : "?"}   ${String(r.cachedTokens ?? 0).padStart(13)}  ${(((r.cachedTokens ?? 0) / (r.promptTokens ?? 1)) * 100).toFixed(0).padStart(11)} %`,
  );
}
console.log(`reviews: ${reviews.length}; review prompt tokens ${promptSum}, from the cache ${cachedSum} (${((cachedSum / Math.max(1, promptSum)) * 100).toFixed(0)} %)`);
console.log(`build wall time at 50 tok/s, median of ${REPEATS}: review off ${(median(off) / 1000).toFixed(2)} s, on ${(median(on) / 1000).toFixed(2)} s, added ${((median(on) - median(off)) / 1000).toFixed(2)} s (${(((median(on) - median(off)) / median(off)) * 100).toFixed(0)} %)`);
