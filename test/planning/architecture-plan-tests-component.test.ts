// Issue 10 item 21: `plan --from-architecture` gives a tests component the
// requirements, Examples and Acceptance Criteria of what it tests, puts it
// after that code, and verifies it by running the tests (a failing test fails
// the task; the right one passes).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parsePlan } from "../../plans/plan.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, routedReplies } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { BUILD_TOML } from "../helpers/calc-build.js";
import { CALC_AMD, CALC_SMD, writeProject } from "../helpers/spec-project.js";
import { isTestFile, testRunnerFor } from "../../src/planning/verify-defaults.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;

const SMD = CALC_SMD.replace(
  "## Constraints",
  `## Examples

### Adding

**Input:** add(2, 2)

**Output:** 4

## Acceptance Criteria

- add(2, 2) is 4

## Constraints`,
);
// The tests component names no dependency of its own in the second variant: then it tests all the code.
const AMD = `${CALC_AMD}
### Tests

@path: tests/test_arith.py

Unit tests of the arithmetic functions.

**Depends on:** Arith
`;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  fake = undefined;
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});

describe("plan --from-architecture with a tests component", () => {
  it("gives it the tested code's requirements, Examples, Acceptance Criteria, the code as a dependency, and a verify that runs the tests", async () => {
    await writeProject(dir, { "specwright.toml": BUILD_TOML, "specs/calc.smd": SMD, "specs/calc.amd": AMD });
    const r = await runCli(["plan", "--from-architecture"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const plan = parsePlan(await readFile(join(dir, ".specwright/plan.toml"), "utf8"), ".specwright/plan.toml").plan!;
    expect(plan.tasks.map((t) => [t.id, t.title, t.dependsOn])).toEqual([
      ["T001", "Arith", []],
      ["T002", "Cli", ["T001"]],
      ["T003", "Tests", ["T001"]],
    ]);
    const tests = plan.tasks[2]!;
    expect(tests.refs).toEqual(["components/Tests", "components/Arith", "requirements/add", "requirements/divide", "examples", "acceptance criteria", "constraints"]);
    expect(tests.verify).toEqual(["python3 -m unittest tests/test_arith.py"]);
    // The code's own tasks keep their syntax check.
    expect(plan.tasks[0]!.verify).toEqual(["python3 -m py_compile calc/arith.py"]);

    // A real build: the wrong test fails its verify, the right one passes.
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [CLI], T003: [TEST_WRONG, TEST_RIGHT] }) });
    const build = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(build.exitCode, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/T003 verify: python3 -m unittest tests\/test_arith\.py … exit 1/);
    expect(build.stderr).toContain("T003 attempt 2 (fix)");
  });

  it("a tests component without **Depends on:** tests every component of the spec", async () => {
    await writeProject(dir, { "specwright.toml": BUILD_TOML, "specs/calc.smd": SMD, "specs/calc.amd": AMD.replace("Unit tests of the arithmetic functions.\n\n**Depends on:** Arith\n", "Unit tests.\n") });
    expect((await runCli(["plan", "--from-architecture"], { cwd: dir })).exitCode).toBe(0);
    const tests = parsePlan(await readFile(join(dir, ".specwright/plan.toml"), "utf8"), ".specwright/plan.toml").plan!.tasks[2]!;
    expect(tests.dependsOn).toEqual(["T001", "T002"]);
    expect(tests.refs.slice(0, 3)).toEqual(["components/Tests", "components/Arith", "components/Cli"]);
  });
});

describe("test files and their runners", () => {
  it("knows each language's test file names and runs them with the framework's runner", () => {
    for (const f of ["tests/test_arith.py", "calc/arith_test.py", "src/count.test.mjs", "src/a.spec.ts", "pkg/x_test.go", "test/cli.test.mjs", "spec/a_spec.rb", "__tests__/a.js"]) expect([f, isTestFile(f)]).toEqual([f, true]);
    for (const f of ["calc/arith.py", "src/count.mjs", "src/testing.py", "docs/tests.md"]) expect([f, isTestFile(f)]).toEqual([f, false]);
    expect(testRunnerFor("tests/test_a.py", "")).toBe("python3 -m unittest tests/test_a.py");
    expect(testRunnerFor("tests/test_a.py", "pytest")).toBe("python3 -m pytest -q tests/test_a.py");
    expect(testRunnerFor("test/a.test.mjs", "")).toBe("node --test test/a.test.mjs");
    expect(testRunnerFor("src/a.test.ts", "vitest")).toBe("npx vitest run src/a.test.ts");
    expect(testRunnerFor("pkg/x_test.go", "")).toBe("go test ./pkg");
    expect(testRunnerFor("x_test.go", "")).toBe("go test ./.");
  });
});
