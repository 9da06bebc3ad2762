import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
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

  it("shows config errors with the source line and a caret and the values that did load, and exits 2", async () => {
    await writeFile(join(dir, "specwright.toml"), '[build]\nparalel = 2\n\n[model]\ndefault = "qwen3:8b"\n');
    const r = await runCli(["config"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("specwright.toml:2:1: error: unknown key build.paralel\n2 | paralel = 2\n  | ^^^^^^^\n  hint: did you mean parallel?");
    expect(r.stdout).toContain("# the config has errors (above): the values below are what did load");
    expect(r.stdout).toMatch(/^model\.default = "qwen3:8b"\s+# specwright\.toml:5$/m);
    expect(r.stdout).toMatch(/^build\.parallel = 1\s+# default$/m);
  });

  it("--json with a broken config: the diagnostics, valid:false and the values that did load, exit 2", async () => {
    await writeFile(join(dir, "specwright.toml"), '[build]\nparalel = 2\n\n[model]\ndefault = "qwen3:8b"\nhost = "http://me:s3cret@gpu.lan:8080"\n');
    const r = await runCli(["config", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    const json = JSON.parse(r.stdout) as { valid: boolean; diagnostics: { file: string; line: number; message: string }[]; config: { model: { default: string; host: string } }; sources: Record<string, string> };
    expect(json.valid).toBe(false);
    expect(json.diagnostics).toEqual([expect.objectContaining({ file: "specwright.toml", line: 2, message: "unknown key build.paralel" })]);
    expect(json.config.model.default).toBe("qwen3:8b");
    expect(json.sources["model.default"]).toBe("specwright.toml:5");
    expect(r.stdout).not.toContain("s3cret");
  });

  it("names the user config by its absolute path, in the listing and in its diagnostics", async () => {
    const home = join(dir, "home-config");
    await mkdir(join(home, "specwright"), { recursive: true });
    await writeFile(join(home, "specwright", "config.toml"), '[model]\ndefault = "qwen3:8b"\nnum_ctx = "lots"\n');
    await writeFile(join(dir, "specwright.toml"), "[project]\nname = \"x\"\n");
    const r = await runCli(["config"], { cwd: dir, env: { XDG_CONFIG_HOME: home } });
    const userFile = join(home, "specwright", "config.toml");
    expect(r.stdout).toContain(`# user config: ${userFile}\n`);
    expect(r.stdout).toMatch(new RegExp(`^model\\.default = "qwen3:8b"\\s+# ${userFile.replace(/[.]/g, "\\.")}:2$`, "m"));
    expect(r.stderr).toContain(`${userFile}:3:1: error: model.num_ctx`);
  });
});
