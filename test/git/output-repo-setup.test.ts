import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { commitTask, prepareOutputRepo } from "../../src/git/git-output.js";
import { commitCount, committedSha, git, prepare, statusLines, useGitSandbox, writeFiles } from "./git-sandbox.js";

const sandbox = useGitSandbox();

const task = (files: string[]) => ({ taskId: "T001", title: "Counter module", files, refs: ["requirements/count"], tracePath: ".specwright/runs/r1/tasks/T001/attempt-1" });

/** A project dir that is itself a git repository with one commit. */
async function gitProject(): Promise<string> {
  const project = join(sandbox.root, "proj");
  await writeFiles(project, { "specwright.toml": "[project]\nname = \"p\"\n" });
  git(project, "init", "-q", "-b", "trunk");
  git(project, "add", "specwright.toml");
  git(project, "commit", "-q", "-m", "project");
  return project;
}

describe("preparing the output repository", () => {
  it("initialises a fresh output dir on branch main and says so", async () => {
    const project = join(sandbox.root, "proj");
    await mkdir(project);
    const repo = await prepare(join(project, "output"), project);

    expect(repo.origin).toBe("initialised");
    expect(repo.dir).toBe(join(project, "output"));
    expect(existsSync(join(project, "output", ".git"))).toBe(true);
    expect(git(repo.dir, "symbolic-ref", "HEAD").trim()).toBe("refs/heads/main");
    expect(commitCount(repo.dir)).toBe(0);
    expect(repo.notices.map((n) => n.kind)).toEqual(["initialised"]);
    expect(repo.notices[0]?.message).toContain("branch main");
  });

  it("starts on main even when the user's init.defaultBranch names another branch", async () => {
    await writeFile(join(sandbox.home, ".gitconfig"), "[user]\n\tname = A\n\temail = a@b.c\n[init]\n\tdefaultBranch = trunk\n");
    const repo = await prepare(join(sandbox.root, "out"), sandbox.root);
    expect(git(repo.dir, "symbolic-ref", "HEAD").trim()).toBe("refs/heads/main");
  });

  it("reuses an existing repository as it is, branch and history included", async () => {
    const out = join(sandbox.root, "out");
    await writeFiles(out, { "README.md": "hi\n" });
    git(out, "init", "-q", "-b", "develop");
    git(out, "add", "README.md");
    git(out, "commit", "-q", "-m", "mine");
    const before = git(out, "rev-parse", "HEAD");

    const repo = await prepare(out, sandbox.root);

    expect(repo.origin).toBe("existing");
    expect(repo.notices).toEqual([]);
    expect(git(out, "rev-parse", "HEAD")).toBe(before);
    expect(git(out, "symbolic-ref", "HEAD").trim()).toBe("refs/heads/develop");
    // Preparing again is a no-op too.
    expect((await prepare(out, sandbox.root)).origin).toBe("existing");
  });

  it("keeps task commits out of an enclosing project repository by giving the output dir its own", async () => {
    const project = await gitProject();
    const repo = await prepare(join(project, "output"), project);

    expect(repo.origin).toBe("initialised-nested");
    expect(repo.enclosingRepository).toBe(project);
    const notice = repo.notices.find((n) => n.kind === "nested-repository");
    expect(notice?.message).toContain(project);
    expect(notice?.hint).toContain("/output/");
    expect(notice?.hint).toContain(".gitignore");

    await writeFiles(repo.dir, { "counter.py": "def count(): ...\n" });
    committedSha(await commitTask(repo, task(["counter.py"])));

    expect(commitCount(repo.dir)).toBe(1);
    expect(commitCount(project)).toBe(1);
    expect(git(project, "log", "--format=%s")).toBe("project\n");
    expect(statusLines(project)).toEqual(["?? output/"]);
  });

  it("says nothing of the enclosing repository when it already ignores the output dir", async () => {
    const project = await gitProject();
    await writeFiles(project, { ".gitignore": "/output/\n" });
    git(project, "add", ".gitignore");
    git(project, "commit", "-q", "-m", "ignore output");

    const repo = await prepare(join(project, "output"), project);

    expect(repo.origin).toBe("initialised-nested");
    expect(repo.notices.find((n) => n.kind === "nested-repository")).toBeUndefined();
    expect(repo.notices.map((n) => n.kind)).toEqual(["initialised"]);
    expect(JSON.stringify(repo.notices)).not.toContain(".gitignore");
    expect(statusLines(project)).toEqual([]);
  });

  it("refuses a nested repository over files the enclosing repository already tracks", async () => {
    const project = await gitProject();
    await writeFiles(project, { "output/app.py": "print(1)\n" });
    git(project, "add", "output/app.py");
    git(project, "commit", "-q", "-m", "track output");

    const result = await prepareOutputRepo(join(project, "output"), project);

    if (result.ok || result.kind !== "output-tracked-by-enclosing-repo") throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
    expect(result.files).toEqual(["app.py"]);
    expect(result.message).toContain("output/app.py");
    expect(result.hint).toContain("git = false");
    expect(result.hint).toContain("git rm -r --cached output");
    expect(existsSync(join(project, "output", ".git"))).toBe(false);
    expect(commitCount(project)).toBe(2);
  });

  it("commits into the project's own repository when the output dir is the project root, says so, and leaves the user's staged work alone", async () => {
    const project = await gitProject();
    const repo = await prepare(project, project);

    expect(repo.origin).toBe("shared-with-project");
    expect(repo.notices.find((n) => n.kind === "shared-with-project")?.message).toContain("history");

    await writeFiles(project, { "notes.md": "my notes\n", "src/app.py": "print(2)\n" });
    git(project, "add", "notes.md");
    committedSha(await commitTask(repo, task(["src/app.py"])));

    expect(commitCount(project)).toBe(2);
    expect(git(project, "show", "--format=", "--name-only", "HEAD")).toBe("src/app.py\n");
    expect(statusLines(project)).toEqual(["A  notes.md"]);
    expect(git(project, "symbolic-ref", "HEAD").trim()).toBe("refs/heads/trunk");
  });

  it("refuses to create a repository below a .git that git cannot read", async () => {
    const project = join(sandbox.root, "proj");
    await writeFiles(project, { ".git": "gitdir: /nonexistent/specwright-test\n" });

    const result = await prepareOutputRepo(join(project, "output"), project);

    if (result.ok) throw new Error("expected a problem");
    expect(result.kind).toBe("repository-unreadable");
    expect(result.message).toContain(project);
    expect(existsSync(join(project, "output", ".git"))).toBe(false);
  });

  it("reports a missing git as a problem instead of throwing", async () => {
    const saved = process.env.PATH;
    process.env.PATH = join(sandbox.root, "empty-bin");
    try {
      const result = await prepareOutputRepo(join(sandbox.root, "out"), sandbox.root);
      if (result.ok) throw new Error("expected a problem");
      expect(result.kind).toBe("git-not-installed");
      expect(result.hint).toContain("git = false");
    } finally {
      process.env.PATH = saved;
    }
  });

  it("refuses a git too old to read trailers, rather than finding no task commits later", async () => {
    const bin = join(sandbox.root, "old-git-bin");
    await writeFiles(bin, { git: "#!/bin/sh\necho 'git version 2.20.1'\n" });
    await chmod(join(bin, "git"), 0o755);
    const saved = process.env.PATH;
    process.env.PATH = bin;
    try {
      const result = await prepareOutputRepo(join(sandbox.root, "out"), sandbox.root);
      if (result.ok) throw new Error("expected a problem");
      expect(result.kind).toBe("git-too-old");
      expect(result.message).toContain("2.20.1");
      expect(result.message).toContain("2.22");
    } finally {
      process.env.PATH = saved;
    }
  });

  it("refuses an output path that is a file", async () => {
    await writeFiles(sandbox.root, { out: "not a dir\n" });
    const result = await prepareOutputRepo(join(sandbox.root, "out"), sandbox.root);
    if (result.ok) throw new Error("expected a problem");
    expect(result.kind).toBe("not-a-directory");
  });
});
