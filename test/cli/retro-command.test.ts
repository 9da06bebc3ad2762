// `specwright retro` run as a process against the fake Ollama over real HTTP,
// on a project with a plan and synthetic build runs.

import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { closedPortUrl, runCli, tempDir } from "../helpers/cli.js";
import { pytestFailure, writeSyntheticRun } from "../helpers/synthetic-build-runs.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

const PLAN = `version = 1

[[task]]
id = "T001"
spec = "WORDS"
title = "Counting"
outputs = ["src/count.py"]
refs = ["requirements/count-words"]
verify = ["python3 -m py_compile src/count.py"]

[[task]]
id = "T002"
spec = "WORDS"
title = "Ranking"
outputs = ["src/rank.py"]
depends_on = ["T001"]
refs = ["requirements/top-words", "constraints"]
verify = ["python3 -m pytest -q"]
`;

const ANSWER = {
  summary: "T002 needed a fix in both runs because the tie-break of the ranking is not stated.",
  recommendations: [
    { kind: "make-explicit", spec: "WORDS", anchor: "requirements/top-words", tasks: ["T002"], change: "Say that words with equal counts are ranked alphabetically.", why: "Both builds of T002 failed on the order of tied words first." },
    { kind: "add-constraint", spec: "WORDS", anchor: "constraints", tasks: ["T001", "T002"], change: "Modules import each other as `from words import x`.", why: "The same import error appeared in two tasks." },
  ],
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  fake = await startFakeOllama();
  await writeFile(join(dir, "specwright.toml"), '[project]\nname = "words"\n\n[model]\ndefault = "qwen2.5-coder:14b"\n');
  await mkdir(join(dir, ".specwright"), { recursive: true });
  await writeFile(join(dir, ".specwright", "plan.toml"), PLAN);
  for (const day of ["20", "21"]) {
    await writeSyntheticRun(dir, {
      startedAt: `2026-11-${day}T10:00:00Z`,
      finishedAt: `2026-11-${day}T10:05:00Z`,
      tasks: {
        T001: { attempts: [{ verify: { pass: true } }] },
        T002: { attempts: [{ verify: { pass: false, command: "python3 -m pytest -q", output: pytestFailure("T002", 1) } }, { verify: { pass: true } }] },
      },
    });
  }
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

describe("specwright retro", () => {
  it("asks the model once over the digest and writes the retro with its spec-change requests", async () => {
    fake.script({ content: JSON.stringify(ANSWER) });
    const r = await runCli(["retro", "--last", "5"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.stderr).toContain("retro: asking qwen2.5-coder:14b about the last 2 tasks");
    expect(r.exitCode).toBe(0);
    const prompts = fake.promptRequests();
    expect(prompts).toHaveLength(1);
    const user = prompts[0]!.messages![1]!.content;
    expect(user).toContain("## T002 Ranking (spec WORDS)\nrefs: requirements/top-words, constraints\nbuilds: 2 · needed fixes in 2 of 2 · newest: passed after 1 fix");
    expect(user).toContain("E ModuleNotFoundError: No module named 'helpers'");
    expect(user).toContain("T002 needed fixes in 2 of 2 runs");
    expect(user).not.toContain("You are a code generator");
    expect(prompts[0]!.format).toMatchObject({ required: ["summary", "recommendations"] });

    const retros = readdirSync(join(dir, ".specwright", "retros")).sort();
    expect(retros).toHaveLength(2);
    const md = await readFile(join(dir, ".specwright", "retros", retros.find((f) => f.endsWith(".md"))!), "utf8");
    expect(md).toContain("## Summary\n\nT002 needed a fix in both runs because the tie-break of the ranking is not stated.");
    expect(md).toContain("### 1. make-explicit · WORDS requirements/top-words · T002\n\nSay that words with equal counts are ranked alphabetically.\n\nWhy: Both builds of T002");
    const json = JSON.parse(await readFile(join(dir, ".specwright", "retros", retros.find((f) => f.endsWith(".json"))!), "utf8"));
    expect(json.requests[1]).toEqual({
      source: { kind: "retro", retro: retros[0]!.replace(/\.json$/, ""), recommendation: 2 },
      spec: "WORDS",
      anchor: "constraints",
      tasks: ["T001", "T002"],
      request: "Add a Constraint in WORDS constraints: Modules import each other as `from words import x`.",
      why: "The same import error appeared in two tasks.",
      // A section ref ("constraints") names the spec only; a requirement ref its anchor.
      ask: ["ask", "Add a Constraint: Modules import each other as `from words import x`. (The same import error appeared in two tasks.)", "--at", "WORDS"],
    });
    expect(json.requests[0].ask.slice(2)).toEqual(["--at", "WORDS#top-words"]);
    expect(md).toContain("To ask for it: `specwright ask 'Make explicit: Say that words with equal counts are ranked alphabetically. (Both builds of T002 failed on the order of tied words first.)' --at WORDS#top-words`");
    expect(r.stdout).toContain("1. Make explicit in WORDS requirements/top-words: Say that words with equal counts are ranked alphabetically.");
    // The call is traced in a retro run, which the report does not count as a build.
    const runs = readdirSync(join(dir, ".specwright", "runs"));
    const retroRun = runs.find((id) => id.endsWith("-retro"))!;
    expect(existsSync(join(dir, ".specwright", "runs", retroRun, "calls", "retro-1", "meta.json"))).toBe(true);
  });

  it("asks again when the answer names a task that is not in the digest", async () => {
    const wrong = { ...ANSWER, recommendations: [{ ...ANSWER.recommendations[0]!, tasks: ["T999"] }] };
    fake.script({ content: JSON.stringify(wrong) }, { content: JSON.stringify(ANSWER) });
    const r = await runCli(["retro", "--json"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode).toBe(0);
    const prompts = fake.promptRequests();
    expect(prompts).toHaveLength(2);
    expect(prompts[1]!.messages!.at(-1)!.content).toContain("tasks T999 are not in the digest");
    expect(JSON.parse(r.stdout).requests).toHaveLength(2);
  });

  it("fails clearly without builds (exit 1), without Ollama (exit 3) and on a bad --last (exit 2), writing no retro", async () => {
    const bad = await runCli(["retro", "--last", "0"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(bad.exitCode).toBe(2);
    const down = await runCli(["retro"], { cwd: dir, env: { OLLAMA_HOST: await closedPortUrl() } });
    expect(down.exitCode).toBe(3);
    expect(down.stderr).toMatch(/not reachable/);
    expect(existsSync(join(dir, ".specwright", "retros"))).toBe(false);
    const empty = await tempDir();
    try {
      await writeFile(join(empty.dir, "specwright.toml"), '[project]\nname = "e"\n');
      const none = await runCli(["retro"], { cwd: empty.dir, env: { OLLAMA_HOST: fake.url } });
      expect(none.exitCode).toBe(1);
      expect(none.stderr).toContain("no task has been built yet");
    } finally {
      await empty.cleanup();
    }
  });
});
