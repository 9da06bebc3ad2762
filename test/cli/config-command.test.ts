import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe("specwright config", () => {
  it("prints each effective value with where it came from", async () => {
    await writeFile(join(dir, "specwright.toml"), '[model]\ndefault = "qwen3:8b"\n\n[build]\nparallel = 2\n');
    const r = await runCli(["config"], { cwd: dir, env: { OLLAMA_HOST: "gpu-box:11434", SPECWRIGHT_BUILD_GIT: "false" } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^model\.default = "qwen3:8b"\s+# specwright\.toml:2$/m);
    expect(r.stdout).toMatch(/^build\.parallel = 2\s+# specwright\.toml:5$/m);
    expect(r.stdout).toMatch(/^model\.host = "gpu-box:11434"\s+# env OLLAMA_HOST$/m);
    expect(r.stdout).toMatch(/^build\.git = false\s+# env SPECWRIGHT_BUILD_GIT$/m);
    expect(r.stdout).toMatch(/^build\.max_fix_attempts = 3\s+# default$/m);
  });

  it("prints JSON with --json", async () => {
    const r = await runCli(["config", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout) as { config: { build: { parallel: number } }; sources: Record<string, string> };
    expect(json.config.build.parallel).toBe(1);
    expect(json.sources["build.parallel"]).toBe("default");
  });

  it("shows config errors with the source line and a caret, and exits 2", async () => {
    await writeFile(join(dir, "specwright.toml"), '[build]\nparalel = 2\n');
    const r = await runCli(["config"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("specwright.toml:2:1: error: unknown key build.paralel\n2 | paralel = 2\n  | ^^^^^^^\n  hint: did you mean parallel?");
  });
});
