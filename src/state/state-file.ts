// .specwright/state.json: machine state that people do not edit. Replaced
// atomically (temp file, fsync, rename), so a kill -9 at any moment leaves
// either the old or the new file, always parseable.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";

export const STATE_FILE = join(".specwright", "state.json");

export interface PlannedSpec {
  /** Hash of the spec's files and the planner prompt version when it was last planned. */
  hash: string;
  plannedAt: string;
  /** "planner", "architecture", or "ossature-import" (plan --import-ossature). */
  by: "planner" | "architecture" | "ossature-import";
}

export interface StateFile {
  version: 1;
  planned: Record<string, PlannedSpec>;
  /** Per task id: build state, owned by the build engine. Kept as read; the engine validates its own entries. */
  tasks: Record<string, unknown>;
}

export type StateLoad = { ok: true; state: StateFile } | { ok: false; problem: string };

export function emptyState(): StateFile {
  return { version: 1, planned: {}, tasks: {} };
}

export async function readState(root: string): Promise<StateLoad> {
  let text: string;
  try {
    text = await readFile(join(root, STATE_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, state: emptyState() };
    return { ok: false, problem: `cannot read ${STATE_FILE}: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `${STATE_FILE} is not valid JSON (${(error as Error).message})` };
  }
  const v = value as Partial<StateFile> | null;
  if (!v || typeof v !== "object" || v.version !== 1 || typeof v.planned !== "object" || typeof v.tasks !== "object" || v.planned === null || v.tasks === null) {
    return { ok: false, problem: `${STATE_FILE} is not a specwright state file of version 1` };
  }
  return { ok: true, state: v as StateFile };
}

export async function writeState(root: string, state: StateFile): Promise<void> {
  await writeFileAtomic(join(root, STATE_FILE), JSON.stringify(state, null, 2) + "\n");
}
