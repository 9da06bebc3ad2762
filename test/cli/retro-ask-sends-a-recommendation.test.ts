// `specwright retro --ask N` as a process: recommendation N of the latest
// retro goes to `specwright ask` (its words and --at), against the fake
// Ollama over real HTTP; the intent log records where it came from.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, writeProject } from "../helpers/spec-project.js";
import { pytestFailure, writeSyntheticRun } from "../helpers/synthetic-build-runs.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

const PLAN = `version = 1

[[task]]
id = "T002"
spec = "CALC"
title = "Ranking"
outputs = ["src/rank.py"]
refs = ["requirements/divide"]
verify = ["python3 -m pytest -q"]
`;

const ANSWER = {
  summary: "T002 needed a fix because the tie-break is not stated.",
  recommendations: [
    { kind: "make-explicit", spec: "CALC", anchor: "requirements/divide", tasks: ["T002"], change: "Say that words with equal counts are ranked alphabetically.", why: "T002 failed on tied words." },
  ],
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  fake = await startFakeOllama();
  await writeFile(join(dir, "specwright.toml"), '[project]\nname = "words"\n\n[model]\ndefault = "qwen2.5-coder:14b"\n');
  await writeProject(dir, { "specs/calc.smd": CALC_SMD, "specs/calc.amd": CALC_AMD });
  await mkdir(join(dir, ".specwright"), { recursive: true });
  await writeFile(join(dir, ".specwright", "plan.toml"), PLAN);
  await writeSyntheticRun(dir, {
    startedAt: "2026-11-20T10:00:00Z",
    finishedAt: "2026-11-20T10:05:00Z",
    tasks: { T002: { attempts: [{ verify: { pass: false, command: "python3 -m pytest -q", output: pytestFailure("T002", 1) } }, { verify: { pass: true } }] } },
  });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

describe("specwright retro --ask N", () => {
  it("says there is no retro yet, and refuses a number the retro does not have", async () => {
    const none = await runCli(["retro", "--ask", "1"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain("no retro yet");
    fake.script({ content: JSON.stringify(ANSWER) });
    expect((await runCli(["retro"], { cwd: dir, env: { OLLAMA_HOST: fake.url } })).exitCode).toBe(0);
    const nine = await runCli(["retro", "--ask", "9"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(nine.exitCode).toBe(2);
    expect(nine.stderr).toContain("has 1 recommendation, not 9");
    const zero = await runCli(["retro", "--ask", "0"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(zero.exitCode).toBe(2);
    expect(fake.promptRequests()).toHaveLength(1);
  });

  it("sends the recommendation's words and --at to ask, recording the retro and the number", async () => {
    fake.script({ content: JSON.stringify(ANSWER) });
    expect((await runCli(["retro"], { cwd: dir, env: { OLLAMA_HOST: fake.url } })).exitCode).toBe(0);
    fake.script({ content: JSON.stringify({ questions: ["Alphabetically ascending, or by first appearance?"], assumptions: [], edits: [] }) });
    const r = await runCli(["--json", "retro", "--ask", "1"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.stderr).toMatch(/retro: sending \.specwright\/retros\/\d{4}-\d\d-\d\d\.md recommendation 1 to ask/);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(JSON.stringify(out)).toContain("Alphabetically ascending");
    const log = (await readFile(join(dir, ".specwright", "intent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { words?: string; context?: Record<string, unknown> });
    const request = log.find((e) => e.words !== undefined)!;
    expect(request.words).toBe("Make explicit: Say that words with equal counts are ranked alphabetically. (T002 failed on tied words.)");
    expect(request.context).toMatchObject({ spec: "CALC", anchor: "divide" });
    expect(request.context!.source).toMatch(/^retro \.specwright\/retros\/\d{4}-\d\d-\d\d\.md recommendation 1$/);
    // The editor model got the words.
    const drafter = (fake.promptRequests().at(-1)!.messages ?? []).map((m) => m.content).join("\n");
    expect(drafter).toContain("ranked alphabetically");
    // It is told where the change must go to reach the task the retro named.
    expect(drafter).toContain('- task T002 "Ranking" of spec CALC, which the request is for: its build sees only its refs (requirements/divide), so make the change inside one of them');
  });
});
