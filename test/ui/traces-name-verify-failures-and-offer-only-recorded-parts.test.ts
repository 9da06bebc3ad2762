import { describe, expect, it } from "vitest";
import { attemptOutcome, partsOf, verifyVerdict } from "../../ui/data/trace-files.js";
import { tracesReducer, type TracesLocation } from "../../ui/traces/traces-state.js";
import { formatVerifyLog } from "../../src/build/verify-log.js";

const result = (exitCode: number) => ({ command: "node --test", exitCode, signal: null, output: "", durationMs: 12, timedOut: false, aborted: false, truncatedBytes: 0 });

describe("the trace browser's call list and parts", () => {
  it("reads the verdict a verify.log ends with, as the build writes it", () => {
    // The log text comes from the writer itself, so a change to its last line breaks this test, not the screen.
    expect(verifyVerdict(formatVerifyLog({ ok: false, aborted: false, results: [result(1)], notRun: [], durationMs: 12 } as never))).toBe("failed");
    expect(verifyVerdict(formatVerifyLog({ ok: true, aborted: false, results: [result(0)], notRun: [], durationMs: 12 } as never))).toBe("passed");
    expect(verifyVerdict(undefined)).toBeUndefined();
  });

  it("calls an attempt whose reply came back but whose verify failed 'verify failed', not ok", () => {
    expect(attemptOutcome("ok", "failed")).toBe("verify failed");
    expect(attemptOutcome("ok", "passed")).toBe("ok");
    expect(attemptOutcome("ok", undefined)).toBe("ok");
    expect(attemptOutcome("failed", "failed")).toBe("failed");
    expect(attemptOutcome(undefined, undefined)).toBe("unknown");
  });

  it("offers a verify.log part only for a call that has one, and ←/→ skip the missing part", () => {
    const planner = { prompt: "p", response: "r", verify: undefined, meta: "{}" };
    expect(partsOf(planner)).toEqual(["prompt", "response", "meta"]);
    expect(partsOf({ ...planner, verify: "# passed in 1 ms" })).toEqual(["prompt", "response", "verify", "meta"]);
    const at: TracesLocation = { level: "call", runId: "r", path: "planner-1", part: "response", scroll: 0, callCursor: 0, runCursor: 0 };
    const next = tracesReducer(at, { type: "part", by: 1, parts: partsOf(planner) });
    expect(next).toMatchObject({ part: "meta" });
  });
});
