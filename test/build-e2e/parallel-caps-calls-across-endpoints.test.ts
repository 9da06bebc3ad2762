// build.parallel over [[model.endpoints]]: a build of six independent tasks
// against two fake Ollamas of three slots each sends no more chat requests at
// once, across both servers, than build.parallel; left out, the endpoints'
// slots decide and more go out together. Concurrency is read from the fakes'
// own request logs (arrival and end of every chat request).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama, type RecordedRequest } from "../fake-ollama/server.js";
import { BUILD_TOML, file, routedReplies } from "../helpers/calc-build.js";
import { E2E_TEST_MS } from "../helpers/budget.js";
import { mostAtOnce } from "../helpers/requests-at-once.js";
import { runCli, tempDir, type CliResult } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, writeProject } from "../helpers/spec-project.js";

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
  ({ dir, cleanup } = await tempDir("specwright-parallel-"));
  // Three requests at once each, as OLLAMA_NUM_PARALLEL=3 would serve.
  fakes = await Promise.all([0, 1].map(() => startFakeOllama({ parallel: 3, defaultReply: routedReplies(REPLIES) })));
});
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await cleanup();
});

/** Builds the six tasks with `build` added to [build]; the build must succeed. */
async function buildWith(build: string): Promise<CliResult> {
  const endpoints = fakes.map((f) => `\n[[model.endpoints]]\nurl = "${f.url}"\nkind = "ollama"\nslots = 3\n`).join("");
  await writeProject(dir, {
    "specwright.toml": BUILD_TOML.replace("[build]\n", `[build]\n${build}`) + endpoints,
    "specs/calc.smd": CALC_SMD,
    "specs/calc.amd": CALC_AMD,
    ".specwright/plan.toml": PLAN,
  });
  const r = await runCli(["build"], { cwd: dir });
  expect(r.exitCode, r.stderr).toBe(0);
  return r;
}

/** The chat requests of the build's tasks on every fake, and the most that were out at the same moment. */
function atOnce(): { requests: RecordedRequest[]; most: number } {
  const requests = fakes.flatMap((f) => f.promptRequests());
  return { requests, most: mostAtOnce(requests) };
}

describe("build.parallel over two endpoints", () => {
  it("sends at most build.parallel chat requests at once across both servers, and still spreads tasks over both", { timeout: E2E_TEST_MS }, async () => {
    await buildWith("parallel = 2\n");
    const { requests, most } = atOnce();
    expect(requests.every((r) => r.endedAt !== undefined && r.outcome === "done")).toBe(true);
    expect(requests).toHaveLength(TASKS.length);
    expect(most).toBe(2);
    expect(fakes.every((f) => f.promptRequests().length > 0)).toBe(true);
  });

  it("without build.parallel, the endpoints' slots decide: more than two go out together", { timeout: E2E_TEST_MS }, async () => {
    await buildWith("");
    const { requests, most } = atOnce();
    expect(requests).toHaveLength(TASKS.length);
    expect(most).toBeGreaterThan(2);
    expect(most).toBeLessThanOrEqual(6);
  });

  it("with build.parallel above the endpoints' slots, warns at its line and builds with every slot", { timeout: E2E_TEST_MS }, async () => {
    const r = await buildWith("parallel = 8\n");
    expect(atOnce().most).toBeGreaterThan(2);
    expect(r.stderr).toContain("build.parallel = 8 is more than the 6 slots of the [[model.endpoints]]: at most 6 model calls run at once");
    expect(r.stderr).toMatch(/specwright\.toml:\d+:1/);
  });
});
