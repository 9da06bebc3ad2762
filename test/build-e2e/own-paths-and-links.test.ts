// Issue 9 items 7, 15, 16, 20, 25 and 27, as a user meets them: the built CLI
// on a real project, a fake Ollama over HTTP, real symlinks in a temp dir.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, file, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await cleanup();
});

const build = (...args: string[]) => runCli(["build", ...args], { cwd: dir, env: { OLLAMA_HOST: fake!.url } });

/** Every file under `root`, relative, sorted, with its content; a link is shown as a link, never followed. */
async function snapshot(root: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(join(root, prefix))).sort()) {
    const path = prefix === "" ? name : `${prefix}/${name}`;
    const info = await lstat(join(root, path));
    if (info.isSymbolicLink()) out[path] = "<link>";
    else if (info.isDirectory()) Object.assign(out, await snapshot(root, path));
    else out[path] = await readFile(join(root, path), "utf8");
  }
  return out;
}

/** A build's own records (its trace folder, the state it saves) are expected to change; nothing else may. */
function withoutRunRecords(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([path]) => path !== ".specwright/state.json" && !path.startsWith(".specwright/runs/")));
}

describe('with output.dir = ".", specwright\'s own files are never outputs (items 7, 16, 25)', () => {
  const PLAN = `version = 1

[[task]]
id = "T001"
spec = "CALC"
title = "Arithmetic"
outputs = ["calc/arith.py", "specwright.toml", "src/./count.py", "greeter/my cli.py"]
refs = ["requirements/add"]
verify = ["python3 -m py_compile calc/arith.py"]

[[task]]
id = "T002"
spec = "CALC"
title = "Findings"
outputs = [".specwright/findings.json", "specs/evil.smd", "context/notes.md", ".GIT/config"]
depends_on = ["T001"]
refs = ["requirements/add"]
verify = []
`;

  beforeEach(async () => {
    await writeCalcProject(dir);
    const toml = await readFile(join(dir, "specwright.toml"), "utf8");
    await writeFile(join(dir, "specwright.toml"), toml.replace('dir = "output"', 'dir = "."'));
    await writeFile(join(dir, ".specwright/plan.toml"), PLAN);
  });

  it("plan --check refuses each with the reason safe writes give, and accepts a path with a space", async () => {
    const r = await runCli(["plan", "--check"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    // plan --check prints its diagnostics as its result, on stdout.
    for (const line of [
      `Output "specwright.toml" is refused: the path is specwright's project config specwright.toml`,
      `Output "src/./count.py" is refused: the path has an empty or "." component; write it as "src/count.py"`,
      `Output ".specwright/findings.json" is refused: the path is inside specwright's own folder .specwright/`,
      `Output "specs/evil.smd" is refused: the path is inside the spec dir specs/`,
      `Output "context/notes.md" is refused: the path is inside the context dir context/`,
      `Output ".GIT/config" is refused: the path is inside a .git directory`,
    ]) {
      expect(r.stdout).toContain(line);
    }
    expect(r.stdout).not.toContain('Output "greeter/my cli.py"');
  });

  it("build refuses the plan before any model call and changes no file", async () => {
    const before = await snapshot(dir);
    fake = await startFakeOllama({ defaultReply: { content: "ok" } });
    const r = await build("--yes");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("plan.toml has errors");
    expect(fake.promptRequests()).toEqual([]);
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe("specwright's own working paths are never followed (item 15)", () => {
  beforeEach(async () => {
    await writeCalcProject(dir);
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI, CLI.replace("return 0", "return 0  # v2")] }) });
    const first = await build();
    expect(first.exitCode, first.stderr).toBe(0);
    // The link arrives with a cloned output repo, or from generated code a verify command ran.
    await symlink("..", join(dir, "output", ".specwright-staging"));
  });

  it("a no-op build with output/.specwright-staging linked to the project deletes nothing, and says why", async () => {
    const before = await snapshot(dir);
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain("output/.specwright-staging is a symbolic link; specwright stages files there and never follows links in its own working paths");
    expect(withoutRunRecords(await snapshot(dir))).toEqual(withoutRunRecords(before));
    expect(existsSync(join(dir, ".specwright/plan.toml"))).toBe(true);
    expect(existsSync(join(dir, "output/.git"))).toBe(true);
  });

  it("a build that must write fails the task with the same message, and every file stays as it was", async () => {
    const before = await snapshot(dir);
    const r = await build("--force", "--only", "T003");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("T003 failed");
    expect(r.stderr).toContain(".specwright-staging is a symbolic link");
    expect(withoutRunRecords(await snapshot(dir))).toEqual(withoutRunRecords(before));
  });
});

describe("nothing outside the output dir is read into a prompt (item 20)", () => {
  it("fails a task whose dependency's output became a link to a file outside, without sending it", async () => {
    await writeCalcProject(dir);
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    expect((await build()).exitCode).toBe(0);
    const secret = join(dir, "..", `${dir.split("/").pop()}-secret.txt`);
    await writeFile(secret, "SECRET-TOKEN-0123456789\n");
    try {
      await rm(join(dir, "output/calc/arith.py"));
      await symlink(secret, join(dir, "output/calc/arith.py"));
      const sent = fake.promptRequests().length;
      const r = await build("--force", "--only", "T003");
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`calc/arith.py resolves to ${secret}, outside the output dir (a symbolic link); specwright reads nothing outside the output dir into a prompt`);
      expect(fake.promptRequests().slice(sent)).toEqual([]);
      const traces = await snapshot(join(dir, ".specwright/runs"));
      expect(Object.values(traces).filter((text) => text.includes("SECRET-TOKEN"))).toEqual([]);
    } finally {
      await rm(secret, { force: true });
    }
  });
});

describe("undeclared and refused files in a reply (item 27)", () => {
  it("names at most ten of 10,000 undeclared files on one short line, and names the hostile paths it refused", async () => {
    await writeCalcProject(dir);
    const flood = Array.from({ length: 10_000 }, (_, i) => file(`extra/f${i}.py`, "x = 1")).join("\n");
    const hostile = [file("../escape.py", "x = 1"), file("/tmp/abs.py", "x = 1"), file(".git/hooks/pre-commit", "x = 1")].join("\n");
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [{ content: [`${ARITH}\n${hostile}\n${flood}`] }], T002: [TEST_RIGHT], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stderr.split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(600);
    expect(r.stderr).toContain("T001: ignored 10,000 undeclared files: extra/f0.py, extra/f1.py");
    expect(r.stderr).toContain("extra/f9.py and 9,990 more (the reply is in the attempt's response.md)");
    expect(r.stderr).toContain(
      'T001: refused 3 unsafe paths: ../escape.py (the path contains ".." and could leave the output dir); ' +
        "/tmp/abs.py (the path is absolute; paths are relative to the output dir); .git/hooks/pre-commit (the path is inside a .git directory)",
    );
    expect(existsSync(join(dir, "output/extra"))).toBe(false);
    expect(existsSync(join(dir, "escape.py"))).toBe(false);
    expect(fake.promptRequests().filter((q) => taskOf(q) === "T001")).toHaveLength(1);
  });
});

describe("the staging dir is ours even when it exists as a plain dir", () => {
  it("a build still works after an interrupted run left an empty staging dir", async () => {
    await writeCalcProject(dir);
    await mkdir(join(dir, "output", ".specwright-staging"), { recursive: true });
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(dir, "output", ".specwright-staging"))).toBe(false);
  });
});
