// The last result of every verification case, kept in .specwright/cases.json
// so `status --coverage` can say what each case last did, whichever command
// ran it (`check`, or a build task's case step). Newest result per case wins.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { CaseResult, CaseStatus } from "./run-cases.js";

export const CASES_FILE = join(".specwright", "cases.json");

export interface CaseRecord {
  status: CaseStatus;
  /** ISO time of the run. */
  at: string;
  /** "check" or the task id whose build ran it. */
  by: string;
  detail?: string;
}

export type CaseRecords = Record<string, CaseRecord>;

export async function readCaseRecords(root: string): Promise<CaseRecords> {
  try {
    const parsed = JSON.parse(await readFile(join(root, CASES_FILE), "utf8")) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    const out: CaseRecords = {};
    for (const [id, r] of Object.entries(parsed as Record<string, unknown>)) {
      if (r && typeof r === "object" && ["pass", "fail", "not-run"].includes((r as CaseRecord).status) && typeof (r as CaseRecord).at === "string") out[id] = r as CaseRecord;
    }
    return out;
  } catch {
    // No file yet, or one a person broke: no results is the honest answer.
    return {};
  }
}

/** Merges these results into the file (read, update, atomic write). */
export async function recordCaseResults(root: string, results: readonly CaseResult[], by: string, at = new Date()): Promise<void> {
  if (results.length === 0) return;
  const records = await readCaseRecords(root);
  for (const r of results) {
    const record: CaseRecord = { status: r.status, at: at.toISOString(), by };
    if (r.status !== "pass" && r.detail) record.detail = r.detail.slice(0, 300);
    records[r.id] = record;
  }
  await writeFileAtomic(join(root, CASES_FILE), JSON.stringify(records, null, 2) + "\n");
}
