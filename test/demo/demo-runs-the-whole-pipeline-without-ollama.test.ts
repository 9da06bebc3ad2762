// `specwright demo` in a pipe: copies the example, starts the scripted demo
// server and runs validate → audit → plan → build → traces as real commands,
// with no Ollama anywhere. Checks what a person would look at afterwards.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, runCli, tempDir, type CliResult } from "../helpers/cli.js";

let base: string;
let cleanup: () => Promise<void>;
let project: string;
let result: CliResult;

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir("specwright-demo-"));
  project = join(base, "wf");
  // A quick pace keeps the test short; the default (200 tokens/s) is for people watching.
  result = await runCli(["demo", "wf", "--tokens-per-second", "5000"], { cwd: base });
});
afterAll(async () => {
  await cleanup();
});

const json = async <T>(path: string) => JSON.parse(await readFile(join(project, path), "utf8")) as T;

describe("specwright demo without a terminal", () => {
  it("runs every step and exits 0, saying up front that the replies are scripted", () => {
    expect(result.exitCode, result.stderr).toBe(0);
    const head = result.stdout.split("\n").slice(0, 4).join("\n");
    expect(head).toContain("scripted demo (not a model)");
    const steps = [...result.stdout.matchAll(/^\[\d\/\d\] \$ specwright (\w+)/gm)].map((m) => m[1]);
    expect(steps).toEqual(["validate", "audit", "plan", "build", "traces", "traces"]);
  });

  it("leaves a working program built from the example", async () => {
    const run = await execa("node", [join(project, "output/src/cli.mjs"), "--top", "2"], { input: "the cat and the hat", reject: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("2 the\n1 and");
    const tests = await execa("node", ["--test", "test/count.test.mjs", "test/cli.test.mjs"], { cwd: join(project, "output"), reject: false });
    expect(tests.exitCode, tests.stdout).toBe(0);
  });

  it("records findings from the audit and a four-task plan from the planner", async () => {
    const findings = await json<{ findings: { id: string; severity: string; status: string }[] }>(".specwright/findings.json");
    expect(findings.findings.map((f) => [f.id, f.severity, f.status])).toEqual([
      ["WORDFREQ-1", "warning", "open"],
      ["WORDFREQ-2", "info", "open"],
    ]);
    const plan = await readFile(join(project, ".specwright/plan.toml"), "utf8");
    expect(plan.match(/^id = "T00\d"$/gm)).toEqual(['id = "T001"', 'id = "T002"', 'id = "T003"', 'id = "T004"']);
    expect(plan).toContain('"node --test test/count.test.mjs"');
  });

  it("passes the counting tests' verify only after one failed attempt, and the trace shows both", async () => {
    const state = await json<{ tasks: Record<string, { status: string; attempts: number; trace: string }> }>(".specwright/state.json");
    expect(Object.entries(state.tasks).map(([id, t]) => [id, t.status, t.attempts])).toEqual(
      expect.arrayContaining([
        ["T001", "done", 1],
        ["T002", "done", 2],
        ["T003", "done", 1],
        ["T004", "done", 1],
      ]),
    );
    const t2 = state.tasks.T002!.trace;
    const firstLog = await readFile(join(project, t2.replace("attempt-2", "attempt-1"), "verify.log"), "utf8");
    expect(firstLog).toContain("$ node --test test/count.test.mjs");
    expect(firstLog).toMatch(/not ok \d+ - ranks by count, then alphabetically/);
    const fixPrompt = await readFile(join(project, t2, "prompt.md"), "utf8");
    expect(fixPrompt).toContain("ranks by count, then alphabetically"); // the fix saw the failure
    expect(await readFile(join(project, "output/test/count.test.mjs"), "utf8")).toContain('[["a", 2], ["b", 2], ["c", 1]]');
    expect(result.stdout).toContain("T002 attempt 1 failed its verify");
  });

  it("labels every run and every call as the scripted demo", async () => {
    const runs = await readdir(join(project, ".specwright/runs"));
    expect(runs.map((r) => r.replace(/^.*Z-/, "")).sort()).toEqual(["audit", "build", "plan"]);
    for (const run of runs) {
      const info = await json<{ scriptedDemo?: string }>(join(".specwright/runs", run, "run.json"));
      expect(info.scriptedDemo).toMatch(/^scripted demo \(not a model\)/);
    }
    const build = runs.find((r) => r.endsWith("-build"))!;
    const meta = await json<{ model: string }>(join(".specwright/runs", build, "tasks/T001/attempt-1/meta.json"));
    expect(meta.model).toBe("specwright-demo:scripted");
    expect(result.stdout).toMatch(/build \(scripted demo\)/);
  });

  it("leaves the copied config pointing at a real model: the demo's server was for its own process only", async () => {
    const copied = await readFile(join(project, "specwright.toml"), "utf8");
    expect(copied).toBe(await readFile(join(REPO_ROOT, "examples/wordfreq/specwright.toml"), "utf8"));
    expect(copied).toMatch(/^default = "qwen2\.5-coder:7b"/m);
    const config = await runCli(["config", "--json"], { cwd: project });
    expect(config.stdout).toContain("qwen2.5-coder:7b");
    expect(config.stdout).not.toContain("specwright-demo:scripted");
  });

  it("traces: the attempt whose verify failed says so, `traces last T002 1` prints its verify.log, and the names --help gives exist", async () => {
    const calls = await runCli(["traces", "last"], { cwd: project });
    expect(calls.stdout).toMatch(/^ {2}tasks\/T002\/attempt-1 +verify failed +specwright-demo:scripted/m);
    expect(calls.stdout).toMatch(/^ {2}tasks\/T002\/attempt-2 +ok /m);
    const attempt = await runCli(["traces", "last", "T002", "1"], { cwd: project });
    expect(attempt.exitCode).toBe(0);
    expect(attempt.stdout).toContain("outcome   verify failed\n");
    const log = attempt.stdout.slice(attempt.stdout.indexOf("──── verify.log ────"));
    expect(log).toContain("$ node --test test/count.test.mjs");
    expect(log).toMatch(/# failed in [\d.]+ m?s\n$/);
    const json = JSON.parse((await runCli(["traces", "last", "T002", "1", "--json"], { cwd: project })).stdout) as { verify: string; verifyLog: string };
    expect(json.verify).toBe("failed");
    expect(json.verifyLog).toContain("not ok");
    // Every call name the help offers as an example is one a real run has.
    const help = (await runCli(["traces", "--help"], { cwd: project })).stdout;
    const examples = [...help.matchAll(/\b((?:audit|plan)(?:-[A-Z0-9_]+)?(?:-\d+)?)\b/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThan(1);
    const runs = (await readdir(join(project, ".specwright/runs"))).sort();
    for (const name of new Set(examples)) {
      const run = runs.find((r) => r.endsWith(name.startsWith("audit") ? "-audit" : "-plan"))!;
      const shown = await runCli(["traces", run, name], { cwd: project });
      expect([name, shown.exitCode, shown.stderr]).toEqual([name, 0, ""]);
    }
  });

  it("status after the demo says why the built tasks are not up to date: the copied config names another model", async () => {
    const reason = "built with specwright-demo:scripted; the config now names qwen2.5-coder:7b";
    const status = await runCli(["status"], { cwd: project });
    for (const id of ["T001", "T002", "T003", "T004"]) expect(status.stdout).toMatch(new RegExp(`^  ${id} .* done +no +[0-9a-f]{8} +${reason.replace(/[.+]/g, "\\$&")}$`, "m"));
    const summary = await runCli([], { cwd: project });
    expect(summary.stdout).toContain("Plan       4 tasks: 0 done, 4 to build, 0 failed — `specwright build`\n");
    expect(summary.stdout).toContain(`           4 tasks: ${reason}\n`);
  });
});
