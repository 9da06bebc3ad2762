// `specwright doctor` on an OpenAI-compatible endpoint: the Model section
// shows what that server says of the model (llama-server's model file and
// trained context, vLLM's root, the served window, whether the server counts
// prompts) and has no rows for what it never says (digest, size, quantization,
// capabilities) — in text, where no `?` stands in for them, and in --json,
// where those fields are absent rather than null.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama } from "../fake-ollama/server.js";
import { startFakeOpenAi } from "../fake-openai/server.js";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
const servers: { close(): Promise<void> }[] = [];
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await cleanup();
});

const project = (url: string, model: string) =>
  writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "${model}"\n\n[[model.endpoints]]\nurl = "${url}/v1"\nkind = "openai"\n`);

/** The Model section's rows as `label | value`. */
function modelSection(stdout: string): string[] {
  const section = stdout.slice(stdout.indexOf("Model ("), stdout.indexOf("\nRun\n"));
  return section.trimEnd().split("\n").map((l) => l.trim().replace(/ {2,}/g, " | "));
}

const OLLAMA_ONLY = ["digest", "family", "parameterSize", "quantization", "capabilities", "remote"];

describe("doctor's Model section on an OpenAI-compatible server", () => {
  it("llama-server: its model file, trained and served context, counted prompts; no digest, size or capabilities", async () => {
    const llama = await startFakeOpenAi({ flavour: "llama-server", models: ["qwen2.5-coder:14b"], contextLength: 16384, totalSlots: 1 });
    servers.push(llama);
    await project(llama.url, "qwen2.5-coder:14b");
    const text = await runCli(["doctor", "--no-probe"], { cwd: dir });
    expect(text.exitCode, text.stderr).toBe(0);
    // The fake's /props model_path is /models/<alias>-Q4_K_M.gguf and n_ctx the slot's 16384;
    // its /v1/models meta.n_ctx_train is 32768 (models/openai-wire.ts wireProps, wireLlamaModels).
    expect(modelSection(text.stdout)).toEqual([
      "Model (build)",
      "name | qwen2.5-coder:14b",
      "file | /models/qwen2.5-coder:14b-Q4_K_M.gguf",
      "trained for | 32768 tokens (n_ctx_train)",
      "max context | 16384 (the server's, /props n_ctx)",
      "tokenizer | qwen (estimate margin ×1.1)",
      "prompt tokens | counted by the server (/tokenize) before sending",
    ]);
    expect(text.stdout).not.toMatch(/\?/);
    expect(text.stdout).toMatch(/^ {2}num_ctx {11}auto \(the server's window: 16384\)$/m);

    const json = await runCli(["doctor", "--json", "--no-probe"], { cwd: dir });
    const report = JSON.parse(json.stdout) as { model: Record<string, unknown> };
    expect(report.model).toEqual({
      kind: "openai",
      name: "qwen2.5-coder:14b",
      role: "build",
      installed: true,
      maxContext: 16384,
      tokenizerFamily: "qwen",
      estimateMargin: 1.1,
      file: "/models/qwen2.5-coder:14b-Q4_K_M.gguf",
      trainedContext: 32768,
      promptCounting: "server",
    });
    for (const field of OLLAMA_ONLY) expect(report.model).not.toHaveProperty(field);
  });

  it("llama-server under another alias: the model is served (it answers every request with its one model), as a build would find", async () => {
    const llama = await startFakeOpenAi({ flavour: "llama-server", models: ["coder-alias"], contextLength: 16384 });
    servers.push(llama);
    await project(llama.url, "qwen2.5-coder:14b");
    const r = await runCli(["doctor", "--no-probe"], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(modelSection(r.stdout).slice(0, 3)).toEqual(["Model (build)", "name | qwen2.5-coder:14b", "file | /models/coder-alias-Q4_K_M.gguf"]);
    expect(r.stdout).not.toContain("not served");
  });

  it("vLLM: the model its served name stands for (root), max_model_len; no file, trained context or Ollama fields", async () => {
    // Started as `vllm serve Qwen/Qwen2.5-Coder-14B-Instruct --served-model-name coder --max-model-len 16384`.
    const vllm = await startFakeOpenAi({ flavour: "vllm", models: ["coder"], contextLength: 16384, root: "Qwen/Qwen2.5-Coder-14B-Instruct" });
    servers.push(vllm);
    await project(vllm.url, "coder");
    const text = await runCli(["doctor", "--no-probe"], { cwd: dir });
    expect(text.exitCode, text.stderr).toBe(0);
    const rows = modelSection(text.stdout);
    expect(rows.slice(0, 4)).toEqual(["Model (build)", "name | coder", "root | Qwen/Qwen2.5-Coder-14B-Instruct", "max context | 16384 (the server's, /v1/models max_model_len)"]);
    expect(rows).toContain("prompt tokens | counted by the server (/tokenize) before sending");
    expect(text.stdout).not.toMatch(/digest|size \/ quant|capabilities|file {2,}|trained for/);

    const json = await runCli(["doctor", "--json", "--no-probe"], { cwd: dir });
    const report = JSON.parse(json.stdout) as { model: Record<string, unknown> };
    expect(report.model).toMatchObject({ kind: "openai", name: "coder", installed: true, maxContext: 16384, root: "Qwen/Qwen2.5-Coder-14B-Instruct", promptCounting: "server" });
    for (const field of [...OLLAMA_ONLY, "file", "trainedContext"]) expect(report.model).not.toHaveProperty(field);
  });

  it("the probe on vLLM, which times no prompt evaluation, says so instead of printing `?`", async () => {
    const vllm = await startFakeOpenAi({ flavour: "vllm", models: ["qwen2.5-coder:14b"], contextLength: 16384 });
    servers.push(vllm);
    await project(vllm.url, "qwen2.5-coder:14b");
    const r = await runCli(["doctor"], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}prompt eval {7}\d+ tokens \(the server reports no timing\)$/m);
    expect(r.stdout).not.toMatch(/\?/);
  });

  it("Ollama keeps its rows, with kind \"ollama\" in --json", async () => {
    const ollama = await startFakeOllama();
    servers.push(ollama);
    await writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "qwen2.5-coder:14b"\n`);
    const text = await runCli(["doctor", "--no-probe"], { cwd: dir, env: { OLLAMA_HOST: ollama.url } });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(modelSection(text.stdout).map((r) => r.split(" | ")[0])).toEqual(["Model (build)", "name", "digest", "size / quant", "max context", "capabilities", "tokenizer"]);
    // The fake's /api/tags: parameter_size 14.8B, quantization_level Q4_K_M (test/fake-ollama/server.ts defaults).
    expect(text.stdout).toMatch(/^ {2}size \/ quant {6}14\.8B · Q4_K_M$/m);
    const json = await runCli(["doctor", "--json", "--no-probe"], { cwd: dir, env: { OLLAMA_HOST: ollama.url } });
    const report = JSON.parse(json.stdout) as { model: Record<string, unknown> };
    expect(report.model).toMatchObject({ kind: "ollama", parameterSize: "14.8B", quantization: "Q4_K_M", remote: false });
    expect(report.model).not.toHaveProperty("promptCounting");
  });
});
