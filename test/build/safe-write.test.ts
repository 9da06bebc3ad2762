import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmod, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "../../plans/content-hash.js";
import {
  STAGING_DIR_NAME,
  recoverStagedWrites,
  safeWrite,
  type SafeWriteInput,
  type SafeWriteResult,
} from "../../src/build/safe-write.js";

let base: string;
let out: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "specwright-safe-write-"));
  out = join(base, "output");
  await mkdir(out);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** The project around the output dir: output/ beside specs/ and context/. */
const LAYOUT = { outputDir: "output", specDir: "specs", contextDir: "context" };

function input(extra: Partial<SafeWriteInput>): SafeWriteInput {
  return { outputDir: out, layout: LAYOUT, files: [], outputs: [], edits: [], lastWritten: {}, ...extra };
}

function written(result: SafeWriteResult) {
  if (!result.ok) throw new Error(`expected a successful write, got ${result.kind}: ${result.message}`);
  return result;
}

/** Every path under `dir`, relative, sorted; the staging dir included if it was left behind. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

describe("writing declared files", () => {
  it("creates declared files with parent dirs and returns their hashes", async () => {
    const r = written(await safeWrite(input({
      files: [{ path: "src/pkg/a.py", content: "a\n" }, { path: "README.md", content: "r\n" }],
      outputs: ["src/pkg/a.py", "README.md"],
    })));
    expect(await readFile(join(out, "src/pkg/a.py"), "utf8")).toBe("a\n");
    expect(r.written).toEqual(["src/pkg/a.py", "README.md"]);
    expect(r.hashes).toEqual({ "src/pkg/a.py": sha256Hex("a\n"), "README.md": sha256Hex("r\n") });
    // The hash is the plain sha256 of the bytes, so state.json can be checked with sha256sum.
    expect(sha256Hex("a\n")).toBe("87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7");
    expect(await tree(out)).toEqual(["README.md", "src", "src/pkg", "src/pkg/a.py"]);
  });

  it("overwrites a file whose content is what specwright last wrote", async () => {
    await writeFile(join(out, "a.py"), "old\n");
    const r = written(await safeWrite(input({
      files: [{ path: "a.py", content: "new\n" }], outputs: ["a.py"], lastWritten: { "a.py": sha256Hex("old\n") },
    })));
    expect(r.written).toEqual(["a.py"]);
    expect(await readFile(join(out, "a.py"), "utf8")).toBe("new\n");
  });

  it("leaves a file with identical content untouched and reports it unchanged", async () => {
    await writeFile(join(out, "a.py"), "same\n");
    const before = await stat(join(out, "a.py"));
    const r = written(await safeWrite(input({ files: [{ path: "a.py", content: "same\n" }], outputs: ["a.py"] })));
    expect(r.unchanged).toEqual(["a.py"]);
    expect(r.written).toEqual([]);
    expect((await stat(join(out, "a.py"))).ino).toBe(before.ino);
  });

  it("keeps an executable file executable when replacing it", async () => {
    await writeFile(join(out, "run.sh"), "#!/bin/sh\n");
    await chmod(join(out, "run.sh"), 0o755);
    written(await safeWrite(input({
      files: [{ path: "run.sh", content: "#!/bin/sh\necho hi\n" }], edits: ["run.sh"], lastWritten: { "run.sh": sha256Hex("#!/bin/sh\n") },
    })));
    expect((await stat(join(out, "run.sh"))).mode & 0o777).toBe(0o755);
  });
});

describe("paths that are refused", () => {
  it("does not write undeclared files and reports them", async () => {
    const r = written(await safeWrite(input({
      files: [{ path: "a.py", content: "a\n" }, { path: "setup.py", content: "evil\n" }], outputs: ["a.py"],
    })));
    expect(r.undeclared).toEqual(["setup.py"]);
    expect(existsSync(join(out, "setup.py"))).toBe(false);
    expect(existsSync(join(out, "a.py"))).toBe(true);
  });

  it("rejects ../ and absolute paths from the reply and writes nothing outside", async () => {
    const r = written(await safeWrite(input({
      files: [
        { path: "../escape.py", content: "x\n" },
        { path: join(base, "abs.py"), content: "x\n" },
        { path: "a.py", content: "a\n" },
      ],
      outputs: ["a.py"],
    })));
    expect(r.rejected.map((x) => x.path)).toEqual(["../escape.py", join(base, "abs.py")]);
    expect(r.rejected[0]?.reason).toContain("..");
    expect(r.rejected[1]?.reason).toContain("absolute");
    expect(await tree(base)).toEqual(["output", "output/a.py"]);
  });

  it("refuses the whole write when a declared path contains ..", async () => {
    const r = await safeWrite(input({
      files: [{ path: "a.py", content: "a\n" }, { path: "src/../../x.py", content: "x\n" }], outputs: ["a.py", "src/../../x.py"],
    }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.kind).toBe("unsafe-path");
    expect(await tree(base)).toEqual(["output"]);
  });

  it("refuses an empty path and a path inside .git", async () => {
    const r = await safeWrite(input({ files: [{ path: ".git/hooks/pre-commit", content: "x\n" }], outputs: [".git/hooks/pre-commit"] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(".git");
    const empty = written(await safeWrite(input({ files: [{ path: "", content: "x\n" }] })));
    expect(empty.rejected).toEqual([{ path: "", reason: "the path is empty" }]);
  });

  it("refuses a declared path whose parent is a symlink to a dir outside the output dir", async () => {
    const outside = join(base, "outside");
    await mkdir(outside);
    await symlink(outside, join(out, "src"));
    const r = await safeWrite(input({ files: [{ path: "src/a.py", content: "x\n" }, { path: "ok.py", content: "ok\n" }], outputs: ["src/a.py", "ok.py"] }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.kind).toBe("unsafe-path");
      expect(r.message).toContain("src is a symbolic link");
    }
    expect(await readdir(outside)).toEqual([]);
    expect(existsSync(join(out, "ok.py"))).toBe(false);
  });

  it("follows a symlinked parent that stays inside the output dir", async () => {
    await mkdir(join(out, "real"));
    await symlink(join(out, "real"), join(out, "alias"));
    written(await safeWrite(input({ files: [{ path: "alias/a.py", content: "x\n" }], outputs: ["alias/a.py"] })));
    expect(await readFile(join(out, "real/a.py"), "utf8")).toBe("x\n");
  });

  it("refuses to replace a symlink at the target itself", async () => {
    await writeFile(join(base, "secret"), "s\n");
    await symlink(join(base, "secret"), join(out, "a.py"));
    const r = await safeWrite(input({ files: [{ path: "a.py", content: "x\n" }], outputs: ["a.py"], force: true }));
    expect(r.ok).toBe(false);
    expect(await readFile(join(base, "secret"), "utf8")).toBe("s\n");
  });
});

describe("hand edits", () => {
  it("reports a file changed since specwright wrote it as a conflict and leaves it alone", async () => {
    await writeFile(join(out, "a.py"), "hand edited\n");
    const r = await safeWrite(input({
      files: [{ path: "a.py", content: "model\n" }, { path: "b.py", content: "b\n" }],
      outputs: ["a.py", "b.py"],
      lastWritten: { "a.py": sha256Hex("what specwright wrote\n") },
    }));
    expect(r.ok).toBe(false);
    if (r.ok || r.kind !== "conflict") throw new Error("expected a conflict");
    expect(r.conflicts).toEqual([{
      path: "a.py", kind: "edited", currentSha256: sha256Hex("hand edited\n"),
      lastWrittenSha256: sha256Hex("what specwright wrote\n"), message: "a.py was changed since specwright last wrote it",
    }]);
    expect(await readFile(join(out, "a.py"), "utf8")).toBe("hand edited\n");
    // All or nothing: the other file of the reply is not written either.
    expect(existsSync(join(out, "b.py"))).toBe(false);
  });

  it("treats an existing outputs file that specwright never wrote as a conflict", async () => {
    await writeFile(join(out, "a.py"), "mine\n");
    const r = await safeWrite(input({ files: [{ path: "a.py", content: "model\n" }], outputs: ["a.py"] }));
    expect(r.ok === false && r.kind === "conflict" && r.conflicts[0]?.kind).toBe("unowned");
  });

  it("lets an edits file that specwright never recorded be modified", async () => {
    await writeFile(join(out, "a.py"), "earlier\n");
    written(await safeWrite(input({ files: [{ path: "a.py", content: "model\n" }], edits: ["a.py"] })));
    expect(await readFile(join(out, "a.py"), "utf8")).toBe("model\n");
  });

  it("overwrites a hand-edited file with force", async () => {
    await writeFile(join(out, "a.py"), "hand edited\n");
    const r = written(await safeWrite(input({
      files: [{ path: "a.py", content: "model\n" }], outputs: ["a.py"], lastWritten: { "a.py": sha256Hex("x\n") }, force: true,
    })));
    expect(r.written).toEqual(["a.py"]);
    expect(await readFile(join(out, "a.py"), "utf8")).toBe("model\n");
  });

  it("recreates a file that was deleted by hand without calling it a conflict", async () => {
    const r = written(await safeWrite(input({ files: [{ path: "a.py", content: "a\n" }], outputs: ["a.py"], lastWritten: { "a.py": sha256Hex("old\n") } })));
    expect(r.written).toEqual(["a.py"]);
  });
});

describe("all or nothing", () => {
  it("writes nothing when a declared path's parent is a file", async () => {
    await writeFile(join(out, "pkg"), "a file, not a dir\n");
    const r = await safeWrite(input({
      files: [{ path: "a.py", content: "a\n" }, { path: "pkg/b.py", content: "b\n" }], outputs: ["a.py", "pkg/b.py"],
    }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("pkg is a file");
    expect(await tree(out)).toEqual(["pkg"]);
  });

  it("writes nothing and leaves no staging files when staging fails after the first file", async () => {
    // The second staged file's name is taken by a directory, so its exclusive create fails mid-way.
    await mkdir(join(out, STAGING_DIR_NAME, "t1", "1.new"), { recursive: true });
    await writeFile(join(out, "a.py"), "old a\n");
    const r = await safeWrite(input({
      files: [{ path: "a.py", content: "new a\n" }, { path: "b.py", content: "b\n" }, { path: "c.py", content: "c\n" }],
      outputs: ["a.py", "b.py", "c.py"], lastWritten: { "a.py": sha256Hex("old a\n") }, stagingId: "t1",
    }));
    expect(r.ok).toBe(false);
    if (r.ok || r.kind !== "io-error") throw new Error("expected an io-error");
    expect(r.phase).toBe("stage");
    expect(r.path).toBe("b.py");
    expect(await tree(out)).toEqual(["a.py"]);
    expect(await readFile(join(out, "a.py"), "utf8")).toBe("old a\n");
  });

  it("rolls back files already moved when a later move fails", async () => {
    // Both paths pass the checks while neither exists; once "pkg" is a file, "pkg/b.py" cannot be created.
    await writeFile(join(out, "a.py"), "old a\n");
    const r = await safeWrite(input({
      files: [{ path: "a.py", content: "new a\n" }, { path: "pkg", content: "p\n" }, { path: "pkg/b.py", content: "b\n" }],
      outputs: ["a.py", "pkg", "pkg/b.py"], lastWritten: { "a.py": sha256Hex("old a\n") },
    }));
    if (r.ok || r.kind !== "io-error") throw new Error("expected an io-error");
    expect(r.phase).toBe("apply");
    expect(r.message).toContain("no file was changed");
    expect(await tree(out)).toEqual(["a.py"]);
    expect(await readFile(join(out, "a.py"), "utf8")).toBe("old a\n");
  });

  it("leaves no staging dir after a successful write", async () => {
    written(await safeWrite(input({ files: [{ path: "a.py", content: "a\n" }], outputs: ["a.py"], stagingId: "t2" })));
    expect(existsSync(join(out, STAGING_DIR_NAME))).toBe(false);
  });
});

describe("crash recovery", () => {
  it("finishes a set whose apply was interrupted after the journal was written", async () => {
    // Build the on-disk state of a crash between the first and second rename by hand.
    const staging = join(out, STAGING_DIR_NAME, "crashed");
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, "1.new"), "b\n");
    await writeFile(join(out, "a.py"), "a\n"); // 0.new was already renamed into place
    const entries = [
      { path: "a.py", finalPath: join(await realOut(), "a.py"), staged: "0.new", backup: null, sha256: sha256Hex("a\n") },
      { path: "src/b.py", finalPath: join(await realOut(), "src/b.py"), staged: "1.new", backup: null, sha256: sha256Hex("b\n") },
    ];
    await writeFile(join(staging, "journal.json"), JSON.stringify({ version: 1, entries }));
    const r = await recoverStagedWrites(out);
    expect(r.completed).toEqual([{ path: "a.py", sha256: sha256Hex("a\n") }, { path: "src/b.py", sha256: sha256Hex("b\n") }]);
    expect(await readFile(join(out, "src/b.py"), "utf8")).toBe("b\n");
    expect(existsSync(join(out, STAGING_DIR_NAME))).toBe(false);
  });

  it("discards a staging dir that never got its journal", async () => {
    const staging = join(out, STAGING_DIR_NAME, "half");
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, "0.new"), "partial");
    const r = await recoverStagedWrites(out);
    expect(r.discarded).toEqual(["half"]);
    expect(await tree(out)).toEqual([]);
  });

  it("does not follow a journal entry whose target now escapes through a symlink", async () => {
    const staging = join(out, STAGING_DIR_NAME, "x");
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, "0.new"), "x\n");
    const outside = join(base, "outside");
    await mkdir(outside);
    await symlink(outside, join(out, "src"));
    const entries = [{ path: "src/a.py", finalPath: join(await realOut(), "src/a.py"), staged: "0.new", backup: null, sha256: "0" }];
    await writeFile(join(staging, "journal.json"), JSON.stringify({ version: 1, entries }));
    const r = await recoverStagedWrites(out);
    expect(r.problems.map((p) => p.path)).toEqual(["src/a.py"]);
    expect(await readdir(outside)).toEqual([]);
  });

  it("reports nothing when there is no staging dir", async () => {
    expect(await recoverStagedWrites(out)).toEqual({ completed: [], discarded: [], problems: [] });
  });
});

function realOut(): Promise<string> {
  return realpath(out);
}

describe("specwright's own working paths are never followed (issue 9 item 15)", () => {
  /** A folder the link points at, holding what a project keeps beside its output. */
  async function victim(): Promise<string> {
    const target = join(base, "victim");
    await mkdir(join(target, "context"), { recursive: true });
    await writeFile(join(target, "plan.toml"), "[[task]]\n");
    await writeFile(join(target, "context", "notes.md"), "notes\n");
    return target;
  }

  it("refuses to stage through output/.specwright-staging when it is a symlink, and writes and deletes nothing there", async () => {
    const target = await victim();
    await symlink(target, join(out, STAGING_DIR_NAME));
    const r = await safeWrite(input({ files: [{ path: "a.py", content: "a\n" }], outputs: ["a.py"] }));
    if (r.ok || r.kind !== "unsafe-staging") throw new Error(`expected unsafe-staging, got ${JSON.stringify(r)}`);
    expect(r.message).toContain(`${STAGING_DIR_NAME} is a symbolic link`);
    expect(r.message).toContain("never follows links in its own working paths");
    expect(await tree(target)).toEqual(["context", "context/notes.md", "plan.toml"]);
    expect(existsSync(join(out, "a.py"))).toBe(false);
  });

  it("recovers nothing through a staging symlink: a link to the project's folder deletes nothing (was: everything)", async () => {
    const target = await victim();
    await symlink(target, join(out, STAGING_DIR_NAME));
    const r = await recoverStagedWrites(out);
    expect(r.refused).toContain(`${STAGING_DIR_NAME} is a symbolic link`);
    expect(r.discarded).toEqual([]);
    expect(await tree(target)).toEqual(["context", "context/notes.md", "plan.toml"]);
  });

  it("removes a symlink planted inside a real staging dir without following it", async () => {
    const target = await victim();
    await mkdir(join(out, STAGING_DIR_NAME));
    await symlink(target, join(out, STAGING_DIR_NAME, "planted"));
    const r = await recoverStagedWrites(out);
    expect(r.discarded).toEqual(["planted"]);
    expect(await tree(target)).toEqual(["context", "context/notes.md", "plan.toml"]);
    expect(existsSync(join(out, STAGING_DIR_NAME))).toBe(false);
  });

  it("does not move a staged entry that is a symlink into the output dir", async () => {
    const secret = join(base, "secret.txt");
    await writeFile(secret, "secret\n");
    const staging = join(out, STAGING_DIR_NAME, "crashed");
    await mkdir(staging, { recursive: true });
    await symlink(secret, join(staging, "0.new"));
    const entries = [{ path: "a.py", finalPath: join(await realOut(), "a.py"), staged: "0.new", backup: null, sha256: "0" }];
    await writeFile(join(staging, "journal.json"), JSON.stringify({ version: 1, entries }));
    const r = await recoverStagedWrites(out);
    expect(r.problems).toEqual([{ path: "a.py", reason: "its staged copy 0.new is not a regular file" }]);
    expect(existsSync(join(out, "a.py"))).toBe(false);
    expect(await readFile(secret, "utf8")).toBe("secret\n");
  });
});

describe("the project's own files are never outputs (issue 9 items 16, 25)", () => {
  // output.dir = "." (documented): the output dir is the project root.
  const ROOT_LAYOUT = { outputDir: ".", specDir: "specs", contextDir: "context" };

  const own: [string, string][] = [
    ["specwright.toml", "the path is specwright's project config specwright.toml"],
    ["Specwright.TOML", "the path is specwright's project config specwright.toml"],
    [".specwright/plan.toml", "the path is inside specwright's own folder .specwright/"],
    [".specwright/findings.json", "the path is inside specwright's own folder .specwright/"],
    ["specs/evil.smd", "the path is inside the spec dir specs/"],
    ["context/words.txt", "the path is inside the context dir context/"],
    [".GIT/hooks/pre-commit", "the path is inside a .git directory"],
  ];
  for (const [path, reason] of own) {
    it(`refuses ${path} with output.dir = "." even with --force`, async () => {
      const r = await safeWrite(input({ outputDir: out, layout: ROOT_LAYOUT, files: [{ path, content: "x\n" }], outputs: [path], force: true }));
      if (r.ok || r.kind !== "unsafe-path") throw new Error(`expected unsafe-path, got ${JSON.stringify(r)}`);
      expect(r.message).toBe(`refused to write: ${path}: ${reason}`);
      expect(await tree(out)).toEqual([]);
    });
  }

  it("names hostile undeclared paths as refused, with their reasons (issue 9 item 27)", async () => {
    const r = written(await safeWrite(input({
      layout: ROOT_LAYOUT,
      files: [
        { path: "a.py", content: "a\n" },
        { path: "..", content: "x\n" },
        { path: "/etc/passwd", content: "x\n" },
        { path: ".git/config", content: "x\n" },
        { path: "a\0b", content: "x\n" },
        { path: "notes.txt", content: "x\n" },
      ],
      outputs: ["a.py"],
    })));
    expect(r.undeclared).toEqual(["notes.txt"]);
    expect(r.rejected).toEqual([
      { path: "..", reason: 'the path contains ".." and could leave the output dir' },
      { path: "/etc/passwd", reason: "the path is absolute; paths are relative to the output dir" },
      { path: ".git/config", reason: "the path is inside a .git directory" },
      { path: "a\0b", reason: "the path contains a control character (such as NUL or a line break)" },
    ]);
    expect(await tree(out)).toEqual(["a.py"]);
  });

  it("writes a declared path with a space in it", async () => {
    written(await safeWrite(input({ files: [{ path: "greeter/my cli.py", content: "x\n" }], outputs: ["greeter/my cli.py"] })));
    expect(await readFile(join(out, "greeter/my cli.py"), "utf8")).toBe("x\n");
  });
});
