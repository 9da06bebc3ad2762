// The retro path in the demo, after a real demo build (the counting tests,
// T002, fail once): the scripted demo's retrospective recommends an Example
// of equal counts for T002, the ask that recommendation becomes adds it to
// specs/wordfreq.smd, the focused audit finds nothing, the specs validate,
// and status names the tasks the change makes stale — through the CLI and
// through the TUI's Retro section (Traces, R, ←, n, a, Enter, y).

import { execa } from "execa";
import { cp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROLES } from "../../src/config/types.js";
import { SCRIPTED_DEMO_MODEL } from "../../src/demo/scripted-demo-label.js";
import { startScriptedDemoServer, type ScriptedDemoServer } from "../../src/demo/scripted-ollama-server.js";
import { STEP_MS } from "../helpers/budget.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let base: string;
let cleanup: () => Promise<void>;
let server: ScriptedDemoServer;
let served: { what: string; ok: boolean }[];
let app: AppHarness | undefined;
let copies = 0;

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir("specwright-demo-retro-"));
  // The demo's own build (its own scripted server, at full speed): four tasks, T002 fixed once.
  const demo = await runCli(["demo", "built", "--plain", "--tokens-per-second", "0"], { cwd: base, timeoutMs: 3 * STEP_MS });
  expect(demo.exitCode, demo.stderr).toBe(0);
  server = await startScriptedDemoServer({ tokensPerSecond: 0, onReply: (what, ok) => served.push({ what, ok }) });
});
afterAll(async () => {
  await server?.close();
  await cleanup();
});
afterEach(async () => {
  app?.unmount();
  app = undefined;
});

/** A fresh copy of the built demo project. */
async function project(): Promise<string> {
  const dir = join(base, `copy-${++copies}`);
  await cp(join(base, "built"), dir, { recursive: true });
  served = [];
  return dir;
}

/** What `specwright demo` sets for its own process: every role on the scripted model. The focused audit after an ask is on, as by default. */
function demoEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { OLLAMA_HOST: server.url, SPECWRIGHT_MODEL: SCRIPTED_DEMO_MODEL, SPECWRIGHT_AUDIT_AFTER_ASK: undefined };
  for (const role of ROLES) env[`SPECWRIGHT_MODEL_${role.toUpperCase()}`] = SCRIPTED_DEMO_MODEL;
  return env;
}

const EXAMPLE_TITLE = "### Equal counts are listed alphabetically";
/** What the ask's impact says of T002: the plan gives it `requirements/count-words`, not `examples`. */
const T002_MISSES = "misses:   T002 (named by the retro) does not reference WORDFREQ#examples, which this change edits: its next build will not see it. Add `examples` to T002's refs in .specwright/plan.toml (or re-plan)";

/** The added Example's input and output, run through the program the demo built: the hand-written Output must be what it prints. */
async function checkExampleAgainstTheProgram(dir: string): Promise<void> {
  const spec = await readFile(join(dir, "specs/wordfreq.smd"), "utf8");
  const example = spec.slice(spec.indexOf(EXAMPLE_TITLE), spec.indexOf("## Acceptance Criteria"));
  const input = /\*\*Input:\*\*\n\n```sh\n([\s\S]*?)\n```/.exec(example)![1]!;
  const output = /\*\*Output:\*\*\n\n```\n([\s\S]*?)\n```/.exec(example)![1]!;
  expect(input).toBe("printf 'b a b a c' | wordfreq");
  const run = await execa("sh", ["-c", `wordfreq() { node "${join(dir, "output/src/cli.mjs")}" "$@"; }\n${input}`], { reject: false });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toBe(output);
  // The words of equal count are given b first, so the Example tells alphabetical order from first appearance.
  expect(output.split("\n").slice(0, 2)).toEqual(["2 a", "2 b"]);
}

/** validate passes, plan --check too, and status: the Example is in ## Examples, which only T003 and T004 reference (the plan's refs). */
async function checkStaleTasks(dir: string): Promise<void> {
  const cli = (args: string[]) => runCli(args, { cwd: dir, env: demoEnv() });
  const validate = await cli(["validate"]);
  expect(validate.exitCode, validate.stdout).toBe(0);
  expect(validate.stdout).toContain("0 errors, 0 warnings");
  expect((await cli(["plan", "--check"])).exitCode).toBe(0);
  const status = await cli(["status"]);
  expect(status.stdout).toMatch(/^ {2}T001 .* done +yes /m);
  expect(status.stdout).toMatch(/^ {2}T002 .* done +yes /m);
  expect(status.stdout).toMatch(/^ {2}T003 .* done +no +[0-9a-f]{8} +section `examples` changed$/m);
  expect(status.stdout).toMatch(/^ {2}T004 .* done +no +[0-9a-f]{8} +section `examples` changed$/m);
  expect(status.stdout).toContain("2 tasks to build");
}

describe("the retro path in the demo", () => {
  it("CLI: retro recommends the Example for T002, retro --ask 1 --yes adds it, the focused audit finds nothing", async () => {
    const dir = await project();
    const cli = (args: string[]) => runCli(args, { cwd: dir, env: demoEnv() });

    // Over the last task only (T004, which passed first try) the digest shows no fix: no recommendation, and the summary says why.
    const last1 = await cli(["retro", "--last", "1", "--json"]);
    expect(last1.exitCode, last1.stderr).toBe(0);
    const quiet = JSON.parse(last1.stdout) as { tasks: string[]; summary: string; recommendations: unknown[] };
    expect(quiet.tasks).toEqual(["T004"]);
    expect(quiet.recommendations).toEqual([]);
    expect(quiet.summary).toContain("does not show T002 needing a fix: it is not among them");

    const retro = await cli(["retro", "--json"]);
    expect(retro.exitCode, retro.stderr).toBe(0);
    const answer = JSON.parse(retro.stdout) as { tasks: string[]; summary: string; recommendations: { kind: string; spec: string; anchor: string; tasks: string[]; why: string }[] };
    expect(answer.tasks.sort()).toEqual(["T001", "T002", "T003", "T004"]);
    expect(answer.recommendations.map((r) => [r.kind, r.spec, r.anchor, r.tasks])).toEqual([["add-example", "WORDFREQ", "requirements/count-words", ["T002"]]]);
    expect(answer.recommendations[0]!.why).toContain("order of first appearance");
    expect(answer.summary).toContain("T002 (the counting tests) needed a fix");
    expect(answer.summary).toContain("T001, T003 and T004 passed without a fix.");

    const ask = await cli(["retro", "--ask", "1", "--yes"]);
    expect(ask.exitCode, ask.stderr).toBe(0);
    expect(ask.stderr).toContain("recommendation 1 to ask");
    // The Example went under ## Examples, which T002 (the task the retro names) does not ref: the impact says so.
    expect(ask.stdout).toContain(`  ${T002_MISSES}\n`);
    expect(ask.stdout).toContain("I-0001: accepted: wrote specs/wordfreq.smd; the next build rebuilds T003, T004");
    expect(ask.stdout).toContain("Focused audit of I-0001's change: no problems found (1 model call)");
    // An explicit edit: no [inferred] mark.
    const spec = await readFile(join(dir, "specs/wordfreq.smd"), "utf8");
    expect(spec).toContain(`1 and\n\`\`\`\n\n${EXAMPLE_TITLE}\n`);
    expect(spec).not.toContain("[inferred]");
    await checkExampleAgainstTheProgram(dir);
    await checkStaleTasks(dir);

    // Asked again, the demo refuses rather than adding the Example twice.
    const again = await cli(["retro", "--ask", "1", "--yes"]);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toContain("already has \"Equal counts are listed alphabetically\"");
    expect(served.map((s) => [s.ok, s.ok ? s.what : s.what.replace(/\. It only answers[\s\S]*$/, "")])).toEqual([
      [true, "retrospective of WORDFREQ (0 recommendations)"],
      [true, "retrospective of WORDFREQ (1 recommendation)"],
      [true, "ask: the Example of equal counts"],
      [true, "focused audit of the Example of equal counts"],
      [false, 'the scripted demo (not a model) has no prepared reply for the ask for an Example of equal counts again: specs/wordfreq.smd already has "Equal counts are listed alphabetically"'],
    ]);
  });

  it("TUI: n writes the retro in the Retro section, a and Enter ask for the Example, y applies it and the focused audit finds nothing", async () => {
    const dir = await project();
    const env = { ...testEnv(dir, server.url), ...demoEnv() };
    delete env.SPECWRIGHT_AUDIT_AFTER_ASK;
    app = renderApp({ cwd: dir, env, screen: "traces", columns: 80 });
    await app.waitFor((f) => f.includes("Runs (newest first)"), "the run list");
    await app.press("R");
    await app.waitFor((f) => f.includes("[Tasks]"), "the report");
    await app.press(KEY.left);
    await app.waitFor((f) => f.includes("[Retro]") && f.includes("No retrospective yet"), "the empty Retro section");
    await app.press("n");
    const written = await app.waitFor((f) => f.includes("› 1. T002"), "the recommendation");
    expect(written).toContain("specwright-demo:scripted · 1 recommendation");
    expect(written).toContain("Add an Example in WORDFREQ requirements/count-words");
    for (const line of written.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);

    await app.press("a");
    const panel = await app.waitFor((f) => f.includes("your words change the spec") && f.includes("recommendation 1"), "the ask panel with the words");
    expect(panel).toContain("about: WORDFREQ#count-words");
    await app.press(KEY.enter);
    const proposal = await app.waitFor((f) => f.includes("I-0001: proposal") && f.includes("(or re-plan)"), "the proposal and what it does to T002");
    expect(proposal.split("\n").map((l) => l.replace(/^[│|]\s?/, "").replace(/\s*[│|]$/, "").trim()).join(" ").replace(/ +/g, " ")).toContain(T002_MISSES.replace(/ +/g, " "));
    for (const line of proposal.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    await app.press("y");
    const done = await app.waitFor((f) => f.includes("Focused audit: no problems found in the changed parts."), "the focused audit");
    expect(done).toContain("I-0001 accepted");
    await lockReleased(dir);
    expect(served.map((s) => [s.ok, s.what])).toEqual([
      [true, "retrospective of WORDFREQ (1 recommendation)"],
      [true, "ask: the Example of equal counts"],
      [true, "focused audit of the Example of equal counts"],
    ]);
    await checkExampleAgainstTheProgram(dir);
    await checkStaleTasks(dir);
  });
});
