import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { writeCalcProject } from "../helpers/calc-build.js";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe("CLI conventions", () => {
  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const r = await runCli(["--version"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("lists the commands in --help", async () => {
    const r = await runCli(["--help"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    for (const name of ["init", "new", "validate", "config"]) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
  });

  it("shows a command's own help", async () => {
    const r = await runCli(["validate", "--help"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Usage: specwright validate");
  });

  it("answers --version and --help without loading React or Ink", async () => {
    const forbid = { NODE_OPTIONS: `--import=${join(REPO_ROOT, "test/helpers/forbid-ui.mjs")}` };
    // The guard itself must work, or this test proves nothing.
    const control = await execa("node", ["--input-type=module", "-e", "await import('ink')"], { reject: false, env: forbid, cwd: REPO_ROOT });
    expect(control.exitCode).not.toBe(0);
    expect(String(control.stderr)).toContain("forbidden import: ink");
    for (const flag of ["--version", "--help"]) {
      const r = await runCli([flag], { cwd: dir, env: forbid });
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe("");
    }
  });

  it("prints the status without a terminal, in a project or not, without loading React or Ink", async () => {
    const forbid = { NODE_OPTIONS: `--import=${join(REPO_ROOT, "test/helpers/forbid-ui.mjs")}` };
    const project = await tempDir();
    try {
      await writeCalcProject(project.dir);
      const inProject = await runCli([], { cwd: project.dir, env: forbid });
      expect(inProject.stderr).toBe("");
      expect(inProject.exitCode).toBe(0);
      expect(inProject.stdout).toContain("Plan       3 tasks: 0 done, 3 to build, 0 failed");
      const outside = await runCli([], { cwd: dir, env: forbid });
      expect(outside).toMatchObject({ exitCode: 0, stderr: "" });
      expect(outside.stdout).toContain("Usage: specwright <command>");
    } finally {
      await project.cleanup();
    }
  });

  it("rejects an unknown command with one line, a hint and exit 2", async () => {
    const r = await runCli(["validat"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("unknown command 'validat'");
    expect(r.stderr).toContain("did you mean `specwright validate`?");
  });

  it("rejects an unknown flag with one line, a hint and exit 2", async () => {
    const r = await runCli(["validate", "--strcit"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("unknown option --strcit");
    expect(r.stderr).toContain("did you mean --strict?");
  });

  it("rejects a missing flag value and stray arguments with exit 2", async () => {
    const missing = await runCli(["config", "--cwd"], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    const stray = await runCli(["config", "extra"], { cwd: dir });
    expect(stray.exitCode).toBe(2);
    expect(stray.stderr).toContain("unexpected argument 'extra'");
  });
});
