// Compare benchmark (issue 17): `specwright compare` as a process on
// examples/ranges (the reference implementation as both models' replies, so
// every task passes first try) against the fake Ollama pacing replies at a
// fixed 50 tokens/s. Prints the process's wall time, the model time the run
// records (client-side calls and loads), and compare's overhead beyond it —
// split into the verify commands' own time and the rest — medians of
// BENCH_REPEATS, next to `specwright --version` in the same run. Then the
// estimate `compare` prints up front, for two 7B Q4_K_M models on every
// example (docs/compare.md's table).
// Run: npm run build && node dist/bench/compare.js

import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeOllama, type RecordedRequest, type ReplyScript } from "../test/fake-ollama/server.js";
import { taskOf } from "../test/helpers/calc-build.js";
import { loadConfig } from "../src/config/load.js";
import { readBuildContext } from "../src/build/load-build-context.js";
import { firstPrompts } from "../src/compare/run-compare.js";
import { estimateCompare } from "../src/compare/compare-estimate.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 5);
const TOKENS_PER_SECOND = 50;
/** qwen2.5-coder:7b Q4_K_M as `ollama list` shows it (4.7 GB). */
const SEVEN_B = 4_683_087_332;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs the CLI as a process without blocking this one: the fake Ollama answers from this event loop. */
function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ ms: number; status: number | null; stdout: string; stderr: string }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: join(cwd, ".none"), SPECWRIGHT_BUILD_REVIEW: "off", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ ms: performance.now() - start, status, stdout, stderr }));
  });
}

/** The reference implementation's files, as one whole-file reply per task of examples/ranges. */
async function referenceReplies(): Promise<(q: RecordedRequest) => ReplyScript> {
  const ref = join(ROOT, "test", "fixtures", "examples-reference", "ranges");
  const file = async (path: string) => `${path}\n\`\`\`python\n${(await readFile(join(ref, path), "utf8")).trimEnd()}\n\`\`\`\n`;
  const replies: Record<string, string> = {
    T001: (await file("ranges/core.py")) + "\n" + (await file("ranges/__init__.py")),
    T002: await file("tests/test_core.py"),
    T003: await file("ranges/__main__.py"),
  };
  return (q) => ({ content: replies[taskOf(q) ?? ""] ?? "no reply" });
}

interface Doc {
  models: { runs: { wallMs: number; modelMs: number; verifyMs: number; dir: string }[] }[];
}

async function overhead(): Promise<void> {
  const replies = await referenceReplies();
  const fake = await startFakeOllama({ tokensPerSecond: TOKENS_PER_SECOND, models: [{ name: "a:7b", sizeBytes: SEVEN_B }, { name: "b:7b", sizeBytes: SEVEN_B }], defaultReply: replies });
  const walls: number[] = [];
  const models: number[] = [];
  const runWalls: number[] = [];
  const verifies: number[] = [];
  const inRuns: number[] = [];
  const versions: number[] = [];
  try {
    for (let i = 0; i < REPEATS; i++) {
      const dir = await mkdtemp(join(tmpdir(), "sw-compare-bench-"));
      try {
        await cp(join(ROOT, "examples", "ranges"), dir, { recursive: true });
        versions.push((await run(["--version"], dir)).ms);
        const r = await run(["compare", "--models", "a:7b,b:7b", "--json"], dir, { OLLAMA_HOST: fake.url });
        if (r.status !== 0) throw new Error(`compare exited ${r.status}: ${r.stderr}`);
        const doc = JSON.parse(r.stdout) as Doc;
        const runs = doc.models.flatMap((m) => m.runs);
        walls.push(r.ms);
        models.push(runs.reduce((s, x) => s + x.modelMs, 0));
        runWalls.push(runs.reduce((s, x) => s + x.wallMs, 0));
        verifies.push(runs.reduce((s, x) => s + x.verifyMs, 0));
        inRuns.push(runs.reduce((s, x) => s + x.wallMs - x.modelMs - x.verifyMs, 0));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await fake.close();
  }
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log(`compare on examples/ranges, 2 models × 3 tasks, fake at ${TOKENS_PER_SECOND} tok/s; medians of ${REPEATS} (as processes):`);
  console.log(`  specwright --version                 ${ms(median(versions))}`);
  console.log(`  specwright compare (process wall)    ${ms(median(walls))}`);
  console.log(`  model time recorded (calls + loads)  ${ms(median(models))}`);
  console.log(`  overhead beyond model time           ${ms(median(walls) - median(models))} (${(((median(walls) - median(models)) / median(walls)) * 100).toFixed(1)} % of wall)`);
  console.log(`    of which the verify commands (recorded verifyMs)  ${ms(median(verifies))}`);
  console.log(`    of which specwright inside the model runs (wall − model − verify: prompts, writes, cases, git)  ${ms(median(inRuns))} (${((median(inRuns) / median(walls)) * 100).toFixed(1)} % of wall)`);
  console.log(`    the rest: process start, config, plan, first prompts, model list, result.json  ${ms(median(walls) - median(runWalls))} (--version alone: ${ms(median(versions))})`);
  console.log(`  load average: ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
}

async function estimates(): Promise<void> {
  console.log(`estimate for two 7B Q4_K_M models (${(SEVEN_B / 1e9).toFixed(2)} GB each), per model run and for both:`);
  for (const name of (await readdir(join(ROOT, "examples"))).sort()) {
    const dir = await mkdtemp(join(tmpdir(), "sw-compare-estimate-"));
    try {
      await cp(join(ROOT, "examples", name), dir, { recursive: true });
      // An example without a shipped plan (wordfreq) gets the planner-free one.
      if (!existsSync(join(dir, ".specwright", "plan.toml"))) await run(["plan", "--from-architecture"], dir);
      const { loaded } = await loadConfig({ cwd: dir, env: {} });
      const context = await readBuildContext(loaded, process.env);
      if (!context.ok) throw new Error(`${name}: ${context.message}`);
      const { tasks } = await firstPrompts(loaded, context.context, context.context.plan);
      const e = estimateCompare(tasks, [{ model: "a", sizeBytes: SEVEN_B }, { model: "b", sizeBytes: SEVEN_B }], 1);
      const one = e.models[0]!.ms!;
      console.log(`  ${name.padEnd(10)} ${tasks.length} tasks, ${e.promptTokens} prompt tokens, ${e.outputTokens} output tokens (assumed): ${(one / 1000).toFixed(0)} s per model, ${(e.totalMs! / 60_000).toFixed(1)} min for two (${e.models[0]!.tokensPerSecond!.toFixed(0)} tok/s)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

await estimates();
await overhead();
