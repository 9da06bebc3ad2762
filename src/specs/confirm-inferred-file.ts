// Confirming an `[inferred]` item on disk: read the spec file as it is now
// (an editor may have changed it since it was shown), remove that one marker,
// write the file back atomically with its byte order mark and line breaks.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { confirmInferred } from "../../grammar/inferred-items.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { withRunLock } from "../lock.js";
import { decodeSource, hasByteOrderMark } from "../text/decode-source.js";

/**
 * Removes the marker of the inferred item on `line` of `file` (relative to
 * `root`), under the run lock like every other spec edit specwright makes.
 */
export async function confirmInferredInFile(root: string, file: string, line: number): Promise<{ ok: true } | { ok: false; message: string }> {
  const locked = await withRunLock(root, `specwright (TUI: confirm an [inferred] item in ${file})`, () => confirmUnlocked(root, file, line));
  return locked.ok ? locked.value : { ok: false, message: `not saved: ${locked.message}` };
}

async function confirmUnlocked(root: string, file: string, line: number): Promise<{ ok: true } | { ok: false; message: string }> {
  const path = join(root, file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, message: `cannot read ${file}: ${(error as Error).message}` };
  }
  const decoded = decodeSource(bytes, file);
  if (!decoded.ok) return { ok: false, message: decoded.diagnostic.message };
  const result = confirmInferred((hasByteOrderMark(bytes) ? "\uFEFF" : "") + decoded.text, file, line);
  if (!result.ok) return { ok: false, message: `${file}: ${result.problem}` };
  await writeFileAtomic(path, result.text);
  return { ok: true };
}
