// `specwright retro --ask N` as a process, against the fake Ollama over real
// HTTP: the recommendation names T002, the editor model puts the Example
// under ## Examples (as a real model does), and the impact says whether that
// reaches T002 — not when T002's refs leave the section out (with the ref to
// add), "T002 rebuilds" when they hold it. The intent log keeps the tasks.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { CALC_SMD_WITH_EXAMPLES, DIVIDE_EXAMPLE_PROPOSAL, DIVIDE_RETRO, calcPlan, writeRetroProject } from "../helpers/retro-project.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

function plan(t002Refs: string[]): string {
  return calcPlan([
    { id: "T002", title: "Divide", outputs: ["src/divide.py"], refs: t002Refs },
    { id: "T003", title: "Examples as tests", outputs: ["tests/test_examples.py"], refs: ["examples"] },
  ]);
}

const WARNING =
  "misses:   T002 (named by the retro) does not reference CALC#examples, which this change edits: its next build will not see it. Add `examples` to T002's refs in .specwright/plan.toml (or re-plan)";

async function setUp(t002Refs: string[]): Promise<void> {
  await writeFile(join(dir, ".specwright", "plan.toml"), plan(t002Refs));
  fake.script({ content: JSON.stringify(DIVIDE_RETRO) });
  const retro = await runCli(["retro"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
  expect(retro.exitCode, retro.stderr).toBe(0);
  fake.script(DIVIDE_EXAMPLE_PROPOSAL);
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  fake = await startFakeOllama();
  await writeRetroProject(dir, { plan: plan(["requirements/divide"]), smd: CALC_SMD_WITH_EXAMPLES });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

describe("specwright retro --ask N says whether the change reaches the tasks the recommendation names", () => {
  it("warns when the named task does not ref the part the edit went to, and says which ref to add", async () => {
    await setUp(["requirements/divide"]);
    const r = await runCli(["retro", "--ask", "1"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("changes:  CALC#examples");
    expect(r.stdout).toContain("rebuilds: T003 Examples as tests — section examples");
    expect(r.stdout).toContain(`  ${WARNING}\n`);
    expect(r.stdout).not.toContain("T002 rebuilds");

    // The log keeps the tasks with the words, so a later accept (or a person reading it) knows them.
    const log = (await readFile(join(dir, ".specwright", "intent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { event: string; context?: Record<string, unknown> });
    expect(log.find((e) => e.event === "request")!.context).toMatchObject({ spec: "CALC", anchor: "divide", tasks: ["T002"] });
    const shown = await runCli(["intent", "I-0001"], { cwd: dir });
    expect(shown.stdout).toMatch(/^context: retro \.specwright\/retros\/\d{4}-\d\d-\d\d\.md recommendation 1; spec CALC#divide; tasks T002$/m);

    // --json carries the same finding, for a script.
    fake.script(DIVIDE_EXAMPLE_PROPOSAL);
    const json = await runCli(["--json", "retro", "--ask", "1"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(json.exitCode, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { impact: { named: unknown[] } };
    expect(out.impact.named).toEqual([{ task: "T002", by: "the retro", reach: "not-reached", spec: "CALC", reasons: [], misses: ["examples"], elsewhere: [] }]);
  });

  it("says T002 rebuilds when its refs hold the part the edit went to", async () => {
    await setUp(["requirements/divide", "examples"]);
    const r = await runCli(["retro", "--ask", "1"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("reaches:  T002 rebuilds (named by the retro) — section examples");
    expect(r.stdout).not.toContain("misses:");
  });

  it("adds no such line to a plain ask, which names no task", async () => {
    await setUp(["requirements/divide"]);
    const r = await runCli(["ask", "Add an Example where b is 0.", "--at", "CALC#divide"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain("rebuilds: T003");
    expect(r.stdout).not.toMatch(/misses:|reaches:/);
    const request = JSON.parse((await readFile(join(dir, ".specwright", "intent.jsonl"), "utf8")).split("\n")[0]!) as { context: Record<string, unknown> };
    expect(request.context).toEqual({ source: "cli ask", spec: "CALC", anchor: "divide" });
  });
});
