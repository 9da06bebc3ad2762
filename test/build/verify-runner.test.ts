import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runVerify, runVerifyCommand, type VerifyOptions } from "../../src/build/verify-runner.js";
import { classifyVerifyFailure } from "../../src/build/verify-failure.js";
import { formatVerifyLog } from "../../src/build/verify-log.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "specwright-verify-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function opts(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return { cwd: dir, timeoutMs: 10_000, ...extra };
}

/** Live (non-zombie) processes whose process group is `pgid`, read from /proc. */
async function liveGroupMembers(pgid: number): Promise<number[]> {
  const live: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") live.push(Number(name));
  }
  return live;
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("running commands", () => {
  it("passes a command that exits 0 and captures its output", async () => {
    const r = await runVerifyCommand("echo hello", opts());
    expect(r).toMatchObject({ command: "echo hello", exitCode: 0, signal: null, timedOut: false, aborted: false, output: "hello\n", truncatedBytes: 0 });
  });

  it("reports a failing command's exit code and stderr", async () => {
    const r = await runVerifyCommand("echo boom >&2; exit 3", opts());
    expect(r.exitCode).toBe(3);
    expect(r.output).toBe("boom\n");
  });

  it("interleaves stdout and stderr in arrival order and streams the same text", async () => {
    const chunks: string[] = [];
    const r = await runVerifyCommand("echo a; sleep 0.1; echo b >&2; sleep 0.1; echo c", opts({ onOutput: (c) => chunks.push(c) }));
    expect(r.output).toBe("a\nb\nc\n");
    expect(chunks.join("")).toBe(r.output);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
  });

  it("runs in the output dir with CI=1 and the parent's environment", async () => {
    const r = await runVerifyCommand('pwd; echo "CI=$CI"; echo "PATH set: ${PATH:+yes}"; echo "X=$X"', opts({ env: { X: "extra" } }));
    expect(r.output).toBe(`${await realpath(dir)}\nCI=1\nPATH set: yes\nX=extra\n`);
  });

  it("closes stdin, so a command that reads it returns at once", async () => {
    const r = await runVerifyCommand("cat; echo done", opts({ timeoutMs: 5000 }));
    expect(r.output).toBe("done\n");
    expect(r.timedOut).toBe(false);
    expect(r.durationMs).toBeLessThan(2000);
  });

  it("stops at the first failing command and lists the rest as not run", async () => {
    const run = await runVerify(["echo one", "echo two; exit 1", "echo three"], opts());
    expect(run.ok).toBe(false);
    expect(run.results.map((r) => r.exitCode)).toEqual([0, 1]);
    expect(run.notRun).toEqual(["echo three"]);
  });

  it("passes a list whose commands all pass", async () => {
    const run = await runVerify(["true", "echo ok"], opts());
    expect(run).toMatchObject({ ok: true, notRun: [], aborted: false });
    expect(run.results).toHaveLength(2);
  });

  it("reports a missing output dir as a command that could not start", async () => {
    const r = await runVerifyCommand("true", opts({ cwd: join(dir, "missing") }));
    expect(r.spawnError).toContain("missing");
    expect(r.exitCode).toBeNull();
    expect(classifyVerifyFailure(r)).toMatchObject({ kind: "command", rule: "spawn-failed" });
  });
});

describe("killing", () => {
  it("kills the whole process group within 2 s of the timeout, children included", async () => {
    const members: number[] = [];
    const timeoutMs = 600;
    const r = await runVerifyCommand("sh -c 'sleep 100 & sleep 100; wait'", opts({
      timeoutMs,
      onCommandStart: (_c, pgid) => {
        // Record the group once the inner shell has started both sleeps.
        setTimeout(() => void liveGroupMembers(pgid).then((m) => members.push(...m)), 300);
      },
    }));
    const afterTimeoutMs = r.durationMs - timeoutMs;
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe("SIGTERM");
    // outer sh, inner sh, two sleeps
    expect(members.length).toBe(4);
    for (const pid of members) expect(await isAlive(pid)).toBe(false);
    expect(afterTimeoutMs).toBeLessThan(2000);
  });

  it("escalates to SIGKILL for a group that ignores SIGTERM, still within 2 s", async () => {
    let pgid = 0;
    const timeoutMs = 400;
    const r = await runVerifyCommand("trap '' TERM; sleep 100 & sleep 100; wait", opts({
      timeoutMs, killGraceMs: 1000, onCommandStart: (_c, pid) => { pgid = pid; },
    }));
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe("SIGKILL");
    expect(r.durationMs - timeoutMs).toBeLessThan(2000);
    expect(r.durationMs - timeoutMs).toBeGreaterThanOrEqual(900);
    expect(await liveGroupMembers(pgid)).toEqual([]);
  });

  it("kills the group when the signal aborts, and runs nothing after it", async () => {
    const controller = new AbortController();
    let pgid = 0;
    setTimeout(() => controller.abort(), 300);
    const run = await runVerify(["sleep 100 & sleep 100; wait", "echo never"], opts({
      signal: controller.signal, onCommandStart: (_c, pid) => { pgid = pid; },
    }));
    expect(run.aborted).toBe(true);
    expect(run.results[0]).toMatchObject({ aborted: true, timedOut: false });
    expect(run.notRun).toEqual(["echo never"]);
    expect(run.durationMs).toBeLessThan(2000);
    expect(await liveGroupMembers(pgid)).toEqual([]);
    expect(classifyVerifyFailure(run.results[0]!)).toEqual({ kind: "aborted" });
  });

  it("does not start a command when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await runVerifyCommand("touch started", opts({ signal: controller.signal }));
    expect(r.aborted).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it("reaps a background process the command left behind instead of waiting for it", async () => {
    const r = await runVerifyCommand("sleep 100 & echo $!", opts({ timeoutMs: 20_000 }));
    expect(r.exitCode).toBe(0);
    expect(r.durationMs).toBeLessThan(3000);
    expect(await isAlive(Number(r.output.trim()))).toBe(false);
  });
});

describe("children that ignore SIGTERM", () => {
  // The child ignores SIGTERM and has its output redirected, so the pipes close
  // with the shell: only a SIGKILL to the group after the grace period ends it.
  const stubborn = "(trap '' TERM; exec sleep 300) >/dev/null 2>&1 &";

  it("kills one left behind by a command that exits normally, before returning the result", async () => {
    const r = await runVerifyCommand(`${stubborn} echo $!`, opts({ killGraceMs: 300 }));
    expect(r.exitCode).toBe(0);
    expect(await isAlive(Number(r.output.trim()))).toBe(false);
  });

  it("kills one started by a command that times out", async () => {
    let pgid = 0;
    const r = await runVerifyCommand(`${stubborn} echo $!; sleep 100`, opts({ timeoutMs: 300, killGraceMs: 300, onCommandStart: (_c, pid) => { pgid = pid; } }));
    expect(r.timedOut).toBe(true);
    expect(await isAlive(Number(r.output.trim()))).toBe(false);
    expect(await liveGroupMembers(pgid)).toEqual([]);
  });
});

describe("escaped processes", () => {
  it("does not call a finished command timed out while a process outside its group holds the pipe", async () => {
    // setsid leaves the group, so the group kill cannot reach it; the runner stops waiting for its pipe.
    const r = await runVerifyCommand("setsid sleep 3 & echo started", opts({ timeoutMs: 300, killGraceMs: 400 }));
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
    expect(r.output).toBe("started\n");
    expect(r.durationMs).toBeLessThan(2000);
  });
});

describe("large output", () => {
  it("keeps head and tail within the cap and counts what it elided", async () => {
    const r = await runVerifyCommand("seq 1 200000", opts({ maxOutputBytes: 1000 }));
    const total = Array.from({ length: 200000 }, (_, k) => `${k + 1}\n`).join("").length;
    expect(r.output.startsWith("1\n2\n3\n")).toBe(true);
    expect(r.output.endsWith("199999\n200000\n")).toBe(true);
    expect(r.truncatedBytes).toBe(total - 1000);
    expect(r.output).toContain(`[… ${total - 1000} bytes of output elided …]`);
    expect(Buffer.byteLength(r.output)).toBeLessThan(1100);
  });

  it("captures 100 MB of output with bounded memory", async () => {
    let peak = 0;
    const base = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss - base); }, 5);
    let streamed = 0;
    const r = await runVerifyCommand("yes 0123456789abcdef | head -c 100000000", opts({
      maxOutputBytes: 64 * 1024, onOutput: (c) => { streamed += c.length; },
    }));
    clearInterval(sampler);
    expect(streamed).toBe(100_000_000);
    expect(r.truncatedBytes).toBe(100_000_000 - 64 * 1024);
    // Holding the output would need at least 100 MB; measured peak RSS growth was 2-15 MB.
    expect(peak).toBeLessThan(80 * 1024 * 1024);
  });
});

describe("whose fault a failure is", () => {
  it("classifies exit 127 (command not found) as the command's own fault", async () => {
    const r = await runVerifyCommand("definitely-not-a-tool-xyz --check", opts());
    expect(r.exitCode).toBe(127);
    const c = classifyVerifyFailure(r);
    expect(c).toMatchObject({ kind: "command", rule: "not-found" });
    if (c.kind === "command") expect(c.reason).toContain("definitely-not-a-tool-xyz was not found");
  });

  it("classifies a not-found inside a longer command as the command's fault even when the exit code differs", async () => {
    const r = await runVerifyCommand("definitely-not-a-tool-xyz; exit 1", opts());
    expect(r.exitCode).toBe(1);
    expect(classifyVerifyFailure(r)).toMatchObject({ kind: "command", rule: "not-found" });
  });

  it("classifies exit 126 (not executable) as the command's fault", async () => {
    const r = await runVerifyCommand("printf 'echo hi\\n' > run.sh; chmod 644 run.sh; ./run.sh", opts());
    expect(r.exitCode).toBe(126);
    expect(classifyVerifyFailure(r)).toMatchObject({ kind: "command", rule: "not-executable" });
  });

  it("classifies a tool's own usage error as the command's fault", async () => {
    const r = await runVerifyCommand("python3 --definitely-bad-flag", opts());
    expect(r.exitCode).toBe(2);
    expect(classifyVerifyFailure(r)).toMatchObject({ kind: "command", rule: "usage" });
  });

  it("classifies a missing python -m module as the command's fault", async () => {
    const r = await runVerifyCommand("python3 -m definitely_missing_module_xyz", opts());
    expect(classifyVerifyFailure(r)).toMatchObject({ kind: "command", rule: "missing-module" });
  });

  it("classifies a usage error printed by the generated program as a code failure", async () => {
    const app = "import argparse; p = argparse.ArgumentParser(prog='app.py'); p.add_argument('--count'); p.parse_args()";
    const r = await runVerifyCommand(`printf '%s\\n' "${app}" > app.py; python3 app.py --words`, opts());
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain("usage: app.py");
    expect(classifyVerifyFailure(r)).toEqual({ kind: "code" });
  });

  it("classifies an ordinary failing test as a code failure", async () => {
    const r = await runVerifyCommand("python3 -c 'assert 1 + 1 == 3, \"math\"'", opts());
    expect(classifyVerifyFailure(r)).toEqual({ kind: "code" });
  });

  it("classifies a timeout as a timeout", async () => {
    const r = await runVerifyCommand("sleep 5", opts({ timeoutMs: 200 }));
    expect(classifyVerifyFailure(r)).toEqual({ kind: "timeout" });
  });
});

describe("verify.log", () => {
  it("shows each command with its output, how it ended and what was not run", async () => {
    const run = await runVerify(["echo compiled", "echo 'assert failed' >&2; exit 1", "echo later"], opts());
    const log = formatVerifyLog(run, "/project/output");
    const lines = log.split("\n");
    expect(lines.slice(0, 2)).toEqual(["# verify in /project/output", ""]);
    expect(lines[2]).toBe("$ echo compiled");
    expect(lines[3]).toBe("compiled");
    expect(lines[4]).toMatch(/^\[exit 0 · \d+ ms\]$/);
    expect(lines[6]).toBe("$ echo 'assert failed' >&2; exit 1");
    expect(lines[7]).toBe("assert failed");
    expect(lines[8]).toMatch(/^\[exit 1 · \d+ ms\]$/);
    expect(lines.slice(10, 12)).toEqual(["$ echo later", "[not run: an earlier command failed]"]);
    expect(lines[13]).toMatch(/^# failed in \d+ ms$/);
  });

  it("says when a command timed out and was killed", async () => {
    const run = await runVerify(["sleep 5"], opts({ timeoutMs: 200 }));
    expect(formatVerifyLog(run)).toMatch(/\[timed out, killed \(SIGTERM\) · \d+ ms\]/);
  });
});
