// `build --json` lands in CI logs: its verify-output and verify-finished
// events, and every console line, are redacted the way trace files are.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CALC_PLAN, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";

const SECRETS = {
  GITHUB_TOKEN: "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
  OPENAI_API_KEY: "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  // The verify command prints the environment's secrets, as a debugging script or a test runner might.
  await writeFile(
    join(dir, ".specwright/plan.toml"),
    CALC_PLAN.replace('verify = ["python3 -m py_compile calc/arith.py"]', 'verify = ["python3 -m py_compile calc/arith.py && echo token=$GITHUB_TOKEN key=$OPENAI_API_KEY aws=$AWS_SECRET_ACCESS_KEY"]'),
  );
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH] }) });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

describe("build output", () => {
  it.each([["with --json", ["--json"]], ["in plain output", []]])("build %s prints no secret on stdout or stderr", async (_name, flags) => {
    const r = await runCli(["build", "--yes", "--only", "T001", ...flags], { cwd: dir, env: { OLLAMA_HOST: fake.url, ...SECRETS } });
    // T001 is built and verified; its dependents have no scripted reply and fail.
    expect(r.exitCode, r.stderr).toBe(1);
    const all = r.stdout + r.stderr;
    for (const value of Object.values(SECRETS)) expect(all).not.toContain(value.slice(0, 12));
    if (flags.includes("--json")) {
      const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; chunk?: string; result?: { output: string } });
      const output = events.filter((e) => e.type === "verify-output").map((e) => e.chunk).join("");
      expect(output).toContain("token=[redacted $GITHUB_TOKEN] key=[redacted $OPENAI_API_KEY] aws=[redacted $AWS_SECRET_ACCESS_KEY]");
      expect(events.find((e) => e.type === "verify-finished")?.result?.output).toContain("token=[redacted $GITHUB_TOKEN]");
    }
  });
});
