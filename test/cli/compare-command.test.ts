// `specwright compare` as a process against the fake Ollama (real HTTP), on the
// calc project after a clean first build: two scripted models of different
// quality (one needs a fix, one fails a task), the table's numbers worked out
// from the scripts, the project's output/, state.json and git history
// untouched, Ctrl-C mid-compare then a rerun that does not redo finished work,
// and the --json document against the schema in docs/compare.md.

import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { existsSync } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { CLI as CLI_JS, REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, builtCalcProject, file, taskOf } from "../helpers/calc-build.js";
import { addEndpoints, byModel, commitProject, git, projectSnapshot, tableRows, unwrapped, type ModelScripts } from "../helpers/compare-project.js";

const GOOD = "good-coder:7b";
const WEAK = "weak-coder:7b";
const MODELS = [
  { name: GOOD, sizeBytes: 4_700_000_000 },
  { name: WEAK, sizeBytes: 4_400_000_000 },
];
/** Does not compile: the same reply twice ends T003's fix loop ("the fix attempt changed nothing"). */
const CLI_BROKEN = file("calc/cli.py", "def main(argv):\n    return add(\n");

/**
 * GOOD: T001 first try, T002 wrong then right (one fix), T003 first try.
 * WEAK: T001 and T002 first try, T003 broken twice (fails after 2 attempts).
 */
const SCRIPTS: ModelScripts = {
  [GOOD]: { T001: [ARITH], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] },
  [WEAK]: { T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI_BROKEN, CLI_BROKEN] },
};

const built = builtCalcProject();
let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-compare-"));
  await built.copyTo(dir);
  await commitProject(dir);
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await cleanup();
});
afterAll(() => built.cleanup());

const compare = (...args: string[]) => runCli(["compare", "--models", `${GOOD},${WEAK}`, ...args], { cwd: dir, env: { OLLAMA_HOST: fake!.url } });

interface Doc {
  id: string;
  schema: number;
  inputs: { tasks: string[]; maxFixAttempts: number; runs: number };
  models: { model: string; folder: string; runs: { status: string; seed: number; dir: string; wallMs: number; modelMs: number; tasks: Record<string, { outcome: string; attempts: number; promptTokens: number; evalTokens: number }> }[] }[];
}

const readDoc = async (id: string) => JSON.parse(await readFile(join(dir, ".specwright/compare", id, "result.json"), "utf8")) as Doc;
const asks = (model: string, task?: string) => fake!.promptRequests().filter((q) => q.model === model && (task === undefined || taskOf(q) === task));

describe("specwright compare", () => {
  it("tabulates two models on scratch folders and leaves output/, state.json and git as they were", async () => {
    fake = await startFakeOllama({ models: MODELS, defaultReply: byModel(SCRIPTS) });
    const before = await projectSnapshot(dir);
    const r = await compare();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await projectSnapshot(dir)).toEqual(before);

    // The rows, worked out from the scripts: GOOD 2 first try + 1 after a fix, 4 attempts;
    // WEAK 2 first try, T003 failed after 2 attempts, 4 attempts.
    expect(tableRows(r.stdout, [GOOD, WEAK]).map((row) => row.slice(0, 5))).toEqual([
      [GOOD, "2", "1", "0", "4"],
      [WEAK, "2", "0", "1", "4"],
    ]);
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    // Said up front: one model after another, a reload each, and an estimate.
    // Progress lines are wrapped at 80 columns: read with their line breaks undone.
    expect(unwrapped(r.stderr)).toMatch(/2 model runs to go, one after another on http:\/\/127\.0\.0\.1:\d+: each model is loaded in turn/);
    expect(unwrapped(r.stderr)).toMatch(/Estimate per run: good-coder:7b ~\d/);

    // The same numbers in result.json, and the attempts the fake really answered.
    const id = /Comparison (\S+)/.exec(r.stdout)![1]!;
    const doc = await readDoc(id);
    const [good, weak] = doc.models;
    expect(good!.runs[0]!.status).toBe("done");
    expect(Object.fromEntries(Object.entries(good!.runs[0]!.tasks).map(([t, x]) => [t, [x.outcome, x.attempts]]))).toEqual({ T001: ["done", 1], T002: ["done", 2], T003: ["done", 1] });
    expect(Object.fromEntries(Object.entries(weak!.runs[0]!.tasks).map(([t, x]) => [t, [x.outcome, x.attempts]]))).toEqual({ T001: ["done", 1], T002: ["done", 1], T003: ["failed", 2] });
    expect(asks(GOOD)).toHaveLength(4);
    expect(asks(WEAK)).toHaveLength(4);
    // Prompt tokens as the fake counted them, per model.
    for (const m of doc.models) {
      const recorded = asks(m.model).reduce((s, q) => s + (q.promptTokens ?? 0), 0);
      expect(Object.values(m.runs[0]!.tasks).reduce((s, t) => s + t.promptTokens, 0)).toBe(recorded);
      expect(m.runs[0]!.modelMs).toBeLessThanOrEqual(m.runs[0]!.wallMs);
    }
    // Each model's work is in its own scratch output with its own git history.
    const goodOut = join(dir, good!.runs[0]!.dir, "output");
    expect(await readFile(join(goodOut, "tests/test_arith.py"), "utf8")).toContain("add(2, 2), 4");
    // One commit per task (T002's fix lets T003 finish first: the order of the last two varies).
    expect((await git(goodOut, "log", "--format=%s")).split("\n").sort()).toEqual(["T001 Arithmetic", "T002 Arithmetic tests", "T003 CLI"]);
    expect(existsSync(join(dir, weak!.runs[0]!.dir, "output/calc/cli.py"))).toBe(true);

    // A rerun of the finished comparison redoes nothing and prints the same table.
    const requests = fake.promptRequests().length;
    const again = await compare();
    expect(again.exitCode, again.stderr).toBe(0);
    expect(fake.promptRequests()).toHaveLength(requests);
    expect(again.stdout).toBe(r.stdout);
  });

  it("Ctrl-C mid-compare exits 130; the rerun keeps the finished model and the settled tasks", async () => {
    let hang = true;
    const routed = byModel(SCRIPTS);
    fake = await startFakeOllama({
      models: MODELS,
      // WEAK's T002 starts and then hangs (first time only): the signal lands on a call in flight.
      defaultReply: (q) => (hang && q.model === WEAK && taskOf(q) === "T002" ? { content: TEST_RIGHT, fault: { kind: "hang", afterChunks: 3 } } : routed(q)),
    });
    const before = await projectSnapshot(dir);
    const child = execa("node", [CLI_JS, "compare", "--models", `${GOOD},${WEAK}`], {
      cwd: dir,
      reject: false,
      stdin: "ignore",
      env: { NO_COLOR: "1", OLLAMA_HOST: fake.url, XDG_CONFIG_HOME: join(dir, ".none"), SPECWRIGHT_BUILD_REVIEW: "off" },
    });
    const chats = () => fake!.requests.filter((q) => q.path === "/api/chat").length;
    while (asks(WEAK, "T002").length === 0) await fake.waitForRequests(chats() + 1);
    child.kill("SIGINT");
    const interrupted = await child;
    expect(interrupted.exitCode, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toContain("run the same command again to continue comparison");
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(false);
    const id = (await readdir(join(dir, ".specwright/compare")))[0]!;
    const partial = await readDoc(id);
    expect(partial.models.map((m) => m.runs[0]!.status)).toEqual(["done", "partial"]);
    expect(Object.keys(partial.models[1]!.runs[0]!.tasks)).toEqual(["T001"]);

    hang = false;
    const counts = { good: asks(GOOD).length, weakT001: asks(WEAK, "T001").length };
    const r = await compare();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`resuming comparison ${id}`);
    expect(r.stderr).toContain("resuming after 1 settled task");
    // GOOD finished before Ctrl-C: not one more request; WEAK's T001 settled: not asked again.
    expect(asks(GOOD)).toHaveLength(counts.good);
    expect(asks(WEAK, "T001")).toHaveLength(counts.weakT001);
    expect(tableRows(r.stdout, [GOOD, WEAK]).map((row) => row.slice(0, 5))).toEqual([
      [GOOD, "2", "1", "0", "4"],
      [WEAK, "2", "0", "1", "4"],
    ]);
    expect(await projectSnapshot(dir)).toEqual(before);
  });

  it("--runs 2 builds each model twice with seeds counting up and shows the spread; --json matches docs/compare.md", async () => {
    fake = await startFakeOllama({ models: MODELS, defaultReply: byModel({ [GOOD]: SCRIPTS[GOOD]!, [WEAK]: { T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] } }) });
    const r = await compare("--runs", "2", "--only", "T002", "--json");
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc & { resultFile: string; table: { model: string; runs: number; firstTry: { n: number; mean: number; min: number; max: number } }[] };
    // --only T002 builds T002 and what it needs (T001), never T003.
    expect(doc.inputs.tasks).toEqual(["T001", "T002"]);
    expect(asks(GOOD, "T003")).toHaveLength(0);
    expect(doc.models[0]!.runs.map((x) => x.seed)).toEqual([1, 2]);
    for (const q of asks(GOOD, "T001")) expect([1, 2]).toContain(q.options?.seed);
    // GOOD's scripts are consumed in order: run 1 T002 wrong then right, run 2 right first time.
    expect(doc.table[0]).toMatchObject({ model: GOOD, runs: 2, firstTry: { n: 2, mean: 1.5, min: 1, max: 2 } });
    expect(doc.table[1]).toMatchObject({ model: WEAK, runs: 2, firstTry: { n: 2, mean: 2, min: 2, max: 2 } });
    expect(await readFile(join(dir, doc.resultFile), "utf8")).toBe(JSON.stringify(withoutCliFields(doc), null, 2) + "\n");

    // Every key of the document is documented in docs/compare.md's schema block, and the other way round.
    const docs = await readFile(join(REPO_ROOT, "docs/compare.md"), "utf8");
    const block = /```json\n([\s\S]*?)\n```/.exec(docs.slice(docs.indexOf("## result.json")))![1]!;
    const documented = keyPaths(JSON.parse(block));
    const actual = keyPaths(withoutCliFields(doc));
    expect(actual.filter((k) => !documented.includes(k))).toEqual([]);
    // Only the optional fields (a failure's message) may be absent from a run where nothing failed.
    expect(documented.filter((k) => !actual.includes(k))).toEqual([".models[].runs[].message", ".models[].runs[].tasks.<task>.message"]);

    const text = await compare("--runs", "2", "--only", "T002");
    expect(text.stdout).toContain("Spread over 2 runs (mean (lowest–highest); seeds 1, 2)");
    expect(text.stdout).toMatch(new RegExp(`  ${GOOD.replace(/[.]/g, "\\.")}\\s+1\\.5 \\(1–2\\)`));
  });

  it("a model that cannot chat could not start (exit 1); the others are compared, and a rerun tries it again", async () => {
    fake = await startFakeOllama({ models: [...MODELS, { name: "embed:1", capabilities: ["embedding"] }], defaultReply: byModel(SCRIPTS) });
    const r = await runCli(["compare", "--models", `${GOOD},embed:1`], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/could not run embed:1: .*completion/);
    expect(tableRows(r.stdout, [GOOD, "embed:1"]).map((row) => row.slice(0, 5))).toEqual([
      [GOOD, "2", "1", "0", "4"],
      ["embed:1*", "–", "–", "–", "–"],
    ]);
    const again = await runCli(["compare", "--models", `${GOOD},embed:1`], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("1 model run to go");
    expect(asks(GOOD)).toHaveLength(4);
  });

  it("with [[model.endpoints]] a model's run spreads over the endpoints serving it; the table is the same", async () => {
    fake = await startFakeOllama({ models: MODELS, defaultReply: byModel(SCRIPTS) });
    // A second server with the same models and the same replies (its own counters).
    const second = await startFakeOllama({ models: MODELS, defaultReply: byModel(SCRIPTS) });
    try {
      await addEndpoints(dir, [{ url: fake.url }, { url: second.url }]);
      await git(dir, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "endpoints");
      const before = await projectSnapshot(dir);
      const r = await runCli(["compare", "--models", `${GOOD},${WEAK}`, "--json"], { cwd: dir, env: {} });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(unwrapped(r.stderr)).toContain(`one after another on ${fake.url}, ${second.url}`);
      const doc = JSON.parse(r.stdout) as Doc & { table: { model: string; firstTry: { mean: number }; failed: { mean: number } }[] };
      expect(doc.table.map((t) => [t.model, t.firstTry.mean, t.failed.mean])).toEqual([
        [GOOD, 2, 0],
        [WEAK, 2, 1],
      ]);
      // Every prompt went to one of the two servers, none twice for the same attempt.
      const prompts = [...fake.promptRequests(), ...second.promptRequests()];
      expect(prompts.filter((q) => q.model === GOOD)).toHaveLength(4);
      expect(prompts.filter((q) => q.model === WEAK)).toHaveLength(4);
      expect(await projectSnapshot(dir)).toEqual(before);
    } finally {
      await second.close();
    }
  });

  it("refuses bad arguments (exit 2) and a model that is not installed (exit 3) before writing anything", async () => {
    fake = await startFakeOllama({ models: MODELS });
    const one = await runCli(["compare", "--models", GOOD], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toContain("--models names one model");
    const runs = await compare("--runs", "0");
    expect(runs.exitCode).toBe(2);
    const only = await compare("--only", "T09");
    expect(only.exitCode).toBe(2);
    expect(only.stderr).toContain("no task T09 in the plan");
    const missing = await runCli(["compare", "--models", `${GOOD},qwen3:8b`], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain("ollama pull qwen3:8b");
    expect(existsSync(join(dir, ".specwright/compare"))).toBe(false);
    expect(fake.promptRequests()).toHaveLength(0);
    expect((await stat(join(dir, ".specwright"))).isDirectory()).toBe(true);
  });
});

/** result.json is the --json output without the two fields the command adds. */
function withoutCliFields<T extends object>(doc: T): Omit<T, "resultFile" | "table"> {
  const { resultFile: _r, table: _t, ...rest } = doc as T & { resultFile?: unknown; table?: unknown };
  return rest;
}

/** The set of key paths of a JSON value, arrays and record maps (task ids) collapsed. */
function keyPaths(value: unknown, at = "", out = new Set<string>()): string[] {
  if (Array.isArray(value)) for (const v of value) keyPaths(v, `${at}[]`, out);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const key = /^T\d+$/.test(k) ? "<task>" : k;
      out.add(`${at}.${key}`);
      keyPaths(v, `${at}.${key}`, out);
    }
  }
  return [...out].sort();
}
