import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BuildAnswer, BuildQuestion } from "../../src/build/build-events.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, builtCalcProject, routedReplies, taskOf } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { inProcessBuild } from "../helpers/in-process-build.js";

// A file changed by hand since specwright wrote it is found before the task's
// model call: a refusal then costs no generation (minutes on a real model).

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
const mine = "# my own CLI\nprint('hi')\n";
const built = builtCalcProject();

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await built.copyTo(dir);
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
  await writeFile(join(dir, "output/calc/cli.py"), mine);
});
afterAll(() => built.cleanup());
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const asksFor = (id: string) => fake.promptRequests().filter((r) => taskOf(r) === id).length;

/** Builds in-process with `overwrite` as the person's answer; records each question with the T003 calls made before it. */
async function buildAnswering(overwrite: boolean) {
  const build = await inProcessBuild(dir, fake.url);
  const questions: { question: BuildQuestion; callsBefore: number }[] = [];
  const callsAtStart = asksFor("T003");
  const result = await build.run({
    decide: async (question): Promise<BuildAnswer> => {
      questions.push({ question, callsBefore: asksFor("T003") - callsAtStart });
      return question.kind === "overwrite-hand-edit" ? { kind: question.kind, overwrite } : { kind: question.kind, retry: false };
    },
  });
  return { result, questions, calls: asksFor("T003") - callsAtStart };
}

describe("hand-edited files", () => {
  it("stop a headless build before the task's model call", async () => {
    const before = asksFor("T003");
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/T003 failed after 0 attempts: calc\/cli\.py changed by hand since specwright wrote it; not overwritten/);
    expect(asksFor("T003")).toBe(before);
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toBe(mine);
  });

  it("are asked about before the model call, and a no costs no call", async () => {
    const { result, questions, calls } = await buildAnswering(false);
    expect(questions).toEqual([
      { question: { kind: "overwrite-hand-edit", task: "T003", files: [{ path: "calc/cli.py", message: "calc/cli.py was changed since specwright last wrote it" }] }, callsBefore: 0 },
    ]);
    expect(calls).toBe(0);
    expect(result.summary.failed).toEqual(["T003"]);
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toBe(mine);
  });

  it("are overwritten after a yes, asked once, by the one generation that follows", async () => {
    const { result, questions, calls } = await buildAnswering(true);
    expect(questions.map((q) => q.callsBefore)).toEqual([0]);
    expect(calls).toBe(1);
    expect(result.summary.done).toEqual(["T003"]);
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toContain("def main");
  });
});
