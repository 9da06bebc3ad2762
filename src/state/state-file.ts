// .specwright/state.json: machine state that people do not edit. Replaced
// atomically (temp file, fsync, rename), so a kill -9 at any moment leaves
// either the old or the new file, always parseable.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { locateJsonValue, parseJsonSource } from "../text/json-source.js";

export const STATE_FILE = join(".specwright", "state.json");

/** Who planned a spec: the planner model, the architecture, or an imported Ossature plan. */
export const PLANNED_BY = ["planner", "architecture", "ossature-import"] as const;

export interface PlannedSpec {
  /** Hash of the spec's files and the planner prompt version when it was last planned. */
  hash: string;
  plannedAt: string;
  /** "planner", "architecture", or "ossature-import" (plan --import-ossature). */
  by: (typeof PLANNED_BY)[number];
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
  return parseState(text);
}

/**
 * Checks state.json's shape before anything trusts it: a `tasks` list instead
 * of a map would otherwise be read as empty and every record dropped on the
 * next save. Problems name the file, line and column.
 */
export function parseState(text: string): StateLoad {
  const parsed = parseJsonSource(text);
  const at = (path: (string | number)[]) => {
    const p = parsed.ok ? locateJsonValue(text, path) : { line: 1, column: 1 };
    return `${STATE_FILE}:${p.line}:${p.column}`;
  };
  const hint = "it is specwright's own file: restore it from version control, or delete it to start the build state afresh (every task is then rebuilt)";
  const problem = (where: string, message: string): StateLoad => ({ ok: false, problem: `${where}: ${message}; ${hint}` });
  if (!parsed.ok) return problem(`${STATE_FILE}:${parsed.position.line}:${parsed.position.column}`, `not valid JSON (${parsed.message})`);
  const v = parsed.value;
  if (!isRecord(v)) return problem(at([]), "expected an object with version, planned and tasks");
  if (v.version !== 1) return problem(at(["version"]), `version ${JSON.stringify(v.version)} is not one this specwright reads (1)`);
  if (!isRecord(v.planned)) return problem(at(["planned"]), `"planned" must be an object keyed by spec id, not ${kindOf(v.planned)}`);
  for (const [id, entry] of Object.entries(v.planned)) {
    if (!isRecord(entry) || typeof entry.hash !== "string" || typeof entry.plannedAt !== "string" || !(PLANNED_BY as readonly unknown[]).includes(entry.by)) {
      return problem(at(["planned", id]), `"planned.${id}" must be an object with hash, plannedAt and by (${PLANNED_BY.map((b) => `"${b}"`).join(", ")})`);
    }
  }
  if (!isRecord(v.tasks)) return problem(at(["tasks"]), `"tasks" must be an object keyed by task id, not ${kindOf(v.tasks)}`);
  for (const [id, entry] of Object.entries(v.tasks)) {
    if (!isRecord(entry)) return problem(at(["tasks", id]), `"tasks.${id}" must be an object (a task's build record), not ${kindOf(entry)}`);
  }
  return { ok: true, state: v as unknown as StateFile };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

export async function writeState(root: string, state: StateFile): Promise<void> {
  await writeFileAtomic(join(root, STATE_FILE), JSON.stringify(state, null, 2) + "\n");
}
