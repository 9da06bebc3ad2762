import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(join(REPO_ROOT, "examples/wordfreq"), dir, { recursive: true });
});
afterEach(async () => {
  await cleanup();
});

describe("examples/wordfreq", () => {
  it("validates with no errors and no warnings, even under --strict", async () => {
    for (const args of [["validate"], ["validate", "--strict"]]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("0 errors, 0 warnings");
    }
  });

  it("has a config with no diagnostics and a javascript output", async () => {
    const r = await runCli(["config"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^output\.language = "javascript"/m);
  });
});
