import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { closedPortUrl, runCli, tempDir } from "../helpers/cli.js";
import { writeCalcProject } from "../helpers/calc-build.js";

/** A port nothing listens on: every request is refused at once. */
let DOWN: string;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  DOWN = await closedPortUrl();
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(() => cleanup());

describe("build without a reachable Ollama", () => {
  it("checks the model before it runs git or writes a run folder, and says so once, exit 3", async () => {
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: DOWN } });
    expect(r.exitCode).toBe(3);
    // No summary of a run that never started: nothing on stdout, no "0 built", no "0 tokens generated at -".
    expect(r.stdout).toBe("");
    expect(r.stderr.match(/not reachable/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^specwright: Ollama is not reachable at .*\n {2}hint: /m);
    expect(r.stderr).not.toMatch(/built|tokens generated/);
    expect(existsSync(join(dir, "output/.git"))).toBe(false);
    expect(existsSync(join(dir, ".specwright/runs")) ? await readdir(join(dir, ".specwright/runs")) : []).toEqual([]);
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(false);
    expect(existsSync(join(dir, ".specwright/state.json"))).toBe(false);
  });

  it("leaves nothing for `traces` to list as a run", async () => {
    await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: DOWN } });
    const traces = await runCli(["traces", "--json"], { cwd: dir });
    expect(traces.exitCode, traces.stderr).toBe(0);
    expect(JSON.parse(traces.stdout)).toMatchObject({ runs: [] });
  });
});
