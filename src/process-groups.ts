// The process groups specwright starts (verify commands run `sh -c` in a
// group of their own), and how they are ended: SIGTERM to the whole group,
// SIGKILL after a grace period, and SIGKILL to every group still running when
// specwright exits however it exits (a second Ctrl-C calls process.exit).
//
// Live groups are also written into the run lock (run-scope.ts). After a
// kill -9 the exit hook never runs; the next run that takes the dead run's
// lock over reaps the groups it lists (reapOrphanedGroups). Out of reach: a
// process that leaves its group (`setsid`, a daemonising server) is no longer
// in any group we know of, and nothing here can find it again.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

/** A live group as recorded in the lock: its id and its leader's start time, to tell it from a reused pid. */
export interface RecordedGroup {
  pgid: number;
  /** The leader's start time as the OS reports it (Linux: /proc stat field 22; elsewhere `ps -o lstart=`); absent when unknown. */
  start?: string;
}

const HAS_PROC = existsSync("/proc/self/stat");
const live = new Map<number, RecordedGroup>();
const watchers = new Set<(groups: RecordedGroup[]) => void>();
let exitHookInstalled = false;

/** Sends `signal` to every process in the group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone, which is the goal.
  }
}

/**
 * True while a process of the group is running (EPERM: it exists but is not
 * ours to signal). Zombies do not count: they are dead, and where no init
 * reaps orphans (a container whose PID 1 is not an init) they stay forever.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  const running = runningMembers(pgid);
  return running === undefined || running > 0;
}

/** How many non-zombie processes are in the group, from /proc; undefined without /proc. */
function runningMembers(pgid: number): number | undefined {
  if (!HAS_PROC) return undefined;
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return undefined;
  }
  let running = 0;
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const fields = statFields(Number(name));
    // Fields after the parenthesised command name: state (0), ppid (1), pgrp (2), …
    if (fields !== undefined && Number(fields[2]) === pgid && fields[0] !== "Z") running++;
  }
  return running;
}

/** The fields of /proc/<pid>/stat after the command name, or undefined (no /proc, or the process is gone). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * Registers a group this process started, until `endGroup`. The first call
 * installs the exit hook that SIGKILLs every registered group: synchronous, so
 * it runs inside process.on("exit") after any process.exit().
 */
export function startGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => killAllGroups());
  }
  const start = processStartTime(pgid);
  live.set(pgid, start === undefined ? { pgid } : { pgid, start });
  notify();
}

export function endGroup(pgid: number): void {
  if (live.delete(pgid)) notify();
}

/** SIGKILLs every registered group still running. For exit paths; normal stops go through the caller's abort signal. */
export function killAllGroups(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const pgid of live.keys()) signalGroup(pgid, signal);
}

/** Calls `listener` with the live groups whenever they change; returns the unsubscribe. */
export function watchGroups(listener: (groups: RecordedGroup[]) => void): () => void {
  watchers.add(listener);
  return () => {
    watchers.delete(listener);
  };
}

function notify(): void {
  const groups = [...live.values()];
  for (const listener of watchers) listener(groups);
}

/**
 * Ends a group: nothing when it is already empty; else SIGTERM, then SIGKILL
 * after `graceMs` if anything is left. Resolves when the group is gone, or a
 * grace period after the SIGKILL (a zombie waits for its reaper, not for us).
 */
export async function reapGroup(pgid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  if (await waitGone(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await waitGone(pgid, graceMs);
}

/**
 * Reaps groups a dead run left behind (read from its lock). A group is ours
 * only if it can be told apart from a reused id: its leader is alive with the
 * recorded start time, or its leader is gone while members remain (a group id
 * is never reused while any member lives). Anything else is left alone.
 */
export async function reapOrphanedGroups(groups: readonly RecordedGroup[], graceMs = 1000): Promise<number[]> {
  const reaped: number[] = [];
  await Promise.all(
    groups.map(async ({ pgid, start }) => {
      if (!Number.isInteger(pgid) || pgid <= 1 || !groupAlive(pgid)) return;
      const leader = leaderAlive(pgid);
      if (leader) {
        const now = processStartTime(pgid);
        if (start === undefined || now === undefined || now !== start) return;
      }
      reaped.push(pgid);
      await reapGroup(pgid, graceMs);
    }),
  );
  return reaped.sort((a, b) => a - b);
}

function leaderAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return statFields(pid)?.[0] !== "Z";
}

/** The process's start time as an opaque token: equal tokens mean the same process. */
export function processStartTime(pid: number): string | undefined {
  const fields = statFields(pid);
  // Field 22 of stat, the start time in clock ticks since boot.
  if (fields !== undefined) return fields[19] !== undefined ? `ticks:${fields[19]}` : undefined;
  if (HAS_PROC) return undefined;
  // No /proc (macOS, BSD): ask ps, which every POSIX system has.
  try {
    const out = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2000 }).trim();
    return out === "" ? undefined : `lstart:${out}`;
  } catch {
    return undefined;
  }
}

/** Polls until the group is gone or `ms` passed; true when it is gone. */
async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(25, Math.max(1, deadline - Date.now()))));
  }
  return true;
}
