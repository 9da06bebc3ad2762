// Build benchmark (DESIGN.md §13, issue 5): runs the built CLI
// (`node dist/src/cli/main.js build --json`) as a child process on generated
// projects in temp dirs, against a fake Ollama started in this process, and
// prints:
//  1. the tool's overhead as a share of wall time at 50 tokens/s;
//  2. the no-op rebuild time of a 100-task project (process start included),
//     next to `node -e ""` and `specwright --version` measured in the same run;
//  3. the share of prompt tokens served from the prefix cache on fix attempts;
//  4. extras: CPU time and peak RSS of the build process, per-task engine cost
//     with an instant model.
// The machine is shared and noisy: every figure is a median of several runs,
// compared with baselines measured in the same run. Benchmarks print figures;
// they are not timed tests.
// Run: npx tsc -p tsconfig.json && node dist/bench/build.js
// Knobs (env): BENCH_PARTS (default "1,2,3"), BENCH_REPEATS (paced builds, default 3),
// BENCH_NOOP_RUNS (default 7), BENCH_KEEP=1 keeps the temp projects.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preTokenize } from "../models/token-estimate.js";
import { startFakeOllama, type FakeOllama, type RecordedRequest, type ReplyScript } from "../test/fake-ollama/server.js";

const MODEL = "qwen2.5-coder:14b";
const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const NODE = process.execPath;
const BUILD_COMMAND = new URL("../src/cli/commands/build.js", import.meta.url).href;

const PACED_TASKS = 6;
const PACED_REPLY_TOKENS = 180;
const PACED_REPEATS = Number(process.env["BENCH_REPEATS"] ?? 3);
const NOOP_TASKS = 100;
const NOOP_RUNS = Number(process.env["BENCH_NOOP_RUNS"] ?? 7);
const PARTS = new Set((process.env["BENCH_PARTS"] ?? "1,2,3").split(","));
const FIX_TASKS = 8;
const FIX_FAILING = new Set(["T003", "T005", "T007", "T008"]);
/** The third cache scenario inlines a notes file this big into every prompt: prompts of a realistic size. */
const CONTEXT_TOKENS = 2500;

// ---------------------------------------------------------------------------
// Small helpers.

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const id3 = (i: number) => `T${String(i).padStart(3, "0")}`;
const mod3 = (i: number) => `pkg/m${String(i).padStart(3, "0")}.py`;

const temps: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

// ---------------------------------------------------------------------------
// Generated projects: one spec with a requirement per task, a plan.toml whose
// tasks each write one Python module, and the replies the fake gives.

interface GenTask {
  index: number;
  dependsOn: number[];
  verify: string[];
  /** Context files (project-relative), inlined into the prompt. */
  context?: string[];
}

function generatedSmd(count: number): string {
  const reqs = Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    return `### Module ${i} {#r${String(i).padStart(3, "0")}}

Module ${i} offers a function f${i} that adds ${i} to an integer, and small helpers that scale a value.

**Accepts:** An integer x.

**Returns:** x plus ${i}.

**Errors:**

- A non-integer argument -> raise TypeError
`;
  });
  return `---
id: GEN
status: draft
depends: []
---

# Gen

## Overview

A generated library of ${count} small modules, one per requirement, for the build benchmark.

## Requirements

${reqs.join("\n")}
## Constraints

- Standard library only
`;
}

function generatedPlan(tasks: GenTask[]): string {
  const entries = tasks.map(
    (t) => `[[task]]
id = "${id3(t.index)}"
spec = "GEN"
title = "Module ${t.index}"
outputs = ["${mod3(t.index)}"]
depends_on = [${t.dependsOn.map((d) => `"${id3(d)}"`).join(", ")}]
refs = ["requirements/r${String(t.index).padStart(3, "0")}"]
context = [${(t.context ?? []).map((c) => JSON.stringify(c)).join(", ")}]
verify = [${t.verify.map((v) => JSON.stringify(v)).join(", ")}]
status = "auto"
`,
  );
  return `version = 1\n\n${entries.join("\n")}`;
}

async function writeGeneratedProject(dir: string, tasks: GenTask[], extraFiles: Record<string, string> = {}, overlapVerify = true): Promise<void> {
  const files: Record<string, string> = {
    "specwright.toml": `[project]
name = "gen"

[output]
dir = "output"
language = "python"

[model]
default = "${MODEL}"

[build]
git = false
max_fix_attempts = 2
verify_timeout = "60s"
overlap_verify = ${overlapVerify}
`,
    ...extraFiles,
    "specs/gen.smd": generatedSmd(tasks.length),
    ".specwright/plan.toml": generatedPlan(tasks),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

const FENCE = "```";

/** The reply for task `index`: one whole module of at least `tokens` pre-tokens (one streamed delta each). */
function moduleReply(index: number, tokens: number, broken = false): string {
  const head = `"""Module ${index}: generated for the build benchmark."""


def f${index}(x: int) -> int${broken ? "" : ":"}
    """Return x plus ${index}."""
    if not isinstance(x, int):
        raise TypeError("f${index} takes an integer")
    return x + ${index}
`;
  let body = head;
  const wrap = (b: string) => `${mod3(index)}\n${FENCE}python\n${b.trimEnd()}\n${FENCE}\n`;
  for (let k = 1; preTokenize(wrap(body)).length < tokens; k++) {
    body += `\n\ndef helper_${index}_${k}(value: int) -> int:\n    return value * ${k} + ${index}\n`;
  }
  return wrap(body);
}

/** Which task a chat request is for (the prompt's "# Task T00N:" heading), and which attempt (1 + assistant turns). */
function routeOf(r: RecordedRequest): { task: string | undefined; attempt: number } {
  let task: string | undefined;
  for (const m of r.messages ?? []) {
    const match = /^# Task (T\d+):/m.exec(m.content);
    if (match) {
      task = match[1];
      break;
    }
  }
  return { task, attempt: 1 + (r.messages ?? []).filter((m) => m.role === "assistant").length };
}

/** Stateless replies: by task and attempt, so a bare client can ask for the same reply again. */
function replies(tokens: number, failing: ReadonlySet<string> = new Set()): (r: RecordedRequest) => ReplyScript {
  return (r) => {
    const { task, attempt } = routeOf(r);
    if (task === undefined) return { content: "no task heading" };
    const index = Number(task.slice(1));
    return { content: moduleReply(index, tokens, attempt === 1 && failing.has(task)) };
  };
}

// ---------------------------------------------------------------------------
// Running the CLI.

/** Loaded with --import into a measured build: writes the process's own CPU time and peak RSS at exit. */
const RUSAGE_HOOK = `import { writeFileSync } from "node:fs";
const out = process.env.BENCH_RUSAGE_FILE;
if (out) process.on("exit", () => {
  const r = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ userMs: r.userCPUTime / 1000, systemMs: r.systemCPUTime / 1000, maxRssKb: r.maxRSS }));
});
`;
let hookFile = "";
let emptyConfigHome = "";

interface Usage {
  userMs: number;
  systemMs: number;
  maxRssKb: number;
}

interface CliRun {
  exitCode: number | null;
  /** Spawn to exit (stdio closed), ms. */
  wallMs: number;
  /** Date.now() at spawn, to compare with the fake's receivedAt. */
  spawnedAt: number;
  events: Record<string, unknown>[];
  /** performance.now() − spawn when each event's line arrived, parallel to `events`. */
  arrivedMs: number[];
  stdout: string;
  stderr: string;
  usage?: Usage;
}

async function runNode(args: string[], cwd: string, env: Record<string, string> = {}, options: { rusage?: boolean } = {}): Promise<CliRun> {
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: emptyConfigHome, ...env };
  for (const key of Object.keys(childEnv)) if (key.startsWith("SPECWRIGHT_")) delete childEnv[key];
  let usageFile: string | undefined;
  const nodeArgs = [...args];
  if (options.rusage) {
    usageFile = join(await tempDir("bench-rusage-"), "usage.json");
    childEnv["BENCH_RUSAGE_FILE"] = usageFile;
    nodeArgs.unshift("--import", hookFile);
  }
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = spawn(NODE, nodeArgs, { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const arrivedMs: number[] = [];
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    const now = performance.now() - t0;
    for (let i = 0; i < c.length; i++) if (c.charCodeAt(i) === 10) arrivedMs.push(now);
    stdout += c;
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  const wallMs = performance.now() - t0;
  const lines = stdout.split("\n").slice(0, arrivedMs.length);
  const events: Record<string, unknown>[] = [];
  const arrived: number[] = [];
  lines.forEach((l, i) => {
    if (!l.startsWith("{")) return;
    events.push(JSON.parse(l) as Record<string, unknown>);
    arrived.push(arrivedMs[i]!);
  });
  const run: CliRun = { exitCode, wallMs, spawnedAt, events, arrivedMs: arrived, stdout, stderr };
  if (usageFile && existsSync(usageFile)) run.usage = JSON.parse(await readFile(usageFile, "utf8")) as Usage;
  return run;
}

function build(dir: string, fake: FakeOllama, options: { rusage?: boolean } = {}): Promise<CliRun> {
  return runNode([CLI, "build", "--json"], dir, { OLLAMA_HOST: fake.url }, options);
}

interface Summary {
  done: string[];
  upToDate: string[];
  failed: string[];
  modelCalls: number;
  verifyRuns: number;
  promptTokens: number;
  cachedPromptTokens: number;
  durationMs: number;
  evalTokens: number;
}

function summaryOf(run: CliRun, label: string): Summary {
  const finished = run.events.find((e) => e["type"] === "build-finished");
  if (!finished) throw new Error(`${label}: no build-finished event (exit ${run.exitCode})\n${run.stderr.slice(-2000)}\n${run.stdout.slice(-2000)}`);
  return finished["summary"] as Summary;
}

function expectOk(run: CliRun, label: string): Summary {
  const s = summaryOf(run, label);
  if (run.exitCode !== 0 || s.failed.length > 0) {
    throw new Error(`${label}: build exited ${run.exitCode}, failed ${s.failed.join(", ")}\n${run.stderr.slice(-3000)}`);
  }
  return s;
}

const verifyMs = (run: CliRun) =>
  sum(run.events.filter((e) => e["type"] === "verify-finished").map((e) => (e["result"] as { durationMs: number }).durationMs));
const callMetrics = (run: CliRun) =>
  run.events.filter((e) => e["type"] === "task-finished").flatMap((e) => e["metrics"] as { wallMs: number; totalMs?: number }[]);
const callWallMs = (run: CliRun) => sum(callMetrics(run).map((m) => m.wallMs));
/** The fake's own time on each reply (total_duration of its final chunk): its pacing, as it ran during this build. */
const serverMs = (run: CliRun) => {
  const metrics = callMetrics(run);
  if (metrics.some((m) => m.totalMs === undefined)) throw new Error("a call's metrics lack totalMs (the fake's total_duration)");
  return sum(metrics.map((m) => m.totalMs!));
};

/** The cheapest correct client: one POST, read NDJSON lines until done; returns the wall time. */
function rawStream(url: string, task: string): Promise<number> {
  const started = performance.now();
  const body = JSON.stringify({
    model: MODEL,
    messages: [{ role: "user", content: `# Task ${task}: baseline\n` }],
    stream: true,
    options: { num_predict: 8192 },
    think: false,
  });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let newline;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          JSON.parse(buffer.slice(0, newline));
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

// ---------------------------------------------------------------------------
// 1. Overhead at 50 tokens/s.

interface PacedResult {
  wall: number;
  /** Σ total_duration the fake reported for the build's calls. */
  server: number;
  /** Σ wall of a bare client streaming the same replies right after the build. */
  streamBaseline: number;
  adapterCalls: number;
  verify: number;
  overhead: number;
  share: number;
  /** The same with the bare client's re-stream as the streaming time. */
  overheadVsBaseline: number;
  shareVsBaseline: number;
  startup: number;
  /** build-finished line → exit. */
  exitTail: number;
  /** Overhead per task once the fixed start and exit are taken out, and its share of a task's wall. */
  perTask: number;
  perTaskShare: number;
  cpu?: number;
  rssMb?: number;
  tokens: number;
}

async function pacedOverhead(): Promise<PacedResult[]> {
  // A chain (each task depends on the previous): no verify overlaps a generation,
  // so wall = streaming + verify + everything else, and "everything else" is the tool's.
  const tasks: GenTask[] = Array.from({ length: PACED_TASKS }, (_, k) => ({
    index: k + 1,
    dependsOn: k === 0 ? [] : [k],
    verify: [`python3 -m py_compile ${mod3(k + 1)}`],
  }));
  const fake = await startFakeOllama({ tokensPerSecond: 50, defaultReply: replies(PACED_REPLY_TOKENS) });
  const results: PacedResult[] = [];
  try {
    for (let rep = 0; rep < PACED_REPEATS; rep++) {
      const dir = await tempDir("bench-paced-");
      await writeGeneratedProject(dir, tasks);
      const firstSeq = fake.requests.length;
      const run = await build(dir, fake, { rusage: true });
      const s = expectOk(run, "paced build");
      if (s.done.length !== PACED_TASKS) throw new Error(`paced build built ${s.done.length} tasks`);
      const mine = fake.requests.slice(firstSeq);
      const firstPrompt = mine.find((r) => (r.messages ?? []).length > 0)!;
      // Baseline, same run, same fake, same replies: a bare HTTP client streams each task's reply once.
      const baseline: number[] = [];
      for (const t of tasks) baseline.push(await rawStream(fake.url, id3(t.index)));
      const streamBaseline = sum(baseline);
      const verify = verifyMs(run);
      const server = serverMs(run);
      const overhead = run.wallMs - server - verify;
      const overheadVsBaseline = run.wallMs - streamBaseline - verify;
      const startup = firstPrompt.receivedAt - run.spawnedAt;
      const exitTail = run.wallMs - run.arrivedMs[run.events.findIndex((e) => e["type"] === "build-finished")]!;
      const perTask = (overhead - startup - exitTail) / PACED_TASKS;
      results.push({
        wall: run.wallMs,
        server,
        streamBaseline,
        adapterCalls: callWallMs(run),
        verify,
        overhead,
        share: overhead / run.wallMs,
        overheadVsBaseline,
        shareVsBaseline: overheadVsBaseline / run.wallMs,
        startup,
        exitTail,
        perTask,
        perTaskShare: perTask / ((run.wallMs - startup - exitTail) / PACED_TASKS),
        tokens: s.evalTokens,
        ...(run.usage ? { cpu: run.usage.userMs + run.usage.systemMs, rssMb: run.usage.maxRssKb / 1024 } : {}),
      });
      const r = results.at(-1)!;
      console.log(
        `  run ${rep + 1}: wall ${ms(r.wall)}, fake streaming ${ms(r.server)} (bare client ${ms(r.streamBaseline)}), verify ${ms(r.verify)} → overhead ${ms(r.overhead)} = ${pct(r.share)}` +
          (r.cpu !== undefined ? `; build process CPU ${ms(r.cpu)}` : ""),
      );
    }
  } finally {
    await fake.close();
  }
  return results;
}

// ---------------------------------------------------------------------------
// 2. No-op rebuild of a 100-task project.

interface NoopResult {
  firstBuildWall: number;
  firstBuildCalls: number;
  firstBuildVerifyRuns: number;
  firstBuildCallWall: number;
  firstBuildVerify: number;
  noop: number[];
  /** runBuild's own time in the no-op (summary.durationMs). */
  noopEngine: number[];
  nodeStart: number[];
  /** `node -e "await import(build command module)"`: process start plus the imports a build pays before any work. */
  importBuild: number[];
  version: number[];
  noopCpu: number[];
  noopRssMb: number[];
  modelCalls: number[];
  verifyRuns: number[];
  upToDate: number[];
  requestsDuringNoop: number;
}

async function noopRebuild(): Promise<NoopResult> {
  // A binary tree of dependencies (task i depends on task ⌊i/2⌋): depth 7, every dependency hash exercised.
  const tasks: GenTask[] = Array.from({ length: NOOP_TASKS }, (_, k) => ({
    index: k + 1,
    dependsOn: k === 0 ? [] : [Math.floor((k + 1) / 2)],
    verify: [`test -s ${mod3(k + 1)}`],
  }));
  const fake = await startFakeOllama({ defaultReply: replies(120) });
  try {
    const dir = await tempDir("bench-noop-");
    await writeGeneratedProject(dir, tasks);
    const first = await build(dir, fake);
    const s1 = expectOk(first, "100-task build");
    const result: NoopResult = {
      firstBuildWall: first.wallMs,
      firstBuildCalls: s1.modelCalls,
      firstBuildVerifyRuns: s1.verifyRuns,
      firstBuildCallWall: callWallMs(first),
      firstBuildVerify: verifyMs(first),
      noop: [],
      noopEngine: [],
      nodeStart: [],
      importBuild: [],
      version: [],
      noopCpu: [],
      noopRssMb: [],
      modelCalls: [],
      verifyRuns: [],
      upToDate: [],
      requestsDuringNoop: 0,
    };
    // Warm the file cache once, then interleave the four commands so noise hits them alike.
    await build(dir, fake);
    const before = fake.requests.length;
    for (let i = 0; i < NOOP_RUNS; i++) {
      result.nodeStart.push((await runNode(["-e", ""], dir)).wallMs);
      result.version.push((await runNode([CLI, "--version"], dir)).wallMs);
      result.importBuild.push((await runNode(["--input-type=module", "-e", `await import(${JSON.stringify(BUILD_COMMAND)})`], dir)).wallMs);
      const noop = await build(dir, fake);
      const s = expectOk(noop, "no-op rebuild");
      result.noop.push(noop.wallMs);
      result.noopEngine.push(s.durationMs);
      result.modelCalls.push(s.modelCalls);
      result.verifyRuns.push(s.verifyRuns);
      result.upToDate.push(s.upToDate.length);
      const measured = await build(dir, fake, { rusage: true });
      expectOk(measured, "no-op rebuild (rusage)");
      if (measured.usage) {
        result.noopCpu.push(measured.usage.userMs + measured.usage.systemMs);
        result.noopRssMb.push(measured.usage.maxRssKb / 1024);
      }
    }
    result.requestsDuringNoop = fake.requests.length - before;
    return result;
  } finally {
    await fake.close();
  }
}

// ---------------------------------------------------------------------------
// 3. Prefix cache on fix attempts.

interface CacheResult {
  label: string;
  fixPrompt: number;
  fixCached: number;
  firstPrompt: number;
  firstCached: number;
  /** What a server that also keeps the generated reply in its cache (llama.cpp/Ollama) would reuse. */
  fixCachedWithReply: number;
  summaryShare: number;
  /** Per fix request: how many other tasks' requests came between the failed attempt and its fix. */
  between: string[];
  /** Σ over fix requests: the failed attempt's prompt, its reply, and the new fix message, in tokens. */
  ownPrompt: number;
  ownReply: number;
  fixes: number;
}

/** ChatML as the fake renders it (Qwen's template). */
function renderChat(messages: { role: string; content: string }[]): string {
  return messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join("") + "<|im_start|>assistant\n";
}

function sharedPrefix(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** A project-relative notes file of about `tokens` pre-tokens, for prompts of a realistic size. */
function notesFile(tokens: number): Record<string, string> {
  let text = "# Coding notes\n\n";
  for (let k = 1; preTokenize(text).length < tokens; k++) {
    text += `- Rule ${k}: keep functions small, name values plainly, and raise TypeError for wrong argument types.\n`;
  }
  return { "docs/notes.md": text };
}

async function prefixCache(label: string, dependsOn: (index: number) => number[], contextTokens = 0, overlapVerify = true): Promise<CacheResult> {
  const tasks: GenTask[] = Array.from({ length: FIX_TASKS }, (_, k) => ({
    index: k + 1,
    dependsOn: dependsOn(k + 1),
    verify: [`python3 -m py_compile ${mod3(k + 1)}`],
    ...(contextTokens > 0 ? { context: ["docs/notes.md"] } : {}),
  }));
  const route = replies(PACED_REPLY_TOKENS, FIX_FAILING);
  const sent = new Map<number, string>();
  const fake = await startFakeOllama({
    defaultReply: (r) => {
      const reply = route(r);
      sent.set(r.seq, reply.content as string);
      return reply;
    },
  });
  try {
    const dir = await tempDir("bench-cache-");
    await writeGeneratedProject(dir, tasks, contextTokens > 0 ? notesFile(contextTokens) : {}, overlapVerify);
    const run = await build(dir, fake);
    const s = expectOk(run, `fix-loop build (${label})`);
    const prompts = fake.promptRequests();
    const result: CacheResult = { label, fixPrompt: 0, fixCached: 0, firstPrompt: 0, firstCached: 0, fixCachedWithReply: 0, summaryShare: s.cachedPromptTokens / s.promptTokens, between: [], fixes: 0, ownPrompt: 0, ownReply: 0 };
    prompts.forEach((r, i) => {
      const { task, attempt } = routeOf(r);
      if (attempt === 1) {
        result.firstPrompt += r.promptTokens ?? 0;
        result.firstCached += r.cachedTokens ?? 0;
        return;
      }
      result.fixes++;
      result.fixPrompt += r.promptTokens ?? 0;
      result.fixCached += r.cachedTokens ?? 0;
      // The previous request's prompt plus the reply generated for it: what Ollama's KV cache holds.
      const previous = prompts[i - 1]!;
      const held = preTokenize(renderChat(previous.messages ?? []) + (sent.get(previous.seq) ?? ""));
      result.fixCachedWithReply += sharedPrefix(held, preTokenize(renderChat(r.messages ?? [])));
      const own = prompts.findLastIndex((q, j) => j < i && routeOf(q).task === task);
      result.between.push(`${task}:${i - own - 1}`);
      result.ownPrompt += prompts[own]!.promptTokens ?? 0;
      result.ownReply += preTokenize(sent.get(prompts[own]!.seq) ?? "").length;
    });
    if (result.fixes !== FIX_FAILING.size) throw new Error(`${label}: expected ${FIX_FAILING.size} fix attempts, saw ${result.fixes}`);
    return result;
  } finally {
    await fake.close();
  }
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const hooks = await tempDir("bench-hook-");
  hookFile = join(hooks, "rusage-hook.mjs");
  await writeFile(hookFile, RUSAGE_HOOK);
  emptyConfigHome = await tempDir("bench-xdg-");
  const wallStart = performance.now();

  console.log(`build benchmark: node ${process.version}, CLI ${CLI}`);
  // Part 2 runs first: its 100-task build warms the disk cache for everything after it.
  const noop = PARTS.has("2") ? await noopPart() : undefined;
  const paced = PARTS.has("1") ? await pacedPart() : undefined;
  const caches = PARTS.has("3") ? await cachePart() : undefined;

  const rows: [string, string, string][] = [];
  if (paced) rows.push(...pacedRows(paced));
  if (noop) rows.push(...noopRows(noop));
  if (caches) rows.push(...cacheRows(caches));
  const w1 = Math.max(...rows.map((r) => r[0].length));
  const w2 = Math.max(...rows.map((r) => r[1].length));
  console.log(`\n${"figure".padEnd(w1)}  ${"value".padEnd(w2)}  target / note`);
  console.log(`${"-".repeat(w1)}  ${"-".repeat(w2)}  ${"-".repeat(14)}`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w1)}  ${b.padEnd(w2)}  ${c}`);
  console.log(EXPLANATION);
  console.log(`Total bench time ${((performance.now() - wallStart) / 1000).toFixed(0)} s.`);
}

async function noopPart(): Promise<NoopResult> {
  console.log(`\n2. no-op rebuild: ${NOOP_TASKS}-task project, ${NOOP_RUNS} interleaved rounds (node -e "", --version, import of the build command, build, build with rusage hook)`);
  return noopRebuild();
}

async function pacedPart(): Promise<PacedResult[]> {
  console.log(`\n1. overhead at 50 tokens/s: ${PACED_TASKS} chained tasks × ~${PACED_REPLY_TOKENS}-token replies, verify \`python3 -m py_compile\`, ${PACED_REPEATS} fresh builds`);
  return pacedOverhead();
}

async function cachePart(): Promise<CacheResult[]> {
  console.log(`\n3. prefix cache on fix attempts: ${FIX_TASKS} tasks, ${[...FIX_FAILING].join(", ")} fail py_compile once, fake reports cached prefix tokens`);
  const fanOut = await prefixCache("fan-out (T002..T008 depend on T001)", (i) => (i === 1 ? [] : [1]));
  const fanOutHeld = await prefixCache("fan-out, build.overlap_verify = false", (i) => (i === 1 ? [] : [1]), 0, false);
  const chain = await prefixCache("chain (each task depends on the previous)", (i) => (i === 1 ? [] : [i - 1]));
  const chainBig = await prefixCache(`chain + a ${CONTEXT_TOKENS}-token context file per task`, (i) => (i === 1 ? [] : [i - 1]), CONTEXT_TOKENS);
  return [fanOut, fanOutHeld, chain, chainBig];
}

type Row = [string, string, string];

function pacedRows(paced: PacedResult[]): Row[] {
  const m = (f: (r: PacedResult) => number) => median(paced.map(f));
  const rows: Row[] = [];
  rows.push(["1. overhead share of wall time @50 tok/s", pct(m((r) => r.share)), `< 2 % (runs: ${paced.map((r) => pct(r.share)).join(", ")})`]);
  rows.push(["   same, streaming = bare client re-stream", pct(m((r) => r.shareVsBaseline)), `cross-check (${paced.map((r) => pct(r.shareVsBaseline)).join(", ")})`]);
  rows.push(["   build wall (spawn → exit)", ms(m((r) => r.wall)), `${PACED_TASKS} tasks, ${Math.round(m((r) => r.tokens))} tokens`]);
  rows.push(["   streaming (Σ the fake's total_duration)", ms(m((r) => r.server)), `ideal ${ms((m((r) => r.tokens) / 50) * 1000)}`]);
  rows.push(["   streaming, bare client, same replies", ms(m((r) => r.streamBaseline)), ""]);
  rows.push(["   verify time (Σ verify-finished durationMs)", ms(m((r) => r.verify)), ""]);
  rows.push(["   overhead = wall − streaming − verify", ms(m((r) => r.overhead)), ""]);
  rows.push(["     fixed: spawn → first prompt at the fake", ms(m((r) => r.startup)), ""]);
  rows.push(["     fixed: build-finished → exit", ms(m((r) => r.exitTail)), ""]);
  rows.push(["     per task, the rest ÷ tasks", ms(m((r) => r.perTask)), `${pct(m((r) => r.perTaskShare))} of a task's wall`]);
  {
    // share(N) = (F + N·o) ÷ (F + N·w): F fixed, o overhead and w wall per task; below 2 % from N > 0.98·F ÷ (0.02·w − o).
    const F = m((r) => r.startup + r.exitTail);
    const o = m((r) => r.perTask);
    const w = o / m((r) => r.perTaskShare);
    const n = 0.02 * w > o ? Math.ceil((0.98 * F) / (0.02 * w - o)) : Infinity;
    rows.push(["     share < 2 % from this many such tasks", Number.isFinite(n) ? `${n} tasks` : "never", Number.isFinite(n) ? `≈ ${((F + n * w) / 1000).toFixed(0)} s build at 50 tok/s` : ""]);
  }
  rows.push(["     per call: client wallMs − fake total_duration", ms(m((r) => (r.adapterCalls - r.server) / PACED_TASKS)), "HTTP, adapter, trace"]);
  if (paced.every((r) => r.cpu !== undefined)) {
    rows.push(["   build process CPU (user+sys, self)", ms(m((r) => r.cpu!)), `${pct(m((r) => r.cpu! / r.wall))} of wall`]);
    rows.push(["   build process peak RSS", `${m((r) => r.rssMb!).toFixed(0)} MB`, ""]);
  }
  return rows;
}

function noopRows(noop: NoopResult): Row[] {
  const rows: Row[] = [];
  rows.push(["2. no-op rebuild, 100 tasks (median / min)", `${ms(median(noop.noop))} / ${ms(Math.min(...noop.noop))}`, "< 1 s"]);
  rows.push(["   model calls / verify runs (build-finished)", `${Math.max(...noop.modelCalls)} / ${Math.max(...noop.verifyRuns)}`, "0 / 0"]);
  rows.push(["   requests the fake received during no-ops", String(noop.requestsDuringNoop), "0"]);
  rows.push(["   tasks up to date", `${Math.min(...noop.upToDate)}..${Math.max(...noop.upToDate)}`, String(NOOP_TASKS)]);
  rows.push(['   baseline `node -e ""` (median / min)', `${ms(median(noop.nodeStart))} / ${ms(Math.min(...noop.nodeStart))}`, ""]);
  rows.push(["   baseline `specwright --version`", `${ms(median(noop.version))} / ${ms(Math.min(...noop.version))}`, ""]);
  rows.push(["   baseline: node + import of the build command", `${ms(median(noop.importBuild))} / ${ms(Math.min(...noop.importBuild))}`, "no work done"]);
  rows.push(["   no-op: runBuild itself (summary.durationMs)", ms(median(noop.noopEngine)), ""]);
  rows.push([
    "   no-op = node | imports | load specs/plan… | engine",
    [median(noop.version), median(noop.importBuild) - median(noop.version), median(noop.noop) - median(noop.importBuild) - median(noop.noopEngine), median(noop.noopEngine)].map(ms).join(" | "),
    "medians, by difference",
  ]);
  rows.push(["   no-op ÷ node start (medians)", `${(median(noop.noop) / median(noop.nodeStart)).toFixed(1)}×`, ""]);
  if (noop.noopCpu.length > 0) {
    rows.push(["   no-op CPU (user+sys, self) / peak RSS", `${ms(median(noop.noopCpu))} / ${median(noop.noopRssMb).toFixed(0)} MB`, ""]);
  }
  rows.push(["   first build, instant model: wall", ms(noop.firstBuildWall), `${noop.firstBuildCalls} calls, ${noop.firstBuildVerifyRuns} verify runs`]);
  const perTask = (noop.firstBuildWall - noop.firstBuildCallWall - noop.firstBuildVerify) / NOOP_TASKS;
  rows.push(["   engine cost per task, instant model", ms(perTask), "(wall − Σ call wallMs − Σ verify) / 100"]);
  return rows;
}

function cacheRows(caches: CacheResult[]): Row[] {
  const rows: Row[] = [];
  for (const c of caches) {
    rows.push([`3. fix-attempt cache share, ${c.label}`, pct(c.fixCached / c.fixPrompt), "≥ 90 %"]);
    rows.push(["   first attempts, for contrast", pct(c.firstCached / c.firstPrompt), ""]);
    rows.push(["   fix attempts if the reply were cached too", pct(c.fixCachedWithReply / c.fixPrompt), "Ollama keeps it"]);
    rows.push(["   whole build, from specwright's summary", pct(c.summaryShare), ""]);
    rows.push(["   other requests between attempt 1 and its fix", c.between.join(" "), ""]);
    const n = c.fixes;
    rows.push([
      "   mean fix prompt = failed prompt + reply + fix msg",
      `${Math.round(c.fixPrompt / n)} = ${Math.round(c.ownPrompt / n)} + ${Math.round(c.ownReply / n)} + ${Math.round((c.fixPrompt - c.ownPrompt - c.ownReply) / n)}`,
      "tokens",
    ]);
  }

  return rows;
}

const EXPLANATION = `
How the figures are computed:
 1. Each of ${PACED_REPEATS} runs is a fresh build of ${PACED_TASKS} chained tasks (a chain, so no verify overlaps a generation and
    the parts add up) against the fake at 50 tokens/s, one streamed delta per token. wall = spawn of
    \`node main.js build --json\` to its exit. streaming = Σ total_duration of the fake's final chunks for the build's
    calls (as the CLI's task-finished metrics report them): the fake's pacing, timer drift included, as it ran during
    that build. verify = Σ durationMs of the verify-finished events. overhead = wall − streaming − verify, i.e. process
    start, config/spec/plan loading, prompt assembly, Ollama handshakes, HTTP and adapter, parsing, safe writes, state
    saves, traces and exit. share = overhead ÷ wall; medians over the runs. Cross-check: right after each build a bare
    node:http client streams the same ${PACED_TASKS} replies from the same fake one after another; Σ of their wall times
    replaces "streaming" in the second line. The fixed part is spawn → the fake receiving the first prompt, plus the
    build-finished line → exit; "per task" is what is left, divided by the tasks: the share a long build tends to.
    CPU and RSS come from process.resourceUsage() of the build process itself (an --import hook), verify children
    excluded.
 2. The ${NOOP_TASKS}-task project (task i depends on task ⌊i/2⌋, verify \`test -s\`) is built once against an unpaced fake,
    built again to warm caches, then ${NOOP_RUNS} rounds each run \`node -e ""\`, \`node main.js --version\`,
    \`node main.js build --json\` and \`node -e "await import(<build command module>)"\` (start + imports, no work), each
    timed spawn → exit; model calls and verify runs come from build-finished, the engine's share from its durationMs.
    A fourth, hooked no-op per round gives CPU and RSS. "engine cost per task" is from the first build.
 3. ${FIX_TASKS}-task builds against an unpaced fake (0.33 profile: prompt_eval_cached_count); the fake counts, per request, the leading tokens
    shared with the previous prompt it served (one cache slot, like Ollama with OLLAMA_NUM_PARALLEL=1). A fix request
    is one with an assistant turn. share = Σ cachedTokens ÷ Σ promptTokens over those requests, from the fake's
    records. "if the reply were cached too" recomputes the shared prefix against the previous prompt plus the reply
    generated for it (llama.cpp keeps generated tokens in the slot, and so does the fake). "other requests between" lists,
    per fixed task, how many requests for other tasks reached the server between its failed attempt and its fix.
    The share depends on sizes: with one cache slot holding the prompt only, its ceiling is P ÷ (P + reply + fix
    message), hence the third scenario with prompts of a few thousand tokens.`;

try {
  await main();
} finally {
  if (process.env["BENCH_KEEP"]) console.log(`kept temp dirs (BENCH_KEEP):\n  ${temps.join("\n  ")}`);
  else for (const dir of temps) await rm(dir, { recursive: true, force: true });
}
