import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { groupAlive, processStartTime, reapOrphanedGroups } from "../../src/process-groups.js";

// A run killed with -9 leaves its verify groups listed in its lock; the next
// run ends them. A recorded id may have been reused since, so only a group
// that is provably the recorded one is signalled.

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, "SIGKILL");
});

/** True while `pid` runs (a zombie has ended; where no init reaps orphans it lingers). */
function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** `sh -c script` as the leader of a new process group, like a verify command. */
async function group(script: string): Promise<ChildProcess & { pid: number }> {
  const child = spawn("sh", ["-c", script], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
  started.push(child);
  await once(child, "spawn");
  return child as ChildProcess & { pid: number };
}

describe("reaping the groups a dead run left behind", () => {
  it("ends a group whose leader still runs with the recorded start time", async () => {
    const child = await group("sleep 100");
    const start = processStartTime(child.pid);
    expect(start).toBeDefined();
    expect(await reapOrphanedGroups([{ pgid: child.pid, start: start! }], 500)).toEqual([child.pid]);
    expect(groupAlive(child.pid)).toBe(false);
  });

  it("leaves alone a live leader whose start time differs: the id was reused by another process", async () => {
    const child = await group("sleep 100");
    expect(await reapOrphanedGroups([{ pgid: child.pid, start: "ticks:1" }, { pgid: child.pid }], 500)).toEqual([]);
    expect(groupAlive(child.pid)).toBe(true);
  });

  it("ends the members of a group whose leader is gone (an id still held by members is never reused)", async () => {
    const child = await group("sleep 100 & echo $!");
    const exited = once(child, "exit");
    const [line] = (await once(child.stdout!, "data")) as [Buffer];
    await exited;
    const member = Number(line.toString().trim());
    expect(groupAlive(child.pid)).toBe(true);
    expect(await reapOrphanedGroups([{ pgid: child.pid }], 500)).toEqual([child.pid]);
    expect(groupAlive(child.pid)).toBe(false);
    expect(processRunning(member)).toBe(false);
  });

  it("does nothing for a group that is already gone", async () => {
    const child = await group("exit 0");
    if (child.exitCode === null) await once(child, "exit");
    expect(await reapOrphanedGroups([{ pgid: child.pid }], 500)).toEqual([]);
  });
});
