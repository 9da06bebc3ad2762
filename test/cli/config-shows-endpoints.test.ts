// `specwright config` with [[model.endpoints]]: each entry as a TOML table
// with where it is written, credentials never printed, the key variable by
// name only; a bad entry is a diagnostic at its line (exit 2).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const TOML = `[model]
default = "qwen2.5-coder:14b"

[[model.endpoints]]
url = "http://me:s3cret-pass@gpu1:11434"
kind = "ollama"

[[model.endpoints]]
url = "http://gpu2:8080/v1"
kind = "openai"
slots = 2
models = ["qwen2.5-coder:14b"]
api_key_env = "GPU2_TOKEN"
`;

describe("specwright config with endpoints", () => {
  it("prints each endpoint as a table with its source, without credentials or key values", async () => {
    await writeFile(join(dir, "specwright.toml"), TOML);
    const r = await runCli(["config"], { cwd: dir, env: { GPU2_TOKEN: "tok-value-123456" } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('[[model.endpoints]]  # specwright.toml:4\nurl = "http://gpu1:11434"\nkind = "ollama"\nslots = 1\n');
    expect(r.stdout).toContain('[[model.endpoints]]  # specwright.toml:8\nurl = "http://gpu2:8080/v1"\nkind = "openai"\nslots = 2\nmodels = ["qwen2.5-coder:14b"]\napi_key_env = "GPU2_TOKEN"\n');
    expect(r.stdout).not.toContain("s3cret-pass");
    expect(r.stdout).not.toContain("tok-value-123456");
    const json = await runCli(["config", "--json"], { cwd: dir });
    const parsed = JSON.parse(json.stdout) as { config: { model: { endpoints: { url: string; apiKeyEnv?: string }[] } } };
    expect(parsed.config.model.endpoints.map((e) => [e.url, e.apiKeyEnv])).toEqual([["http://gpu1:11434", undefined], ["http://gpu2:8080/v1", "GPU2_TOKEN"]]);
    expect(json.stdout).not.toContain("s3cret-pass");
  });

  it("says build.parallel left unset is the endpoints' slots added up, not a plain default", async () => {
    await writeFile(join(dir, "specwright.toml"), TOML);
    const r = await runCli(["config"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    // The two entries above: slots 1 (unset) and slots = 2.
    expect(r.stdout).toMatch(/^build\.parallel = 3\s+# default: the endpoints' slots added up$/m);
    const json = JSON.parse((await runCli(["config", "--json"], { cwd: dir })).stdout) as { config: { build: { parallel: number } }; sources: Record<string, string> };
    expect([json.config.build.parallel, json.sources["build.parallel"]]).toEqual([3, "default: the endpoints' slots added up"]);
    // Set in the file, it is the file's value and line, whatever the slots.
    await writeFile(join(dir, "specwright.toml"), TOML.replace('default = "qwen2.5-coder:14b"\n', 'default = "qwen2.5-coder:14b"\n\n[build]\nparallel = 2\n'));
    const set = await runCli(["config"], { cwd: dir });
    expect(set.stdout).toMatch(/^build\.parallel = 2\s+# specwright\.toml:5$/m);
  });

  it("reports a bad entry at its line and column with a hint, exit 2", async () => {
    await writeFile(join(dir, "specwright.toml"), TOML.replace('kind = "openai"', 'kind = "vllm"'));
    const r = await runCli(["config"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('specwright.toml:10:1');
    expect(r.stderr).toContain('kind must be "ollama" or "openai", found "vllm"');
  });
});
