// The run lock: `.specwright/lock` exists while a run may write anything, so a
// second specwright in the same project is refused instead of racing the first
// over state.json and the output dir. Created with O_EXCL; a lock whose process
// is gone (or that was taken before the machine rebooted) is taken over.
//
// Takeover is the racy part: two runs that both see a stale lock must not both
// delete it and both create their own. The one that creates `lock.takeover`
// (also O_EXCL) re-reads the lock, and replaces it only if it is still the
// stale one it judged; the other retries and finds the new, live holder.
//
// While held, the lock also lists the process groups the run has started
// (verify commands); a run that takes over the lock of a run that died
// (kill -9) ends those groups first (process-groups.ts), so they do not run on.
//
// Not covered: pid reuse within the same boot (a dead run's pid given to an
// unrelated live process makes its lock look held; the message says how to
// remove it), and locks on network filesystems shared between hosts, which
// are never taken over because their pid cannot be checked from here.

import { randomBytes } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { mkdir, readFile, stat, unlink } from "node:fs/promises";
import { hostname, uptime } from "node:os";
import { dirname, join } from "node:path";
import { removeTempFilesOf, writeFileAtomic, writeFileExclusive } from "./fs/atomic-write.js";
import { fileProblem } from "./fs/file-problem.js";
import { reapOrphanedGroups, type RecordedGroup } from "./process-groups.js";

/** What the lock file holds. */
export interface LockHolder {
  pid: number;
  /** The command line of the holding run, e.g. "specwright build --only T003". */
  command: string;
  /** ISO 8601 time the lock was taken. */
  startedAt: string;
  host: string;
  /** Identifies the host's current boot, so a lock from before a reboot is recognised as stale. */
  boot?: string;
  /** Random per acquisition, so release never removes a lock that another run took over. */
  token: string;
  /** Process groups the holder started and has not seen end (its verify commands). */
  groups?: RecordedGroup[];
}

/** A held lock. */
export interface RunLock {
  path: string;
  holder: LockHolder;
  /** Removes the lock if it is still ours; resolves false when it was not (taken over or removed). */
  release(): Promise<boolean>;
  /** Synchronous release, for process.on("exit") where async work never runs. */
  releaseSync(): boolean;
  /** Rewrites the lock (atomically) to list the holder's live process groups; writes never overlap. */
  recordGroups(groups: readonly RecordedGroup[]): Promise<void>;
}

export type TakeoverReason = "process-gone" | "previous-boot" | "unreadable";

export type LockAcquireResult =
  | {
      ok: true;
      lock: RunLock;
      /** Set when a stale lock was replaced; `message` says whose and why, for the run's log. */
      tookOver?: { reason: TakeoverReason; previous?: LockHolder; message: string; reapedGroups: number[] };
    }
  | { ok: false; reason: "held"; holder: LockHolder; message: string; hint: string }
  | { ok: false; reason: "unreadable"; message: string; hint: string }
  /** The lock cannot be taken at all: its path is a directory, the disk is full, the folder is read-only. */
  | { ok: false; reason: "unusable"; message: string; hint: string };

export interface AcquireOptions {
  /** The command line to record, shown to whoever is refused. */
  command: string;
  /** How old an unparseable lock must be before it counts as abandoned (default 10 s). */
  unreadableGraceMs?: number;
}

const LOCK_DIR = ".specwright";
const LOCK_NAME = "lock";
const GUARD_SUFFIX = ".takeover";
const ATTEMPTS = 20;
const RETRY_MS = 25;

/** Path of the run lock of the project rooted at `projectRoot`. */
export function runLockPath(projectRoot: string): string {
  return join(projectRoot, LOCK_DIR, LOCK_NAME);
}

/**
 * Takes the project's run lock. Refusal is a value naming the holder; a lock
 * that cannot be taken at all (its path is a directory, the disk is full, a
 * read-only project) is a value naming the path and the reason.
 */
export async function acquireRunLock(projectRoot: string, options: AcquireOptions): Promise<LockAcquireResult> {
  try {
    return await acquire(projectRoot, options);
  } catch (error) {
    const problem = fileProblem(error);
    if (!problem) throw error;
    return { ok: false, reason: "unusable", message: `cannot take the run lock ${problem.path ?? runLockPath(projectRoot)}: ${problem.reason}`, hint: problem.hint };
  }
}

async function acquire(projectRoot: string, options: AcquireOptions): Promise<LockAcquireResult> {
  const path = runLockPath(projectRoot);
  await mkdir(join(projectRoot, LOCK_DIR), { recursive: true });
  const boot = await currentBoot();
  const host = hostname();
  const graceMs = options.unreadableGraceMs ?? 10_000;
  const hint = `if no specwright is running there, delete ${path}`;

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const mine: LockHolder = {
      pid: process.pid, command: options.command, startedAt: new Date().toISOString(), host,
      ...(boot === undefined ? {} : { boot }), token: randomBytes(8).toString("hex"),
    };
    if (await writeFileExclusive(path, JSON.stringify(mine) + "\n")) return { ok: true, lock: heldLock(path, mine) };

    const seen = await readLock(path);
    if (seen.kind === "gone") continue;
    let reason: TakeoverReason;
    let previous: LockHolder | undefined;
    if (seen.kind === "unreadable") {
      if (seen.ageMs < graceMs) {
        // Normally the microseconds between another run's create and write; wait it out.
        await sleep(RETRY_MS);
        if (attempt < ATTEMPTS - 1) continue;
        return { ok: false, reason: "unreadable", message: `${path} exists but cannot be read as a lock`, hint };
      }
      reason = "unreadable";
    } else {
      previous = seen.holder;
      const verdict = judge(seen.holder, host, boot);
      if (verdict === "alive") {
        const where = seen.holder.host === host ? "" : ` on ${seen.holder.host}`;
        return {
          ok: false, reason: "held", holder: seen.holder, hint,
          message: `another specwright run holds the project lock: pid ${seen.holder.pid}${where} (${seen.holder.command}), since ${seen.holder.startedAt}`,
        };
      }
      reason = verdict;
    }

    const replaced = await replaceStale(path, seen.raw, mine);
    if (replaced === "retry") {
      await sleep(RETRY_MS);
      continue;
    }
    // A dead run's verify commands may still be running (it was killed with -9): end them now.
    const reapedGroups = reason === "process-gone" && previous?.groups ? await reapOrphanedGroups(previous.groups) : [];
    // Killed mid-way through an atomic write (the lock's own rewrite, state.json), it left its temp files beside them.
    if (previous !== undefined && reason !== "unreadable") await removeTempFilesOf(dirname(path), previous.pid);
    const reaped = reapedGroups.length === 0 ? "" : `; ended ${reapedGroups.length} process group(s) it left running (${reapedGroups.join(", ")})`;
    const message = previous === undefined
      ? `took over an unreadable lock file older than ${Math.round(graceMs / 1000)} s`
      : reason === "previous-boot"
        ? `took over the lock of pid ${previous.pid} (${previous.command}), taken before this machine last booted`
        : `took over the lock of pid ${previous.pid} (${previous.command}), which is no longer running${reaped}`;
    return { ok: true, lock: heldLock(path, mine), tookOver: { reason, message, reapedGroups, ...(previous === undefined ? {} : { previous }) } };
  }
  return { ok: false, reason: "unreadable", message: `could not take ${path}: it kept changing while being checked`, hint };
}

/**
 * Releases the lock when the process exits, however it exits normally
 * (including process.exit() from a signal handler). Signals themselves are
 * the caller's: install a SIGINT/SIGTERM handler that aborts and then exits,
 * and this runs. Returns a function that removes the hook.
 */
export function releaseRunLockOnExit(lock: RunLock): () => void {
  const onExit = (): void => {
    lock.releaseSync();
  };
  process.on("exit", onExit);
  return () => {
    process.off("exit", onExit);
  };
}

function heldLock(path: string, holder: LockHolder): RunLock {
  let writing: Promise<void> = Promise.resolve();
  return {
    path,
    holder,
    recordGroups(groups) {
      const next: LockHolder = { ...holder, groups: groups.map((g) => ({ ...g })) };
      writing = writing.then(async () => {
        // Only while the lock is still ours: never resurrect a released or taken-over lock.
        const seen = await readLock(path);
        if (seen.kind !== "ok" || seen.holder.token !== holder.token) return;
        await writeFileAtomic(path, JSON.stringify(next) + "\n");
      }).catch(() => undefined);
      return writing;
    },
    async release() {
      // A rewrite in flight would put the file back after the unlink.
      await writing;
      const seen = await readLock(path);
      if (seen.kind !== "ok" || seen.holder.token !== holder.token) return false;
      try {
        await unlink(path);
        return true;
      } catch {
        return false;
      }
    },
    releaseSync() {
      try {
        const current = parseHolder(readFileSync(path, "utf8"));
        if (current?.token !== holder.token) return false;
        unlinkSync(path);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function judge(holder: LockHolder, host: string, boot: string | undefined): "alive" | "process-gone" | "previous-boot" {
  // Another host's pid means nothing here: never take its lock over.
  if (holder.host !== host) return "alive";
  if (boot !== undefined && holder.boot !== undefined && !sameBoot(holder.boot, boot)) return "previous-boot";
  try {
    process.kill(holder.pid, 0);
    return "alive";
  } catch (error) {
    // EPERM: the process exists but belongs to another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === "ESRCH" ? "process-gone" : "alive";
  }
}

async function replaceStale(path: string, staleRaw: string, mine: LockHolder): Promise<"done" | "retry"> {
  const guard = path + GUARD_SUFFIX;
  if (!(await writeFileExclusive(guard, `${process.pid}\n`))) {
    await clearAbandonedGuard(guard);
    return "retry";
  }
  try {
    const now = await readLock(path);
    // Someone replaced or removed the stale lock between our read and our guard.
    if (now.kind !== "gone" && now.raw !== staleRaw) return "retry";
    if (now.kind !== "gone") await unlink(path).catch(() => undefined);
    return (await writeFileExclusive(path, JSON.stringify(mine) + "\n")) ? "done" : "retry";
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** A guard whose creator died mid-takeover would block everyone; it is held for milliseconds, so 10 s is abandoned. */
async function clearAbandonedGuard(guard: string): Promise<void> {
  try {
    const [text, info] = await Promise.all([readFile(guard, "utf8"), stat(guard)]);
    const pid = Number(text.trim());
    let dead = Date.now() - info.mtimeMs > 10_000;
    if (!dead && Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        dead = (error as NodeJS.ErrnoException).code === "ESRCH";
      }
    }
    if (dead) await unlink(guard);
  } catch {
    // Gone already, or unreadable for a moment: the caller retries.
  }
}

type SeenLock =
  | { kind: "ok"; holder: LockHolder; raw: string }
  | { kind: "unreadable"; raw: string; ageMs: number }
  | { kind: "gone" };

async function readLock(path: string): Promise<SeenLock> {
  let raw: string;
  let ageMs: number;
  try {
    [raw, ageMs] = await Promise.all([readFile(path, "utf8"), stat(path).then((s) => Date.now() - s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "gone" };
    throw error;
  }
  const holder = parseHolder(raw);
  return holder === undefined ? { kind: "unreadable", raw, ageMs } : { kind: "ok", holder, raw };
}

function parseHolder(raw: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.pid !== "number" || !Number.isInteger(v.pid) || v.pid <= 0) return undefined;
  if (typeof v.command !== "string" || typeof v.startedAt !== "string" || typeof v.host !== "string" || typeof v.token !== "string") return undefined;
  const holder: LockHolder = { pid: v.pid, command: v.command, startedAt: v.startedAt, host: v.host, token: v.token };
  if (typeof v.boot === "string") holder.boot = v.boot;
  if (Array.isArray(v.groups)) {
    holder.groups = v.groups.flatMap((g: unknown) => {
      const group = g as Partial<RecordedGroup> | null;
      if (typeof group !== "object" || group === null || typeof group.pgid !== "number" || !Number.isInteger(group.pgid)) return [];
      return [typeof group.start === "string" ? { pgid: group.pgid, start: group.start } : { pgid: group.pgid }];
    });
  }
  return holder;
}

/**
 * Linux names each boot (boot_id); elsewhere the boot time stands in, written
 * as "t:<epoch seconds>" and compared with slack because it drifts with the clock.
 */
async function currentBoot(): Promise<string | undefined> {
  try {
    const id = (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim();
    if (id !== "") return id;
  } catch {
    // Not Linux.
  }
  const seconds = Math.round(Date.now() / 1000 - uptime());
  return Number.isFinite(seconds) ? `t:${seconds}` : undefined;
}

function sameBoot(a: string, b: string): boolean {
  if (a.startsWith("t:") && b.startsWith("t:")) return Math.abs(Number(a.slice(2)) - Number(b.slice(2))) <= 120;
  return a === b;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` while holding the project's run lock — for short writes outside
 * a model run (triage, applying or undoing a fix, a plan without a model), so
 * they never interleave with a build's or an audit's writes.
 */
export async function withRunLock<T>(
  projectRoot: string,
  command: string,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string; hint: string }> {
  const acquired = await acquireRunLock(projectRoot, { command });
  if (!acquired.ok) return { ok: false, message: acquired.message, hint: acquired.hint };
  const unhook = releaseRunLockOnExit(acquired.lock);
  try {
    return { ok: true, value: await work() };
  } finally {
    unhook();
    await acquired.lock.release();
  }
}
