import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.js";
import { ROLES, roleModel } from "../../src/config/types.js";
import { modelFlags } from "../../src/cli/command-context.js";
import { tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const noUser = () => ({ XDG_CONFIG_HOME: join(dir, "no-user-config") });

describe("loading specwright.toml", () => {
  it("uses defaults outside a project, named after the folder", async () => {
    const { loaded, diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics).toEqual([]);
    expect(loaded.projectKind).toBe("none");
    expect(loaded.config.model.default).toBe("qwen2.5-coder:14b");
    expect(loaded.config.build.verifyTimeoutMs).toBe(120_000);
    expect(loaded.sources.get("model.default")).toEqual({ kind: "default" });
  });

  it("finds the project file by walking up and records each value's line", async () => {
    await writeFile(join(dir, "specwright.toml"), '[project]\nname = "wc"\n\n[build]\nparallel = 2\nverify_timeout = "2m"\n');
    await mkdir(join(dir, "specs", "deep"), { recursive: true });
    const { loaded, diagnostics } = await loadConfig({ cwd: join(dir, "specs", "deep"), env: noUser() });
    expect(diagnostics).toEqual([]);
    expect(loaded.root).toBe(dir);
    expect(loaded.config.project.name).toBe("wc");
    expect(loaded.config.build.parallel).toBe(2);
    expect(loaded.config.build.verifyTimeoutMs).toBe(120_000);
    expect(loaded.sources.get("build.parallel")).toEqual({ kind: "file", file: "../../specwright.toml", line: 5 });
  });

  it("overlays user config, then project, then environment, then flags", async () => {
    await mkdir(join(dir, "xdg", "specwright"), { recursive: true });
    await writeFile(join(dir, "xdg", "specwright", "config.toml"), '[model]\ndefault = "user-model"\ntemperature = 0.7\nkeep_alive = "1h"\n');
    await writeFile(join(dir, "specwright.toml"), '[model]\ndefault = "project-model"\nkeep_alive = "5m"\n');
    const { loaded, diagnostics } = await loadConfig({
      cwd: dir,
      env: { XDG_CONFIG_HOME: join(dir, "xdg"), SPECWRIGHT_MODEL_KEEP_ALIVE: "10m", OLLAMA_HOST: ":9999" },
      flags: { "model.default": "flag-model" },
    });
    expect(diagnostics).toEqual([]);
    expect(loaded.config.model.temperature).toBe(0.7);
    expect(loaded.sources.get("model.temperature")).toMatchObject({ kind: "file", line: 3 });
    expect(loaded.config.model.keepAlive).toBe("10m");
    expect(loaded.sources.get("model.keep_alive")).toEqual({ kind: "env", name: "SPECWRIGHT_MODEL_KEEP_ALIVE" });
    expect(loaded.config.model.host).toBe(":9999");
    expect(loaded.config.model.default).toBe("flag-model");
    expect(loaded.sources.get("model.default")).toEqual({ kind: "flag", name: "model.default" });
  });

  it("reads per-role models, with thinking only where asked", async () => {
    await writeFile(join(dir, "specwright.toml"), '[model]\ndefault = "base"\nplanner = "big"\naudit = { model = "qwen3:14b", think = true }\n');
    const { loaded, diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics).toEqual([]);
    expect(roleModel(loaded.config, "planner")).toEqual({ model: "big", think: false });
    expect(roleModel(loaded.config, "audit")).toEqual({ model: "qwen3:14b", think: true });
    expect(roleModel(loaded.config, "build")).toEqual({ model: "base", think: false });
  });

  it("lets --model override every role for one run, even roles the file names", async () => {
    await writeFile(join(dir, "specwright.toml"), '[model]\ndefault = "base"\nplanner = "big"\naudit = { model = "qwen3:14b", think = true }\n');
    const { loaded, diagnostics } = await loadConfig({ cwd: dir, env: noUser(), flags: modelFlags("flagged:7b") });
    expect(diagnostics).toEqual([]);
    for (const role of ROLES) expect(roleModel(loaded.config, role).model).toBe("flagged:7b");
    expect(loaded.config.model.default).toBe("flagged:7b");
  });

  it("reports an unknown key at its 1-based line and column with a did-you-mean hint", async () => {
    await writeFile(join(dir, "specwright.toml"), '[project]\nname = "x"\n\n[build]\n  max_fix_attemps = 2\n');
    const { diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        file: "specwright.toml",
        line: 5,
        column: 3,
        message: "unknown key build.max_fix_attemps",
        hint: "did you mean max_fix_attempts?",
      }),
    ]);
  });

  it("reports an unknown table with a hint", async () => {
    await writeFile(join(dir, "specwright.toml"), '[modle]\ndefault = "x"\n');
    const { diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 1, message: "unknown table [modle]", hint: "did you mean [model]?" }),
    ]);
  });

  it("reports wrong types and bad values, every one of them", async () => {
    await writeFile(
      join(dir, "specwright.toml"),
      '[build]\nparallel = "two"\nverify_timeout = "soon"\ngit = "yes"\n[model]\nnum_ctx = 100\ntemperature = 5\n',
    );
    const { diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, "build.parallel: expected a whole number, found a string"],
      [3, 'build.verify_timeout: expected a duration like "120s", "2m" or "1h", found "soon"'],
      [4, "build.git: expected true or false, found a string"],
      [6, 'model.num_ctx: expected "auto" or a context size from 512 to 2097152, found 100'],
      [7, "model.temperature: expected a number from 0 to 2, found 5"],
    ]);
  });

  it("reports a TOML syntax error at a 1-based position", async () => {
    await writeFile(join(dir, "specwright.toml"), '[project]\nname = "x"\nspec_dir = \n');
    const { diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "error", file: "specwright.toml", line: 3 });
    expect(diagnostics[0]!.column).toBeGreaterThan(0);
    expect(diagnostics[0]!.message).not.toContain("\n");
  });

  it("rejects paths that leave the project", async () => {
    await writeFile(join(dir, "specwright.toml"), '[output]\ndir = "../elsewhere"\n');
    const { diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics[0]).toMatchObject({ line: 2, message: 'output.dir: output.dir must stay inside the project folder (no "..")' });
  });

  it("warns about a misspelt SPECWRIGHT_ variable and rejects a bad value from the environment", async () => {
    const { diagnostics } = await loadConfig({
      cwd: dir,
      env: { ...noUser(), SPECWRIGHT_BUILD_PARALEL: "2", SPECWRIGHT_BUILD_MAX_FIX_ATTEMPTS: "many" },
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: "warning", message: "unknown environment variable SPECWRIGHT_BUILD_PARALEL is ignored", hint: "did you mean SPECWRIGHT_BUILD_PARALLEL?" }),
      expect.objectContaining({ severity: "error", file: "env SPECWRIGHT_BUILD_MAX_FIX_ATTEMPTS", message: 'build.max_fix_attempts: expected a whole number, found "many"' }),
    ]);
  });

  it("prefers specwright.toml over ossature.toml in the same folder", async () => {
    await writeFile(join(dir, "ossature.toml"), '[project]\nspec_dir = "a"\n');
    await writeFile(join(dir, "specwright.toml"), '[project]\nspec_dir = "b"\n');
    const { loaded } = await loadConfig({ cwd: dir, env: noUser() });
    expect(loaded.projectKind).toBe("specwright");
    expect(loaded.config.project.specDir).toBe("b");
  });
});
