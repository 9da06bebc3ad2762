// Is a task up to date? Its key (what went into its prompt and verify) must
// match the last successful build's, and its files on disk must be exactly
// what specwright wrote. Shared by the engine, `status` and `why`.

import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Task } from "../../plans/plan.js";
import type { TaskRecord } from "./build-state.js";
import { handEditConflict, type WriteConflict } from "./safe-write.js";
import { sha256Hex } from "../../plans/content-hash.js";
import { explainKeyChange } from "../../plans/task-key.js";

export async function hashFile(path: string): Promise<string | undefined> {
  try {
    return sha256Hex(await readFile(path));
  } catch {
    return undefined;
  }
}

export interface FileDrift {
  path: string;
  kind: "missing" | "edited";
}

/** Files of the task that are missing or differ from what specwright last wrote. */
export async function outputDrift(task: Task, record: TaskRecord | undefined, outputDir: string): Promise<FileDrift[]> {
  const drift: FileDrift[] = [];
  const paths = [...new Set([...task.outputs, ...Object.keys(record?.outputs ?? {})])];
  for (const path of paths) {
    const now = await hashFile(join(outputDir, path));
    if (now === undefined) drift.push({ path, kind: "missing" });
    else if (record?.outputs[path] !== undefined && now !== record.outputs[path]) drift.push({ path, kind: "edited" });
  }
  return drift;
}

/** The reason of a task that was verified but whose commit did not happen. */
export const COMMIT_PENDING = "its commit did not finish";

const NOT_DONE: Record<TaskRecord["status"], string> = {
  done: "never built",
  failed: "its last build failed",
  written: "its last build was interrupted",
  verified: COMMIT_PENDING,
  "rolled-back": "it was rolled back",
};

/**
 * Why a task must be built; empty when it is up to date. A verified task
 * whose commit did not happen is judged like a done one, plus COMMIT_PENDING:
 * when that is the only reason, committing it is all that is left to do.
 */
export async function staleReasons(
  task: Task,
  now: { key: string; components: Readonly<Record<string, string>> },
  record: TaskRecord | undefined,
  outputDir: string,
): Promise<string[]> {
  if (!record) return ["never built"];
  if ((record.status !== "done" && record.status !== "verified") || record.key === undefined) return [NOT_DONE[record.status]];
  const reasons: string[] = [];
  if (record.key !== now.key) reasons.push(...keyChangeReasons(record, now.components));
  for (const d of await outputDrift(task, record, outputDir)) reasons.push(d.kind === "missing" ? `${d.path} is missing` : `${d.path} was changed by hand`);
  if (record.status === "verified") reasons.push(COMMIT_PENDING);
  return reasons;
}

/**
 * What changed in a task's inputs since it was built, one reason per part
 * (the model, a requirement, a dependency's output…): the same words in
 * `status`, `why`, the build's plan and the TUI. A record from before parts
 * were kept says only that its inputs changed.
 */
export function keyChangeReasons(record: TaskRecord, components: Readonly<Record<string, string>>): string[] {
  if (record.components === undefined) return ["its inputs changed (see `specwright why`)"];
  const changes = explainKeyChange(record.components, components).map((c) => c.reason);
  return changes.length > 0 ? changes : ["its inputs changed (see `specwright why`)"];
}

/** True when the task's files are verified and unchanged, and only their commit is missing. */
export function onlyCommitPending(record: TaskRecord | undefined, reasons: readonly string[]): boolean {
  return record?.status === "verified" && reasons.length === 1 && reasons[0] === COMMIT_PENDING;
}

/**
 * The task's files a person changed since specwright wrote them (or outputs it
 * never wrote), as the write would find them: checked before the model is
 * asked, so a refusal costs no generation. Links and non-files are left to the
 * write, which refuses them with its own reason.
 */
export async function handEdits(task: Task, outputDir: string, lastWritten: Readonly<Record<string, string | undefined>>): Promise<WriteConflict[]> {
  // Plan paths are canonical (plan validation refuses any other spelling), as safe writes compare them.
  const outputs = new Set(task.outputs);
  const conflicts: WriteConflict[] = [];
  for (const path of new Set([...task.outputs, ...task.edits])) {
    const file = join(outputDir, path);
    const info = await lstat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    const current = await hashFile(file);
    if (current === undefined) continue;
    const conflict = handEditConflict(path, current, lastWritten[path], outputs.has(path));
    if (conflict) conflicts.push(conflict);
  }
  return conflicts;
}
