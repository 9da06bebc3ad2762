import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe("specwright demo into an existing folder", () => {
  it("refuses a folder that is not empty and touches nothing in it", async () => {
    await mkdir(join(dir, "mine"));
    await writeFile(join(dir, "mine/notes.txt"), "my notes\n");
    const r = await runCli(["demo", "mine"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("mine already exists and is not empty");
    expect(r.stderr).toContain("hint:");
    expect(r.stdout).not.toContain("scripted demo"); // nothing started
    expect(await readdir(join(dir, "mine"))).toEqual(["notes.txt"]);
    expect(await readFile(join(dir, "mine/notes.txt"), "utf8")).toBe("my notes\n");
  });

  it("uses a folder that exists but is empty", async () => {
    await mkdir(join(dir, "empty"));
    const r = await runCli(["demo", "empty", "--tokens-per-second", "0"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await readdir(join(dir, "empty/output/src"))).toEqual(["cli.mjs", "count.mjs"]);
  });
});
