// Writes build-run folders as a build would, through the real writers:
// TraceRun (run.json), FileCallRecorder (prompt.md, response.md, meta.json),
// formatVerifyLog (verify.log). Only the calls are made up, with every metric
// chosen by the test, so a report over them can be checked by hand. Used by
// the report tests and by bench/report.ts.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CallMetrics, CallRecord, CallStart } from "../../models/call-record.js";
import type { ModelError } from "../../models/errors.js";
import { formatVerifyLog } from "../../src/build/verify-log.js";
import type { VerifyCommandResult } from "../../src/build/verify-runner.js";
import type { FileCallRecorder } from "../../src/traces/call-recorder.js";
import { taskAttemptPath } from "../../src/traces/layout.js";
import { TraceRun } from "../../src/traces/trace-run.js";

export interface SyntheticAttempt {
  model?: string;
  digest?: string;
  numCtx?: number;
  think?: boolean;
  promptTokens?: number;
  /** Omitted: the server did not report its cache (before Ollama 0.33). */
  cachedPromptTokens?: number;
  evalCount?: number;
  evalMs?: number;
  promptEvalMs?: number;
  loadMs?: number;
  wallMs?: number;
  /** The spec part of the prompt; "## Examples" in it means the refs hold an Example. */
  specPart?: string;
  /** A failed call (no verify ran). */
  error?: ModelError;
  /** The call never finished: the process died during it (meta.json stays "in-progress"). */
  crashed?: boolean;
  /** Verify: passed, or failed with this command and output; omitted for a failed or crashed call. */
  verify?: { pass: true; command?: string; durationMs?: number } | { pass: false; command: string; output: string; exitCode?: number; durationMs?: number };
  /** review.json as the judges' review step writes it. */
  review?: Record<string, unknown>;
  /**
   * The judge's calls on this attempt, written as review-step.ts records them:
   * 1 is `review/`, 2 adds its re-ask `review-2/`. Omitted: none (review.json alone is a review that made no call).
   */
  reviewCalls?: number;
}

export interface SyntheticRun {
  startedAt: string;
  /** Omitted: the run never finished (crash), so run.json has no summary. */
  finishedAt?: string;
  models?: { model: string; digest?: string; quantization?: string; numCtx: number }[];
  tasks: Record<string, { outcome?: "done" | "failed" | "interrupted"; attempts: SyntheticAttempt[] }>;
  /** Calls outside a task, by caller: each is `calls/<caller>-<n>/` through TraceRun.nextCallRecorder. */
  otherCalls?: string[];
}

export const MODEL = "qwen2.5-coder:7b";
export const DIGEST = "sha256:aaaabbbbccccdddd0000111122223333";

/** Writes one run folder; returns its id. */
export async function writeSyntheticRun(projectRoot: string, spec: SyntheticRun): Promise<string> {
  const { run } = await TraceRun.open({ projectRoot, command: "build", env: {}, keepRuns: 0, info: { selection: { kind: "all" } }, now: new Date(spec.startedAt) });
  let callNo = 0;
  for (const [task, t] of Object.entries(spec.tasks)) {
    for (const [k, a] of t.attempts.entries()) {
      const path = taskAttemptPath(task, k + 1);
      const recorder = run.recorder(path);
      const start: CallStart = {
        callId: `${task}#${++callNo}`,
        caller: task,
        model: a.model ?? MODEL,
        ...(a.digest !== undefined || a.model === undefined ? { digest: a.digest ?? DIGEST } : {}),
        host: "http://127.0.0.1:11434",
        messages: [
          { role: "system", content: "You are a code generator." },
          { role: "user", content: `# Project\n\nProject: synthetic.\n\n# Specification S: the parts this task needs\n\n${a.specPart ?? "## Requirements\n\n### Do it {#do}\n\nDo it."}\n\n# Files to write\n\n- src/${task}.py\n` },
        ],
        options: { numCtx: a.numCtx ?? 8192, numPredict: 2048, temperature: 0.2, keepAlive: "30m", think: a.think ?? false },
        estimatedPromptTokens: a.promptTokens ?? 1000,
        startedAt: spec.startedAt,
      };
      await recorder.started(start);
      recorder.delta("content", `src/${task}.py\n\`\`\`python\npass\n\`\`\`\n`);
      if (a.crashed) continue;
      const metrics: CallMetrics = {
        estimatedPromptTokens: a.promptTokens ?? 1000,
        promptTokens: a.promptTokens ?? 1000,
        promptEvalCount: a.promptTokens ?? 1000,
        ...(a.cachedPromptTokens !== undefined ? { cachedPromptTokens: a.cachedPromptTokens } : {}),
        promptEvalMs: a.promptEvalMs ?? 500,
        evalCount: a.evalCount ?? 200,
        evalMs: a.evalMs ?? 4000,
        loadMs: a.loadMs ?? 0,
        totalMs: (a.promptEvalMs ?? 500) + (a.evalMs ?? 4000) + (a.loadMs ?? 0),
        wallMs: a.wallMs ?? 5000,
      };
      const record: CallRecord = { ...start, outcome: a.error ? "failed" : "ok", finishedAt: spec.startedAt, doneReason: a.error ? "length" : "stop", metrics, ...(a.error ? { error: a.error } : {}) };
      await recorder.finished(record);
      if (a.verify) {
        const v = a.verify;
        const result: VerifyCommandResult = {
          command: v.command ?? `python3 -m py_compile src/${task}.py`,
          exitCode: v.pass ? 0 : (v.exitCode ?? 1),
          signal: null,
          timedOut: false,
          aborted: false,
          durationMs: v.durationMs ?? 1000,
          output: v.pass ? "" : v.output,
          truncatedBytes: 0,
        };
        await writeFile(run.path(join(path, "verify.log")), formatVerifyLog({ ok: v.pass, results: [result], notRun: [], aborted: false, durationMs: result.durationMs }, "/tmp/synthetic/output"));
      }
      for (let ask = 1; ask <= (a.reviewCalls ?? 0); ask++) {
        await writeCall(run.recorder(`${path}/review${ask === 1 ? "" : `-${ask}`}`), { ...start, callId: `${task}-review#${++callNo}`, caller: `${task}-review`, format: { type: "object" } });
      }
      if (a.review) await writeFile(run.path(join(path, "review.json")), JSON.stringify({ task, attempt: k + 1, ...a.review }, null, 2) + "\n");
    }
  }
  for (const caller of spec.otherCalls ?? []) {
    await writeCall(run.nextCallRecorder(caller), { callId: `${caller}#${++callNo}`, caller, model: MODEL, digest: DIGEST, host: "http://127.0.0.1:11434", messages: [{ role: "user", content: "?" }], options: { numCtx: 8192, numPredict: 512, temperature: 0.2, keepAlive: "30m", think: false }, estimatedPromptTokens: 10, startedAt: spec.startedAt });
  }
  if (spec.finishedAt !== undefined) {
    const settled = { done: [] as string[], failed: [] as string[], interrupted: [] as string[] };
    for (const [task, t] of Object.entries(spec.tasks)) settled[t.outcome ?? "done"].push(task);
    await run.finish({ summary: { runId: run.id, ...settled, upToDate: [], blocked: [], skipped: [] }, models: spec.models ?? [{ model: MODEL, digest: DIGEST, quantization: "Q4_K_M", numCtx: 8192 }] }, new Date(spec.finishedAt));
  }
  return run.id;
}

/** A finished call with fixed small metrics (a review, a call outside a task). */
async function writeCall(recorder: FileCallRecorder, start: CallStart): Promise<void> {
  await recorder.started(start);
  recorder.delta("content", "{}");
  const metrics: CallMetrics = { estimatedPromptTokens: 500, promptTokens: 500, promptEvalCount: 500, promptEvalMs: 200, evalCount: 50, evalMs: 1000, loadMs: 0, totalMs: 1200, wallMs: 1300 };
  await recorder.finished({ ...start, outcome: "ok", finishedAt: start.startedAt, doneReason: "stop", metrics });
}

/** A Python failure as pytest prints it, with a path and numbers that differ per attempt. */
export function pytestFailure(task: string, n: number, message = "ModuleNotFoundError: No module named 'helpers'"): string {
  return [
    "============================= test session starts ==============================",
    `collected ${n} items`,
    "",
    `tests/test_${task.toLowerCase()}.py F`,
    "",
    "=================================== FAILURES ===================================",
    `/tmp/pytest-of-me/pytest-${n}/test_${task.toLowerCase()}.py:${10 + n}: in <module>`,
    `E   ${message}`,
    `=========================== short test summary info ============================`,
    `FAILED tests/test_${task.toLowerCase()}.py - ${message.split(":")[0]}`,
    `============================== 1 failed in 0.${n}2s ===============================`,
  ].join("\n");
}
