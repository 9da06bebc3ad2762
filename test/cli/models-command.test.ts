// `specwright models` run as a process against the fake Ollama and against a down host.

import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";
import { closedPort } from "../models/helpers.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await cleanup();
});

describe("specwright models", () => {
  it("lists installed models and what each role resolves to, with a pull hint for a missing one", async () => {
    fake = await startFakeOllama({
      models: [
        { name: "qwen2.5-coder:14b", contextLength: 32768 },
        { name: "qwen3:8b", family: "qwen3", parameterSize: "8.2B", contextLength: 40960, capabilities: ["completion", "tools", "thinking"], sizeBytes: 5_225_387_923 },
      ],
    });
    await writeFile(
      join(dir, "specwright.toml"),
      '[model]\ndefault = "qwen2.5-coder:14b"\n\n[model.planner]\nmodel = "qwen3:8b"\nthink = true\n\n[model.reviewer]\nmodel = "devstral:24b"\n',
    );
    const r = await runCli(["models"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Ollama 0.33.0 at ${fake.url}`);
    expect(r.stdout).toMatch(/^ {2}qwen2\.5-coder:14b +9\.0 GB +14\.8B +Q4_K_M +32768 +completion, tools, insert$/m);
    expect(r.stdout).toMatch(/^ {2}qwen3:8b +5\.2 GB +8\.2B +Q4_K_M +40960 +completion, tools, thinking$/m);
    expect(r.stdout).toMatch(/^ {2}planner +qwen3:8b +on +ok$/m);
    expect(r.stdout).toMatch(/^ {2}build +qwen2\.5-coder:14b +off +ok$/m);
    expect(r.stdout).toMatch(/^ {2}reviewer +devstral:24b +off +not installed — run `ollama pull devstral:24b`$/m);
  });

  it("prints JSON with --json", async () => {
    fake = await startFakeOllama();
    const r = await runCli(["models", "--json"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout) as { host: string; models: Array<{ name: string; contextLength: number }>; roles: Array<{ role: string; installed: boolean }> };
    expect(json.host).toBe(fake.url);
    expect(json.models.map((m) => [m.name, m.contextLength])).toEqual([["qwen2.5-coder:14b", 32768]]);
    expect(json.roles.map((r) => r.role)).toEqual(["audit", "planner", "build", "fixer", "reviewer", "drafter"]);
    expect(json.roles.every((r) => r.installed)).toBe(true);
  });

  it("with Ollama down prints the unreachable message on stderr and exits 3", async () => {
    const port = await closedPort();
    const r = await runCli(["models"], { cwd: dir, env: { OLLAMA_HOST: `127.0.0.1:${port}` } });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`specwright: Ollama is not reachable at http://127.0.0.1:${port} — is \`ollama serve\` running?\n`);
  });

  it("works against the fake run as its own process (the standalone entry end-to-end tests use)", async () => {
    const script = join(dir, "fake.json");
    await writeFile(script, JSON.stringify({ options: { models: [{ name: "llama3.1:8b", family: "llama", contextLength: 131072 }] } }));
    const child = execa("node", [join(REPO_ROOT, "dist/test/fake-ollama/main.js"), "--script", script], { reject: false });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /FAKE_OLLAMA_URL=(\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once("exit", () => reject(new Error(`fake exited early: ${out}`)));
      });
      const r = await runCli(["models", "--json"], { cwd: dir, env: { OLLAMA_HOST: url, SPECWRIGHT_MODEL: "llama3.1:8b" } });
      expect(r.exitCode).toBe(0);
      expect((JSON.parse(r.stdout) as { models: Array<{ contextLength: number }> }).models[0]!.contextLength).toBe(131072);
    } finally {
      child.kill("SIGTERM");
      await child;
    }
  });
});
