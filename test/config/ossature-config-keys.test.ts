// An Ossature project's ossature.toml (Ossature 0.2.1's config loader and
// test_config.py as the reference): every key is honoured where it maps onto
// specwright, and every other key gets exactly one warning naming it at its line.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadConfig } from "../../src/config/load.js";
import { tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const noUser = () => ({ XDG_CONFIG_HOME: join(dir, "no-user-config") });
const fixture = (project: string) => resolve(process.cwd(), "test", "fixtures", "ossature", project, "ossature.toml");

async function load(toml: string) {
  await writeFile(join(dir, "ossature.toml"), toml);
  return loadConfig({ cwd: dir, env: noUser() });
}

/** [line, severity, message] of each diagnostic. */
const brief = (diagnostics: { line: number; severity: string; message: string }[]) => diagnostics.map((d) => [d.line, d.severity, d.message]);

describe("ossature.toml", () => {
  it("reads a command written as one string as a one-command list (qoizig's `setup = \"zig init -m\"`, test_config.py)", async () => {
    await copyFile(fixture("qoizig"), join(dir, "ossature.toml"));
    const { loaded, diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(loaded.config.build.setup).toEqual(["zig init -m"]);
    expect(loaded.sources.get("build.setup")).toEqual({ kind: "file", file: "ossature.toml", line: 15 });

    // test_config.py::test_load_config_with_build_section: strings for setup and verify.
    const other = await load('[project]\nname = "test-project"\nversion = "0.0.1"\n\n[output]\ndir = "output"\nlanguage = "rust"\n\n[build]\nsetup = "cargo init"\nverify = "cargo check"\nmax_fix_attempts = 5\n\n[llm]\nmodel = "anthropic:claude-sonnet-4-6"\n');
    expect(other.loaded.config.build).toMatchObject({ setup: ["cargo init"], verify: ["cargo check"], maxFixAttempts: 5 });
    expect((await load('[build]\nsetup = ""\n')).loaded.config.build.setup).toEqual([]);
  });

  it("honours build.verify, output.framework and build.max_output_tokens", async () => {
    await copyFile(fixture("markman"), join(dir, "ossature.toml"));
    const markman = await loadConfig({ cwd: dir, env: noUser() });
    expect(markman.loaded.config.build.verify).toEqual(["cargo check"]);
    expect(markman.loaded.config.build.setup).toEqual(["cargo init --name markman"]);
    const { loaded } = await load('[output]\nlanguage = "python"\nframework = "django"\n\n[build]\nmax_output_tokens = 16384\n\n[llm]\nmodel = "ollama:devstral-latest"\n');
    expect(loaded.config.output.framework).toBe("django");
    expect(loaded.config.build.maxOutputTokens).toBe(16384);
  });

  it("runs an Ollama model named in [llm] and says why any other provider's is not used", async () => {
    const { loaded, diagnostics } = await load(
      '[llm]\nmodel = "ollama:devstral-latest"\naudit = "anthropic:claude-opus-4-6"\nbuild = "ollama:qwen2.5-coder:14b"\nollama_base_url = "http://gpu-box:11434/v1"\n',
    );
    expect(loaded.config.model.default).toBe("devstral-latest");
    expect(loaded.config.model.roles.build).toEqual({ model: "qwen2.5-coder:14b", think: false });
    expect(loaded.config.model.roles.audit).toBeUndefined();
    expect(loaded.config.model.host).toBe("http://gpu-box:11434");
    expect(loaded.sources.get("model.default")).toEqual({ kind: "file", file: "ossature.toml", line: 2 });
    expect(brief(diagnostics)).toEqual([[3, "warning", "`llm.audit` has no effect here: specwright runs models on Ollama, and `anthropic:claude-opus-4-6` is a model of the `anthropic` provider"]]);
  });

  it("warns once per key that has no meaning here, naming the key at its line", async () => {
    const { diagnostics, loaded } = await load(
      [
        "[project]",
        'name = "p"',
        'version = "0.1.0"',
        "",
        "[build]",
        "review = true",
        "max_review_attempts = 2",
        "max_inline_lines = 200",
        "",
        "[test]",
        'command = "uv run pytest {file} -q"',
        "require_coverage = true",
        "runner = \"pytest\"",
        "",
        "[llm]",
        'model = "openrouter:google/gemini-3.5-flash"',
        'brief = "ollama:x"',
        "retries = 5",
        "tool_retries = 8",
        "",
      ].join("\n"),
    );
    expect(diagnostics.every((d) => d.severity === "warning" && d.file === "ossature.toml")).toBe(true);
    expect(diagnostics.map((d) => [d.line, d.code, d.message.split(" ")[0]])).toEqual([
      [3, "config/ossature-key-unused", "`project.version`"],
      [8, "config/ossature-key-unused", "`build.max_inline_lines`"],
      [11, "config/ossature-key-unused", "`test.command`"],
      [13, "config/ossature-unknown-key", "`test.runner`"],
      [16, "config/ossature-key-unused", "`llm.model`"],
      [17, "config/ossature-key-unused", "`llm.brief`"],
      [18, "config/ossature-key-unused", "`llm.retries`"],
      [19, "config/ossature-key-unused", "`llm.tool_retries`"],
    ]);
    for (const d of diagnostics.filter((x) => x.code === "config/ossature-key-pending")) expect(d.message).toMatch(/^`[a-z_.]+` has no effect yet: specwright does not have .+ yet$/);
    // The post-task reviewer's keys mean the same here (Ossature writes `review = true`).
    expect(loaded.config.build.review).toBe(true);
    expect(loaded.config.build.maxReviewAttempts).toBe(2);
    // Ossature's coverage requirement means the same here too.
    expect(loaded.config.test.requireCoverage).toBe(true);
  });

  it("leaves the example projects' files without an error, each unmapped key named once", async () => {
    const seen: Record<string, string[]> = {};
    for (const project of ["yep", "spenny", "math_quest", "qoizig", "markman", "whenwords-py"]) {
      await writeFile(join(dir, "ossature.toml"), await readFile(fixture(project), "utf8"));
      const { diagnostics } = await loadConfig({ cwd: dir, env: noUser() });
      expect(diagnostics.filter((d) => d.severity === "error"), project).toEqual([]);
      seen[project] = diagnostics.map((d) => d.message.split(" ")[0]!);
      expect(new Set(seen[project]).size, project).toBe(seen[project]!.length);
    }
    expect(seen["whenwords-py"]).toEqual(["`project.version`", "`test.runner`", "`test.coverage`", "`test.coverage_threshold`", "`llm.model`"]);
  });
});
