// One recorded call as the trace browser shows it: the files read-traces.ts
// knows plus the attempt's verify.log, each as text.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readCall } from "../../src/traces/read-traces.js";
import { runsDir } from "../../src/traces/run-folder.js";
import type { CallPart } from "../traces/traces-state.js";

export type CallTexts = Record<CallPart, string | undefined>;

export async function readCallTexts(root: string, runId: string, path: string): Promise<CallTexts | undefined> {
  const call = await readCall(root, runId, path);
  let verify: string | undefined;
  try {
    verify = await readFile(join(runsDir(root), runId, path, "verify.log"), "utf8");
  } catch {
    verify = undefined;
  }
  if (!call && verify === undefined) return undefined;
  return {
    prompt: call?.prompt,
    response: call?.response,
    verify,
    meta: call?.meta ? JSON.stringify(call.meta, null, 2) : undefined,
  };
}
