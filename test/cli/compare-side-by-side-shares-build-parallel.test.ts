// build.parallel is the capacity of the person's machine and servers, so a
// side-by-side `specwright compare` keeps to it over all its models at once,
// not per model: two fake Ollamas (real HTTP), one model each, two slots
// each, six independent tasks. With build.parallel = 2 no more than two chat
// requests are out at the same moment across both servers (each model alone
// could send two), and both models still run side by side; left out, the
// endpoints' slots decide and more go out together. Read from the fakes' logs.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama, type RecordedRequest } from "../fake-ollama/server.js";
import { BUILD_TOML, file, routedReplies, taskOf } from "../helpers/calc-build.js";
import { E2E_TEST_MS } from "../helpers/budget.js";
import { runCli, tempDir, type CliResult } from "../helpers/cli.js";
import { addEndpoints, tableRows, unwrapped } from "../helpers/compare-project.js";
import { mostAtOnce } from "../helpers/requests-at-once.js";
import { CALC_AMD, CALC_SMD, writeProject } from "../helpers/spec-project.js";

const A = "coder-a:7b";
const B = "coder-b:7b";
const TASKS = ["T001", "T002", "T003", "T004", "T005", "T006"];
const PLAN = `version = 1\n${TASKS.map((id, i) => `
[[task]]
id = "${id}"
spec = "CALC"
title = "Module ${i + 1}"
outputs = ["calc/m${i + 1}.py"]
depends_on = []
refs = ["requirements/add"]
verify = ["python3 -m py_compile calc/m${i + 1}.py"]
status = "auto"
`).join("")}`;
// Twenty words at 15 ms each: every reply streams for ~300 ms, long enough for calls to overlap.
const REPLIES = Object.fromEntries(TASKS.map((id, i) => [id, [{ content: file(`calc/m${i + 1}.py`, `# ${"module ".repeat(20)}\nVALUE = ${i + 1}`), chunkDelayMs: 15 }]]));

let dir: string;
let cleanup: () => Promise<void>;
let fakes: FakeOllama[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-compare-parallel-"));
  // Two requests at once each, as OLLAMA_NUM_PARALLEL=2 would serve; one model each.
  fakes = await Promise.all([A, B].map((name) => startFakeOllama({ parallel: 2, models: [{ name, sizeBytes: 4e9 }], defaultReply: routedReplies(REPLIES) })));
});
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await cleanup();
});

/** Compares A and B on the six tasks with `build` added to [build]; the comparison must finish. */
async function compareWith(build: string): Promise<CliResult> {
  await writeProject(dir, {
    "specwright.toml": BUILD_TOML.replace("[build]\n", `[build]\n${build}`),
    "specs/calc.smd": CALC_SMD,
    "specs/calc.amd": CALC_AMD,
    ".specwright/plan.toml": PLAN,
  });
  await addEndpoints(dir, [{ url: fakes[0]!.url, models: [A], slots: 2 }, { url: fakes[1]!.url, models: [B], slots: 2 }]);
  const r = await runCli(["compare", "--models", `${A},${B}`, "--id", "ab"], { cwd: dir, env: { SPECWRIGHT_BUILD_REVIEW: "off" } });
  expect(r.exitCode, r.stderr).toBe(0);
  expect(unwrapped(r.stderr)).toContain(`side by side: ${A} on ${fakes[0]!.url}, ${B} on ${fakes[1]!.url}`);
  // Every task of both models passed first try: the cap held calls back, it lost none.
  expect(tableRows(r.stdout, [A, B]).map((row) => row.slice(0, 5))).toEqual([
    [A, "6", "0", "0", "6"],
    [B, "6", "0", "0", "6"],
  ]);
  return r;
}

const builds = (f: FakeOllama) => f.promptRequests().filter((q) => taskOf(q) !== undefined);
/** Some moment when both servers had a request out: the models did run side by side. */
const overlapped = (a: readonly RecordedRequest[], b: readonly RecordedRequest[]) => a.some((x) => b.some((y) => x.receivedAt < y.endedAt! && y.receivedAt < x.endedAt!));

describe("build.parallel in a side-by-side compare", () => {
  it("caps the chat requests out at once over every model's servers together, and the models still overlap", { timeout: E2E_TEST_MS }, async () => {
    const r = await compareWith("parallel = 2\n");
    const [a, b] = fakes.map(builds) as [RecordedRequest[], RecordedRequest[]];
    expect(a).toHaveLength(TASKS.length);
    expect(b).toHaveLength(TASKS.length);
    expect(mostAtOnce([...a, ...b])).toBe(2);
    expect(overlapped(a, b)).toBe(true);
    // The start says the cap is over all of them.
    expect(unwrapped(r.stderr)).toContain("at most 2 model calls at once over all of them (build.parallel)");
    expect(unwrapped(r.stderr)).toContain("in all (the lanes sharing build.parallel)");
  });

  it("without build.parallel, each model's endpoint slots decide: more than two go out together", { timeout: E2E_TEST_MS }, async () => {
    const r = await compareWith("");
    const all = fakes.flatMap(builds);
    expect(all).toHaveLength(2 * TASKS.length);
    expect(mostAtOnce(all)).toBeGreaterThan(2);
    expect(mostAtOnce(all)).toBeLessThanOrEqual(4);
    expect(r.stderr).not.toContain("build.parallel");
  });
});
