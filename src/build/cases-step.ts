// Verification cases in the build: which task owns each case, the key part
// that makes editing a case rerun it, and the step the attempt loop runs after
// verify passes. A failing case becomes the task's fix request, holding the
// case, its expectation and what happened.
//
// Ownership (the task whose build runs the case, and whose fix loop gets it):
// - a function group or function scenario: the last task in plan order whose
//   outputs or edits hold the component file the function is imported from;
// - a command scenario: the last task in plan order that writes a file the
//   command names (its program, found where the harness looks — bin/NAME,
//   build/NAME, target/release/NAME… — or any argument that is an output path);
// - otherwise the last task of the case's spec in plan order, by when every
//   file of the spec is built. A spec without tasks leaves its cases to
//   `specwright check`.

import type { Plan, Task } from "../../plans/plan.js";
import { sha256Hex } from "../../plans/content-hash.js";
import type { CaseUnit } from "../cases/case-units.js";
import { recordCaseResults } from "../cases/case-record.js";
import { runCases, type CaseResult } from "../cases/run-cases.js";
import type { AttemptTrace, BuildRun } from "./build-run.js";
import { taskRecord } from "./build-state.js";
import type { VerifyCommandResult } from "./verify-runner.js";

/** Task id → the cases its build runs. */
export type TaskCases = ReadonlyMap<string, readonly CaseUnit[]>;

const PROGRAM_PLACES = ["target/release/", "target/debug/", "zig-out/bin/", "build/", "bin/", ""];

function filesNamed(unit: CaseUnit): string[] {
  if (unit.kind === "function") return unit.module ? [unit.module] : [];
  const names: string[] = [];
  for (const step of unit.steps) {
    step.argv.forEach((word, i) => {
      if (typeof word !== "string") return;
      const path = word.replace(/^\.\//, "");
      if (i === 0 && !path.includes("/")) names.push(...PROGRAM_PLACES.map((p) => p + path));
      else names.push(path);
    });
  }
  return names;
}

/** Each unit given to the task that owns it (see the header); units of specs without tasks are left out. */
export function assignCases(plan: Plan, units: readonly CaseUnit[]): Map<string, CaseUnit[]> {
  const owned = new Map<string, CaseUnit[]>();
  const writes = (t: Task, path: string) => t.outputs.includes(path) || t.edits.includes(path);
  for (const unit of units) {
    const named = filesNamed(unit);
    const writers = plan.tasks.filter((t) => t.status !== "skip" && named.some((p) => writes(t, p)));
    const ofSpec = plan.tasks.filter((t) => t.spec === unit.spec && t.status !== "skip" && t.outputs.length + t.edits.length > 0);
    const owner = writers.at(-1) ?? ofSpec.at(-1);
    if (!owner) continue;
    owned.set(owner.id, [...(owned.get(owner.id) ?? []), unit]);
  }
  return owned;
}

/** The key part of a task's cases: their meaning, not their layout (comments and alignment change nothing). */
export function casesKeyPart(units: readonly CaseUnit[] | undefined): string | undefined {
  if (!units || units.length === 0) return undefined;
  const canonical = units.map((u) =>
    u.kind === "function"
      ? { id: u.id, module: u.module ?? null, target: u.target, params: u.params, modes: u.modes, tol: u.approxTol, cases: u.cases.map((c) => [c.name, c.rawInputs, c.expect.kind === "value" ? ["value", c.expect.raw] : c.expect]) }
      : { id: u.id, steps: u.steps.map((s) => [s.argv.map((w) => (typeof w === "string" ? w : { bytes: [...w] })), s.exitCode, s.stdoutLines ?? null, s.stdout ?? null, s.stderr ?? null]) },
  );
  return sha256Hex(JSON.stringify(canonical));
}

/** The fix request's text for failed cases: per case, where it is, what it expects and what happened. */
export function formatCaseFailures(results: readonly CaseResult[]): string {
  return results
    .filter((r) => r.status !== "pass")
    .map((r) =>
      [
        `${r.status === "fail" ? "FAIL" : "NOT RUN"} ${r.label} (${r.file}:${r.line})`,
        `  expected: ${r.expectation}`,
        ...(r.actual ? [`  actual:   ${r.actual}`] : []),
        ...(r.detail ? [`  ${r.status === "fail" ? "why" : "because"}: ${r.detail}`] : []),
      ].join("\n"),
    )
    .join("\n\n");
}

// Two tasks may finish their cases at once: their writes of cases.json take turns.
let recording: Promise<void> = Promise.resolve();

export type CasesStepResult = { kind: "passed"; results: CaseResult[] } | { kind: "interrupted" } | { kind: "failed"; failure: VerifyCommandResult; results: CaseResult[] };

/**
 * Runs the cases a task owns against the output dir, as a verify step: the
 * TUI and the console see it as one more verify command, `specwright check`
 * of those cases. A case that cannot run fails the step (never a silent pass).
 */
export async function runTaskCases(run: BuildRun, taskId: string, trace: AttemptTrace, units: readonly CaseUnit[] | undefined, signal: AbortSignal): Promise<CasesStepResult> {
  if (!units || units.length === 0) return { kind: "passed", results: [] };
  const command = `specwright check (the ${units.reduce((n, u) => n + (u.kind === "function" ? u.cases.length : 1), 0)} verification case(s) of ${taskId})`;
  run.emit({ type: "verify-started", id: taskId, attempt: trace.attempt, command });
  const started = performance.now();
  const results = await runCases(units, { outputDir: run.outputDir, timeoutMs: run.verifyTimeoutMs, signal, redactor: run.secrets });
  if (signal.aborted) return { kind: "interrupted" };
  recording = recording.then(() => recordCaseResults(run.root, results, taskId)).catch(() => undefined);
  await recording;
  const failed = results.filter((r) => r.status !== "pass");
  const passed = results.length - failed.length;
  const output = failed.length === 0 ? `${passed} case(s) passed\n` : `${formatCaseFailures(results)}\n\n${passed} passed, ${failed.length} failed or not run\n`;
  const result: VerifyCommandResult = { command, exitCode: failed.length === 0 ? 0 : 1, signal: null, timedOut: false, aborted: false, durationMs: performance.now() - started, output, truncatedBytes: 0 };
  run.emit({ type: "verify-output", id: taskId, attempt: trace.attempt, command, chunk: output });
  run.emit({ type: "verify-finished", id: taskId, attempt: trace.attempt, result });
  return failed.length === 0 ? { kind: "passed", results } : { kind: "failed", failure: result, results };
}

/** True when the only thing that changed for a done task is its cases: rerun them, not the model. */
export function onlyCasesChanged(reasons: readonly string[]): boolean {
  return reasons.length > 0 && reasons.every((r) => r === "its verification cases (.vmd) changed" || r === "verification cases (.vmd) added");
}

/**
 * A done task whose only change is its cases: run them against the files as
 * they are. When they pass the task is done again with its new key and no
 * model call; when not, the caller builds it (the failure goes to its fix loop).
 */
export async function rerunCasesOnly(run: BuildRun, task: Task, now: { key: string; components: Record<string, string> }, signal: AbortSignal): Promise<boolean> {
  const record = taskRecord(run.state, task.id);
  const units = run.casesOf(task.id);
  if (!record || record.status !== "done" || !units) return false;
  const results = await runCases(units, { outputDir: run.outputDir, timeoutMs: run.verifyTimeoutMs, signal, redactor: run.secrets });
  if (signal.aborted) return false;
  recording = recording.then(() => recordCaseResults(run.root, results, task.id)).catch(() => undefined);
  await recording;
  if (results.some((r) => r.status !== "pass")) return false;
  const { status: _done, builtAt: _builtAt, error: _error, ...kept } = record;
  await run.recordDone(task.id, { ...kept, key: now.key, components: now.components, attempts: record.attempts ?? 1, trace: record.trace ?? "" });
  run.emit({ type: "notice", message: `${task.id}: its verification cases changed; ${results.length} case(s) pass against its files as they are, so nothing was rebuilt` });
  return true;
}
