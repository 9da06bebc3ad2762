import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.js";
import { effectiveEndpoints } from "../../src/config/endpoints.js";
import { tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const load = async (toml: string, env: Record<string, string> = {}) => {
  await writeFile(join(dir, "specwright.toml"), toml);
  return loadConfig({ cwd: dir, env: { XDG_CONFIG_HOME: join(dir, "none"), ...env } });
};

describe("[[model.endpoints]]", () => {
  it("without entries is the one Ollama at model.host / OLLAMA_HOST with build.parallel slots", async () => {
    const { loaded, diagnostics } = await load('[build]\nparallel = 2\n', { OLLAMA_HOST: "gpu:11500" });
    expect(diagnostics).toEqual([]);
    expect(loaded.config.model.endpoints).toEqual([]);
    expect(effectiveEndpoints(loaded.config)).toEqual([{ url: "gpu:11500", kind: "ollama", slots: 2, source: "model.host" }]);
  });

  it("reads each entry with its defaults and where it is written", async () => {
    const { loaded, diagnostics } = await load(
      '[model]\ndefault = "qwen2.5-coder:14b"\n\n[[model.endpoints]]\nurl = "http://gpu1:11434"\nkind = "ollama"\n\n[[model.endpoints]]\nurl = "http://gpu2:8080/v1"\nkind = "openai"\nslots = 4\nmodels = ["qwen2.5-coder:14b"]\napi_key_env = "GPU2_KEY"\n',
    );
    expect(diagnostics).toEqual([]);
    expect(loaded.config.model.endpoints).toEqual([
      { url: "http://gpu1:11434", kind: "ollama", slots: 1, source: "specwright.toml:4" },
      { url: "http://gpu2:8080/v1", kind: "openai", slots: 4, models: ["qwen2.5-coder:14b"], apiKeyEnv: "GPU2_KEY", source: "specwright.toml:8" },
    ]);
    expect(effectiveEndpoints(loaded.config)).toHaveLength(2);
  });

  it("points at the field that is wrong, with a hint, and uses none of the entries", async () => {
    const { loaded, diagnostics } = await load('[[model.endpoints]]\nurl = "http://a:1"\nkind = "olama"\n\n[[model.endpoints]]\nurl = "http://b:2"\nkind = "openai"\nslot = 2\n');
    expect(loaded.config.model.endpoints).toEqual([]);
    expect(diagnostics.map((d) => [d.line, d.column, d.message, d.hint])).toEqual([
      [3, 1, 'kind must be "ollama" or "openai", found "olama"', 'did you mean "ollama"?'],
      [8, 1, 'unknown field "slot" in [[model.endpoints]]', "did you mean slots?"],
    ]);
    expect(diagnostics.every((d) => d.severity === "error" && d.file === "specwright.toml")).toBe(true);
  });

  it("refuses a key written where its variable's name belongs, without echoing it", async () => {
    const { diagnostics } = await load('[[model.endpoints]]\nurl = "http://a:8000/v1"\nkind = "openai"\napi_key_env = "sk-live-abc123"\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.line).toBe(4);
    expect(diagnostics[0]!.message).toMatch(/NAME of an environment variable/);
    expect(JSON.stringify(diagnostics)).not.toContain("sk-live-abc123");
  });

  it("needs a url and a kind, whole slots, and each server once", async () => {
    const { diagnostics } = await load(
      '[[model.endpoints]]\nkind = "ollama"\n\n[[model.endpoints]]\nurl = "http://b:2"\n\n[[model.endpoints]]\nurl = "http://c:3"\nkind = "ollama"\nslots = 0\n\n[[model.endpoints]]\nurl = "http://d:4"\nkind = "ollama"\n\n[[model.endpoints]]\nurl = "d:4"\nkind = "ollama"\n',
    );
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [1, "this endpoint has no url"],
      [4, "this endpoint has no kind"],
      [10, "slots must be a whole number from 1 to 64, found 0"],
      [17, "this endpoint repeats entry 4 (d:4)"],
    ]);
  });

  it("without build.parallel, the endpoints' slots added up decide how many calls run at once", async () => {
    const { loaded, diagnostics } = await load('[[model.endpoints]]\nurl = "http://a:1"\nkind = "ollama"\nslots = 4\n\n[[model.endpoints]]\nurl = "http://b:2/v1"\nkind = "openai"\nslots = 3\n');
    expect(diagnostics).toEqual([]);
    expect(loaded.config.build.parallel).toBe(7);
    expect(loaded.sources.get("build.parallel")).toEqual({ kind: "default" });
  });

  it("keeps a build.parallel set below the endpoints' slots as the limit over all of them", async () => {
    const { loaded, diagnostics } = await load('[build]\nparallel = 3\n\n[[model.endpoints]]\nurl = "http://a:1"\nkind = "ollama"\nslots = 4\n\n[[model.endpoints]]\nurl = "http://b:2"\nkind = "ollama"\nslots = 4\n');
    expect(diagnostics).toEqual([]);
    expect(loaded.config.build.parallel).toBe(3);
  });

  it("warns (no error) at build.parallel's own line when it is above the endpoints' slots, from a file or the environment", async () => {
    const endpoints = '[[model.endpoints]]\nurl = "http://a:1"\nkind = "ollama"\nslots = 2\n\n[[model.endpoints]]\nurl = "http://b:2"\nkind = "ollama"\nslots = 2\n';
    const fromFile = await load(`[build]\nreview = "off"\n  parallel = 6\n\n${endpoints}`);
    expect(fromFile.diagnostics.map((d) => [d.severity, d.file, d.line, d.column, d.code])).toEqual([["warning", "specwright.toml", 3, 3, "config/parallel-above-slots"]]);
    expect(fromFile.diagnostics[0]!.message).toBe("build.parallel = 6 is more than the 4 slots of the [[model.endpoints]]: at most 4 model calls run at once");
    expect(fromFile.loaded.config.build.parallel).toBe(6);
    const fromEnv = await load(endpoints, { SPECWRIGHT_BUILD_PARALLEL: "5" });
    expect(fromEnv.diagnostics.map((d) => [d.severity, d.file, d.code])).toEqual([["warning", "env SPECWRIGHT_BUILD_PARALLEL", "config/parallel-above-slots"]]);
  });

  it("warns that model.host is not used beside endpoints", async () => {
    const { diagnostics } = await load('[model]\nhost = "http://x:1"\n\n[[model.endpoints]]\nurl = "http://a:1"\nkind = "ollama"\n');
    expect(diagnostics.map((d) => [d.severity, d.line, d.code])).toEqual([["warning", 2, "config/host-unused"]]);
  });
});

describe("an endpoint's key variable", () => {
  it("is redacted wherever it appears once the config names it, whatever the variable is called", async () => {
    const { Redactor, secretsFromEnv } = await import("../../src/traces/redact.js");
    const env = { WORDFREQ_GPU_2: "k3y-value-that-is-long" };
    expect(new Redactor(secretsFromEnv(env)).redact("x k3y-value-that-is-long")).toBe("x k3y-value-that-is-long");
    const { diagnostics } = await load('[[model.endpoints]]\nurl = "http://a:8000/v1"\nkind = "openai"\napi_key_env = "WORDFREQ_GPU_2"\n');
    expect(diagnostics).toEqual([]);
    expect(new Redactor(secretsFromEnv(env)).redact("x k3y-value-that-is-long")).toBe("x [redacted $WORDFREQ_GPU_2]");
  });

  it("is for OpenAI-compatible servers only", async () => {
    const { diagnostics } = await load('[[model.endpoints]]\nurl = "http://a:11434"\nkind = "ollama"\napi_key_env = "OLLAMA_KEY"\n');
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([[4, 'api_key_env is for kind = "openai" servers']]);
  });
});
