// `specwright models` and `specwright doctor` with [[model.endpoints]]: every
// endpoint with its state (reachable, version, models served, slots), as text
// and as --json, against a fake Ollama, a fake llama-server and a closed port.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { startFakeOpenAi, type FakeOpenAi } from "../fake-openai/server.js";
import { closedPortUrl, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
let ollama: FakeOllama;
let llama: FakeOpenAi;
let down: string;
const KEY = "sk-doctor-test-0123456789";

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  ollama = await startFakeOllama();
  llama = await startFakeOpenAi({ flavour: "llama-server", models: ["qwen2.5-coder:14b"], contextLength: 32768, totalSlots: 2, apiKey: KEY });
  down = await closedPortUrl();
  await writeFile(
    join(dir, "specwright.toml"),
    `[model]\ndefault = "qwen2.5-coder:14b"\n\n[[model.endpoints]]\nurl = "${ollama.url}"\nkind = "ollama"\n\n[[model.endpoints]]\nurl = "${llama.url}/v1"\nkind = "openai"\nslots = 4\napi_key_env = "DOCTOR_GPU"\n\n[[model.endpoints]]\nurl = "${down}"\nkind = "ollama"\n`,
  );
});
afterEach(async () => {
  await Promise.all([ollama.close(), llama.close()]);
  await cleanup();
});

interface State {
  endpoint: string;
  kind: string;
  slots: number;
  reachable: boolean;
  version: string | null;
  models: string[];
  serverSlots?: number;
  problem?: { message: string };
}

describe("endpoints in models and doctor", () => {
  it("models --json lists each endpoint's state and which endpoints serve each role", async () => {
    const r = await runCli(["models", "--json"], { cwd: dir, env: { DOCTOR_GPU: KEY } });
    expect(r.exitCode, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { endpoints: State[]; roles: { role: string; endpoints: string[] }[] };
    expect(json.endpoints.map((e) => [e.endpoint, e.kind, e.slots, e.reachable, e.models])).toEqual([
      [ollama.url, "ollama", 1, true, ["qwen2.5-coder:14b"]],
      [`${llama.url}/v1`, "openai", 4, true, ["qwen2.5-coder:14b"]],
      [down, "ollama", 1, false, []],
    ]);
    expect(json.endpoints[0]!.version).toBe("0.33.0");
    expect(json.endpoints[1]!.serverSlots).toBe(2);
    expect(json.endpoints[2]!.problem!.message).toContain("not reachable");
    expect(json.roles.find((r) => r.role === "build")!.endpoints).toEqual([ollama.url, `${llama.url}/v1`]);
    expect(r.stdout).not.toContain(KEY);
  });

  it("models prints a table of endpoints, flags slots the server does not have, and names the one that is down", async () => {
    const r = await runCli(["models"], { cwd: dir, env: { DOCTOR_GPU: KEY } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ {2}${llama.url.replace(/\./g, "\\.")}/v1 +openai +4 \\(server: 2\\) +up`, "m"));
    expect(r.stdout).toMatch(new RegExp(`^ {2}${down.replace(/\./g, "\\.")} +ollama +1 +unreachable`, "m"));
    expect(r.stdout).toMatch(/^ {2}build +qwen2\.5-coder:14b +off +2 of 3$/m);
  });

  it("doctor lists every endpoint and checks the first that serves the role's model", async () => {
    const r = await runCli(["doctor", "--json", "--no-probe"], { cwd: dir, env: { DOCTOR_GPU: KEY } });
    expect(r.exitCode, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { endpoints: State[]; host: string; problems: { problem: string }[] };
    expect(json.endpoints.map((e) => e.reachable)).toEqual([true, true, false]);
    expect(json.host).toBe(ollama.url);
    expect(json.problems.map((p) => p.problem)).toEqual(expect.arrayContaining([expect.stringContaining(`endpoint ${down}`), `endpoint ${llama.url}/v1 is given 4 slots but the server runs 2 requests at once`]));
  });

  it("with every endpoint down, models exits 3", async () => {
    await writeFile(join(dir, "specwright.toml"), `[[model.endpoints]]\nurl = "${down}"\nkind = "ollama"\n`);
    const r = await runCli(["models"], { cwd: dir });
    expect(r.exitCode).toBe(3);
  });

  it("doctor checks an OpenAI-compatible endpoint through its own adapter, not Ollama's API", async () => {
    await writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "qwen2.5-coder:14b"\n\n[[model.endpoints]]\nurl = "${llama.url}/v1"\nkind = "openai"\nslots = 2\napi_key_env = "DOCTOR_GPU"\n`);
    const r = await runCli(["doctor", "--json", "--no-probe"], { cwd: dir, env: { DOCTOR_GPU: KEY } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { host: string; server: { reachable: boolean }; model: { installed: boolean; maxContext: number | null }; run: { numCtx: number } };
    expect(json.host).toBe(`${llama.url}/v1`);
    expect(json.server.reachable).toBe(true);
    expect(json.model.installed).toBe(true);
    expect(json.run.numCtx).toBeLessThanOrEqual(32768);
    expect(r.stdout).not.toContain(KEY);
  });

  it("doctor shows what a llama-server says of itself, and none of Ollama's rows, as text and as --json", async () => {
    await writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "qwen2.5-coder:14b"\n\n[[model.endpoints]]\nurl = "${llama.url}/v1"\nkind = "openai"\nslots = 4\napi_key_env = "DOCTOR_GPU"\n`);
    const json = await runCli(["doctor", "--json", "--no-probe"], { cwd: dir, env: { DOCTOR_GPU: KEY } });
    expect(json.exitCode, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { server: Record<string, unknown> };
    // The fake's /props: default_generation_settings.n_ctx 32768, total_slots 2, build_info b6500-fake.
    expect(report.server).toEqual({
      kind: "openai",
      reachable: true,
      flavour: "llama-server",
      version: "b6500-fake",
      servedContext: { tokens: 32768, from: "/props n_ctx" },
      totalSlots: 2,
      slots: 4,
      models: ["qwen2.5-coder:14b"],
      apiKeyEnv: { name: "DOCTOR_GPU", set: true },
    });

    const text = await runCli(["doctor", "--no-probe"], { cwd: dir, env: { DOCTOR_GPU: KEY } });
    expect(text.exitCode, text.stderr).toBe(0);
    const server = text.stdout.slice(text.stdout.indexOf("Server\n"), text.stdout.indexOf("\nModel ("));
    expect(server.split("\n").map((l) => l.trim().replace(/ {2,}/g, " | "))).toEqual([
      "Server",
      `host | ${llama.url}/v1`,
      "server | llama.cpp llama-server (answers /props)",
      "version | b6500-fake",
      "served context | 32768 tokens (/props n_ctx)",
      "total slots | 2 (this endpoint is given 4)",
      "models | qwen2.5-coder:14b",
      "api key | DOCTOR_GPU is set",
      "",
    ]);
    expect(text.stdout).not.toMatch(/refuses overflow|prompt counts|\/api\/ps|OLLAMA_/);
    expect(server.split("\n").every((l) => l.length <= 80)).toBe(true);
  });

  it("doctor reads a vLLM server's context from /v1/models and says when its key variable is not set", async () => {
    const vllm = await startFakeOpenAi({ flavour: "vllm", models: ["qwen2.5-coder:14b"], contextLength: 16384 });
    try {
      await writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "qwen2.5-coder:14b"\n\n[[model.endpoints]]\nurl = "${vllm.url}/v1"\nkind = "openai"\nslots = 3\napi_key_env = "DOCTOR_VLLM"\n`);
      const r = await runCli(["doctor", "--json", "--no-probe"], { cwd: dir });
      expect(r.exitCode, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { server: Record<string, unknown>; problems: { problem: string }[] };
      // vLLM's ModelCard max_model_len and GET /version (the fake answers 0.11.0); it reports no slot count.
      expect(report.server).toMatchObject({ kind: "openai", flavour: "vllm", version: "0.11.0", servedContext: { tokens: 16384, from: "/v1/models max_model_len" }, totalSlots: null, apiKeyEnv: { name: "DOCTOR_VLLM", set: false } });
      expect(report.server).not.toHaveProperty("refusesOverflow");
      expect(report.problems.map((p) => p.problem)).toContain(`endpoint ${vllm.url}/v1: api_key_env names DOCTOR_VLLM, which is not set`);
      const text = await runCli(["doctor", "--no-probe"], { cwd: dir });
      expect(text.stdout).toMatch(/^ {2}api key {11}DOCTOR_VLLM is not set$/m);
      expect(text.stdout).toMatch(/^ {2}total slots {7}not reported \(this endpoint is given 3\)$/m);
    } finally {
      await vllm.close();
    }
  });
});
