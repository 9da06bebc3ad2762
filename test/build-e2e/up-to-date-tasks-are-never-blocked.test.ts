// Issue 10 item 14: a build that announced "1 to build, 2 up to date" must not
// end with the up-to-date tasks listed as blocked when the one task fails.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { CALC_SMD } from "../helpers/spec-project.js";
import { ARITH, CLI, TEST_RIGHT, routedReplies, writeCalcProject } from "../helpers/calc-build.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});

describe("up-to-date tasks behind a failed dependency", () => {
  it("stay up to date when the dependency failed without changing its files", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const first = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(first.exitCode, first.stderr).toBe(0);
    await fake.close();

    // Only T001 sees the divide requirement: T001 is to build, T002 and T003 are up to date.
    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD.replace("Divide a by b.", "Divide a by b, as a float."));
    const status = await runCli(["status", "--json"], { cwd: dir });
    const rows = (JSON.parse(status.stdout) as { tasks: { id: string; upToDate: boolean; reasons: string[] }[] }).tasks;
    expect(rows.map((r) => [r.id, r.upToDate])).toEqual([["T001", false], ["T002", true], ["T003", true]]);
    expect(rows[0]!.reasons).toEqual(["requirement `divide` changed"]);

    // T001's reply is malformed twice: it fails, and no file of it changes.
    const unclosed = "calc/arith.py\n```python\ndef add(a, b):\n    return a + b\n";
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [unclosed, unclosed] }) });
    const before = await readFile(join(dir, "output/calc/arith.py"), "utf8");
    const second = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(second.exitCode).toBe(1);
    expect(second.stdout).toMatch(/^0 built, 2 up to date, 1 failed \(T001\)$/m);
    expect(second.stdout).not.toContain("blocked");
    expect(second.stderr).not.toContain("a task it depends on did not finish");
    expect(await readFile(join(dir, "output/calc/arith.py"), "utf8")).toBe(before);
    // Only T001 was asked.
    expect(fake.promptRequests().every((q) => q.messages!.some((m) => m.content.includes("# Task T001:")))).toBe(true);
  });
});
