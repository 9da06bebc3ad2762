// `specwright report` run as a process over synthetic build runs and over an empty project.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { pytestFailure, writeSyntheticRun } from "../helpers/synthetic-build-runs.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeFile(join(dir, "specwright.toml"), '[project]\nname = "t"\n');
});
afterEach(() => cleanup());

async function runs(): Promise<void> {
  for (const day of ["20", "21"]) {
    await writeSyntheticRun(dir, {
      startedAt: `2026-11-${day}T10:00:00Z`,
      finishedAt: `2026-11-${day}T10:05:00Z`,
      tasks: {
        T001: { attempts: [{ verify: { pass: true } }] },
        T002: { attempts: [{ verify: { pass: false, command: "python3 -m pytest -q", output: pytestFailure("T002", 1) } }, { verify: { pass: true } }] },
      },
    });
  }
}

describe("specwright report", () => {
  it("prints tasks, models, runs and hints", async () => {
    await runs();
    const r = await runCli(["report"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Report over 2 build runs, 2026-11-20 10:00 → 2026-11-21 10:00 UTC: 4 task builds, 6 model calls (6 attempts)");
    expect(r.stdout).toMatch(/T002 +2 +2\.0 +0 +2 \(1\.0 fixes\) +0 +passed after 1 fix/);
    expect(r.stdout).toMatch(/qwen2\.5-coder:7b@aaaabbbbcccc +Q4_K_M +4 +50% +100% +1\.50 +50\.0 +11%/);
    expect(r.stdout).toContain("first-try pass rate 50% → 50%, final 100% → 100% (first run → last of 2)");
    expect(r.stdout).toContain("- T002 needed fixes in 2 of 2 runs (1.0 fixes on average); its refs hold no Example");
    expect(r.stderr).toBe("");
  });

  it("--json gives the same report to scripts", async () => {
    await runs();
    const r = await runCli(["report", "last", "--json"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.runs.map((x: { id: string }) => x.id)).toEqual(["2026-11-21T10-00-00Z-build"]);
    expect(json.tasks.map((t: { task: string; last: string }) => `${t.task} ${t.last}`)).toEqual(["T001 passed first try", "T002 passed after 1 fix"]);
    expect(json.models[0].key).toBe("qwen2.5-coder:7b@aaaabbbbcccc");
  });

  it("says there is nothing to report in a project without runs (exit 0)", async () => {
    const r = await runCli(["report"], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 0, stdout: "No build runs recorded yet: `specwright build` records one.\n" });
    const json = await runCli(["report", "--json"], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ runs: [], tasks: [], models: [], hints: [] });
  });

  it("filters by --since and refuses a date it cannot read (exit 2) or a run that does not exist (exit 1)", async () => {
    await runs();
    const since = await runCli(["report", "--since", "2026-11-21", "--json"], { cwd: dir });
    expect(JSON.parse(since.stdout).runs).toHaveLength(1);
    const bad = await runCli(["report", "--since", "last tuesday"], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("--since 'last tuesday' is not a date");
    const missing = await runCli(["report", "1999"], { cwd: dir });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no run '1999' in .*— hint: `specwright traces` lists the runs/);
  });
});
