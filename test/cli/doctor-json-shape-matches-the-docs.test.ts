// docs/doctor.md shows `specwright doctor --json` for an Ollama server and for
// a llama-server endpoint. Both blocks must be valid JSON with the fields the
// real output has — no more, no fewer — so the documented shape cannot drift.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama } from "../fake-ollama/server.js";
import { startFakeOpenAi } from "../fake-openai/server.js";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
const servers: { close(): Promise<void> }[] = [];
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await cleanup();
});

type Json = Record<string, unknown>;

async function documentedReports(): Promise<Json[]> {
  const doc = await readFile(join(REPO_ROOT, "docs", "doctor.md"), "utf8");
  return [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Json);
}

/** Each part's field names: the report's own, and those of server, model, run, probe and the first endpoint. */
function shape(report: Json): Record<string, string[]> {
  const keys = (value: unknown) => Object.keys((value ?? {}) as Json).sort();
  const endpoints = report["endpoints"] as Json[] | undefined;
  return {
    report: keys(report),
    server: keys(report["server"]),
    model: keys(report["model"]),
    run: keys(report["run"]),
    probe: keys(report["probe"]),
    endpoint: keys(endpoints?.[0]),
  };
}

describe("doctor --json as docs/doctor.md shows it", () => {
  it("the Ollama and llama-server examples are valid JSON with the real output's fields", async () => {
    const [ollamaDoc, llamaDoc] = await documentedReports();
    expect([(ollamaDoc!["model"] as Json)["kind"], (llamaDoc!["model"] as Json)["kind"]]).toEqual(["ollama", "openai"]);

    const ollama = await startFakeOllama();
    const llama = await startFakeOpenAi({ flavour: "llama-server", models: ["qwen2.5-coder-14b"], contextLength: 16384, totalSlots: 2 });
    servers.push(ollama, llama);
    await writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "qwen2.5-coder:14b"\n`);
    const fromOllama = await runCli(["doctor", "--json"], { cwd: dir, env: { OLLAMA_HOST: ollama.url } });
    expect(fromOllama.exitCode, fromOllama.stderr).toBe(0);
    expect(shape(JSON.parse(fromOllama.stdout) as Json)).toEqual(shape(ollamaDoc!));

    await writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "qwen2.5-coder-14b"\n\n[[model.endpoints]]\nurl = "${llama.url}/v1"\nkind = "openai"\nslots = 2\napi_key_env = "GPU1_KEY"\n`);
    const fromLlama = await runCli(["doctor", "--json"], { cwd: dir, env: { GPU1_KEY: "k" } });
    expect(fromLlama.exitCode, fromLlama.stderr).toBe(0);
    expect(shape(JSON.parse(fromLlama.stdout) as Json)).toEqual(shape(llamaDoc!));
  });
});
