// Reads and writes .specwright/findings.json. A file that does not parse is
// never overwritten: the audit stops and says where the problem is.

import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { decodeSource } from "../text/decode-source.js";
import { emptyFindings, type FindingsFile } from "./findings.js";

export const FINDINGS_FILE = join(".specwright", "findings.json");

export type FindingsLoad = { ok: true; file: FindingsFile } | { ok: false; problem: string };

const STATUSES = new Set(["open", "fixed", "dismissed", "accepted"]);
const SEVERITIES = new Set(["error", "warning", "info"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the parts later code relies on; anything else in the file is kept as it is. */
function check(value: unknown): string | undefined {
  if (!isRecord(value)) return "the top level is not an object";
  if (value.version !== 1) return `unsupported version ${JSON.stringify(value.version)} (this specwright writes version 1)`;
  if (!isRecord(value.audits)) return "`audits` is not an object";
  if (!isRecord(value.counters)) return "`counters` is not an object";
  if (!Array.isArray(value.findings)) return "`findings` is not an array";
  for (const [i, f] of value.findings.entries()) {
    if (!isRecord(f)) return `findings[${i}] is not an object`;
    for (const key of ["id", "spec", "file", "section", "issue", "suggestion"]) {
      if (typeof f[key] !== "string") return `findings[${i}].${key} is not a string`;
    }
    if (typeof f.line !== "number") return `findings[${i}].line is not a number`;
    if (!STATUSES.has(f.status as string)) return `findings[${i}].status is not one of open, fixed, dismissed, accepted`;
    if (!SEVERITIES.has(f.severity as string)) return `findings[${i}].severity is not one of error, warning, info`;
    if (!Array.isArray(f.history)) return `findings[${i}].history is not an array`;
  }
  return undefined;
}

export async function readFindings(root: string): Promise<FindingsLoad> {
  let text: string;
  try {
    text = await readFile(join(root, FINDINGS_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, file: emptyFindings() };
    return { ok: false, problem: `cannot read ${FINDINGS_FILE}: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `${FINDINGS_FILE} is not valid JSON (${(error as Error).message}); fix or remove it` };
  }
  const problem = check(value);
  return problem ? { ok: false, problem: `${FINDINGS_FILE}: ${problem}; fix or remove it` } : { ok: true, file: value as FindingsFile };
}

export async function writeFindings(root: string, file: FindingsFile): Promise<void> {
  await writeFileAtomic(join(root, FINDINGS_FILE), JSON.stringify(file, null, 2) + "\n");
}

/**
 * The text of the spec file a finding points at, for showing its excerpt;
 * undefined when it is gone, unreadable, or names a path outside the project
 * (findings.json is committed and could come from anyone).
 */
export async function readFindingSource(root: string, file: string): Promise<string | undefined> {
  const path = resolve(root, file);
  const inside = relative(root, path);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  const decoded = decodeSource(bytes, file);
  return decoded.ok ? decoded.text : undefined;
}
