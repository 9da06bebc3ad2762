import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe("specwright init", () => {
  it("scaffolds a project whose example specs validate cleanly", async () => {
    const init = await runCli(["init", "demo"], { cwd: dir });
    expect(init.exitCode).toBe(0);
    const project = join(dir, "demo");
    for (const f of ["specwright.toml", "specs/greeter.smd", "specs/greeter.amd", "context/.gitkeep", ".gitignore"]) {
      expect(existsSync(join(project, f)), f).toBe(true);
    }
    expect(await readFile(join(project, ".gitignore"), "utf8")).toMatch(/^\.specwright\/runs\/$/m);
    expect(await readFile(join(project, ".gitignore"), "utf8")).toMatch(/^\.specwright\/lock$/m);
    expect(await readFile(join(project, "specwright.toml"), "utf8")).toContain('name = "demo"');

    const validate = await runCli(["validate"], { cwd: project });
    expect(validate.stdout).toContain("GREETER");
    expect(validate.stdout).toContain("0 errors, 0 warnings");
    expect(validate.exitCode).toBe(0);
    const config = await runCli(["config"], { cwd: project });
    expect(config.exitCode).toBe(0);
  });

  it("never overwrites and says what it skipped", async () => {
    await mkdir(join(dir, "specs"));
    await writeFile(join(dir, "specs", "greeter.smd"), "my own spec\n");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(await readFile(join(dir, "specs", "greeter.smd"), "utf8")).toBe("my own spec\n");
    expect(r.stdout).toMatch(/created\s+specwright\.toml/);
    expect(r.stdout).toMatch(/skipped\s+specs\/greeter\.smd — exists, left as it is/);
    expect(r.stdout).toMatch(/created\s+specs\/greeter\.amd/);
  });

  it("in a folder that is a project already adds only missing .gitignore entries, never the example spec again", async () => {
    await writeFile(join(dir, "specwright.toml"), "# mine\n");
    await writeFile(join(dir, ".gitignore"), "node_modules\n.specwright/lock\n");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(await readFile(join(dir, "specwright.toml"), "utf8")).toBe("# mine\n");
    expect(existsSync(join(dir, "specs"))).toBe(false);
    expect(existsSync(join(dir, "context"))).toBe(false);
    expect(r.stdout).toMatch(/skipped\s+specwright\.toml \(a project already: only missing \.gitignore entries are added\)/);
    expect(r.stdout).toMatch(/created\s+\.gitignore \(added \.specwright\/runs\/, \.specwright\/compare\/\)/);
    const ignore = await readFile(join(dir, ".gitignore"), "utf8");
    expect(ignore.startsWith("node_modules\n.specwright/lock\n")).toBe(true);
    expect(ignore.match(/^\.specwright\/lock$/gm)).toHaveLength(1);
    expect(ignore).toMatch(/^\.specwright\/runs\/$/m);
    expect(ignore).toMatch(/^\.specwright\/compare\/$/m);
    const again = await runCli(["init"], { cwd: dir });
    expect(again.stdout).not.toContain("created");
  });
});

describe("specwright new", () => {
  it("writes each kind of spec from a template that validates", async () => {
    await runCli(["init"], { cwd: dir });
    for (const args of [["word-count"], ["word-count", "--amd"], ["word-count", "--vmd"]]) {
      const r = await runCli(["new", ...args], { cwd: dir });
      expect(r.exitCode, r.stderr).toBe(0);
    }
    expect(await readFile(join(dir, "specs", "word-count.smd"), "utf8")).toContain("id: WORD_COUNT");
    expect(await readFile(join(dir, "specs", "word-count.amd"), "utf8")).toContain("spec: WORD_COUNT");
    expect(await readFile(join(dir, "specs", "word-count.vmd"), "utf8")).toContain("@spec WORD_COUNT");
    const validate = await runCli(["validate", "--strict"], { cwd: dir });
    expect(validate.stdout).toContain("0 errors, 0 warnings");
    expect(validate.exitCode).toBe(0);
  });

  it("refuses to overwrite an existing spec", async () => {
    await runCli(["init"], { cwd: dir });
    const r = await runCli(["new", "greeter"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("specs/greeter.smd already exists — not overwritten");
    expect(await readFile(join(dir, "specs", "greeter.smd"), "utf8")).toContain("id: GREETER");
  });

  it("rejects a missing or unusable name with exit 2", async () => {
    expect((await runCli(["new"], { cwd: dir })).exitCode).toBe(2);
    const bad = await runCli(["new", "../evil"], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(existsSync(join(dir, "..", "evil.smd"))).toBe(false);
  });
});
