// A directory where specwright's own file belongs, or a file where its output
// dir belongs, is a clear error naming the path with exit 1 — in every
// command that meets it — never an internal error with a stack trace.

import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => cleanup());

// Nothing here reaches a model: an unreachable host makes any call that slipped through fail loudly.
const env = { OLLAMA_HOST: "http://127.0.0.1:9" };

async function expectClearError(commands: string[][], pattern: RegExp): Promise<void> {
  const results = await Promise.all(commands.map((args) => runCli(args, { cwd: dir, env }).then((r) => ({ args, ...r }))));
  for (const r of results) {
    // validate reports on stdout, the others on stderr.
    const output = r.stdout + r.stderr;
    expect({ command: r.args.join(" "), output }).toEqual({ command: r.args.join(" "), output: expect.stringMatching(pattern) });
    expect(output).not.toMatch(/internal error|\n\s+at /);
    expect(r.exitCode, r.args.join(" ")).toBe(1);
  }
}

describe("ordinary file system states", () => {
  it(".specwright/lock is a directory: every command that takes the lock names it", async () => {
    await mkdir(join(dir, ".specwright/lock"));
    await expectClearError(
      [["build", "--yes"], ["plan", "--replan", "--yes"], ["plan", "--from-architecture", "--replan", "--yes"], ["audit", "--fix", "none"], ["rollback", "T001"]],
      /cannot take the run lock .*\.specwright\/lock: it is a directory, where a file belongs\n {2}hint: move the directory out of the way/,
    );
  });

  it("plan.toml is a directory: every command that reads the plan reports it at plan.toml:1:1", async () => {
    await rm(join(dir, ".specwright/plan.toml"));
    await mkdir(join(dir, ".specwright/plan.toml"));
    await expectClearError(
      [["status"], ["build", "--yes"], ["plan", "--check"], ["plan", "--yes"], ["plan", "--replan", "--yes"], ["validate"], ["why", "T001"], ["rollback", "T001"]],
      /\.specwright\/plan\.toml:1:1: error: cannot read \.specwright\/plan\.toml: it is a directory, where a file belongs/,
    );
  });

  it("the output dir is a file (git off): build stops before anything runs and names it", async () => {
    await writeCalcProject(dir, "git = false\n");
    await writeFile(join(dir, "output"), "not a folder\n");
    await expectClearError([["build", "--yes"]], /the output dir .*output is a file, not a directory\n {2}hint: move the file away, or set output\.dir/);
    // Nothing was started: no trace run, no lock left.
    expect(existsSync(join(dir, ".specwright/runs"))).toBe(false);
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(false);
  });
});
