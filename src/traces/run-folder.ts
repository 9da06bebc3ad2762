// Run folders: `.specwright/runs/<UTC timestamp>-<command>/`, created
// exclusively (a second run in the same second gets a suffix, never the same
// folder), listed oldest first, and pruned to `traces.keep_runs`.

import { mkdir, readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { safeSegment } from "./layout.js";

export const RUNS_DIR = join(".specwright", "runs");
const RUN_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[A-Za-z0-9._-]+$/;

export function runsDir(projectRoot: string): string {
  return join(projectRoot, RUNS_DIR);
}

/** `2026-11-21T10-03-12Z-build`: sortable, readable, valid on every filesystem. */
export function runIdFor(date: Date, command: string): string {
  const stamp = date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/:/g, "-");
  return `${stamp}-${safeSegment(command)}`;
}

export function isRunId(name: string): boolean {
  return RUN_ID.test(name);
}

/** Creates a new run folder; never reuses an existing one. */
export async function createRunFolder(projectRoot: string, command: string, now: Date): Promise<{ id: string; dir: string }> {
  const parent = runsDir(projectRoot);
  await mkdir(parent, { recursive: true });
  const base = runIdFor(now, command);
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const dir = join(parent, id);
    try {
      // Non-recursive mkdir fails with EEXIST: the atomic "is it taken" test.
      await mkdir(dir);
      return { id, dir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Run ids, oldest first. Only folders named like runs count; anything else in runs/ is left alone. */
export async function listRunIds(projectRoot: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(runsDir(projectRoot), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const ids = entries
    .filter((e) => e.isDirectory() && isRunId(e.name))
    .map((e) => e.name)
    .sort(compareRunIds);
  return orderWithinASecond(projectRoot, ids);
}

/**
 * Run ids carry whole seconds, so two commands started in one second (a plan,
 * then a build, in a quick script) cannot be told apart by name: their order
 * comes from the start time in each run's run.json (milliseconds). Only ties
 * are read; a run without a readable start time keeps its name order.
 */
async function orderWithinASecond(projectRoot: string, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i + 1;
    while (j < ids.length && ids[j]!.slice(0, 20) === ids[i]!.slice(0, 20)) j++;
    const group = ids.slice(i, j);
    if (group.length > 1) {
      const started = new Map<string, number>();
      for (const id of group) started.set(id, await startedAtMs(projectRoot, id));
      group.sort((a, b) => {
        const ta = started.get(a)!;
        const tb = started.get(b)!;
        return Number.isNaN(ta) || Number.isNaN(tb) ? 0 : ta - tb;
      });
    }
    out.push(...group);
    i = j;
  }
  return out;
}

async function startedAtMs(projectRoot: string, id: string): Promise<number> {
  try {
    const info = JSON.parse(await readFile(join(runsDir(projectRoot), id, "run.json"), "utf8")) as { startedAt?: unknown };
    return typeof info.startedAt === "string" ? Date.parse(info.startedAt) : NaN;
  } catch {
    return NaN;
  }
}

/** Timestamp order; within one second, "-build" before "-build-2" before "-build-10". */
function compareRunIds(a: string, b: string): number {
  const key = (id: string) => {
    const m = /^(.*?)(?:-(\d+))?$/.exec(id.slice(21))!;
    return { stamp: id.slice(0, 20), rest: m[1]!, n: Number(m[2] ?? 1) };
  };
  const ka = key(a);
  const kb = key(b);
  return ka.stamp.localeCompare(kb.stamp) || ka.n - kb.n || ka.rest.localeCompare(kb.rest);
}

/** Deletes the oldest runs so that at most `keep` remain (0 keeps all). Returns the deleted ids. */
export async function pruneRuns(projectRoot: string, keep: number, protect: readonly string[] = []): Promise<string[]> {
  if (keep <= 0) return [];
  const ids = await listRunIds(projectRoot);
  const excess = ids.length - keep;
  if (excess <= 0) return [];
  const victims = ids.filter((id) => !protect.includes(id)).slice(0, excess);
  for (const id of victims) await rm(join(runsDir(projectRoot), id), { recursive: true, force: true });
  return victims;
}
