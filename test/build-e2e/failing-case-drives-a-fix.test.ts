// Verification cases in the build: a task's cases run after its verify
// commands pass; a failing case is the task's next fix request (with the
// case, its expectation and what happened); editing a case reruns it against
// the files as they are, without a model call.

import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";

const hasPython = (() => {
  try {
    execFileSync("python3", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

// Compiles (so py_compile passes) but subtracts.
const ARITH_WRONG = ARITH.replace("return a + b", "return a - b");

const VMD = `@spec CALC

@covers add
add(a, b)
two | 2   | 2 | 4
bad | "x" | 1 | !TypeError: integers

divide(a, b) ~approx
half    | 1 | 2 | 0.5
by_zero | 1 | 0 | !ZeroDivisionError

scenario the command line adds:
when $ python3 -m calc.cli 2 3
> 5
`;

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  await writeFile(join(dir, "specs", "calc.vmd"), VMD);
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH_WRONG, ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

describe.skipIf(!hasPython)("verification cases in the build", () => {
  it("runs a task's cases after its verify; a failing case is fixed in the task's own conversation", async () => {
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(0);
    const t001 = fake.promptRequests().filter((q) => taskOf(q) === "T001");
    expect(t001).toHaveLength(2);
    const fix = t001[1]!.messages!;
    // The previous conversation, then the failure: the case, where it is, what it expects and what happened.
    expect(fix.some((m) => m.role === "assistant" && m.content.includes("return a - b"))).toBe(true);
    const request = fix.at(-1)!.content;
    expect(request).toContain("$ specwright check (the 4 verification case(s) of T001)");
    expect(request).toContain("FAIL add/two (specs/calc.vmd:5)");
    expect(request).toContain("expected: add(2, 2) returns 4");
    expect(request).toContain("actual:   returned 0");
    expect(request).not.toContain("add/bad"); // passing cases are not noise in the prompt
    // T003 (the last task of the spec) owns the command scenario, which ran against the real program.
    const records = JSON.parse(await readFile(join(dir, ".specwright", "cases.json"), "utf8")) as Record<string, { status: string; by: string }>;
    expect(records["CALC:add/two"]).toMatchObject({ status: "pass", by: "T001" });
    expect(records["CALC:divide/by_zero"]).toMatchObject({ status: "pass", by: "T001" });
    expect(records["CALC:scenario:the_command_line_adds"]).toMatchObject({ status: "pass", by: "T003" });

    // Editing a case reruns it against the files as they are, and nothing else: no model call.
    const before = fake.promptRequests().length;
    await writeFile(join(dir, "specs", "calc.vmd"), VMD.replace("two | 2   | 2 | 4", "two   | 2 | 2 | 4\nthree | 1 | 2 | 3"));
    const why = await runCli(["why", "T001"], { cwd: dir });
    expect(why.stdout).toContain("its verification cases (.vmd) changed");
    const again = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(fake.promptRequests().length).toBe(before);
    expect(again.stderr + again.stdout).toContain("T001: its verification cases changed; 5 case(s) pass against its files as they are, so nothing was rebuilt");
    const records2 = JSON.parse(await readFile(join(dir, ".specwright", "cases.json"), "utf8")) as Record<string, { status: string }>;
    expect(records2["CALC:add/three"]).toMatchObject({ status: "pass" });
    // Only the case layout changed (aligning columns, a comment): the key stays, nothing runs.
    await writeFile(join(dir, "specs", "calc.vmd"), "# aligned\n" + VMD.replace("two | 2   | 2 | 4", "two   | 2 | 2 | 4 # sum\nthree | 1 | 2 | 3"));
    const unchanged = await runCli(["why", "T001"], { cwd: dir });
    expect(unchanged.stdout).toContain("T001 Arithmetic is up to date");
  });
});
