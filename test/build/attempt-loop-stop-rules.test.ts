import { describe, expect, it } from "vitest";
import { FixLoopRules } from "../../src/build/attempt-loop.js";
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
