import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { preTokenize } from "../../models/token-estimate.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, TEST_RIGHT, file, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";

/** build.max_output_tokens as the calc project leaves it (the default): num_predict of every build call. */
const BUILD_OUTPUT_BUDGET = 8192;

// A reply that reaches the output limit (num_predict, 8192 tokens) is cut off
// by the server (done_reason "length"; the fake cuts its scripted reply the
// same way). Sending the cut text back with a re-ask cannot fit the context and
// would only be cut again: the files it completed are kept, and the rest are
// asked for on their own.

/** A Python module of about `tokens` pre-tokens (the fake counts, and cuts, in pre-tokens). */
function bigModule(path: string, name: string, tokens: number): string {
  const lines: string[] = [];
  let count = 0;
  for (let i = 0; count < tokens; i++) {
    const line = `${name}_${i} = ${i} + ${i * 7}\n`;
    count += preTokenize(line).length;
    lines.push(line);
  }
  return file(path, lines.join(""));
}
const TEXTS = bigModule("calc/cli_text.py", "TEXT", 5000);

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  // T003 writes two files; together they do not fit one reply.
  const plan = await readFile(join(dir, ".specwright/plan.toml"), "utf8");
  await writeFile(join(dir, ".specwright/plan.toml"), plan
    .replace('outputs = ["calc/cli.py"]', 'outputs = ["calc/cli.py", "calc/cli_text.py"]')
    .replace('verify = ["python3 -m py_compile calc/cli.py"]', 'verify = ["python3 -m py_compile calc/cli.py calc/cli_text.py"]'));
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const t003 = () => fake.promptRequests().filter((r) => taskOf(r) === "T003");

describe("a reply cut at the output limit", () => {
  it("keeps the files it completed and asks for the rest in a form that fits; the call count is what was sent", async () => {
    const bigCli = bigModule("calc/cli.py", "CLI", 5000);
    expect(preTokenize(bigCli + TEXTS).length).toBeGreaterThan(BUILD_OUTPUT_BUDGET);
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [`${bigCli}\n${TEXTS}`, TEXTS] }) });
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/T003: malformed reply: the reply was cut off at the output limit \(8192 tokens\) with calc\/cli\.py complete/);
    expect(r.stderr).not.toContain("does not fit");

    const [cut, rest] = t003();
    expect(t003()).toHaveLength(2);
    expect(cut!.options!["num_predict"]).toBe(BUILD_OUTPUT_BUDGET);
    // The re-ask keeps the complete file as the model's turn (cached), not the cut text, and asks for the missing file only.
    expect(rest!.messages!.slice(0, 2)).toEqual(cut!.messages);
    expect(rest!.messages![2]!.content).toContain("CLI_0 = 0");
    expect(rest!.messages![2]!.content).not.toContain("TEXT_0");
    expect(rest!.messages!.at(-1)!.content).toMatch(/these files arrived complete and are kept: calc\/cli\.py\.\n\nSend only calc\/cli_text\.py, whole/);
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toContain("CLI_0 = 0");
    expect(await readFile(join(dir, "output/calc/cli_text.py"), "utf8")).toContain("TEXT_0 = 0");
    // Four calls reached the model (T001, T002 and T003 twice); the summary says four.
    expect(fake.promptRequests()).toHaveLength(4);
    expect(r.stdout).toMatch(/^4 model calls/m);
  });

  it("asks for one file at a time when the cut left none complete, and gives up, naming the file, when even one does not fit", async () => {
    const hugeCli = bigModule("calc/cli.py", "CLI", 9000);
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [`${hugeCli}\n${TEXTS}`, hugeCli] }) });
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode).toBe(1);
    const [, alone] = t003();
    expect(t003()).toHaveLength(2);
    // Nothing of the cut reply is sent back: the first prompt, and the request for the first file alone.
    expect(alone!.messages!).toHaveLength(2);
    expect(alone!.messages![1]!.content).toMatch(/cut off at the output limit \(8192 tokens\) before any file was complete\.\n\nSend only calc\/cli\.py, whole/);
    expect(r.stderr).toMatch(/T003 failed after 2 attempts: the reply was cut off at the output limit \(8192 tokens\) again without a complete file: calc\/cli\.py does not fit one reply — split the task into smaller files/);
    expect(r.stdout).toMatch(/^4 model calls/m);
  });
});
