// A copy task (plan `copy`): project files copied byte for byte into the
// output dir, `copy[i]` to `outputs[i]`, with no model call. The files go
// through safeWrite like a model's reply, so a copy never lands outside the
// declared outputs and never replaces a file a person changed.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ProjectLayout } from "../../plans/output-path.js";
import type { Task } from "../../plans/plan.js";
import { safeWrite, type SafeWriteResult } from "./safe-write.js";

export interface CopyInput {
  /** The project root; copy paths are relative to it. */
  root: string;
  outputDir: string;
  layout: ProjectLayout;
  task: Task;
  /** sha256 of what specwright last wrote per path (state.json). */
  lastWritten: Readonly<Record<string, string | undefined>>;
  force: boolean;
  stagingId: string;
}

export type CopyResult = SafeWriteResult | { ok: false; kind: "missing-source"; message: string };

/** Reads every source, then writes all outputs at once (or none). */
export async function copyProjectFiles(input: CopyInput): Promise<CopyResult> {
  const { task } = input;
  const files = [];
  const missing: string[] = [];
  for (const [i, source] of task.copy.entries()) {
    try {
      files.push({ path: task.outputs[i]!, content: await readFile(join(input.root, source)) });
    } catch (error) {
      missing.push(`${source} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
  }
  if (missing.length > 0) {
    return { ok: false, kind: "missing-source", message: `cannot copy ${missing.join(", ")}: put the file${missing.length === 1 ? "" : "s"} in place, then build again` };
  }
  return safeWrite({ outputDir: input.outputDir, layout: input.layout, files, outputs: task.outputs, edits: [], lastWritten: input.lastWritten, force: input.force, stagingId: input.stagingId });
}
