// One build over several endpoints (issue 16): a plan of 8 independent tasks,
// built by the CLI as a child process against fake Ollamas pacing replies at
// 50 tokens/s per slot. Each task's first reply fails its verify once and its
// fix passes, so every task sends a fix attempt whose ~3k-token prompt repeats
// its first prompt and reply. Compared in the same run, medians of
// BENCH_REPEATS: one endpoint with one slot (the baseline), two endpoints with
// one slot each, one endpoint with two slots (OLLAMA_NUM_PARALLEL=2: the fake
// then answers two prompts at once and keeps one cache slot per sequence).
// build.overlap_verify is off in all three, the setting that keeps a failing
// task's prompt cached for its fix. Prints wall times, the speed-up, and the
// share of the fix attempts' prompt tokens served from the prefix cache.
// Run: npm run build && node dist/bench/endpoints.js

import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeOllama, type FakeOllama, type RecordedRequest } from "../test/fake-ollama/server.js";
import { CALC_AMD, CALC_SMD, writeProject } from "../test/helpers/spec-project.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 3);
const TASKS = 8;
const TOKENS_PER_SECOND = Number(process.env["BENCH_TOKENS_PER_SECOND"] ?? 50);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function cli(args: string[], cwd: string): Promise<{ code: number; ms: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: join(cwd, ".none"), SPECWRIGHT_BUILD_REVIEW: "off" };
    delete env["OLLAMA_HOST"];
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, ms: performance.now() - started, stderr }));
  });
}

const fence = "```";
// (Replies are whole files, as a build's are: long enough that the model, not the machine, is what is measured.)
const ids = Array.from({ length: TASKS }, (_, i) => `T${String(i + 1).padStart(3, "0")}`);

/** ~2.5k tokens of reference text per task, different for each, so each prompt is ~3k tokens. */
function contextFile(n: number): string {
  const lines = [`# Notes for module ${n}`, ""];
  for (let i = 0; i < 120; i++) lines.push(`- rule ${n}.${i}: values of kind ${(i * 7 + n) % 13} are added left to right and checked as integers before use.`);
  return lines.join("\n") + "\n";
}

function plan(): string {
  return (
    "version = 1\n" +
    ids
      .map(
        (id, i) => `
[[task]]
id = "${id}"
spec = "CALC"
title = "Module ${i + 1}"
outputs = ["calc/m${i + 1}.py"]
depends_on = []
refs = ["requirements/add"]
context = ["context/m${i + 1}.md"]
verify = ["python3 -m py_compile calc/m${i + 1}.py"]
status = "auto"
`,
      )
      .join("")
  );
}

/** A module of about 300 tokens (6 s at 50 tok/s); the first reply has a syntax error its fix removes. */
function reply(request: RecordedRequest): { content: string } {
  const user = request.messages?.find((m) => m.role === "user")?.content ?? "";
  const n = Number(/^# Task T(\d+):/m.exec(user)?.[1] ?? "0");
  const fix = (request.messages ?? []).some((m) => m.role === "assistant");
  const notes = Array.from({ length: 15 }, (_, i) => `# rule ${n}.${i}: integers only, added left to right\n`).join("");
  const body = `${notes}def add_${n}(a: int, b: int) -> int:\n    if not isinstance(a, int) or not isinstance(b, int):\n        raise TypeError("add takes integers")\n    return a + b${fix ? "" : " +"}\n`;
  return { content: `calc/m${n}.py\n${fence}python\n${body}${fence}\n` };
}

type Setup = "one endpoint, one slot" | "two endpoints" | "one endpoint, two slots";

async function once(setup: Setup): Promise<{ ms: number; fixes: RecordedRequest[]; firsts: RecordedRequest[] }> {
  const dir = await mkdtemp(join(tmpdir(), "sw-endpoints-bench-"));
  const fakes: FakeOllama[] = [];
  try {
    const count = setup === "two endpoints" ? 2 : 1;
    for (let i = 0; i < count; i++) {
      fakes.push(await startFakeOllama({ defaultReply: reply, tokensPerSecond: TOKENS_PER_SECOND, parallel: setup === "one endpoint, two slots" ? 2 : 1 }));
    }
    const slots = setup === "one endpoint, two slots" ? 2 : 1;
    const endpoints = fakes.map((f) => `\n[[model.endpoints]]\nurl = "${f.url}"\nkind = "ollama"\nslots = ${slots}\n`).join("");
    const files: Record<string, string> = {
      "specwright.toml": `[project]\nname = "calc"\n\n[output]\ndir = "output"\nlanguage = "python"\n\n[model]\ndefault = "qwen2.5-coder:14b"\n${endpoints}\n[build]\nmax_fix_attempts = 2\noverlap_verify = false\n`,
      "specs/calc.smd": CALC_SMD,
      "specs/calc.amd": CALC_AMD,
      ".specwright/plan.toml": plan(),
    };
    for (let i = 1; i <= TASKS; i++) files[`context/m${i}.md`] = contextFile(i);
    await writeProject(dir, files);
    const built = await cli(["build"], dir);
    if (built.code !== 0) throw new Error(`build failed (${setup}): ${built.stderr}`);
    const requests = fakes.flatMap((f) => f.promptRequests());
    const isFix = (r: RecordedRequest) => (r.messages ?? []).some((m) => m.role === "assistant");
    return { ms: built.ms, fixes: requests.filter(isFix), firsts: requests.filter((r) => !isFix(r)) };
  } finally {
    await Promise.all(fakes.map((f) => f.close()));
    await rm(dir, { recursive: true, force: true });
  }
}

const setups: Setup[] = ["one endpoint, one slot", "two endpoints", "one endpoint, two slots"];
const times = new Map<Setup, number[]>(setups.map((s) => [s, []]));
const cache = new Map<Setup, { prompt: number; cached: number; min: number; firstPrompt: number[] }>(setups.map((s) => [s, { prompt: 0, cached: 0, min: 1, firstPrompt: [] }]));
// Interleaved, so a slower moment of the machine hits every setup alike.
for (let i = 0; i < REPEATS; i++) {
  for (const setup of setups) {
    const run = await once(setup);
    times.get(setup)!.push(run.ms);
    const c = cache.get(setup)!;
    for (const f of run.fixes) {
      c.prompt += f.promptTokens ?? 0;
      c.cached += f.cachedTokens ?? 0;
      c.min = Math.min(c.min, (f.cachedTokens ?? 0) / (f.promptTokens ?? 1));
    }
    c.firstPrompt.push(...run.firsts.map((r) => r.promptTokens ?? 0));
  }
}
const base = median(times.get("one endpoint, one slot")!);
console.log(`${TASKS} independent tasks, one fix each, ${TOKENS_PER_SECOND} tok/s per slot, overlap_verify off; medians of ${REPEATS}`);
console.log("setup                     wall (s)  speed-up  fix prompts from cache (all / worst)  first prompt (tokens)");
for (const setup of setups) {
  const ms = median(times.get(setup)!);
  const c = cache.get(setup)!;
  console.log(
    `${setup.padEnd(24)}  ${(ms / 1000).toFixed(2).padStart(8)}  ${(base / ms).toFixed(2).padStart(7)}×  ${((c.cached / Math.max(1, c.prompt)) * 100).toFixed(1).padStart(10)} % / ${(c.min * 100).toFixed(1)} %              ${median(c.firstPrompt)}`,
  );
}
console.log(`runs: ${setups.map((s) => `${s}: ${times.get(s)!.map((t) => (t / 1000).toFixed(2)).join(", ")} s`).join("; ")}`);
