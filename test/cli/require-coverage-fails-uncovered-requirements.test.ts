// `[test] require_coverage = true` (Ossature's key, Ossature's meaning): in a
// project with verification specs, a requirement that no case covers (nor a
// task's `covers`) and that is not marked {.no-verify} fails `validate`,
// `plan --check`, `build` (before any model call or write) and
// `status --coverage`, each with
// the error at the requirement's heading. The calc project: its .vmd covers
// `add` by the group's name and leaves `divide` uncovered.

import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

const VMD = "@spec CALC\n\nadd(a, b)\ntwo | 2 | 2 | 4\n";
const ERROR = "specs/calc.smd:27:1: error: CALC: requirement 'Divide numbers' has no covering verification case or task, and [test] require_coverage is on";
const HINT = "hint: add a case to a .vmd of CALC (a group or scenario with `@covers divide`, or a group named divide), list it in a task's `covers`, or mark the heading {.no-verify} if no case can check it";

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir, "\n[test]\nrequire_coverage = true\n");
  await writeFile(join(dir, "specs/calc.vmd"), VMD);
  fake = await startFakeOllama();
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const cli = (...args: string[]) => runCli(args, { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const edit = async (path: string, from: string, to: string) => {
  const text = await readFile(join(dir, path), "utf8");
  expect(text).toContain(from);
  await writeFile(join(dir, path), text.replace(from, to));
};

describe("[test] require_coverage", () => {
  it("fails validate, plan --check, build and status --coverage at the uncovered requirement's heading", async () => {
    const check = await cli("plan", "--check");
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(ERROR);
    expect(check.stdout).toContain("27 | ### Divide numbers {#divide}");
    expect(check.stdout).toContain(HINT);
    expect(check.stdout).not.toContain("'Add numbers'");
    const json = JSON.parse((await cli("plan", "--check", "--json")).stdout) as { diagnostics: { code: string; file: string; line: number; column: number }[] };
    expect(json.diagnostics.filter((d) => d.code === "coverage/uncovered-requirement")).toEqual([expect.objectContaining({ file: "specs/calc.smd", line: 27, column: 1 })]);

    // validate fails on it too, where Ossature's validate does.
    const validate = await cli("validate");
    expect(validate.exitCode).toBe(1);
    expect(validate.stdout).toContain(ERROR);

    // The build stops before the lock, the model and the output dir.
    const build = await cli("build", "--yes");
    expect(build.exitCode).toBe(1);
    expect(build.stderr).toContain(ERROR);
    expect(build.stderr).toContain("specwright: 1 requirement has no verification case, and [test] require_coverage is on");
    expect(fake.requests).toHaveLength(0);
    expect(existsSync(join(dir, "output"))).toBe(false);
    expect(existsSync(join(dir, ".specwright/runs"))).toBe(false);

    // status --coverage still shows the table, then fails with the same error.
    const status = await cli("status", "--coverage");
    expect(status.exitCode).toBe(1);
    expect(status.stdout).toMatch(/requirements\/divide\s+T001\s+1 verify\s+not run/);
    expect(status.stderr).toContain(ERROR);
    const statusJson = await cli("status", "--coverage", "--json");
    expect(statusJson.exitCode).toBe(1);
    expect((JSON.parse(statusJson.stdout) as { diagnostics: { message: string }[] }).diagnostics.map((d) => d.message)).toEqual([
      "CALC: requirement 'Divide numbers' has no covering verification case or task, and [test] require_coverage is on",
    ]);
    // Plain status (no coverage asked) is not a coverage check.
    expect((await cli("status")).exitCode).toBe(0);
  });

  it("is met by @covers, by a task's covers, by {.no-verify}; off, or without any .vmd, it asks nothing", async () => {
    await edit("specs/calc.vmd", "add(a, b)\n", "@covers divide\nadd(a, b)\n");
    // The group now covers divide only (an explicit @covers replaces the name): add is the uncovered one.
    const swapped = await cli("plan", "--check");
    expect(swapped.exitCode).toBe(1);
    expect(swapped.stdout).toContain("specs/calc.smd:15:1: error: CALC: requirement 'Add numbers' has no covering verification case or task");
    await edit("specs/calc.vmd", "@covers divide\n", "@covers divide\n@covers add\n");
    expect((await cli("plan", "--check")).exitCode).toBe(0);

    await writeFile(join(dir, "specs/calc.vmd"), VMD);
    await edit(".specwright/plan.toml", 'refs = ["requirements/add", "requirements/divide", "components/Arith"]', 'refs = ["requirements/add", "requirements/divide", "components/Arith"]\ncovers = ["Divide numbers"]');
    const byTask = await cli("plan", "--check");
    expect(byTask.exitCode, byTask.stdout).toBe(0);
    expect(byTask.stdout).not.toContain("require_coverage");

    await edit(".specwright/plan.toml", 'covers = ["Divide numbers"]\n', "");
    await edit("specs/calc.smd", "### Divide numbers {#divide}", "### Divide numbers {#divide .no-verify}");
    expect((await cli("plan", "--check")).exitCode).toBe(0);
    await edit("specs/calc.smd", "### Divide numbers {#divide .no-verify}", "### Divide numbers {#divide}");
    expect((await cli("plan", "--check")).exitCode).toBe(1);

    // Off: status --coverage lists it as ever, and nothing fails.
    await edit("specwright.toml", "require_coverage = true", "require_coverage = false");
    expect((await cli("plan", "--check")).exitCode).toBe(0);
    expect((await cli("status", "--coverage")).exitCode).toBe(0);
    // On, but no verification specs at all: Ossature asks for no coverage then.
    await edit("specwright.toml", "require_coverage = false", "require_coverage = true");
    await rm(join(dir, "specs/calc.vmd"));
    expect((await cli("plan", "--check")).exitCode).toBe(0);
  });
});
