// Writing a spec file the intent core changed: atomically, and with the byte
// order mark the file had (specs are read with it dropped, so a change made
// on the text must put it back or an editor's BOM file would silently lose it).

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { hasByteOrderMark } from "../text/decode-source.js";

export async function writeSpecText(root: string, file: string, text: string): Promise<void> {
  const path = join(root, file);
  const bytes = await readFile(path).catch(() => undefined);
  const bom = bytes !== undefined && hasByteOrderMark(bytes) && !text.startsWith("\uFEFF");
  await writeFileAtomic(path, bom ? "\uFEFF" + text : text);
}
