// `plan --replan --yes` must leave plan.toml (and state.json) byte for byte as
// they were until a complete new plan has been validated: a model that is
// down, answers an error, is interrupted with Ctrl-C or killed with -9 costs
// nothing of the person's plan. A plan with no tasks is not a success.

import { execa } from "execa";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama, type ReplyScript } from "../fake-ollama/server.js";
import { CLI, runCli, tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, PROJECT_TOML, writeProject } from "../helpers/spec-project.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

const CALC_TASKS = [
  { key: "1", title: "Arithmetic", description: "", depends_on: [], outputs: ["calc/arith.py"], refs: ["requirements/add", "requirements/divide", "components/Arith"], verify: ["python3 -m py_compile calc/arith.py"] },
  { key: "2", title: "CLI", description: "", depends_on: ["1"], outputs: ["calc/cli.py"], refs: ["components/Cli"], verify: ["python3 -m py_compile calc/cli.py"] },
];
const answer = (tasks: unknown[]) => ({ content: JSON.stringify({ tasks }) });

/** The project's plan after a person's edits: a note and a changed verify command the planner never wrote. */
async function handEditedPlan(): Promise<{ plan: string; state: string }> {
  fake.script(answer(CALC_TASKS));
  const first = await runCli(["plan"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
  expect(first.exitCode, first.stderr).toBe(0);
  const path = join(dir, ".specwright/plan.toml");
  const edited = (await readFile(path, "utf8"))
    .replace('title = "CLI"', 'title = "CLI" # keep: reviewed by hand')
    .replace('notes = ""', 'notes = "call sites use ints only"');
  await writeFile(path, edited);
  return { plan: edited, state: await readFile(join(dir, ".specwright/state.json"), "utf8") };
}

async function onDisk(): Promise<{ plan: string; state: string }> {
  return { plan: await readFile(join(dir, ".specwright/plan.toml"), "utf8"), state: await readFile(join(dir, ".specwright/state.json"), "utf8") };
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  fake = await startFakeOllama();
  await writeProject(dir, { "specwright.toml": PROJECT_TOML, "specs/calc.smd": CALC_SMD, "specs/calc.amd": CALC_AMD });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

describe("plan --replan --yes when the model call fails", () => {
  it("with the model server down: exit 3, plan.toml and state.json unchanged, and the plan still builds", async () => {
    const before = await handEditedPlan();
    const r = await runCli(["plan", "--replan", "--yes"], { cwd: dir, env: { OLLAMA_HOST: "http://127.0.0.1:9" } });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(".specwright/plan.toml is unchanged");
    expect(await onDisk()).toEqual(before);
    const status = await runCli(["status"], { cwd: dir });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/T002\s+CLI/);
  });

  it.each<[string, ReplyScript]>([
    ["an HTTP error answer", { fault: { kind: "http-error", status: 500, message: "model runner crashed" } }],
    ["an error line mid-stream", { content: '{"tasks": [', fault: { kind: "error-line", afterChunks: 2, message: "CUDA out of memory" } }],
  ])("with %s: a failure, nothing written", async (_name, reply) => {
    const before = await handEditedPlan();
    fake.script(reply);
    const r = await runCli(["plan", "--replan", "--yes"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    // 1 or 3 as models/ classifies the fault (a crashed runner is "no model to talk to"); never 0.
    expect([1, 3], r.stderr).toContain(r.exitCode);
    expect(r.stderr).toContain(".specwright/plan.toml is unchanged");
    expect(await onDisk()).toEqual(before);
  });

  it.each([
    ["Ctrl-C (SIGINT)", "SIGINT", 130],
    ["kill -9", "SIGKILL", null],
  ] as const)("interrupted by %s while the planner answers: nothing written", async (_name, signal, code) => {
    const before = await handEditedPlan();
    // The answer starts and then hangs, so the signal lands mid-call.
    fake.script({ content: ['{"tasks": [', '{"key": "1"'], fault: { kind: "hang", afterChunks: 2 } });
    const asked = fake.promptRequests().length;
    const child = execa("node", [CLI, "plan", "--replan", "--yes"], {
      cwd: dir, reject: false, stdin: "ignore",
      env: { NO_COLOR: "1", XDG_CONFIG_HOME: join(dir, ".no-user-config"), OLLAMA_HOST: fake.url, SPECWRIGHT_MODEL: undefined },
    });
    // Event-driven: signal only once the planner's request is at the server.
    const chats = () => fake.requests.filter((r) => r.path === "/api/chat").length;
    while (fake.promptRequests().length === asked) await fake.waitForRequests(chats() + 1);
    child.kill(signal);
    const result = await child;
    expect(result.exitCode ?? null).toBe(code);
    expect(await onDisk()).toEqual(before);
  });
});

describe("a plan with no tasks", () => {
  it("is never written from a planner answer: the empty answer is re-asked, then refused", async () => {
    const before = await handEditedPlan();
    fake.script(answer([]), answer([]));
    const r = await runCli(["plan", "--replan", "--yes"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode).toBe(1);
    // The plan schema asks for at least one task, so the re-ask quotes that.
    expect(fake.promptRequests().at(-1)!.messages!.at(-1)!.content).toMatch(/\$\.tasks.*at least 1/);
    expect(await onDisk()).toEqual(before);
  });

  it("on disk is a diagnostic at plan.toml:1:1, and build and status fail on it", async () => {
    await handEditedPlan();
    await writeFile(join(dir, ".specwright/plan.toml"), "version = 1\n");
    for (const args of [["plan", "--check"], ["status"], ["build", "--yes"]]) {
      const r = await runCli(args, { cwd: dir, env: { OLLAMA_HOST: fake.url } });
      expect(r.exitCode, args.join(" ")).toBe(1);
      expect(r.stdout + r.stderr).toContain(".specwright/plan.toml:1:1: error: The plan has no tasks, but CALC has 2 requirements to build");
    }
    expect(fake.promptRequests()).toHaveLength(1);
  });
});
