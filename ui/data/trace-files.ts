// One recorded call as the trace browser shows it: the files read-traces.ts
// knows plus the attempt's verify.log, each as text.

import { readCall, readVerifyLog } from "../../src/traces/read-traces.js";
import { CALL_PARTS, type CallPart } from "../traces/traces-state.js";

export type CallTexts = Record<CallPart, string | undefined>;

/** How an attempt's verify run ended, from the last line verify.log ends with ("# failed in 430 ms"). */
export type VerifyVerdict = "passed" | "failed" | "aborted";

export function verifyVerdict(log: string | undefined): VerifyVerdict | undefined {
  const last = log?.trimEnd().split("\n").at(-1) ?? "";
  const match = /^# (passed|failed|aborted) in /.exec(last);
  return match ? (match[1] as VerifyVerdict) : undefined;
}

/** The verify verdict of each task attempt among `paths` (calls without a verify.log are left out). */
export async function readVerifyVerdicts(root: string, runId: string, paths: readonly string[]): Promise<Map<string, VerifyVerdict>> {
  const verdicts = new Map<string, VerifyVerdict>();
  await Promise.all(
    paths.map(async (path) => {
      const verdict = verifyVerdict(await readVerifyLog(root, runId, path));
      if (verdict) verdicts.set(path, verdict);
    }),
  );
  return verdicts;
}

/**
 * What the call list says about a call: the model call's own outcome, except
 * that an attempt whose reply came back fine but whose verify failed did not
 * succeed, and says so.
 */
export function attemptOutcome(callOutcome: string | undefined, verdict: VerifyVerdict | undefined): string {
  const outcome = callOutcome ?? "unknown";
  if (outcome === "ok" && verdict === "failed") return "verify failed";
  if (outcome === "ok" && verdict === "aborted") return "verify aborted";
  return outcome;
}

/** The parts a call has to show: verify.log only for an attempt that ran one. */
export function partsOf(texts: CallTexts | undefined): CallPart[] {
  return CALL_PARTS.filter((p) => p !== "verify" || texts?.verify !== undefined);
}

export async function readCallTexts(root: string, runId: string, path: string): Promise<CallTexts | undefined> {
  const [call, verify] = await Promise.all([readCall(root, runId, path), readVerifyLog(root, runId, path)]);
  if (!call && verify === undefined) return undefined;
  return {
    prompt: call?.prompt,
    response: call?.response,
    verify,
    meta: call?.meta ? JSON.stringify(call.meta, null, 2) : undefined,
  };
}
