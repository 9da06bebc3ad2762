// The reference projects in examples/ (what `specwright compare` is meant to be
// run on) validate clean, their shipped plans pass `plan --check`, and — for
// those with verification cases — a correct implementation (test/fixtures/
// examples-reference/) passes every task's verify commands and every case, so
// a model that fails them failed for its code, not for the example.

import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { cp, readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@iarna/toml";
import { FIXTURES, REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

const EXAMPLES = join(REPO_ROOT, "examples");
const names = (await readdir(EXAMPLES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);

describe("the reference projects in examples/", () => {
  it("are at least one Python, one JavaScript and one Rust project", async () => {
    const languages = await Promise.all(names.map(async (n) => /language = "(\w+)"/.exec(await readFile(join(EXAMPLES, n, "specwright.toml"), "utf8"))?.[1]));
    expect(new Set(languages)).toEqual(new Set(["javascript", "python", "rust"]));
  });

  for (const name of names) {
    it(`${name} validates with no error or warning, and its shipped plan passes plan --check`, async () => {
      const { dir, cleanup } = await tempDir(`specwright-example-${name}-`);
      try {
        await cp(join(EXAMPLES, name), dir, { recursive: true });
        const v = await runCli(["validate"], { cwd: dir });
        expect(v.exitCode, v.stdout + v.stderr).toBe(0);
        expect(v.stdout).toMatch(/files: 0 errors, 0 warnings\n/);
        if (existsSync(join(dir, ".specwright/plan.toml"))) {
          const p = await runCli(["plan", "--check"], { cwd: dir });
          expect(p.exitCode, p.stdout + p.stderr).toBe(0);
          expect(p.stdout + p.stderr).not.toMatch(/: (error|warning): /);
        }
      } finally {
        await cleanup();
      }
    });
  }

  for (const name of ["ranges", "romanize"]) {
    it(`${name}: a correct implementation passes every verify command and every case`, async () => {
      const { dir, cleanup } = await tempDir(`specwright-example-${name}-`);
      try {
        await cp(join(EXAMPLES, name), dir, { recursive: true });
        await cp(join(FIXTURES, "examples-reference", name), join(dir, "output"), { recursive: true });
        const plan = parse(await readFile(join(dir, ".specwright/plan.toml"), "utf8")) as unknown as { task: { id: string; verify: string[] }[] };
        for (const task of plan.task) {
          for (const command of task.verify) {
            const r = await execa("sh", ["-c", command], { cwd: join(dir, "output"), reject: false, env: { CI: "1" } });
            expect(r.exitCode, `${task.id}: ${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
          }
        }
        const check = await runCli(["check"], { cwd: dir });
        expect(check.exitCode, check.stdout + check.stderr).toBe(0);
        expect(check.stdout).toMatch(/^[1-9]\d* passed, 0 failed, 0 not run/m);
        expect(check.stdout).not.toMatch(/^(FAIL|not run) /m);
      } finally {
        await cleanup();
      }
    });
  }
});
