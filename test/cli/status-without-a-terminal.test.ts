import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_WRONG, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { planCounts } from "../../src/build/task-status.js";
import type { TaskState } from "../../src/build/task-state.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-status-"));
  fake = undefined;
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});

const FINDINGS = {
  version: 1,
  audits: {},
  counters: { CALC: 3 },
  findings: [
    { id: "CALC-1", spec: "CALC", file: "specs/calc.smd", line: 1, section: "Behavior", issue: "Division by zero is not specified", suggestion: "", severity: "error", status: "open", history: [] },
    { id: "CALC-2", spec: "CALC", file: "specs/calc.smd", line: 1, section: "Behavior", issue: "Overflow is not mentioned", suggestion: "", severity: "warning", status: "open", history: [] },
    { id: "CALC-3", spec: "CALC", file: "specs/calc.smd", line: 1, section: "Behavior", issue: "Naming", suggestion: "", severity: "warning", status: "dismissed", history: [] },
  ],
};

describe("specwright with no arguments and no terminal", () => {
  it("prints the project's status and exits 0", async () => {
    await writeCalcProject(dir);
    await writeFile(join(dir, ".specwright/findings.json"), JSON.stringify(FINDINGS));
    const r = await runCli([], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^calc {2}\/.*specwright-status-/);
    expect(lines.slice(1)).toEqual([
      "Specs      2 files: ✓ valid",
      "Findings   1 error, 1 warning open · 1 settled",
      "Plan       3 tasks: 0 done, 3 to build, 0 failed — `specwright build`",
      "Last build none yet",
      "",
      "In a terminal `specwright` opens the TUI; `specwright --help` lists the commands.",
    ]);
    expect(r.stdout).not.toContain("Usage:");
  });

  it("reports a build with a failed task from its state and run.json", async () => {
    await writeCalcProject(dir);
    // T002's test stays wrong however often it is asked: it fails; T001 and T003 are built.
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG], T003: [CLI] }) });
    const build = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(build.exitCode, build.stderr).toBe(1);
    const r = await runCli(["--no-color"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("Plan       3 tasks: 2 done, 0 to build, 1 failed — `specwright build`\n");
    expect(r.stdout).toMatch(/^Last build 2 built, 1 failed \(T002\) \d{4}-\d\d-\d\dT[\d-]+Z-build\n/m);
  });

  it("names spec files with errors and a plan it cannot read", async () => {
    await writeCalcProject(dir);
    await writeFile(join(dir, "specs/calc.smd"), "---\nid: CALC\n---\n\n# Calc\n\n## Nonsense\n");
    const r = await runCli([], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Specs {6}2 files: ✗ \d+ errors?(, \d+ warnings?)? — `specwright validate` shows them$/m);
    expect(r.stdout).toMatch(/^ {11}✗ specs\/calc\.smd \(\d+ errors?(, \d+ warnings?)?\)$/m);
    expect(r.stdout).toContain("Plan       3 tasks; the specs have errors; `specwright validate` shows them\n");
  });

  it("prints the help outside a project, with or without --no-color", async () => {
    for (const args of [[], ["--no-color"]]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain("Usage: specwright <command> [options]");
      expect(r.stderr).toBe("");
    }
  });

  it("exits 2 with the config's diagnostics when specwright.toml is broken", async () => {
    await mkdir(join(dir, "specs"));
    await writeFile(join(dir, "specwright.toml"), "[project\nname = 1\n");
    const r = await runCli([], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("the configuration has errors");
  });
});

describe("plan counts", () => {
  it("puts every task in exactly one group", () => {
    const rows: { state: TaskState; upToDate: boolean }[] = [
      { state: "done", upToDate: true },
      { state: "done", upToDate: false }, // built, but its spec changed since
      { state: "pending", upToDate: false },
      { state: "failed", upToDate: false },
      { state: "skipped", upToDate: true },
      { state: "manual", upToDate: true },
      { state: "interrupted", upToDate: false },
    ];
    expect(planCounts(rows)).toEqual({ done: 2, toBuild: 3, failed: 1, skipped: 1 });
  });
});
