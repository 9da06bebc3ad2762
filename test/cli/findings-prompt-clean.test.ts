// Issue 10 item 20: what a user asked for without a model — the findings as
// they stand, a task's exact prompt with its size against the window, and a
// clean that says what it removes and asks first.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";
import { closedPortUrl, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  fake = undefined;
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});

const FINDINGS = {
  version: 1,
  audits: {},
  counters: { CALC: 2 },
  findings: [
    { id: "CALC-1", spec: "CALC", file: "specs/calc.smd", line: 3, section: "Requirements", issue: "Division by zero is not specified", suggestion: "Say what divide(1, 0) does", severity: "error", status: "open", history: [] },
    { id: "CALC-2", spec: "CALC", file: "specs/calc.smd", line: 5, section: "Requirements", issue: "Naming", suggestion: "", severity: "warning", status: "dismissed", history: [] },
  ],
};

describe("specwright findings", () => {
  it("lists the open findings without any model (Ollama is down), --all adds the settled ones, --json too", async () => {
    await writeFile(join(dir, ".specwright/findings.json"), JSON.stringify(FINDINGS));
    const env = { OLLAMA_HOST: await closedPortUrl() };
    const r = await runCli(["findings"], { cwd: dir, env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^CALC-1 +error +open +specs\/calc\.smd:3 \(Requirements\)\n {2}Division by zero is not specified\n {2}suggestion: Say what divide\(1, 0\) does$/m);
    expect(r.stdout).not.toContain("CALC-2");
    expect(r.stdout).toContain("1 open finding (1 error, 0 warning, 0 info); 1 settled");
    const all = await runCli(["findings", "--all"], { cwd: dir, env });
    expect(all.stdout).toMatch(/^CALC-2 +warning +dismissed/m);
    const json = JSON.parse((await runCli(["findings", "--json"], { cwd: dir, env })).stdout) as { findings: { id: string }[]; summary: { openErrors: number } };
    expect(json.findings.map((f) => f.id)).toEqual(["CALC-1", "CALC-2"]);
    expect(json.summary.openErrors).toBe(1);
  });

  it("says there are none yet before any audit", async () => {
    const r = await runCli(["findings"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 0, stdout: "No findings yet — `specwright audit` asks the audit model for them\n" });
  });
});

describe("specwright prompt", () => {
  it("prints exactly the messages a build sends, with no model, and the size against the window", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const build = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(build.exitCode, build.stderr).toBe(0);
    const sent = fake.promptRequests().find((q) => taskOf(q) === "T002")!.messages!;
    const requestsBefore = fake.requests.length;

    const json = JSON.parse((await runCli(["prompt", "T002", "--json"], { cwd: dir, env: { OLLAMA_HOST: fake.url } })).stdout) as {
      messages: { role: string; content: string }[];
      expectedFiles: string[];
      window: { estimatedPromptTokens: number; outputBudget: number; firstCallNeeds: number; numCtx: { configured: string; wouldAskFor: number }; fits: boolean };
    };
    expect(json.messages.map((m) => ({ role: m.role, content: m.content }))).toEqual(sent.map((m) => ({ role: m.role, content: m.content })));
    expect(fake.requests.length).toBe(requestsBefore); // no model asked, not even /api/tags
    expect(json.expectedFiles).toEqual(["tests/test_arith.py"]);
    expect(json.window.outputBudget).toBe(8192);
    expect(json.window.numCtx.configured).toBe("auto");
    expect(json.window.firstCallNeeds).toBeGreaterThan(json.window.estimatedPromptTokens + 8192);
    expect(json.window.fits).toBe(true);

    const text = await runCli(["prompt", "t002"], { cwd: dir });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^T002 Arithmetic tests\nmodel {5}qwen2\.5-coder:14b \(build role\)/);
    expect(text.stdout).toMatch(/^verdict {3}fits: \d+ of \d+ tokens for the first call/m);
    expect(text.stdout).toContain(sent.at(-1)!.content);
  });

  it("a window too small for the prompt is exit 1 with what to change", async () => {
    await writeCalcProject(dir, "");
    const toml = await readFile(join(dir, "specwright.toml"), "utf8");
    await writeFile(join(dir, "specwright.toml"), toml.replace('default = "qwen2.5-coder:14b"', 'default = "qwen2.5-coder:14b"\nnum_ctx = 4096'));
    const r = await runCli(["prompt", "T001"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/verdict {3}does not fit: \d+ tokens needed, num_ctx is 4096 — raise model\.num_ctx, lower build\.max_output_tokens/);
  });

  it("an unknown task is a usage error with a did-you-mean", async () => {
    const r = await runCli(["prompt", "T0002"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("no task T0002 in the plan — hint: did you mean T002?");
  });
});

describe("specwright clean", () => {
  it("without a terminal says what it would remove and needs --yes; --build keeps specs, plan and findings", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    expect((await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } })).exitCode).toBe(0);
    await writeFile(join(dir, ".specwright/findings.json"), JSON.stringify(FINDINGS));

    const asked = await runCli(["clean", "--all"], { cwd: dir });
    expect(asked.exitCode).toBe(2);
    expect(asked.stderr).toMatch(/clean would remove:\n {2}\.specwright\/runs — run traces, \d+ files, [\d.]+ KiB\n {2}output — generated code and its git history, \d+ files/);
    expect(asked.stderr).toContain("hint: pass --yes");
    expect(existsSync(join(dir, "output/calc/arith.py"))).toBe(true);

    const runs = await runCli(["clean", "--yes"], { cwd: dir });
    expect(runs.exitCode, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(/^removed \.specwright\/runs — run traces/);
    expect(existsSync(join(dir, ".specwright/runs"))).toBe(false);
    expect(existsSync(join(dir, "output/calc/arith.py"))).toBe(true);

    const build = await runCli(["clean", "--build", "--yes", "--json"], { cwd: dir });
    expect(build.exitCode, build.stderr).toBe(0);
    expect((JSON.parse(build.stdout) as { removed: { what: string }[] }).removed.map((r) => r.what)).toEqual(["generated code and its git history", "build state (every task will be built again)"]);
    expect(existsSync(join(dir, "output"))).toBe(false);
    expect(existsSync(join(dir, ".specwright/state.json"))).toBe(false);
    expect((await readdir(join(dir, ".specwright"))).sort()).toEqual(["findings.json", "plan.toml"]);
    expect(existsSync(join(dir, "specs/calc.smd"))).toBe(true);
    const status = await runCli(["status", "--json"], { cwd: dir });
    expect((JSON.parse(status.stdout) as { tasks: { upToDate: boolean }[] }).tasks.every((t) => !t.upToDate)).toBe(true);

    // A comparison's scratch folders go with --compare (and --all), nothing else.
    await mkdir(join(dir, ".specwright/compare/x/a/run-1/output"), { recursive: true });
    await writeFile(join(dir, ".specwright/compare/x/result.json"), "{}\n");
    const compared = await runCli(["clean", "--compare", "--yes"], { cwd: dir });
    expect(compared.exitCode, compared.stderr).toBe(0);
    expect(compared.stdout).toMatch(/^removed \.specwright\/compare — comparisons \(their scratch builds and results\), 1 file/);
    expect(existsSync(join(dir, ".specwright/compare"))).toBe(false);
    expect((await readdir(join(dir, ".specwright"))).sort()).toEqual(["findings.json", "plan.toml"]);

    expect((await runCli(["clean", "--all", "--yes"], { cwd: dir })).stdout).toBe("Nothing to clean\n");
  });

  it("refuses an output dir that is the project folder", async () => {
    await writeFile(join(dir, "specwright.toml"), '[output]\ndir = "."\n');
    const r = await runCli(["clean", "--build", "--yes"], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("is the project folder itself; clean --build will not remove it");
    expect(existsSync(join(dir, "specs/calc.smd"))).toBe(true);
  });
});
