// Where a comparison lives and how its result.json is read back:
// .specwright/compare/<id>/result.json beside one folder per model
// (<model>/run-<k>/ holding output/, .specwright/state.json and the traces).
// A result that does not parse is a problem to report, never a fresh start
// over someone's finished runs.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { safeSegment } from "../traces/layout.js";
import { COMPARE_SCHEMA, type CompareDocument } from "./compare-result.js";

export const COMPARE_DIR = join(".specwright", "compare");
export const RESULT_FILE = "result.json";

export function compareDir(root: string, id: string): string {
  return join(root, COMPARE_DIR, id);
}

/** A comparison id a person may give (--id): one safe path segment. */
export function compareIdProblem(id: string): string | undefined {
  // At most 50: the table's last line names the folder within 80 columns.
  if (id === "" || safeSegment(id) !== id || id.length > 50) return "an id is letters, digits, '.', '_' and '-' (not first), at most 50 characters";
  return undefined;
}

/** Folder names of the models, in order: a safe segment each, made unique with -2, -3… */
export function modelFolders(models: readonly string[]): string[] {
  const used = new Set<string>();
  return models.map((m) => {
    const base = safeSegment(m);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

export type ResultRead = { kind: "missing" } | { kind: "read"; doc: CompareDocument } | { kind: "unreadable"; message: string };

export async function readCompareResult(dir: string): Promise<ResultRead> {
  let text: string;
  try {
    text = await readFile(join(dir, RESULT_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return { kind: "unreadable", message: `cannot read ${join(dir, RESULT_FILE)}: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: "unreadable", message: `${join(dir, RESULT_FILE)} is not JSON: ${(error as Error).message}` };
  }
  const doc = value as Partial<CompareDocument>;
  if (typeof value !== "object" || value === null || doc.schema !== COMPARE_SCHEMA || !Array.isArray(doc.models) || typeof doc.inputs !== "object") {
    return { kind: "unreadable", message: `${join(dir, RESULT_FILE)} is not a comparison result (schema ${COMPARE_SCHEMA})` };
  }
  return { kind: "read", doc: doc as CompareDocument };
}

export async function writeCompareResult(dir: string, doc: CompareDocument): Promise<void> {
  await writeFileAtomic(join(dir, RESULT_FILE), JSON.stringify(doc, null, 2) + "\n");
}
