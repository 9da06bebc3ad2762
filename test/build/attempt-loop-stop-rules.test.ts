import { describe, expect, it } from "vitest";
import { FixLoopRules, salvageCutReply } from "../../src/build/attempt-loop.js";
import type { VerifyCommandResult } from "../../src/build/verify-runner.js";

/** A verify command that ran and failed the way `output` says. */
function failed(output: string, overrides: Partial<VerifyCommandResult> = {}): VerifyCommandResult {
  return { command: "python3 -m unittest tests/test_arith.py", exitCode: 1, signal: null, timedOut: false, aborted: false, durationMs: 40, output, truncatedBytes: 0, ...overrides };
}

const files = (content: string) => new Map([["calc/arith.py", content]]);

describe("the fix loop's stop rules", () => {
  it("re-asks a malformed reply once, then stops", () => {
    const rules = new FixLoopRules(2);
    expect(rules.malformed("the block opened at line 2 is never closed")).toEqual({ go: "re-ask" });
    expect(rules.malformed("the block opened at line 2 is never closed")).toEqual({
      stop: "the reply was malformed twice: the block opened at line 2 is never closed",
      askable: true,
    });
  });

  it("stops when the reply lacks a declared file, naming it", () => {
    const rules = new FixLoopRules(2);
    expect(rules.written(["calc/cli.py"], files("x = 1\n"))).toEqual({ stop: "the reply did not include calc/cli.py; the task declares it", askable: true });
    expect(new FixLoopRules(2).written(["a.py", "b.py"], files(""))?.stop).toBe("the reply did not include a.py, b.py; the task declares them");
  });

  it("stops when a fix sends back exactly the files of the attempt before", () => {
    const rules = new FixLoopRules(2);
    expect(rules.written([], files("x = 1\n"))).toBeUndefined();
    expect(rules.written([], files("x = 2\n"))).toBeUndefined();
    expect(rules.written([], files("x = 2\n"))).toEqual({ stop: "the fix attempt changed nothing; stopping the fix loop", askable: true });
  });

  it("fixes a code failure, and stops when the next attempt fails with the same error", () => {
    const rules = new FixLoopRules(5);
    const first = rules.verifyFailed(failed("AssertionError: 5 != 4 (at 0x7f00aa)\nFAILED (failures=1)"));
    expect(first).toEqual({ go: "fix", reason: "`python3 -m unittest tests/test_arith.py` failed (exit 1)" });
    // Only an address differs: the same error, so another fix would not help.
    const second = rules.verifyFailed(failed("AssertionError: 5 != 4 (at 0x7f11bb)\nFAILED (failures=1)"));
    expect(second).toEqual({
      stop: "`python3 -m unittest tests/test_arith.py` failed (exit 1), with the same error as the previous attempt; stopping the fix loop",
      askable: true,
      reason: "`python3 -m unittest tests/test_arith.py` failed (exit 1)",
    });
  });

  it("allows max_fix_attempts fixes, then stops", () => {
    const rules = new FixLoopRules(2);
    expect(rules.verifyFailed(failed("error one"))).toMatchObject({ go: "fix" });
    expect(rules.verifyFailed(failed("error two"))).toMatchObject({ go: "fix" });
    expect(rules.verifyFailed(failed("error three"))).toMatchObject({
      stop: "`python3 -m unittest tests/test_arith.py` failed (exit 1); no fix attempts left (max_fix_attempts = 2)",
    });
  });

  it("never fixes when max_fix_attempts is 0", () => {
    expect(new FixLoopRules(0).verifyFailed(failed("boom"))).toMatchObject({ stop: expect.stringContaining("no fix attempts left (max_fix_attempts = 0)") });
  });

  it("calls a timeout a timeout", () => {
    expect(new FixLoopRules(1).verifyFailed(failed("", { timedOut: true, exitCode: null, signal: "SIGTERM" }))).toEqual({
      go: "fix",
      reason: "`python3 -m unittest tests/test_arith.py` timed out",
    });
  });

  it("stops at once, not askable, when the verify command is broken on its own: a plan problem", () => {
    const verdict = new FixLoopRules(3).verifyFailed(failed("sh: 1: pytset: not found", { command: "pytset -q", exitCode: 127 }));
    expect(verdict).toMatchObject({ askable: false, stop: expect.stringContaining("a plan problem, not a code problem") });
    expect("reason" in verdict ? verdict.reason : undefined).toBeUndefined();
  });
});

describe("replies cut at the output limit", () => {
  it("asks for the files still missing after a cut reply that completed some", () => {
    const rules = new FixLoopRules(2);
    expect(rules.cutOff(1, ["b.py", "c.py"], 8192)).toEqual({ go: "pieces", asked: ["b.py", "c.py"] });
  });

  it("asks for one file at a time when a cut reply completed none, and stops when even that is cut", () => {
    const rules = new FixLoopRules(2);
    expect(rules.cutOff(0, ["a.py", "b.py"], 8192)).toEqual({ go: "pieces", asked: ["a.py"] });
    expect(rules.cutOff(0, ["a.py", "b.py"], 8192)).toEqual({
      stop: "the reply was cut off at the output limit (8192 tokens) again without a complete file: a.py does not fit one reply — split the task into smaller files",
      askable: false,
    });
  });

  it("starts counting again after a cut reply that brought a file", () => {
    const rules = new FixLoopRules(2);
    expect(rules.cutOff(0, ["a.py", "b.py"], 100)).toMatchObject({ go: "pieces" });
    expect(rules.cutOff(1, ["b.py"], 100)).toMatchObject({ go: "pieces" });
    expect(rules.cutOff(0, ["b.py"], 100)).toMatchObject({ go: "pieces", asked: ["b.py"] });
  });
});

describe("what a cut reply leaves", () => {
  const fence = "```";
  const a = `calc/a.py\n${fence}python\nA = 1\n${fence}\n`;
  const b = `calc/b.py\n${fence}python\nB = 2\n${fence}\n`;

  it("keeps the files completed before the block the cut left open", () => {
    const cut = `${a}\n${b}\ncalc/c.py\n${fence}python\nC = [1, 2,`;
    const { files, completePart } = salvageCutReply(cut, ["calc/a.py", "calc/b.py", "calc/c.py"]);
    expect(files.map((f) => [f.path, f.content])).toEqual([["calc/a.py", "A = 1\n"], ["calc/b.py", "B = 2\n"]]);
    expect(completePart.startsWith(`${a}\n${b}`)).toBe(true);
    expect(completePart).not.toContain("C = [1");
  });

  it("keeps nothing when the first block is the one cut", () => {
    expect(salvageCutReply(`calc/a.py\n${fence}python\nA = [1,`, ["calc/a.py"])).toEqual({ files: [], completePart: "" });
  });

  it("keeps every file when the cut fell in prose after the last block", () => {
    expect(salvageCutReply(`${a}\nThat is all; the function a`, ["calc/a.py"]).files.map((f) => f.path)).toEqual(["calc/a.py"]);
  });
});
