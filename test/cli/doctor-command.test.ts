// `specwright doctor` against the fake Ollama: what it reports per server
// generation, the probe's verdict on the prefix cache, problems with fixes,
// --json, and its exit codes.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { closedPort } from "../models/helpers.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { unwrapped } from "../helpers/doctor-text.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await cleanup();
});

// The text output wraps at 80 columns: sentences are matched with their lines joined.
const doctor = async (...args: string[]) => {
  const r = await runCli(["doctor", ...args], { cwd: dir, env: { OLLAMA_HOST: fake?.url } });
  return { ...r, stdout: args.includes("--json") ? r.stdout : unwrapped(r.stdout) };
};

describe("specwright doctor", () => {
  it("on a current server: version, support, the model's facts, the loaded context, speeds and a working prefix cache", async () => {
    fake = await startFakeOllama({ tokensPerSecond: 200, models: [{ name: "qwen2.5-coder:14b" }, { name: "qwen3:8b", capabilities: ["completion", "thinking"] }] });
    const r = await doctor();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/version +0\.33\.0/);
    expect(r.stdout).toMatch(/refuses overflow +yes/);
    expect(r.stdout).toMatch(/max context +32768/);
    expect(r.stdout).toMatch(/tokenizer +qwen \(estimate margin ×1\.1\)/);
    expect(r.stdout).toMatch(/loaded context +\d+/);
    expect(r.stdout).toMatch(/prefix cache +works — the second call read \d+ of \d+ prompt tokens from the cache/);
    expect(r.stdout).toContain("No problems found.");
    // The probe: a preload, then the same prompt twice, with the overflow flags.
    const probes = fake.promptRequests();
    expect(probes).toHaveLength(2);
    expect(probes[1]!.messages).toEqual(probes[0]!.messages);
    expect([probes[0]!.truncate, probes[0]!.shift]).toEqual([false, false]);
  });

  it("--json has the server, model, run, probe and problems", async () => {
    fake = await startFakeOllama();
    const r = await doctor("--json");
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report["server"]).toMatchObject({ kind: "ollama", reachable: true, version: "0.33.0", refusesOverflow: true, promptEvalCount: "all", psReportsLoadedContext: true });
    expect(report["model"]).toMatchObject({ name: "qwen2.5-coder:14b", installed: true, maxContext: 32768, tokenizerFamily: "qwen", estimateMargin: 1.1 });
    expect(report["run"]).toMatchObject({ configuredNumCtx: "auto", outputBudget: 8192 });
    expect(report["probe"]).toMatchObject({ prefixCache: "works" });
    expect(report["problems"]).toEqual([]);
    expect(typeof report["wallMs"]).toBe("number");
  });

  it("on Ollama 0.12.3: says the server cannot refuse an over-long prompt, with the upgrade as the fix", async () => {
    fake = await startFakeOllama({ profile: "0.12.3" });
    const r = await doctor();
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/refuses overflow +no/);
    expect(r.stdout).toMatch(/warning: Ollama 0\.12\.3 cannot refuse an over-long prompt/);
    expect(r.stdout).toMatch(/fix: upgrade Ollama/);
    // No cached count on this version: the cache is judged from prompt-eval durations.
    expect(r.stdout).toMatch(/prefix cache +(works|not working|unknown) — prompt evaluation took/);
  });

  it("a cloud model without a context length and num_ctx auto: exit 2 naming model.num_ctx", async () => {
    fake = await startFakeOllama({ models: [{ name: "qwen2.5-coder:14b", remote: true }] });
    const r = await doctor();
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/error: .*does not say how much context qwen2\.5-coder:14b holds/);
    expect(r.stdout).toContain("fix: set model.num_ctx");
    expect(fake.promptRequests()).toHaveLength(0);
  });

  it("a missing model: exit 3 with the pull command; a server that is down: exit 3 naming ollama serve", async () => {
    fake = await startFakeOllama({ models: [{ name: "llama3.2:3b" }] });
    const missing = await doctor("--no-probe");
    expect(missing.exitCode).toBe(3);
    expect(missing.stdout).toContain("ollama pull qwen2.5-coder:14b");
    await fake.close();
    fake = undefined;
    const down = await runCli(["doctor"], { cwd: dir, env: { OLLAMA_HOST: `127.0.0.1:${await closedPort()}` } });
    expect(down.exitCode).toBe(3);
    expect(unwrapped(down.stdout)).toContain("is `ollama serve` running?");
  });

  it("--no-probe loads nothing; an unknown role is a usage error", async () => {
    fake = await startFakeOllama();
    const r = await doctor("--no-probe");
    expect(r.exitCode).toBe(0);
    expect(fake.requests.filter((q) => q.path === "/api/chat")).toHaveLength(0);
    expect(r.stdout).toContain("not loaded (--no-probe)");
    const bad = await doctor("--role", "builder");
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("unknown role 'builder'");
  });
});
