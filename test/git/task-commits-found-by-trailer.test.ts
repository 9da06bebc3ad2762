import { describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { commitTask, type OutputRepo } from "../../src/git/git-output.js";
import { listSpecCommits, openOutputGit, type SpecCommit } from "../../src/git/output-repo.js";
import { committedSha, git, prepare, useGitSandbox, writeFiles } from "./git-sandbox.js";

const sandbox = useGitSandbox();

async function commitFile(repo: OutputRepo, taskId: string, path: string, content: string): Promise<string> {
  await writeFiles(repo.dir, { [path]: content });
  return committedSha(await commitTask(repo, { taskId, title: `build ${path}`, files: [path], refs: [], tracePath: `.specwright/runs/r/tasks/${taskId}/attempt-1` }));
}

/** The commits that built `taskId`, as rollback looks them up. */
async function found(repo: OutputRepo, taskId: string): Promise<SpecCommit[]> {
  const result = await listSpecCommits(openOutputGit(repo), taskId);
  if (!Array.isArray(result)) throw new Error(`${result.kind}: ${result.message}`);
  return result.filter((c) => c.tasks.includes(taskId));
}

describe("finding a task's commits", () => {
  it("lists the commits that built a task, newest first, with subject and date", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    const first = await commitFile(repo, "T001", "a.py", "1\n");
    await commitFile(repo, "T002", "b.py", "1\n");
    const third = await commitFile(repo, "T001", "a.py", "2\n");

    const commits = await found(repo, "T001");

    expect(commits.map((c) => c.sha)).toEqual([third, first]);
    expect(commits[0]?.subject).toBe("T001 build a.py");
    expect(Date.parse(commits[0]?.date ?? "")).not.toBeNaN();
  });

  it("still finds a task after its subject was reworded by an amend, because it matches the trailer", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    const original = await commitFile(repo, "T003", "counter.py", "x\n");
    const body = git(repo.dir, "log", "-1", "--format=%B").split("\n").slice(1).join("\n");
    const message = join(sandbox.root, "msg.txt");
    await writeFile(message, `Count words, reworded by hand\n${body}`);
    git(repo.dir, "commit", "-q", "--amend", "-F", message);

    const commits = await found(repo, "T003");

    expect(commits).toHaveLength(1);
    expect(commits[0]?.sha).not.toBe(original);
    expect(commits[0]?.subject).toBe("Count words, reworded by hand");
  });

  it("ignores commits that only mention the task, or carry a longer id that starts with it", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    await writeFiles(repo.dir, { "a.py": "by hand\n" });
    git(repo.dir, "add", "a.py");
    git(repo.dir, "commit", "-q", "-m", "T003 fix a typo by hand", "-m", "Mentions T003 and Spec-Task T003 in prose.");
    await commitFile(repo, "T0031", "b.py", "1\n");

    expect(await found(repo, "T003")).toEqual([]);
    expect(await found(repo, "T0031")).toHaveLength(1);
  });

  it("finds nothing before the first commit", async () => {
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    expect(await found(repo, "T001")).toEqual([]);
  });
});
