// The files in the project's context dir, as the planner sees them: a path,
// a size, and whether the file is text (inlined into task prompts) or binary
// (only listed).

import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

export interface ContextFile {
  /** Relative to the project root, e.g. "context/words.txt". */
  path: string;
  bytes: number;
  text: boolean;
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.length < bytes.length ? sample.subarray(0, sample.length - 4) : sample);
    return false;
  } catch {
    return true;
  }
}

export async function contextInventory(root: string, contextDir: string): Promise<ContextFile[]> {
  const out: ContextFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) {
        const bytes = await readFile(path);
        out.push({ path: relative(root, path), bytes: bytes.length, text: !looksBinary(bytes) });
      }
    }
  };
  await walk(join(root, contextDir));
  return out;
}
