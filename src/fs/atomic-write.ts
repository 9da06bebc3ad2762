// Atomic file replacement: write a temp file beside the target, fsync it,
// rename it over the target, fsync the directory. A crash or kill -9 at any
// moment leaves either the old file or the new one, never a torn one.

import { open, readdir, rename, unlink, mkdir } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";
import { withPath } from "./file-problem.js";

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    // A full disk or a directory in the way: the target stays as it was, and no temp file is left behind.
    await unlink(temp).catch(() => undefined);
    throw withPath(error, path);
  }
  await syncDirectory(dir);
}

/**
 * Removes the temp files writeFileAtomic left in `dir` for a process that is
 * gone (`.<name>.<pid>.<hex>.tmp`: killed between write and rename, they were
 * never renamed into place and never will be).
 */
export async function removeTempFilesOf(dir: string, pid: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const pattern = new RegExp(`^\\..+\\.${pid}\\.[0-9a-f]{8}\\.tmp$`);
  await Promise.all(names.filter((n) => pattern.test(n)).map((n) => unlink(join(dir, n)).catch(() => undefined)));
}

/** Creates a file only if it does not exist; resolves false when it already did. */
export async function writeFileExclusive(path: string, data: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  try {
    const handle = await open(path, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      // Created but not written (a full disk): an empty file would stand in for the real one, so it goes.
      await handle.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw withPath(error, path);
    }
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** fsync a directory so a rename in it is durable; a no-op where the filesystem refuses. */
export async function syncDirectory(dir: string): Promise<void> {
  // Directory fsync makes the rename durable; some filesystems refuse it, which is harmless.
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* not supported here */
  }
}
