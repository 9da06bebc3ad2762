import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { acquireRunLock, releaseRunLockOnExit, runLockPath, type LockAcquireResult, type LockHolder } from "../../src/lock.js";

let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "specwright-lock-"));
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

function held(result: LockAcquireResult) {
  if (!result.ok) throw new Error(`expected the lock, got: ${result.message}`);
  return result;
}

async function bootId(): Promise<string> {
  return (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim();
}

async function writeLock(holder: Partial<LockHolder>): Promise<void> {
  const full: LockHolder = {
    pid: 1, command: "specwright build", startedAt: "2026-11-21T10:00:00.000Z", host: hostname(),
    boot: await bootId(), token: "feedfacefeedface", ...holder,
  };
  await mkdir(join(project, ".specwright"), { recursive: true });
  await writeFile(runLockPath(project), JSON.stringify(full));
}

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

describe("run lock", () => {
  it("writes pid, command, start time and host into .specwright/lock", async () => {
    const r = held(await acquireRunLock(project, { command: "specwright build --only T003" }));
    const onDisk = JSON.parse(await readFile(join(project, ".specwright", "lock"), "utf8")) as LockHolder;
    expect(onDisk).toMatchObject({ pid: process.pid, command: "specwright build --only T003", host: hostname() });
    expect(Date.now() - Date.parse(onDisk.startedAt)).toBeLessThan(5000);
    expect(r.tookOver).toBeUndefined();
  });

  it("refuses a second acquire while the holder runs and names its pid and command", async () => {
    held(await acquireRunLock(project, { command: "specwright build" }));
    const second = await acquireRunLock(project, { command: "specwright audit" });
    if (second.ok || second.reason !== "held") throw new Error("expected a refusal");
    expect(second.holder.pid).toBe(process.pid);
    expect(second.message).toContain(`pid ${process.pid}`);
    expect(second.message).toContain("(specwright build)");
  });

  it("refuses a lock held by another live process", async () => {
    const sleeper = spawn("sleep", ["30"]);
    try {
      await writeLock({ pid: sleeper.pid as number, command: "specwright build --yes" });
      const r = await acquireRunLock(project, { command: "specwright build" });
      expect(r).toMatchObject({ ok: false, reason: "held", holder: { pid: sleeper.pid, command: "specwright build --yes" } });
    } finally {
      sleeper.kill();
    }
  });

  it("takes over a lock whose process is gone and says so", async () => {
    const pid = await deadPid();
    await writeLock({ pid, command: "specwright build" });
    const r = held(await acquireRunLock(project, { command: "specwright build --force" }));
    expect(r.tookOver?.reason).toBe("process-gone");
    expect(r.tookOver?.previous?.pid).toBe(pid);
    expect(r.tookOver?.message).toContain(`pid ${pid}`);
    const onDisk = JSON.parse(await readFile(runLockPath(project), "utf8")) as LockHolder;
    expect(onDisk.pid).toBe(process.pid);
  });

  it("removes the temp files the dead run's atomic writes left (killed between write and rename), and no one else's", async () => {
    const pid = await deadPid();
    await writeLock({ pid, command: "specwright compare --models a,b" });
    const dir = join(project, ".specwright");
    const theirs = [`.lock.${pid}.65d0d92f.tmp`, `.state.json.${pid}.0123abcd.tmp`];
    const others = [`.lock.${process.pid}.deadbeef.tmp`, `notes.${pid}.tmp`, `.state.json.${pid}1.0123abcd.tmp`];
    for (const name of [...theirs, ...others]) await writeFile(join(dir, name), "{");
    held(await acquireRunLock(project, { command: "specwright compare --models a,b" }));
    for (const name of theirs) expect(existsSync(join(dir, name)), name).toBe(false);
    for (const name of others) expect(existsSync(join(dir, name)), name).toBe(true);
  });

  it("takes over a lock from before the last reboot even if its pid is alive now", async () => {
    await writeLock({ pid: process.pid, boot: "00000000-0000-0000-0000-000000000000" });
    const r = held(await acquireRunLock(project, { command: "specwright build" }));
    expect(r.tookOver?.reason).toBe("previous-boot");
  });

  it("never takes over a lock from another host", async () => {
    await writeLock({ pid: await deadPid(), host: "build-server-7" });
    const r = await acquireRunLock(project, { command: "specwright build" });
    if (r.ok) throw new Error("expected a refusal");
    expect(r.message).toContain("on build-server-7");
    expect(r.hint).toContain(runLockPath(project));
  });

  it("takes over an unreadable lock only once it is old", async () => {
    await mkdir(join(project, ".specwright"));
    await writeFile(runLockPath(project), "");
    const young = await acquireRunLock(project, { command: "specwright build", unreadableGraceMs: 60_000 });
    expect(young).toMatchObject({ ok: false, reason: "unreadable" });
    const past = new Date(Date.now() - 120_000);
    await utimes(runLockPath(project), past, past);
    const old = held(await acquireRunLock(project, { command: "specwright build", unreadableGraceMs: 60_000 }));
    expect(old.tookOver?.reason).toBe("unreadable");
  });

  it("lets exactly one of several concurrent acquirers take over a stale lock", async () => {
    const stalePid = await deadPid();
    // Staggered starts make the bad interleaving (one run deletes the lock another just created) likely
    // if the takeover were a plain unlink-and-create; started in lockstep, all the unlinks come first.
    for (let round = 0; round < 40; round++) {
      await rm(runLockPath(project), { force: true });
      await writeLock({ pid: stalePid, token: `stale-${round}` });
      const results = await Promise.all(Array.from({ length: 6 }, async (_, k) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
        return acquireRunLock(project, { command: `run ${k}` });
      }));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      for (const r of results) if (!r.ok) expect(r.reason).toBe("held");
      expect(existsSync(runLockPath(project) + ".takeover")).toBe(false);
    }
  });

  it("releases the lock so the next run can take it", async () => {
    const first = held(await acquireRunLock(project, { command: "a" }));
    expect(await first.lock.release()).toBe(true);
    expect(existsSync(runLockPath(project))).toBe(false);
    held(await acquireRunLock(project, { command: "b" }));
    // A second release of the first lock must not remove the new holder's lock.
    expect(await first.lock.release()).toBe(false);
    expect(first.lock.releaseSync()).toBe(false);
    expect(existsSync(runLockPath(project))).toBe(true);
  });

  it("does not release a lock that another run took over", async () => {
    const mine = held(await acquireRunLock(project, { command: "a" }));
    await writeLock({ pid: process.pid, token: "someone-else" });
    expect(await mine.lock.release()).toBe(false);
    expect(existsSync(runLockPath(project))).toBe(true);
  });

  it("installs and removes an exit hook that releases synchronously", async () => {
    const r = held(await acquireRunLock(project, { command: "a" }));
    const before = process.listenerCount("exit");
    const remove = releaseRunLockOnExit(r.lock);
    expect(process.listenerCount("exit")).toBe(before + 1);
    const hook = process.listeners("exit").at(-1) as (code: number) => void;
    hook(0);
    expect(existsSync(runLockPath(project))).toBe(false);
    remove();
    expect(process.listenerCount("exit")).toBe(before);
  });
});
