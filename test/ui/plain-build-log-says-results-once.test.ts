// The plain build log as a reducer: each result said once, progress only for
// what runs longer than a period, the log bounded however long the build.

import { describe, expect, it } from "vitest";
import type { BuildEvent } from "../../src/build/build-events.js";
import type { VerifyCommandResult } from "../../src/build/verify-runner.js";
import { LOG_KEPT, initialPlainBuildLog, plainBuildLogReducer, type PlainBuildLog } from "../../ui/build/plain-build-log.js";
import { PLAIN_PROGRESS_MS } from "../../ui/plain-mode.js";

const at = (log: PlainBuildLog, now: number, ...events: BuildEvent[]) => plainBuildLogReducer(log, { type: "events", events, now });
const tick = (log: PlainBuildLog, now: number) => plainBuildLogReducer(log, { type: "tick", now });
const result = (command: string, exitCode: number, output: string): VerifyCommandResult => ({ command, exitCode, signal: null, timedOut: false, aborted: false, durationMs: 1200, output, truncatedBytes: 0 });
const attempt = (id: string, n: number): BuildEvent => ({ type: "attempt-started", id, attempt: n, kind: n === 1 ? "implement" : "fix", trace: `runs/r/${id}/${n}` });

describe("plain mode's build log", () => {
  it("says a failing verify with the lines of its output that hold words, and does not say the attempt's failure again", () => {
    let log = at(initialPlainBuildLog(), 0, attempt("T002", 1), { type: "verify-started", id: "T002", attempt: 1, command: "npm test" });
    log = at(log, 1000, { type: "verify-output", id: "T002", attempt: 1, command: "npm test", chunk: "line that streams\n" });
    expect(log.lines).toEqual([]);
    log = at(
      log,
      2000,
      { type: "verify-finished", id: "T002", attempt: 1, result: result("npm test", 1, "ok 1\nnot ok 2 - adds\n  expected 4, got 5\n\n-----\n# fail 1\n") },
      { type: "attempt-failed", id: "T002", attempt: 1, reason: "`npm test` failed (exit 1)" },
      attempt("T002", 2),
    );
    expect(log.lines).toEqual(["T002 verify failed (exit 1, 1.2 s): npm test", "  not ok 2 - adds", "    expected 4, got 5", "  # fail 1", "T002 attempt 2 (fix)"]);
  });

  it("says an attempt's failure that no verify or review told", () => {
    const log = at(initialPlainBuildLog(), 0, attempt("T001", 1), { type: "attempt-failed", id: "T001", attempt: 1, reason: "the reply names no declared file" });
    expect(log.lines).toEqual(["T001 attempt 1 failed: the reply names no declared file"]);
  });

  it("tells a long verify's progress once a period, and nothing for a task that finished", () => {
    let log = at(initialPlainBuildLog(), 0, attempt("T001", 1), attempt("T002", 1));
    log = at(log, 500, { type: "task-finished", id: "T002", outcome: "done", attempts: 1, durationMs: 500, evalTokens: 3, evalMs: 100, metrics: [] });
    log = at(log, 4000, { type: "verify-started", id: "T001", attempt: 1, command: "pytest -q" });
    // Not a period since the verify started: nothing due, and the same state (no render).
    const before = log;
    expect(tick(log, 4000 + PLAIN_PROGRESS_MS - 1)).toBe(before);
    log = tick(log, 4000 + PLAIN_PROGRESS_MS);
    log = tick(log, 4000 + PLAIN_PROGRESS_MS + 1000);
    log = tick(log, 4000 + 2 * PLAIN_PROGRESS_MS);
    expect(log.lines).toEqual([`T001: verifying for ${PLAIN_PROGRESS_MS / 1000} s (pytest -q)`, `T001: verifying for ${(2 * PLAIN_PROGRESS_MS) / 1000} s (pytest -q)`]);
  });

  it("keeps the last LOG_KEPT lines of a long build", () => {
    let log = initialPlainBuildLog();
    for (let i = 0; i < LOG_KEPT + 50; i++) log = at(log, i, attempt(`T${i}`, 1), { type: "verify-finished", id: `T${i}`, attempt: 1, result: result("true", 0, "") });
    expect(log.lines).toHaveLength(LOG_KEPT);
    expect(log.lines.at(-1)).toBe(`T${LOG_KEPT + 49} verify ok: true (1.2 s)`);
  });
});
