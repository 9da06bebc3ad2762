// The one content hash of specwright: sha256 as lowercase hex, over the bytes
// of a file (strings as UTF-8). Task keys hash their parts with it, and
// state.json records what specwright wrote with it; the hand-edit check
// compares the two, so they must never be computed two ways.

import { createHash } from "node:crypto";

/** sha256 hex of `data` (UTF-8 for strings): identical for a string and its UTF-8 bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
