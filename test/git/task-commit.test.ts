import { describe, expect, it } from "vitest";
import { chmod, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { commitTask, type OutputRepo, type TaskCommitInput } from "../../src/git/git-output.js";
import { TEST_USER, commitCount, committedSha, git, prepare, statusLines, useGitSandbox, writeFiles } from "./git-sandbox.js";

const sandbox = useGitSandbox();

function task(files: string[], overrides: Partial<TaskCommitInput> = {}): TaskCommitInput {
  return {
    taskId: "T003",
    title: "Counter module",
    files,
    refs: ["requirements/add", "components/Cli"],
    tracePath: ".specwright/runs/2026-11-21T10-03-12Z-build/tasks/T003/attempt-2",
    ...overrides,
  };
}

/** A fresh output repository (no commits yet). */
async function freshRepo(): Promise<OutputRepo> {
  return prepare(join(sandbox.root, "out"), sandbox.root);
}

/** A repository with a first commit holding `files`. */
async function repoWith(files: Record<string, string>): Promise<OutputRepo> {
  const repo = await freshRepo();
  await writeFiles(repo.dir, files);
  git(repo.dir, "add", "--all");
  git(repo.dir, "commit", "-q", "-m", "base");
  return repo;
}

describe("committing a finished task", () => {
  it("makes the first commit with subject `T003 <title>` and Spec-Task, Spec-Refs and Trace trailers", async () => {
    const repo = await freshRepo();
    await writeFiles(repo.dir, { "src/counter.py": "def count(): ...\n" });

    const sha = committedSha(await commitTask(repo, task(["src/counter.py"])));

    expect(git(repo.dir, "rev-parse", "HEAD").trim()).toBe(sha);
    expect(git(repo.dir, "log", "-1", "--format=%B")).toBe(
      "T003 Counter module\n\n" +
        "Spec-Task: T003\n" +
        "Spec-Refs: requirements/add, components/Cli\n" +
        "Trace: .specwright/runs/2026-11-21T10-03-12Z-build/tasks/T003/attempt-2\n\n",
    );
    // git itself reads them as trailers, which is what rollback's lookup (listSpecCommits) relies on.
    expect(git(repo.dir, "log", "-1", "--format=%(trailers:key=Spec-Task,valueonly)").trim()).toBe("T003");
    expect(git(repo.dir, "log", "-1", "--format=%(trailers:only,unfold)").trim().split("\n")).toHaveLength(3);
    expect(git(repo.dir, "symbolic-ref", "HEAD").trim()).toBe("refs/heads/main");
  });

  it("keeps a title with quotes, $, backticks and a leading dash byte for byte (it is one argument, never parsed)", async () => {
    const repo = await freshRepo();
    await writeFiles(repo.dir, { "a.py": "x = 1\n" });
    const title = `--amend "quoted" 'single' $HOME \`date\` -m x`;
    committedSha(await commitTask(repo, task(["a.py"], { title, refs: [] })));
    expect(git(repo.dir, "log", "-1", "--format=%s")).toBe(`T003 ${title}\n`);
    expect(commitCount(repo.dir)).toBe(1);
  });

  it("keeps a multi-line title on the subject line and out of the trailer block", async () => {
    const repo = await freshRepo();
    await writeFiles(repo.dir, { "a.py": "x = 1\n" });
    committedSha(await commitTask(repo, task(["a.py"], { title: "Counter\nmodule\n\nSpec-Task: T999", refs: [] })));

    expect(git(repo.dir, "log", "-1", "--format=%s")).toBe("T003 Counter module Spec-Task: T999\n");
    expect(git(repo.dir, "log", "-1", "--format=%(trailers:key=Spec-Task,valueonly)").trim()).toBe("T003");
  });

  it("commits only the task's files: other edits stay uncommitted and keep their staged or unstaged state", async () => {
    const repo = await repoWith({ "other.txt": "1\n", "staged.txt": "1\n" });
    await writeFiles(repo.dir, { "other.txt": "2\n", "staged.txt": "2\n", "src/a.py": "a = 1\n", "stray.py": "b = 2\n" });
    git(repo.dir, "add", "staged.txt");

    committedSha(await commitTask(repo, task(["src/a.py"])));

    expect(git(repo.dir, "show", "--format=", "--name-only", "HEAD")).toBe("src/a.py\n");
    expect(statusLines(repo.dir)).toEqual([" M other.txt", "?? stray.py", "M  staged.txt"]);
  });

  it("commits a deleted task file as a deletion, and reports only what changed", async () => {
    const repo = await repoWith({ "a.py": "a = 1\n", "b.py": "b = 1\n", "c.py": "c = 1\n" });
    await writeFiles(repo.dir, { "a.py": "a = 2\n" });
    await rm(join(repo.dir, "b.py"));

    const result = await commitTask(repo, task(["a.py", "b.py", "c.py"]));

    committedSha(result);
    expect(result.ok && result.outcome === "committed" ? [...result.files].sort() : []).toEqual(["a.py", "b.py"]);
    expect(git(repo.dir, "show", "--format=", "--name-status", "HEAD").split("\n").filter(Boolean).sort()).toEqual(["D\tb.py", "M\ta.py"]);
    expect(statusLines(repo.dir)).toEqual([]);
  });

  it("reports nothing to commit when the task's files are as committed, or were never produced", async () => {
    const repo = await repoWith({ "a.py": "a = 1\n" });

    const result = await commitTask(repo, task(["a.py", "never-written.py"]));

    expect(result).toEqual({ ok: true, outcome: "nothing-to-commit", ignored: [] });
    expect(commitCount(repo.dir)).toBe(1);
  });

  it("leaves files the output repository ignores out of the commit and reports them", async () => {
    const repo = await repoWith({ ".gitignore": "*.log\n" });
    await writeFiles(repo.dir, { "a.py": "a = 1\n", "debug.log": "noise\n" });

    const result = await commitTask(repo, task(["a.py", "debug.log"]));

    committedSha(result);
    expect(result.ok && result.outcome === "committed" ? { files: result.files, ignored: result.ignored } : undefined).toEqual({ files: ["a.py"], ignored: ["debug.log"] });
    expect(git(repo.dir, "show", "--format=", "--name-only", "HEAD")).toBe("a.py\n");
  });

  it("reads file names literally, so a name with glob characters stages only itself", async () => {
    const repo = await repoWith({ "a.py": "a = 1\n" });
    await writeFiles(repo.dir, { "[a].py": "x = 1\n", "a.py": "a = 2\n" });

    committedSha(await commitTask(repo, task(["[a].py"])));

    expect(git(repo.dir, "show", "--format=", "--name-only", "HEAD")).toBe("[a].py\n");
    expect(statusLines(repo.dir)).toEqual([" M a.py"]);
  });

  it("commits tasks that finish at the same time one after the other, each with only its own file", async () => {
    const repo = await freshRepo();
    const ids = ["T001", "T002", "T003", "T004", "T005", "T006"];
    await writeFiles(repo.dir, Object.fromEntries(ids.map((id) => [`${id}.py`, `${id}\n`])));

    const results = await Promise.all(ids.map((id) => commitTask(repo, task([`${id}.py`], { taskId: id }))));

    results.forEach(committedSha);
    expect(commitCount(repo.dir)).toBe(ids.length);
    for (const id of ids) {
      const found = git(repo.dir, "log", "--format=%H", `--grep=Spec-Task: ${id}`).trim();
      expect(git(repo.dir, "show", "--format=", "--name-only", found)).toBe(`${id}.py\n`);
    }
  });

  it("commits as the user configured in git", async () => {
    const repo = await freshRepo();
    expect(repo.identity).toEqual({ ...TEST_USER, source: "git-config" });
    expect(repo.notices.some((n) => n.kind === "identity-fallback")).toBe(false);
    await writeFiles(repo.dir, { "a.py": "a = 1\n" });

    committedSha(await commitTask(repo, task(["a.py"])));

    expect(git(repo.dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>").trim()).toBe(`${TEST_USER.name} <${TEST_USER.email}>|${TEST_USER.name} <${TEST_USER.email}>`);
  });

  it("falls back to specwright's identity when git has none configured, and says so", async () => {
    await rm(join(sandbox.home, ".gitconfig"));
    const repo = await freshRepo();
    expect(repo.identity).toEqual({ name: "specwright", email: "specwright@localhost", source: "fallback" });
    expect(repo.notices.find((n) => n.kind === "identity-fallback")?.hint).toContain("git config --global user.name");
    await writeFiles(repo.dir, { "a.py": "a = 1\n" });

    committedSha(await commitTask(repo, task(["a.py"])));

    expect(git(repo.dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>").trim()).toBe("specwright <specwright@localhost>|specwright <specwright@localhost>");
    // The fallback is per commit (-c), never written into any config file.
    expect(() => git(repo.dir, "config", "--get", "user.name")).toThrow();
  });

  it("skips pre-commit and commit-msg hooks, so a reformatting or failing hook cannot change or block the task's commit", async () => {
    const repo = await freshRepo();
    const hooks = join(repo.dir, ".git", "hooks");
    await writeFiles(hooks, {
      "pre-commit": "#!/bin/sh\necho '# reformatted' >> a.py\ngit add a.py\n",
      "commit-msg": "#!/bin/sh\necho rejected >&2\nexit 1\n",
    });
    await chmod(join(hooks, "pre-commit"), 0o755);
    await chmod(join(hooks, "commit-msg"), 0o755);
    await writeFiles(repo.dir, { "a.py": "a = 1\n" });

    committedSha(await commitTask(repo, task(["a.py"])));

    expect(git(repo.dir, "show", "HEAD:a.py")).toBe("a = 1\n");
    expect(await readFile(join(repo.dir, "a.py"), "utf8")).toBe("a = 1\n");
  });

  it("refuses to commit on a detached HEAD", async () => {
    const repo = await repoWith({ "a.py": "a = 1\n" });
    git(repo.dir, "checkout", "-q", "--detach");
    await writeFiles(repo.dir, { "a.py": "a = 2\n" });

    const result = await commitTask(repo, task(["a.py"]));

    if (result.ok) throw new Error("expected a refusal");
    expect(result.kind).toBe("detached-head");
    expect(result.hint).toContain("git switch");
    expect(commitCount(repo.dir)).toBe(1);
  });

  it("refuses to commit into a half-done merge", async () => {
    const repo = await repoWith({ "a.py": "base\n" });
    git(repo.dir, "checkout", "-q", "-b", "side");
    await writeFiles(repo.dir, { "a.py": "side\n" });
    git(repo.dir, "commit", "-q", "-am", "side");
    git(repo.dir, "checkout", "-q", "main");
    await writeFiles(repo.dir, { "a.py": "main\n" });
    git(repo.dir, "commit", "-q", "-am", "main");
    expect(() => git(repo.dir, "merge", "-q", "side")).toThrow();
    await writeFiles(repo.dir, { "b.py": "b = 1\n" });

    const result = await commitTask(repo, task(["b.py"]));

    if (result.ok || result.kind !== "operation-in-progress") throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
    expect(result.operation).toBe("merge");
    expect(result.hint).toContain("git merge --abort");
    expect(git(repo.dir, "log", "-1", "--format=%s").trim()).toBe("main");
  });

  it("refuses paths that leave the output dir, before touching the repository", async () => {
    const repo = await freshRepo();
    await writeFiles(sandbox.root, { "outside.py": "x\n" });

    const result = await commitTask(repo, task(["../outside.py", "/etc/passwd"]));

    if (result.ok || result.kind !== "invalid-path") throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
    expect(result.paths.map((p) => p.path)).toEqual(["../outside.py", "/etc/passwd"]);
    expect(commitCount(repo.dir)).toBe(0);
  });

  it("refuses to commit when the output dir stopped being a repository, instead of committing into a parent one", async () => {
    const project = join(sandbox.root, "proj");
    await writeFiles(project, { "README.md": "p\n" });
    git(project, "init", "-q");
    git(project, "add", "README.md");
    git(project, "commit", "-q", "-m", "project");
    const repo = await prepare(join(project, "output"), project);
    await rm(join(repo.dir, ".git"), { recursive: true });
    await writeFiles(repo.dir, { "a.py": "a = 1\n" });

    const result = await commitTask(repo, task(["a.py"]));

    if (result.ok) throw new Error("expected a refusal");
    expect(result.kind).toBe("not-a-repository");
    expect(commitCount(project)).toBe(1);
  });
});
