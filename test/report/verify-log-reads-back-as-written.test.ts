// verify.log is written by formatVerifyLog and read back by the report: the
// commands, their ends and durations, and the fix loop's fingerprint of the
// failing one must survive the round trip.

import { describe, expect, it } from "vitest";
import { errorFingerprint } from "../../src/build/verify-failure.js";
import { formatVerifyLog } from "../../src/build/verify-log.js";
import type { VerifyCommandResult } from "../../src/build/verify-runner.js";
import { failureOf, parseVerifyLog } from "../../src/report/verify-log-reader.js";

const result = (over: Partial<VerifyCommandResult>): VerifyCommandResult => ({ command: "true", exitCode: 0, signal: null, timedOut: false, aborted: false, durationMs: 12, output: "", truncatedBytes: 0, ...over });

describe("verify.log read back", () => {
  it("recovers each command, how it ended, its output and the fingerprint of the failure", () => {
    // Output lines that look like a log's own lines ($ …, # …) stay output.
    const failing = result({ command: "node --test test/a.test.mjs", exitCode: 1, durationMs: 1320, output: "$ not a command\n# tests 3\nnot ok 2 - ranks by count\n  error: Expected values to be strictly deep-equal\n" });
    const text = formatVerifyLog({ ok: false, results: [result({ command: "node --check src/a.mjs" }), failing], notRun: ["node --test test/b.test.mjs"], aborted: false, durationMs: 1400 }, "/tmp/x/output");
    const log = parseVerifyLog(text);
    expect(log.result).toBe("failed");
    expect(log.durationMs).toBe(1400);
    expect(log.commands.map((c) => [c.command, c.end, c.passed, c.durationMs])).toEqual([
      ["node --check src/a.mjs", "exit 0", true, 12],
      ["node --test test/a.test.mjs", "exit 1", false, 1320],
      ["node --test test/b.test.mjs", "not run: an earlier command failed", false, 0],
    ]);
    const failure = failureOf(log)!;
    expect(failure.command).toBe("node --test test/a.test.mjs");
    expect(failure.fingerprint).toBe(errorFingerprint(failing));
    // The error itself reads better than the runner's "not ok 2 - …" line above it.
    expect(failure.headline).toBe("error: Expected values to be strictly deep-equal");
    expect(failure.excerpt).toContain("strictly deep-equal");
  });

  it("reads a timeout and a log cut short by a crash", () => {
    const text = formatVerifyLog({ ok: false, results: [result({ command: "sleep 99", exitCode: null, signal: "SIGTERM", timedOut: true, durationMs: 30_000, output: "waiting" })], notRun: [], aborted: false, durationMs: 30_000 });
    expect(failureOf(parseVerifyLog(text))).toMatchObject({ command: "sleep 99", end: "timed out, killed (SIGTERM)" });
    const torn = parseVerifyLog("# verify in /x\n\n$ pytest -q\n....");
    expect(torn).toEqual({ result: undefined, durationMs: 0, commands: [] });
  });

  it("finds no failure in a log where every command passed", () => {
    const text = formatVerifyLog({ ok: true, results: [result({})], notRun: [], aborted: false, durationMs: 12 });
    expect(parseVerifyLog(text).result).toBe("passed");
    expect(failureOf(parseVerifyLog(text))).toBeUndefined();
  });
});
