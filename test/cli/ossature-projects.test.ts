// The public Ossature example projects, run through the built CLI as a
// person would: they validate unchanged, their .ossature/plan.toml imports
// into a plan that `plan --check` accepts, and the imported copy tasks build
// without any model.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmod, cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { loadConfig } from "../../src/config/load.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { FIXTURES, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const PROJECTS = ["yep", "spenny", "math_quest", "qoizig", "markman", "whenwords-py"] as const;
const WITH_PLANS = PROJECTS.filter((p) => p !== "yep");

/** Context files the examples' plans use; the real ones (CC0 audio, the QOI spec, whenwords' tests) are not vendored. */
const CONTEXT: Record<string, Record<string, Uint8Array | string>> = {
  math_quest: { "correct.wav": new Uint8Array([82, 73, 70, 70, 0, 1, 2, 255, 254, 0]), "wrong.ogg": new Uint8Array([79, 103, 103, 83, 0, 2, 128, 129]) },
  "whenwords-py": { "tests.yaml": "timeago:\n  - name: just now\n" },
  qoizig: { "qoi_specification.md": "# QOI\n" },
};

async function project(name: string): Promise<string> {
  const root = join(dir, name);
  await cp(join(FIXTURES, "ossature", name), root, { recursive: true });
  for (const [file, content] of Object.entries(CONTEXT[name] ?? {})) {
    await mkdir(join(root, "context"), { recursive: true });
    await writeFile(join(root, "context", file), content);
  }
  return root;
}

/** The examples' verify commands run cargo, zig, luac and uv: stand-ins on PATH, so the plan checks judge the plan, not this machine. */
async function toolsOnPath(): Promise<Record<string, string>> {
  const bin = join(dir, "bin");
  await mkdir(bin, { recursive: true });
  for (const tool of ["cargo", "zig", "luac", "uv", "python"]) {
    await writeFile(join(bin, tool), "#!/bin/sh\nexit 0\n");
    await chmod(join(bin, tool), 0o755);
  }
  return { PATH: `${bin}:${process.env.PATH ?? ""}` };
}

/** Only math_quest's assets for now: its model tasks are skipped, so nothing needs Ollama. */
async function onlyTheCopyTask(root: string): Promise<void> {
  const plan = join(root, ".specwright", "plan.toml");
  const text = await readFile(plan, "utf8");
  await writeFile(plan, text.split("[[task]]").map((t) => (t.includes('id = "001"') ? t : t.replace('status = "auto"', 'status = "skip"'))).join("[[task]]"));
}

describe("the public Ossature example projects", () => {
  it("validate unchanged: no errors in any of them", async () => {
    for (const name of PROJECTS) {
      const r = await runCli(["validate"], { cwd: await project(name) });
      expect(r.exitCode, `${name}\n${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout, name).toMatch(/files?: 0 errors/);
    }
  });

  it("accept an empty specs/ (what `ossature init` leaves) with a warning and exit 0", async () => {
    const root = join(dir, "fresh");
    await mkdir(join(root, "specs"), { recursive: true });
    await writeFile(join(root, "ossature.toml"), '[project]\nname = "fresh"\nspec_dir = "specs"\n\n[llm]\nmodel = "anthropic:claude-sonnet-4-6"\n');
    const r = await runCli(["validate"], { cwd: root });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("specs: warning: no spec files (*.smd, *.amd, *.vmd) in this folder");
  });

  it("import their .ossature/plan.toml into a .specwright/plan.toml that `plan --check` accepts", async () => {
    const env = await toolsOnPath();
    for (const name of WITH_PLANS) {
      const root = await project(name);
      const imported = await runCli(["plan", "--import-ossature"], { cwd: root, env });
      expect(imported.exitCode, `${name}\n${imported.stdout}${imported.stderr}`).toBe(0);
      expect(imported.stderr, name).toMatch(/imported \d+ tasks from \.ossature\/plan\.toml into \.specwright\/plan\.toml/);
      const check = await runCli(["plan", "--check"], { cwd: root, env });
      expect(check.exitCode, `${name}\n${check.stdout}`).toBe(0);
      expect(check.stdout, name).toContain(".specwright/plan.toml: 0 errors");
      // The specs count as planned: `specwright plan` has nothing to re-plan, so no model is asked.
      const replan = await runCli(["plan"], { cwd: root, env: { ...env, OLLAMA_HOST: "http://127.0.0.1:1" } });
      expect(replan.stderr, name).toContain("plan is up to date");
    }
  });

  it("name the import command when a project has only an Ossature plan", async () => {
    const root = await project("spenny");
    const hint = "this project has an Ossature plan (.ossature/plan.toml): `specwright plan --import-ossature` turns it into .specwright/plan.toml";
    for (const args of [["build", "--yes"], ["plan", "--check"], ["status"]]) {
      const r = await runCli(args, { cwd: root, env: { OLLAMA_HOST: "http://127.0.0.1:1" } });
      expect(r.stdout + r.stderr, args.join(" ")).toContain(args[0] === "status" ? "`specwright plan --import-ossature`" : hint);
    }
  });

  it("leave an existing .specwright/plan.toml as it is unless the import is confirmed", async () => {
    const root = await project("spenny");
    await mkdir(join(root, ".specwright"));
    const mine = "# my plan\nversion = 1\n";
    await writeFile(join(root, ".specwright", "plan.toml"), mine);
    const refused = await runCli(["plan", "--import-ossature"], { cwd: root });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(".specwright/plan.toml exists and the import replaces it; pass --yes to confirm without a terminal");
    expect(await readFile(join(root, ".specwright", "plan.toml"), "utf8")).toBe(mine);
    const confirmed = await runCli(["plan", "--import-ossature", "--yes"], { cwd: root, env: await toolsOnPath() });
    expect(confirmed.exitCode, confirmed.stderr).toBe(0);
    expect(await readFile(join(root, ".specwright", "plan.toml"), "utf8")).toContain('id = "007"');
  });

  it("build an imported copy task without any model: byte-identical files, one commit", async () => {
    const root = await project("math_quest");
    const env = { ...(await toolsOnPath()), OLLAMA_HOST: "http://127.0.0.1:1" };
    expect((await runCli(["plan", "--import-ossature"], { cwd: root, env })).exitCode).toBe(0);
    await onlyTheCopyTask(root);
    const built = await runCli(["build", "--yes"], { cwd: root, env });
    expect(built.exitCode, built.stdout + built.stderr).toBe(0);
    expect(built.stdout + built.stderr).toContain("0 model calls");
    for (const file of ["correct.wav", "wrong.ogg"]) {
      expect(new Uint8Array(await readFile(join(root, "output", file)))).toEqual(CONTEXT.math_quest![file]);
    }
    const log = await execa("git", ["log", "--format=%s", "--name-only"], { cwd: join(root, "output") });
    expect(log.stdout).toBe("001 Copy Audio Assets\n\ncorrect.wav\nwrong.ogg");
    const again = await runCli(["build", "--yes"], { cwd: root, env });
    expect(again.stdout + again.stderr).toContain("0 built, 1 up to date");
  });

  it("fail a copy whose source is missing and write none of its files", async () => {
    const root = await project("math_quest");
    const env = { ...(await toolsOnPath()), OLLAMA_HOST: "http://127.0.0.1:1" };
    expect((await runCli(["plan", "--import-ossature"], { cwd: root, env })).exitCode).toBe(0);
    await onlyTheCopyTask(root);
    await rm(join(root, "context", "wrong.ogg"));
    const built = await runCli(["build", "--yes"], { cwd: root, env: { ...env, SPECWRIGHT_BUILD_GIT: "false" } });
    expect(built.exitCode).toBe(1);
    expect(built.stdout + built.stderr).toContain("cannot copy context/wrong.ogg (ENOENT): put the file in place, then build again");
    await expect(readFile(join(root, "output", "correct.wav"))).rejects.toThrow();
  });

  it("run markman's project-wide `verify = [\"cargo check\"]` after each task's own commands", async () => {
    const root = await project("markman");
    const env = await toolsOnPath();
    expect((await runCli(["plan", "--import-ossature"], { cwd: root, env })).exitCode).toBe(0);
    const { loaded } = await loadConfig({ cwd: root, env: { XDG_CONFIG_HOME: join(root, ".no-user-config") } });
    const context = await readBuildContext(loaded, { PATH: env.PATH });
    if (!context.ok) throw new Error(context.message);
    const verify = Object.fromEntries(context.context.plan.tasks.map((t) => [t.id, t.verify]));
    expect(verify["001"]).toEqual(["test -f Cargo.toml", "cargo check"]);
    expect(verify["002"]).toEqual(["cargo check"]);
    expect(verify["007"]).toEqual(["cargo test", "cargo check"]);
  });
});
