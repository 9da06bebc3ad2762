// Issue 10 items 9 and 10: outside a project every project command says so and
// names `specwright init` (exit 2); a -C folder that does not exist is its own
// error; the global options work before the command as well as after it.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/command-table.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";

let outside: string;
let project: string;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  const a = await tempDir();
  const b = await tempDir();
  cleanups.push(a.cleanup, b.cleanup);
  outside = a.dir;
  project = b.dir;
  await writeCalcProject(project);
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** Commands that work without a project: they make one, or only read the config and the model server. */
const PROJECT_FREE = new Set(["init", "demo", "config", "models", "doctor"]);
/** Arguments that get each command past its own argument checks. */
const SAMPLE_ARGS: Record<string, string[]> = { new: ["thing"], why: ["T001"], rollback: ["T001"], prompt: ["T001"], confirm: ["CALC#divide"], blame: ["output/a.js"], ask: ["make it faster"], compare: ["--models", "a:1b,b:1b"] };

describe("outside a project", () => {
  it("every project command names `specwright init` and exits 2, touching nothing", async () => {
    const checked: string[] = [];
    for (const command of COMMANDS) {
      if (PROJECT_FREE.has(command.name)) continue;
      const r = await runCli([command.name, ...(SAMPLE_ARGS[command.name] ?? [])], { cwd: outside });
      expect({ command: command.name, exitCode: r.exitCode }).toEqual({ command: command.name, exitCode: 2 });
      expect(r.stderr).toContain(`no specwright.toml (or ossature.toml) in ${outside} or any folder above it`);
      expect(r.stderr).toContain("`specwright init`");
      expect(r.stderr).not.toContain("specs: error");
      expect(r.stdout).toBe("");
      checked.push(command.name);
    }
    expect(checked).toEqual(expect.arrayContaining(["status", "validate", "plan", "build", "audit", "why", "rollback"]));
  });

  it("finds the project from a folder below it", async () => {
    const below = join(project, "deep", "er");
    await mkdir(below, { recursive: true });
    const r = await runCli(["status"], { cwd: below });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("T001");
  });

  it("validate with paths still works outside any project", async () => {
    await writeFile(join(outside, "x.smd"), "not a spec\n");
    const r = await runCli(["validate", "x.smd"], { cwd: outside });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toContain("no specwright.toml");
  });
});

describe("-C", () => {
  it("a folder that does not exist is its own error, before or after the command", async () => {
    for (const args of [["-C", "no/such/dir", "status"], ["status", "-C", "no/such/dir"], ["-C", "no/such/dir"]]) {
      const r = await runCli(args, { cwd: project });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(`specwright: -C no/such/dir: no such folder (${join(project, "no/such/dir")}) — hint: -C/--cwd names the folder to run in; check the path\n`);
    }
  });

  it("a file is not a folder", async () => {
    const r = await runCli(["-C", "specwright.toml", "status"], { cwd: project });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("-C specwright.toml: not a folder");
  });
});

describe("global options before the command", () => {
  it("-C DIR, --cwd=DIR, --no-color and --json mean the same before and after the command", async () => {
    const after = await runCli(["status", "--json", "--no-color", "-C", project], { cwd: outside });
    expect(after.exitCode).toBe(0);
    for (const args of [["-C", project, "--json", "status"], ["--no-color", `--cwd=${project}`, "--json", "status"], [`-C${project}`, "status", "--json"]]) {
      const r = await runCli(args, { cwd: outside });
      expect(r).toMatchObject({ exitCode: 0, stdout: after.stdout, stderr: "" });
    }
    expect(JSON.parse(after.stdout)).toHaveProperty("tasks");
  });

  it("`specwright -C DIR` without a command (no terminal) prints DIR's status", async () => {
    const r = await runCli(["-C", project], { cwd: outside });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(project);
    expect(r.stdout).toContain("Plan       3 tasks");
  });

  it("-h and -V before the command", async () => {
    const help = await runCli(["-h", "status"], { cwd: outside });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("Usage: specwright status");
    const version = await runCli(["-C", project, "-V"], { cwd: outside });
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("a mistyped global option gets a did-you-mean, one line, exit 2", async () => {
    for (const [typo, guess] of [["--versio", "--version"], ["--no-colour", "--no-color"], ["--jsn", "--json"]]) {
      const r = await runCli([typo!], { cwd: outside });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(`specwright: unknown option ${typo} — hint: did you mean ${guess}?\n`);
    }
    const far = await runCli(["--strict", "validate"], { cwd: outside });
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toContain("a command's own options go after it");
  });

  it("the global help says the options go before or after the command", async () => {
    const r = await runCli(["--help"], { cwd: outside });
    expect(r.stdout).toContain("Options for every command (before or after it):");
  });
});
