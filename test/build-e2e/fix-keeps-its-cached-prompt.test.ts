import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";

// The calc plan is a fan-out: T002 (tests, failing once) and T003 both depend on T001.
let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }) });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const order = () => fake.promptRequests().map((r) => `${taskOf(r)}${r.messages!.some((m) => m.role === "assistant") ? "+fix" : ""}`);

describe("build.overlap_verify", () => {
  it("by default lets the next task generate while a task verifies", async () => {
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(order()).toEqual(["T001", "T002", "T003", "T002+fix"]);
    // T003's generation took Ollama's one cache slot: only the shared system and brief prefix is reused.
    const fix = fake.promptRequests()[3]!;
    expect(fix.cachedTokens! / fix.promptTokens!).toBeLessThan(0.6);
  });

  it("when off, keeps the model for a task through its verify, so its fix reuses the cached prompt", async () => {
    const toml = await readFile(join(dir, "specwright.toml"), "utf8");
    await writeFile(join(dir, "specwright.toml"), toml.replace("[build]\n", "[build]\noverlap_verify = false\n"));
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(order()).toEqual(["T001", "T002", "T002+fix", "T003"]);
    const fix = fake.promptRequests()[2]!;
    // The fix prompt is the first attempt's prompt and reply plus the failure: all but the failure is cached
    // (here a ~1k-token prompt; the share grows with the prompt).
    expect(fix.cachedTokens! / fix.promptTokens!).toBeGreaterThan(0.75);
  });
});
