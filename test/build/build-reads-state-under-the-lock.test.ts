import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BuildEvent } from "../../src/build/build-events.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { inProcessBuild } from "../helpers/in-process-build.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const records = async () => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { tasks: Record<string, { status: string; commit?: string }> };

describe("a build's state", () => {
  it("is read once the build holds the lock, so a build that finished meanwhile is not undone", async () => {
    // The second build reads its context (state.json: nothing built yet) ...
    const second = await inProcessBuild(dir, fake.url);
    // ... while another build, holding the lock, builds everything and saves its records.
    const first = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
    expect(first.exitCode, first.stderr).toBe(0);
    const built = await records();
    const callsBefore = fake.promptRequests().length;

    const events: BuildEvent[] = [];
    const { summary } = await second.run({ onEvent: (e) => events.push(e) });
    // It sees the first build's records: everything is up to date, nothing is asked of the model.
    expect([...summary.upToDate].sort()).toEqual(["T001", "T002", "T003"]);
    expect(fake.promptRequests()).toHaveLength(callsBefore);
    expect(events.some((e) => e.type === "task-started")).toBe(false);
    // And the records it saves are the first build's, commits included.
    expect(await records()).toEqual(built);
    expect(Object.values(built.tasks).every((t) => t.status === "done" && t.commit !== undefined)).toBe(true);
  });
});
