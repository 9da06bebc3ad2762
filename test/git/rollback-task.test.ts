import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { commitTask, type OutputRepo } from "../../src/git/git-output.js";
import { listSpecCommits, openOutputGit } from "../../src/git/output-repo.js";
import { rollbackTask, type RollbackTaskResult } from "../../src/git/git-rollback.js";
import { commitCount, committedSha, git, prepare, statusLines, useGitSandbox, writeFiles } from "./git-sandbox.js";

const sandbox = useGitSandbox();

/** Writes `files` (null deletes) and commits them as task `taskId`. */
async function buildTask(repo: OutputRepo, taskId: string, files: Record<string, string | null>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) await rm(join(repo.dir, path));
    else await writeFiles(repo.dir, { [path]: content });
  }
  return committedSha(await commitTask(repo, { taskId, title: `task ${taskId}`, files: Object.keys(files), refs: [], tracePath: "t" }));
}

async function read(repo: OutputRepo, path: string): Promise<string> {
  return readFile(join(repo.dir, path), "utf8");
}

function rolledBack(result: RollbackTaskResult) {
  if (!result.ok) throw new Error(`expected a rollback, got ${result.kind}: ${result.message}`);
  return result;
}

describe("rolling back a task", () => {
  it("reverts the task's latest commit with a new commit that restores, removes and recreates its files", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "v1\n", "b.py": "b\n" });
    const t2 = await buildTask(repo, "T002", { "a.py": "v2\n", "c.py": "c\n", "b.py": null });

    const result = rolledBack(await rollbackTask(repo, "T002"));

    expect(result.revertedSha).toBe(t2);
    expect([...result.files].sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: "a.py", change: "restored" },
      { path: "b.py", change: "recreated" },
      { path: "c.py", change: "removed" },
    ]);
    expect(await read(repo, "a.py")).toBe("v1\n");
    expect(await read(repo, "b.py")).toBe("b\n");
    expect(existsSync(join(repo.dir, "c.py"))).toBe(false);
    expect(git(repo.dir, "rev-parse", "HEAD").trim()).toBe(result.revertSha);
    expect(git(repo.dir, "log", "-1", "--format=%B")).toBe(`Revert "T002 task T002"\n\nThis reverts commit ${t2}.\n\nSpec-Task-Rollback: T002\n\n`);
    // History is added to, never rewritten.
    expect(git(repo.dir, "rev-parse", "HEAD~1").trim()).toBe(t2);
    expect(commitCount(repo.dir)).toBe(3);
    expect(statusLines(repo.dir)).toEqual([]);
    // The revert is finished: no sequencer state left, and the task can be built again.
    expect(() => git(repo.dir, "rev-parse", "-q", "--verify", "REVERT_HEAD")).toThrow();
    const rebuilt = await buildTask(repo, "T002", { "a.py": "v3\n" });
    const commits = await listSpecCommits(openOutputGit(repo), "T002");
    // Newest first: the rebuild, the rollback, then the original build.
    expect(Array.isArray(commits) ? commits.map((c) => c.sha) : []).toEqual([rebuilt, result.revertSha, t2]);
  });

  it("rolls back a task whose commit is the repository's first", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "v1\n" });

    const result = rolledBack(await rollbackTask(repo, "T001"));

    expect(result.files).toEqual([{ path: "a.py", change: "removed" }]);
    expect(existsSync(join(repo.dir, "a.py"))).toBe(false);
  });

  it("refuses to roll back the same commit twice", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "v1\n" });
    const t2 = await buildTask(repo, "T002", { "a.py": "v2\n" });
    const first = rolledBack(await rollbackTask(repo, "T002"));

    const second = await rollbackTask(repo, "T002");

    if (second.ok) throw new Error("expected a refusal");
    expect(second.kind).toBe("already-rolled-back");
    expect(second.message).toContain(t2.slice(0, 7));
    expect(second.message).toContain(first.revertSha.slice(0, 7));
    expect(git(repo.dir, "rev-parse", "HEAD").trim()).toBe(first.revertSha);
  });

  it("aborts a conflicting rollback, leaves the tree as it was, and names the files and the later task to roll back first", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "line\n", "notes.md": "notes\n" });
    const t2 = await buildTask(repo, "T002", { "a.py": "line by T002\n" });
    const t3 = await buildTask(repo, "T003", { "a.py": "line by T003\n" });
    await writeFiles(repo.dir, { "notes.md": "my unstaged edit\n" });

    const result = await rollbackTask(repo, "T002");

    if (result.ok || result.kind !== "revert-conflict") throw new Error(`expected a conflict, got ${JSON.stringify(result)}`);
    expect(result.files).toEqual(["a.py"]);
    expect(result.laterChanges).toEqual([{ sha: t3, subject: "T003 task T003", taskId: "T003", files: ["a.py"] }]);
    expect(result.message).toContain("a.py");
    expect(result.message).toContain("Nothing was changed");
    expect(result.hint).toContain("specwright rollback T003, then specwright rollback T002");
    expect(await read(repo, "a.py")).toBe("line by T003\n");
    expect(await read(repo, "notes.md")).toBe("my unstaged edit\n");
    expect(statusLines(repo.dir)).toEqual([" M notes.md"]);
    expect(git(repo.dir, "rev-parse", "HEAD").trim()).toBe(t3);
    expect(() => git(repo.dir, "rev-parse", "-q", "--verify", "REVERT_HEAD")).toThrow();
    // Following the hint works.
    rolledBack(await rollbackTask(repo, "T003"));
    const second = rolledBack(await rollbackTask(repo, "T002"));
    expect(second.revertedSha).toBe(t2);
    expect(await read(repo, "a.py")).toBe("line\n");
  });

  it("refuses to roll back over uncommitted changes to the task's files and keeps them", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "v1\n" });
    await buildTask(repo, "T002", { "a.py": "v2\n", "new.py": "n\n" });
    await writeFiles(repo.dir, { "a.py": "hand edit\n" });

    const result = await rollbackTask(repo, "T002");

    if (result.ok || result.kind !== "uncommitted-changes") throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
    expect(result.files).toEqual(["a.py"]);
    expect(result.hint).toContain("git stash push -- a.py");
    expect(await read(repo, "a.py")).toBe("hand edit\n");
    expect(commitCount(repo.dir)).toBe(2);
  });

  it("refuses to roll back while changes are staged, since undoing a conflict would discard them", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "v1\n", "other.py": "o\n" });
    await buildTask(repo, "T002", { "a.py": "v2\n" });
    await writeFiles(repo.dir, { "other.py": "staged edit\n" });
    git(repo.dir, "add", "other.py");

    const result = await rollbackTask(repo, "T002");

    if (result.ok || result.kind !== "staged-changes") throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
    expect(result.files).toEqual(["other.py"]);
    expect(statusLines(repo.dir)).toEqual(["M  other.py"]);
    expect(commitCount(repo.dir)).toBe(2);
  });

  it("commits nothing when later commits already undid the task, and leaves no revert half done", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "v1\n" });
    await buildTask(repo, "T002", { "a.py": "v2\n" });
    await writeFiles(repo.dir, { "a.py": "v1\n" });
    git(repo.dir, "commit", "-q", "-am", "back to v1 by hand");

    const result = await rollbackTask(repo, "T002");

    if (result.ok) throw new Error("expected a problem");
    expect(result.kind).toBe("nothing-to-revert");
    expect(commitCount(repo.dir)).toBe(3);
    expect(statusLines(repo.dir)).toEqual([]);
    expect(() => git(repo.dir, "rev-parse", "-q", "--verify", "REVERT_HEAD")).toThrow();
  });

  it("reports a task that has no commit on the branch", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await buildTask(repo, "T001", { "a.py": "v1\n" });

    const result = await rollbackTask(repo, "T009");

    if (result.ok) throw new Error("expected a problem");
    expect(result.kind).toBe("no-task-commit");
    expect(result.message).toContain("Spec-Task: T009");
  });
});
