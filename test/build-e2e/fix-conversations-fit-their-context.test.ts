import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { preTokenize } from "../../models/token-estimate.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, file, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";

// An ordinary test file is a few thousand tokens. A fix attempt sends the first
// prompt, the whole failed reply and the verify output, and leaves room for
// the next reply: the run must be sized for that, and a second fix must still
// fit. (Before, num_ctx was sized from the first prompt alone and the first fix
// of a ~3k-token file was refused unsent.)

/** A unittest file of well over 3000 tokens whose first test fails as `failing` says. */
function bigTests(failing: string): string {
  const padding = Array.from({ length: 190 }, (_, i) => `    def test_add_${i}(self):\n        self.assertEqual(add(${i}, 1), ${i + 1})\n`).join("\n");
  return file(
    "tests/test_arith.py",
    `import unittest\nfrom calc.arith import add\n\n\nclass AddTest(unittest.TestCase):\n    def test_add(self):\n        ${failing}\n\n${padding}\n\nif __name__ == "__main__":\n    unittest.main()`,
  );
}
const WRONG = bigTests("self.assertEqual(add(2, 2), 5)");
// A different error, so the fix loop does not stop on a repeated one.
const WRONG_AGAIN = bigTests("self.assertEqual(ad(2, 2), 4)");
const RIGHT = bigTests("self.assertEqual(add(2, 2), 4)");

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const t002 = () => fake.promptRequests().filter((r) => taskOf(r) === "T002");
const state = async () => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { tasks: Record<string, { status: string; attempts?: number }> };

describe("fix conversations", () => {
  it("with replies over 3k tokens, two fix attempts are sent in the one context the run chose, each opening with the first prompt", async () => {
    expect(preTokenize(WRONG).length).toBeGreaterThan(3000);
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [WRONG, WRONG_AGAIN, RIGHT], T003: [CLI] }) });
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    // Nothing refused unsent (the old "does not fit … it was not sent").
    expect(r.stderr).not.toContain("does not fit");
    expect((await state()).tasks.T002).toMatchObject({ status: "done", attempts: 3 });

    const [first, fix1, fix2] = t002();
    expect(t002()).toHaveLength(3);
    // One num_ctx for every call: the model was never reloaded, and the server cut nothing.
    const numCtx = [...new Set(fake.promptRequests().map((q) => q.options?.["num_ctx"] as number))];
    expect(numCtx).toHaveLength(1);
    expect(fake.promptRequests().some((q) => q.truncated === true)).toBe(false);
    for (const q of t002()) expect(q.promptTokens! + (q.options!["num_predict"] as number)).toBeLessThanOrEqual(numCtx[0]!);
    // The first fix continues the conversation; the second, bounded, still opens with the first prompt, so that stays cached.
    expect(fix1!.messages!.slice(0, 2)).toEqual(first!.messages);
    expect(fix1!.messages![2]!.content).toContain("add(2, 2), 5");
    expect(fix2!.messages!.slice(0, 2)).toEqual(first!.messages);
    expect(fix2!.messages!.at(-2)!.content).toContain("ad(2, 2), 4");
    expect(r.stdout).toMatch(/^5 model calls/m);
  });

  it("falls back to the first prompt with the failure, without the reply, when the model's context cannot hold a reply twice", async () => {
    fake = await startFakeOllama({
      models: [{ name: "qwen2.5-coder:14b", contextLength: 12288 }],
      defaultReply: routedReplies({ T001: [ARITH], T002: [WRONG, WRONG_AGAIN, RIGHT], T003: [CLI] }),
    });
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("T002: the whole conversation would not fit num_ctx 12288; sending the first prompt with the request, without the earlier reply");
    const [first, fix1, fix2] = t002();
    for (const fix of [fix1!, fix2!]) {
      expect(fix.messages!).toHaveLength(2);
      expect(fix.messages![0]).toEqual(first!.messages![0]);
      expect(fix.messages![1]!.content.startsWith(first!.messages![1]!.content)).toBe(true);
    }
    expect(fix1!.messages![1]!.content).toContain("AssertionError");
    expect(fix2!.messages![1]!.content).toContain("NameError");
    expect(fake.promptRequests().some((q) => q.truncated === true)).toBe(false);
    expect((await state()).tasks.T002).toMatchObject({ status: "done", attempts: 3 });
  });
});
