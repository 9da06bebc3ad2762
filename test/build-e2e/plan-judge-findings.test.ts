import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama, type RecordedRequest, type ReplyScript } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeCalcProject } from "../helpers/calc-build.js";

// The plan judge over real HTTP: `plan --review` asks the reviewer role about
// the calc plan on disk; its findings are stored in findings.json as PLAN-n,
// listed by `plan --check --review` without a model, and triaged like audit
// findings.

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

const FINDINGS = {
  findings: [
    { kind: "weak-verify", task: "T003", item: "", issue: "T003 only compiles calc/cli.py; nothing runs the command line", suggestion: "run `python3 -m calc.cli 1 2`" },
    { kind: "uncovered", task: "", item: "requirements/divide", issue: "no test exercises divide", suggestion: "ref requirements/divide in T002" },
  ],
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  fake = await startFakeOllama({ defaultReply: (): ReplyScript => ({ content: JSON.stringify(FINDINGS) }) });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const chats = (): RecordedRequest[] => fake.promptRequests();

describe("the plan judge", () => {
  it("stores its findings with stable ids, lists them with plan --check --review, and a dismissed one stays dismissed on the next review", async () => {
    const r = await cli(["plan", "--review"]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("plan review: 2 new, 0 seen before, 0 no longer reported");
    expect(r.stdout).toMatch(/PLAN-1 warning \.specwright\/plan\.toml:\d+ \[weak-verify T003\] T003 only compiles calc\/cli\.py/);
    expect(r.stdout).toContain("PLAN-2 warning .specwright/plan.toml:1 [uncovered requirements/divide] no test exercises divide — ref requirements/divide in T002");

    // One structured call, blind to the planner: the specs' items and the plan's tasks only.
    expect(chats()).toHaveLength(1);
    const sent = chats()[0]!;
    expect(sent.format).toMatchObject({ required: ["findings"] });
    expect(sent.messages!.map((m) => m.role)).toEqual(["system", "user"]);
    expect(sent.messages![1]!.content).toContain("- requirements/divide: Divide numbers");
    expect(sent.messages![1]!.content).toMatch(/## T003 \(spec CALC\): CLI\nrefs: components\/Cli\noutputs: calc\/cli\.py\nverify: `python3 -m py_compile calc\/cli\.py`\nestimated prompt tokens: \d+/);

    const stored = JSON.parse(await readFile(join(dir, ".specwright/findings.json"), "utf8")) as { findings: { id: string; spec: string; status: string }[] };
    expect(stored.findings.map((f) => [f.id, f.spec, f.status])).toEqual([["PLAN-1", "plan", "open"], ["PLAN-2", "plan", "open"]]);
    // The T003 finding points at its [[task]] id line.
    const plan = await readFile(join(dir, ".specwright/plan.toml"), "utf8");
    const line = plan.split("\n").findIndex((l) => l === 'id = "T003"') + 1;
    expect(r.stdout).toContain(`PLAN-1 warning .specwright/plan.toml:${line} `);

    // Dismissed like an audit finding.
    const dismissed = await cli(["audit", "--dismiss", "PLAN-2", "--reason", "divide is covered by the examples"]);
    expect(dismissed.exitCode, dismissed.stderr).toBe(0);
    const check = await cli(["plan", "--check", "--review", "--json"]);
    expect(check.exitCode, check.stderr).toBe(0);
    expect((JSON.parse(check.stdout) as { review: { id: string }[] }).review.map((f) => f.id)).toEqual(["PLAN-1"]);
    expect(chats()).toHaveLength(1);

    // Reviewed again: the same findings keep their ids, and the dismissal holds.
    const again = await cli(["plan", "--review"]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain("plan review: 0 new, 2 seen before, 0 no longer reported");
    expect(again.stdout).toContain("PLAN-1 warning");
    expect(again.stdout).not.toContain("PLAN-2");
  });

  it("fails plan --review with the model's exit code when the reviewer is not there", async () => {
    await fake.close();
    const r = await runCli(["plan", "--review"], { cwd: dir, env: { OLLAMA_HOST: "http://127.0.0.1:9" } });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain("the reviewer:");
  });
});
