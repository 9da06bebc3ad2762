// Adapter overhead per call, measured against the fake Ollama running as its
// own process (so this process's CPU time is the adapter's alone):
//  1. unpaced: median wall time of a raw node:http request + NDJSON read vs. an
//     adapter call vs. an adapter call writing a trace, same reply, same endpoint;
//  2. paced at 50 tokens/s (DESIGN.md §13): wall time over the ideal, and this
//     process's CPU time as a share of the wall time.
// Run: npx tsc -p tsconfig.json && node dist/bench/adapter.js

import { spawn } from "node:child_process";
import { request } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openModelRun, type ModelRun } from "../models/model-run.js";
import { TraceRun } from "../src/traces/trace-run.js";
import { writeFile } from "node:fs/promises";

const MODEL = "qwen2.5-coder:14b";
const REPLY_TOKENS = 200;
const UNPACED_CALLS = 150;
const PACED_CALLS = 4;
const PACED_TOKENS = 100;

async function startFake(options: object): Promise<{ url: string; stop: () => void }> {
  const dir = await mkdtemp(join(tmpdir(), "bench-fake-"));
  const script = join(dir, "script.json");
  await writeFile(script, JSON.stringify({ options }));
  const entry = fileURLToPath(new URL("../test/fake-ollama/main.js", import.meta.url));
  const child = spawn(process.execPath, [entry, "--script", script], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /FAKE_OLLAMA_URL=(\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`fake exited with ${code}`)));
  });
  return {
    url,
    stop: () => {
      child.kill("SIGTERM");
      void rm(dir, { recursive: true, force: true });
    },
  };
}

const messages = [
  { role: "system" as const, content: "You write whole files. ".repeat(40) },
  { role: "user" as const, content: "Write src/counter.ts that counts words.\n".repeat(20) },
];

/** The cheapest correct client: one POST, read NDJSON lines until done. */
function rawCall(url: string): Promise<number> {
  const started = performance.now();
  const body = JSON.stringify({ model: MODEL, messages, stream: true, options: { num_ctx: 8192, num_predict: 2048 }, keep_alive: "30m", think: false });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let buffer = "";
      // Concatenated as the adapter does, so both sides of the comparison do the same work.
      let _content = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffer.slice(0, newline)) as { message?: { content?: string } };
          _content += line.message?.content ?? "";
          buffer = buffer.slice(newline + 1);
        }
      });
      res.on("end", () => resolve(performance.now() - started));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function openRun(url: string): Promise<ModelRun> {
  const opened = await openModelRun({
    host: url,
    model: MODEL,
    think: false,
    temperature: 0.2,
    keepAlive: "30m",
    numCtx: 8192,
    largestPromptTokens: 1000,
    outputBudget: 2048,
    stallTimeoutMs: 30_000,
  });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function unpaced(): Promise<void> {
  const fake = await startFake({ defaultReply: { content: Array.from({ length: REPLY_TOKENS }, (_, i) => ` tok${i}`) } });
  const root = await mkdtemp(join(tmpdir(), "bench-trace-"));
  try {
    const run = await openRun(fake.url);
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "bench", env: process.env, keepRuns: 0 });
    const raw: number[] = [];
    const adapter: number[] = [];
    const traced: number[] = [];
    // Warm up connections and JIT, then interleave so drift hits all three alike.
    for (let i = 0; i < 10; i++) {
      await rawCall(fake.url);
      await run.call({ caller: "warm", messages });
    }
    for (let i = 0; i < UNPACED_CALLS; i++) {
      raw.push(await rawCall(fake.url));
      let t = performance.now();
      const a = await run.call({ caller: "bench", messages });
      adapter.push(performance.now() - t);
      t = performance.now();
      const b = await run.call({ caller: "bench", messages, recorder: trace.nextCallRecorder("bench") });
      traced.push(performance.now() - t);
      if (!a.ok || !b.ok) throw new Error("a bench call failed");
    }
    console.log(`unpaced, ${REPLY_TOKENS}-token replies, ${UNPACED_CALLS} calls each (median / p90 wall per call):`);
    console.log(`  raw node:http + NDJSON   ${fmt(median(raw))} / ${fmt(p90(raw))}`);
    console.log(`  adapter (ollama client)  ${fmt(median(adapter))} / ${fmt(p90(adapter))}   overhead ${fmt(median(adapter) - median(raw))}`);
    console.log(`  adapter + trace files    ${fmt(median(traced))} / ${fmt(p90(traced))}   overhead ${fmt(median(traced) - median(raw))}`);
  } finally {
    fake.stop();
    await rm(root, { recursive: true, force: true });
  }
}

async function paced(): Promise<void> {
  const fake = await startFake({ tokensPerSecond: 50, defaultReply: { content: Array.from({ length: PACED_TOKENS }, (_, i) => ` tok${i}`) } });
  const root = await mkdtemp(join(tmpdir(), "bench-trace-"));
  try {
    const run = await openRun(fake.url);
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "bench", env: process.env, keepRuns: 0 });
    await run.preload();
    const measure = async (label: string, call: () => Promise<unknown>) => {
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      for (let i = 0; i < PACED_CALLS; i++) await call();
      const wall = performance.now() - wallStart;
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      console.log(`  ${label.padEnd(24)} wall ${fmt(wall)}, CPU ${fmt(cpuMs)} = ${((cpuMs / wall) * 100).toFixed(2)} % of wall`);
      return wall;
    };
    console.log(`paced at 50 tokens/s, ${PACED_CALLS} calls × ${PACED_TOKENS} tokens each (ideal ${fmt((PACED_CALLS * PACED_TOKENS * 1000) / 50)}):`);
    const rawWall = await measure("raw node:http + NDJSON", () => rawCall(fake.url));
    await measure("adapter, no trace", async () => {
      const result = await run.call({ caller: "paced", messages });
      if (!result.ok) throw new Error(result.error.message);
    });
    const tracedWall = await measure("adapter + trace files", async () => {
      const result = await run.call({ caller: "paced", messages, recorder: trace.nextCallRecorder("paced") });
      if (!result.ok) throw new Error(result.error.message);
    });
    console.log(`  wall overhead of adapter + traces over raw: ${(((tracedWall - rawWall) / rawWall) * 100).toFixed(2)} %`);
  } finally {
    fake.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await unpaced();
await paced();
