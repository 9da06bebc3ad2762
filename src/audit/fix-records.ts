// Every applied spec fix is kept under .specwright/fixes/<finding>.json: the
// edit, the file before and after. `audit --undo <finding>` reverses the
// latest fix of a finding that is not undone yet.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { undoSpecEdit } from "./spec-edit.js";

export const FIXES_DIR = join(".specwright", "fixes");

export interface FixRecord {
  finding: string;
  /** Spec file, relative to the project root. */
  file: string;
  search: string;
  replace: string;
  /** The replacement as written, with its [inferred] markers. */
  markedReplace: string;
  before: string;
  after: string;
  appliedAt: string;
  promptVersion: number;
  undoneAt?: string;
}

function recordPath(root: string, finding: string): string {
  return join(root, FIXES_DIR, `${finding.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`);
}

async function readRecords(root: string, finding: string): Promise<FixRecord[]> {
  try {
    const value: unknown = JSON.parse(await readFile(recordPath(root, finding), "utf8"));
    return Array.isArray(value) ? (value as FixRecord[]) : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export async function saveFixRecord(root: string, record: FixRecord): Promise<void> {
  const records = await readRecords(root, record.finding);
  records.push(record);
  await writeFileAtomic(recordPath(root, record.finding), JSON.stringify(records, null, 2) + "\n");
}

export type UndoResult = { ok: true; file: string } | { ok: false; problem: string };

/** Reverses the latest applied fix of a finding in its spec file. */
export async function undoLatestFix(root: string, finding: string, now: string): Promise<UndoResult> {
  const records = await readRecords(root, finding);
  const latest = [...records].reverse().find((r) => r.undoneAt === undefined);
  if (!latest) return { ok: false, problem: `no applied fix of ${finding} to undo` };
  const path = join(root, latest.file);
  let current: string;
  try {
    current = await readFile(path, "utf8");
  } catch {
    return { ok: false, problem: `${latest.file} no longer exists` };
  }
  const undone = undoSpecEdit(current, latest);
  if (!undone.ok) {
    return { ok: false, problem: `${latest.file} changed since the fix and the fixed text is not there any more (${undone.problem}); undo it by hand` };
  }
  await writeFileAtomic(path, undone.text);
  latest.undoneAt = now;
  await writeFileAtomic(recordPath(root, finding), JSON.stringify(records, null, 2) + "\n");
  return { ok: true, file: latest.file };
}
