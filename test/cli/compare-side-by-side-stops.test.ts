// A side-by-side `specwright compare` stopped part-way, three ways, with the
// CLI as a real process and two fake Ollamas over real HTTP (one model each):
// Ctrl-C while one model's verify command runs and the other's stream is in
// flight; one endpoint lost mid-stream while the other model goes on; and
// kill -9. Each time: what the person sees, what result.json keeps, that
// nothing is left running, and that the same command again redoes no settled
// task of either model and completes the table.

import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama, type RecordedRequest, type ReplyScript } from "../fake-ollama/server.js";
import { CLI as CLI_JS, runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, builtCalcProject, taskOf } from "../helpers/calc-build.js";
import { addEndpoints, byModel, commitProject, git, progressOf, projectSnapshot, tableRows, unwrapped, type ModelScripts } from "../helpers/compare-project.js";

const A = "coder-a:7b";
const B = "coder-b:7b";
const ID = "ab";
const TASKS = ["T001", "T002", "T003"];

const built = builtCalcProject();
let dir: string;
let cleanup: () => Promise<void>;
/** Outside the project, whose git status must stay clean: where the sleeping verify says it runs. */
let markers: { dir: string; cleanup: () => Promise<void> };
const fakes: FakeOllama[] = [];
/** Process groups of the compares started here, killed after each test whatever it left. */
const groups: number[] = [];
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-side-by-side-stops-"));
  markers = await tempDir("specwright-markers-");
  await built.copyTo(dir);
  await commitProject(dir);
});
afterEach(async () => {
  for (const g of groups.splice(0)) killGroup(g, "SIGKILL");
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await cleanup();
  await markers.cleanup();
});
afterAll(() => built.cleanup());

/**
 * A's T002 test file, first time: at import (its verify, `python3 -m unittest`)
 * it writes its pid and process group to `marker`, then sleeps, so the verify
 * command is still running when the test stops the compare.
 */
const sleepingTest = (marker: string) => TEST_RIGHT.replace("import unittest\n", `import os, time, unittest\nopen(${JSON.stringify(marker)}, "w").write(f"{os.getpid()} {os.getpgid(0)}")\ntime.sleep(60)\n`);

/** A: T002's verify sleeps (first time). B: T003's stream starts, then hangs (first time). Every other reply right. */
function stoppingScripts(marker: string): ModelScripts {
  return {
    [A]: { T001: [ARITH], T002: [sleepingTest(marker), TEST_RIGHT], T003: [CLI] },
    [B]: { T001: [ARITH], T002: [TEST_RIGHT], T003: [{ content: CLI, fault: { kind: "hang", afterChunks: 3 } }, CLI] },
  };
}

async function twoServers(reply: (request: RecordedRequest) => ReplyScript, tokensPerSecond?: number): Promise<[FakeOllama, FakeOllama]> {
  const pace = tokensPerSecond === undefined ? {} : { tokensPerSecond };
  const a = await startFakeOllama({ models: [{ name: A, sizeBytes: 4e9 }], defaultReply: reply, ...pace });
  const b = await startFakeOllama({ models: [{ name: B, sizeBytes: 4e9 }], defaultReply: reply, ...pace });
  fakes.push(a, b);
  await addEndpoints(dir, [{ url: a.url, models: [A] }, { url: b.url, models: [B] }]);
  await git(dir, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "endpoints");
  return [a, b];
}

const ARGS = ["compare", "--models", `${A},${B}`, "--id", ID];

/** The compare as a process in a process group of its own, so whatever it leaves behind can be found by group. */
function startCompare() {
  const child = execa("node", [CLI_JS, ...ARGS], {
    cwd: dir,
    reject: false,
    stdin: "ignore",
    detached: true,
    env: { NO_COLOR: "1", OLLAMA_HOST: undefined, XDG_CONFIG_HOME: join(dir, ".none"), SPECWRIGHT_BUILD_REVIEW: "off", SPECWRIGHT_AUDIT_AFTER_ASK: "off" },
  });
  groups.push(child.pid!);
  return child;
}

const rerun = () => runCli(ARGS, { cwd: dir });

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** Processes of a group that still run (zombies are dead: nothing may reap them in a container). */
function runningInGroup(pgid: number): string[] {
  const ps = execFileSync("ps", ["-eo", "pid=,pgid=,stat=,args="], { encoding: "utf8" });
  return ps.split("\n").filter((l) => {
    const [, g, stat] = l.trim().split(/\s+/);
    return Number(g) === pgid && stat !== undefined && !stat.startsWith("Z");
  });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Doc {
  sideBySide?: unknown;
  models: { model: string; runs: { status: string; dir: string; message?: string; tasks: Record<string, { outcome: string; attempts: number; message?: string }> }[] }[];
}
const readDoc = async () => JSON.parse(await readFile(join(dir, ".specwright/compare", ID, "result.json"), "utf8")) as Doc;
const settled = (doc: Doc, model: string) => Object.keys(doc.models.find((m) => m.model === model)!.runs[0]!.tasks).sort();
/** Task ids committed in a run's scratch output (one commit per done task, "T001 Arithmetic"). */
async function committed(doc: Doc, model: string): Promise<string[]> {
  const out = join(dir, doc.models.find((m) => m.model === model)!.runs[0]!.dir, "output");
  if (!existsSync(join(out, ".git"))) return [];
  const log = await git(out, "log", "--format=%s").catch(() => "");
  return log.split("\n").filter((s) => s !== "").map((s) => s.split(" ")[0]!).sort();
}
const asked = (fake: FakeOllama, task: string) => fake.promptRequests().filter((q) => taskOf(q) === task).length;
const askedPerTask = (fake: FakeOllama) => Object.fromEntries(TASKS.map((t) => [t, asked(fake, t)]));
/** Both models' rows: every task passed first try, 3 attempts. */
const completeRows = [
  [A, "3", "0", "0", "3"],
  [B, "3", "0", "0", "3"],
];

describe("a side-by-side compare stopped part-way", () => {
  it("Ctrl-C with both models in flight exits 130 promptly, leaves nothing running, and a rerun finishes both", async () => {
    const marker = join(markers.dir, "verify-running");
    const [a, b] = await twoServers(byModel(stoppingScripts(marker)));
    const before = await projectSnapshot(dir);
    const child = startCompare();
    // Both in flight: A's T002 verify command sleeping, B's T003 stream hung part-way.
    await until("A's verify and B's T003 stream", () => existsSync(marker) && asked(b, "T003") > 0);
    const [verifyPid, verifyGroup] = (await readFile(marker, "utf8")).split(" ").map(Number) as [number, number];
    const sentAt = Date.now();
    child.kill("SIGINT");
    const stopped = await child;
    const stopMs = Date.now() - sentAt;
    expect(stopped.exitCode, String(stopped.stderr)).toBe(130);
    expect(stopMs, `SIGINT to exit took ${stopMs} ms`).toBeLessThan(5_000);
    expect(String(stopped.stderr)).toContain(`run the same command again to continue comparison ${ID}`);
    for (const line of progressOf(String(stopped.stderr))) expect(line.length, line).toBeLessThanOrEqual(80);
    // Nothing left running: not the verify command's group, nothing in the CLI's own group; the lock released.
    expect(runningInGroup(verifyGroup), `verify pid ${verifyPid}`).toEqual([]);
    expect(runningInGroup(child.pid!)).toEqual([]);
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(false);
    expect(await projectSnapshot(dir)).toEqual(before);

    // result.json agrees with the scratch folders: a task is recorded exactly when its commit is there,
    // and neither task in flight is recorded.
    const partial = await readDoc();
    for (const m of [A, B]) {
      expect(settled(partial, m), m).toEqual(await committed(partial, m));
      expect(settled(partial, m), m).toContain("T001");
    }
    expect(settled(partial, A)).not.toContain("T002");
    expect(settled(partial, B)).not.toContain("T003");
    expect(partial.models.map((m) => m.runs[0]!.status)).toEqual(["partial", "partial"]);

    const askedBefore = { [A]: askedPerTask(a), [B]: askedPerTask(b) };
    const r = await rerun();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`resuming comparison ${ID}`);
    expect(r.stderr).toContain("side by side");
    // No settled task of either model asked again; the interrupted ones asked once more.
    for (const [m, fake] of [[A, a], [B, b]] as const) {
      for (const t of settled(partial, m)) expect(asked(fake, t), `${m} ${t}`).toBe(askedBefore[m]![t]);
    }
    expect(asked(a, "T002")).toBe(askedBefore[A]!.T002! + 1);
    expect(asked(b, "T003")).toBe(askedBefore[B]!.T003! + 1);
    expect(tableRows(r.stdout, [A, B]).map((row) => row.slice(0, 5))).toEqual(completeRows);
    const done = await readDoc();
    for (const m of [A, B]) expect(await committed(done, m), m).toEqual(TASKS);
    expect(await projectSnapshot(dir)).toEqual(before);
  });

  it("an endpoint lost mid-stream: the other model finishes, the lost one's row says why (exit 3), and a rerun builds only its remaining tasks", async () => {
    // B's T002 starts streaming, then its server goes away mid-reply. A is paced, so it is still working then.
    const reply = byModel({
      [A]: { T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] },
      [B]: { T001: [ARITH], T002: [{ content: TEST_RIGHT, fault: { kind: "hang", afterChunks: 3 } }, TEST_RIGHT], T003: [CLI] },
    });
    const [a, b] = await twoServers(reply, 100);
    const before = await projectSnapshot(dir);
    const child = startCompare();
    await until("B's T002 stream", () => asked(b, "T002") > 0);
    const aAtLoss = a.promptRequests().length;
    await b.close();
    const lost = await child;
    const stdout = String(lost.stdout);
    expect(lost.exitCode, String(lost.stderr)).toBe(3);
    expect(String(lost.stderr)).toContain(`the model server went away: ${B}'s endpoint: `);
    // Progress on stderr, the lost server's lines too, fits 80 columns; the lost run's line says why, whole.
    const progress = progressOf(String(lost.stderr));
    for (const line of progress) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(unwrapped(progress.join("\n"))).toMatch(new RegExp(`${B.replace(/[.:]/g, "\\$&")} run 1: partial — .*${b.url.replace(/[.:/]/g, "\\$&")}`));
    // A went on after B's server was gone, to the end.
    expect(a.promptRequests().length).toBeGreaterThan(aAtLoss);
    expect(tableRows(stdout, [A, B]).map((row) => row.slice(0, 5))).toEqual([
      [A, "3", "0", "0", "3"],
      [`${B}*`, "–", "–", "–", "–"],
    ]);
    // B's row is not B's failure: the note under the table says it could not finish, and why.
    expect(stdout.replace(/\n\s+/g, " ")).toContain(`${B}: could not finish (1 of 3 tasks settled) — `);
    expect(stdout.replace(/\n\s+/g, " ")).toMatch(new RegExp(`could not finish \\(1 of 3 tasks settled\\) — .*${b.url.replace(/[.:/]/g, "\\$&")}`));
    for (const line of stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    const partial = await readDoc();
    expect(partial.models.map((m) => m.runs[0]!.status)).toEqual(["done", "partial"]);
    expect(partial.models[1]!.runs[0]!.message).toContain(b.url);
    // Only B's T001 settled; T002 (and T003, lost with it) are not recorded as B's failures.
    expect(partial.models[1]!.runs[0]!.tasks).toEqual({ T001: expect.objectContaining({ outcome: "done" }) });
    expect(await projectSnapshot(dir)).toEqual(before);

    // The server back on the same address: the rerun builds B's remaining tasks only.
    const back = await startFakeOllama({ port: b.port, models: [{ name: B, sizeBytes: 4e9 }], defaultReply: reply });
    fakes.push(back);
    const aBefore = a.promptRequests().length;
    const r = await rerun();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(a.promptRequests()).toHaveLength(aBefore);
    expect(askedPerTask(back)).toEqual({ T001: 0, T002: 1, T003: 1 });
    expect(tableRows(r.stdout, [A, B]).map((row) => row.slice(0, 5))).toEqual(completeRows);
    expect(r.stdout).not.toContain("could not finish");
    expect(await projectSnapshot(dir)).toEqual(before);
  });

  it("kill -9 with both models in flight: the rerun takes the dead run's lock over, ends its verify command, and finishes both", async () => {
    const marker = join(markers.dir, "verify-running");
    const [a, b] = await twoServers(byModel(stoppingScripts(marker)));
    const before = await projectSnapshot(dir);
    const child = startCompare();
    await until("A's verify and B's T003 stream", () => existsSync(marker) && asked(b, "T003") > 0);
    const [, verifyGroup] = (await readFile(marker, "utf8")).split(" ").map(Number) as [number, number];
    // The lock lists the verify command's group while it runs (written as the group starts).
    await until("the lock to list the verify group", async () => (await readFile(join(dir, ".specwright/lock"), "utf8").catch(() => "")).includes(`"pgid":${verifyGroup}`));
    child.kill("SIGKILL");
    const killed = await child;
    expect(killed.signal).toBe("SIGKILL");
    // No exit hook ran: the lock is left behind, and the verify command runs on.
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(true);
    expect(runningInGroup(verifyGroup)).not.toEqual([]);
    const partial = await readDoc();
    for (const m of [A, B]) {
      // Whatever result.json kept is in the scratch folder (it is saved just after each commit).
      const kept = settled(partial, m);
      expect(kept, m).toContain("T001");
      expect(await committed(partial, m), m).toEqual(expect.arrayContaining(kept));
    }
    expect(settled(partial, A)).not.toContain("T002");
    expect(settled(partial, B)).not.toContain("T003");

    const askedBefore = { [A]: askedPerTask(a), [B]: askedPerTask(b) };
    const r = await rerun();
    expect(r.exitCode, r.stderr).toBe(0);
    // The notice is a progress line, wrapped at 80 columns: read with its line breaks undone.
    expect(unwrapped(r.stderr)).toContain(`took over the lock of pid ${child.pid} (specwright compare), which is no longer running; ended 1 process group(s) it left running (${verifyGroup})`);
    for (const line of progressOf(r.stderr)) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(runningInGroup(verifyGroup)).toEqual([]);
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(false);
    for (const [m, fake] of [[A, a], [B, b]] as const) {
      for (const t of settled(partial, m)) expect(asked(fake, t), `${m} ${t}`).toBe(askedBefore[m]![t]);
    }
    expect(tableRows(r.stdout, [A, B]).map((row) => row.slice(0, 5))).toEqual(completeRows);
    const done = await readDoc();
    for (const m of [A, B]) expect(await committed(done, m), m).toEqual(TASKS);
    expect(await projectSnapshot(dir)).toEqual(before);
  });

  it("a task the scratch folder built but result.json never recorded (kill -9 between the two saves) is built again, not left out of the row", async () => {
    const [a, b] = await twoServers(byModel({ [A]: { T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }, [B]: { T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] } }));
    const first = await rerun();
    expect(first.exitCode, first.stderr).toBe(0);
    // The window a kill -9 can hit: T003 committed and in B's scratch state.json, its result.json record not yet written.
    const file = join(dir, ".specwright/compare", ID, "result.json");
    const doc = await readDoc();
    const run = doc.models[1]!.runs[0]!;
    delete run.tasks.T003;
    run.status = "partial";
    await writeFile(file, JSON.stringify(doc, null, 2) + "\n");
    const askedBefore = { a: askedPerTask(a), b: askedPerTask(b) };
    const r = await rerun();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(askedPerTask(a)).toEqual(askedBefore.a);
    expect(askedPerTask(b)).toEqual({ ...askedBefore.b, T003: askedBefore.b.T003! + 1 });
    expect(tableRows(r.stdout, [A, B]).map((row) => row.slice(0, 5))).toEqual(completeRows);
  });
});
