// One recorded call as the trace browser shows it: the files read-traces.ts
// knows plus the attempt's verify.log, each as text.

import { readCall, readVerifyLog } from "../../src/traces/read-traces.js";
import { CALL_PARTS, type CallPart } from "../traces/traces-state.js";

export type CallTexts = Record<CallPart, string | undefined>;

/**
 * The parts a call has to show: verify.log only for an attempt that ran one.
 * Until its texts are read, the call list's summary says whether verify ran,
 * so the tabs do not change under the person's eyes once the files arrive.
 */
export function partsOf(texts: CallTexts | undefined, summary?: { verify?: unknown }): CallPart[] {
  const hasVerify = texts ? texts.verify !== undefined : summary?.verify !== undefined;
  return CALL_PARTS.filter((p) => p !== "verify" || hasVerify);
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
