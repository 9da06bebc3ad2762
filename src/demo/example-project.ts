// The example project the demo copies: examples/wordfreq in the package. A
// copy never lands on anything: the target must be missing or an empty folder.

import { cp, mkdir, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** examples/wordfreq, found from this module in src/ (tests) or dist/src/ (the built CLI). */
export function exampleDir(): string {
  const fromDist = new URL("../../../examples/wordfreq", import.meta.url);
  const fromSrc = new URL("../../examples/wordfreq", import.meta.url);
  return fileURLToPath(import.meta.url.includes("/dist/src/") ? fromDist : fromSrc);
}

export type CopyResult = { ok: true } | { ok: false; reason: "not-empty" | "not-a-folder"; message: string };

/** Copies the example into `target` (created if missing) unless something is already there. */
export async function copyExample(target: string): Promise<CopyResult> {
  let entries: string[] | undefined;
  try {
    entries = await readdir(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return { ok: false, reason: "not-a-folder", message: `${target} exists and is not a folder` };
    if (code !== "ENOENT") throw error;
  }
  if (entries !== undefined && entries.length > 0) {
    return { ok: false, reason: "not-empty", message: `${target} already exists and is not empty; the demo never copies over existing files` };
  }
  await mkdir(target, { recursive: true });
  // errorOnExist + force:false: even a file appearing meanwhile is not overwritten.
  await cp(exampleDir(), target, { recursive: true, force: false, errorOnExist: true });
  return { ok: true };
}
