// Measures `specwright ask`: (1) the prompt an ask sends (estimated tokens,
// models/token-estimate.ts) on the wordfreq example and every Ossature
// fixture, whole and under num_ctx 4096 and 8192, and what the budget leaves
// out; (2) the time from starting `specwright ask` to the diff on stdout,
// against the fake Ollama streaming at 50 tokens a second, with `specwright
// validate` as the baseline process in the same run (medians of 5); (3) model
// calls per accepted change, read from the log's proposals.
//
//   npm run build && node dist/bench/ask.js

import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { estimateMessagesTokens, fitsContext } from "../models/context-budget.js";
import { loadConfig } from "../src/config/load.js";
import { ASK_OUTPUT_BUDGET, askPrompt } from "../src/intent/ask-prompt.js";
import { loadProjectSpecs } from "../src/specs/project-specs.js";
import { startFakeOllama } from "../test/fake-ollama/server.js";

const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const cli = join(repo, "dist", "src", "cli", "main.js");

async function promptSizes(): Promise<void> {
  const projects = [join(repo, "examples", "wordfreq"), ...(await readdir(join(repo, "test", "fixtures", "ossature"), { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== "older-plans" && d.name !== "test-inputs").map((d) => join(repo, "test", "fixtures", "ossature", d.name))];
  console.log("Prompt of one ask (estimated tokens; output budget %d):", ASK_OUTPUT_BUDGET);
  for (const dir of projects) {
    const { loaded } = await loadConfig({ cwd: dir, env: {}, flags: {} });
    const specs = await loadProjectSpecs(loaded);
    if (specs.groups.length === 0) {
      console.log(`  ${dir.slice(repo.length + 1)}: specs do not validate here, skipped`);
      continue;
    }
    const bytes = specs.sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
    const words = `${specs.groups[0]!.id}: the default limit should be 20 and file names should ignore case`;
    const input = { words, context: { source: "cli ask" }, recent: [], groups: specs.groups };
    const whole = askPrompt(input);
    const line = [`  ${dir.slice(repo.length + 1)}: ${specs.sources.length} spec files, ${bytes} bytes → ${estimateMessagesTokens(whole.messages)} tokens whole`];
    for (const numCtx of [4096, 8192]) {
      const fitted = askPrompt(input, (m) => fitsContext(estimateMessagesTokens(m), ASK_OUTPUT_BUDGET, numCtx));
      line.push(`num_ctx ${numCtx}: ${estimateMessagesTokens(fitted.messages)} tokens, left out ${fitted.leftOut.length === 0 ? "nothing" : fitted.leftOut.join(", ")}`);
    }
    console.log(line.join("; "));
  }
}

function run(args: string[], cwd: string, env: Record<string, string>): Promise<{ ms: number; code: number | null; stdout: string }> {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: join(cwd, ".none"), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("close", (code) => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout }));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function askLatency(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "specwright-bench-ask-"));
  try {
    await cp(join(repo, "examples", "wordfreq"), dir, { recursive: true });
    const smd = await readFile(join(dir, "specs", "wordfreq.smd"), "utf8");
    const line = smd.split("\n").find((l) => /\*\*Accepts:\*\*/.test(l)) ?? smd.split("\n").find((l) => l.startsWith("- "))!;
    const reply = { content: JSON.stringify({ questions: [], assumptions: [], edits: [{ file: "specs/wordfreq.smd", search: line, replace: `${line}\n\nFile names are compared ignoring case.`, kind: "explicit", reason: "the person said: ignore case in file names" }] }) };
    const fake = await startFakeOllama({ tokensPerSecond: 50, models: [{ name: "qwen2.5-coder:7b" }], defaultReply: reply });
    try {
      const asks: number[] = [];
      const validates: number[] = [];
      for (let i = 0; i < 5; i++) {
        validates.push((await run(["validate"], dir, {})).ms);
        const r = await run(["ask", "ignore case in file names"], dir, { OLLAMA_HOST: fake.url });
        if (r.code !== 0 || !r.stdout.includes("+++ b/specs/wordfreq.smd")) throw new Error(`ask failed (${r.code}): ${r.stdout}`);
        asks.push(r.ms);
      }
      const replyTokens = Math.round((reply.content.length / 4));
      console.log(`\nTime to the diff, wordfreq, fake Ollama at 50 tok/s (reply ~${replyTokens} tokens), medians of 5 processes:`);
      console.log(`  specwright ask: ${median(asks).toFixed(0)} ms (runs: ${asks.map((x) => x.toFixed(0)).join(", ")})`);
      console.log(`  baseline specwright validate: ${median(validates).toFixed(0)} ms`);
      const log = (await readFile(join(dir, ".specwright", "intent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { event: string; calls?: number });
      const calls = log.filter((e) => e.event === "proposal").map((e) => e.calls ?? 0);
      console.log(`  model calls per proposal: ${calls.join(", ")} (re-asks count as calls)`);
    } finally {
      await fake.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await promptSizes();
await askLatency();
