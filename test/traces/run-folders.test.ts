import { mkdtemp, mkdir, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listRunIds, runsDir } from "../../src/traces/run-folder.js";
import { TraceRun } from "../../src/traces/trace-run.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "specwright-runs-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);

describe("run folders", () => {
  it("are named by UTC time and command, and never reuse a folder within the same second", async () => {
    const now = at("2026-11-21T10:03:12.345Z");
    const a = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0, now });
    const b = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0, now });
    const c = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0, now });
    expect([a.run.id, b.run.id, c.run.id]).toEqual([
      "2026-11-21T10-03-12Z-build",
      "2026-11-21T10-03-12Z-build-2",
      "2026-11-21T10-03-12Z-build-3",
    ]);
    const info = JSON.parse(await readFile(join(a.run.dir, "run.json"), "utf8")) as Record<string, unknown>;
    expect(info).toEqual({ id: "2026-11-21T10-03-12Z-build", command: "build", startedAt: "2026-11-21T10:03:12.345Z" });
  });

  it("lists two commands started in one second in the order they started, not by name", async () => {
    // A quick script: plan, then build, within the same second ("-build" sorts before "-plan" by name).
    await TraceRun.open({ projectRoot: root, command: "plan", env: {}, keepRuns: 0, now: at("2026-11-21T10:03:12.100Z") });
    await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0, now: at("2026-11-21T10:03:12.900Z") });
    await TraceRun.open({ projectRoot: root, command: "audit", env: {}, keepRuns: 0, now: at("2026-11-21T10:03:11.999Z") });
    expect(await listRunIds(root)).toEqual(["2026-11-21T10-03-11Z-audit", "2026-11-21T10-03-12Z-plan", "2026-11-21T10-03-12Z-build"]);
  });

  it("run.json gets the summary at the end", async () => {
    const { run } = await TraceRun.open({ projectRoot: root, command: "audit", env: {}, keepRuns: 0, info: { model: "m" }, now: at("2026-01-01T00:00:00Z") });
    await run.finish({ findings: 3 }, at("2026-01-01T00:01:00Z"));
    const info = JSON.parse(await readFile(join(run.dir, "run.json"), "utf8")) as Record<string, unknown>;
    expect(info).toMatchObject({ model: "m", findings: 3, finishedAt: "2026-01-01T00:01:00.000Z" });
  });

  it("keep_runs prunes the oldest runs, keeps the new one and leaves foreign folders alone", async () => {
    await mkdir(join(runsDir(root), "notes"), { recursive: true });
    const times = ["2026-01-01T00:00:01Z", "2026-01-01T00:00:03Z", "2026-01-01T00:00:02Z", "2026-01-02T00:00:00Z"];
    const pruned: string[][] = [];
    for (const time of times) {
      const opened = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 2, now: at(time) });
      pruned.push(opened.pruned);
    }
    expect(await listRunIds(root)).toEqual(["2026-01-01T00-00-03Z-build", "2026-01-02T00-00-00Z-build"]);
    expect(pruned.flat()).toEqual(["2026-01-01T00-00-01Z-build", "2026-01-01T00-00-02Z-build"]);
    expect((await readdir(runsDir(root))).sort()).toContain("notes");
  });

  it("keep_runs 0 keeps every run", async () => {
    for (let s = 0; s < 4; s++) await TraceRun.open({ projectRoot: root, command: "plan", env: {}, keepRuns: 0, now: at(`2026-01-01T00:00:0${s}Z`) });
    expect(await listRunIds(root)).toHaveLength(4);
  });
});
