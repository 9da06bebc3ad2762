// Ordinary file system states — a directory where a file belongs, a full
// disk — are clear errors naming the path, never a stack trace, and leave
// nothing behind that blocks the next run. A full disk is simulated two ways
// at the real fs boundary: ENOSPC injected into node:fs/promises' file handle
// writes (the lock, atomic writes), and /dev/full (trace writes by fd).

import { existsSync } from "node:fs";
import * as fsp from "node:fs/promises";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { writeFileAtomic, writeFileExclusive } from "../../src/fs/atomic-write.js";
import { describeFileProblem, fileProblem } from "../../src/fs/file-problem.js";
import { acquireRunLock } from "../../src/lock.js";
import { readPlanFile } from "../../src/planning/plan-file.js";
import { taskAttemptPath } from "../../src/traces/layout.js";
import { TraceRun } from "../../src/traces/trace-run.js";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { openRun } from "../models/helpers.js";

vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return { ...real, open: vi.fn(real.open) };
});

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "specwright-fs-"));
});
afterEach(async () => {
  vi.mocked(fsp.open).mockReset();
  await rm(root, { recursive: true, force: true });
});

const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });

/** The next `open` of a path ending in `suffix` gives a handle whose writes fail as on a full disk. */
async function diskFullFor(suffix: string): Promise<void> {
  const real = (await vi.importActual<typeof import("node:fs/promises")>("node:fs/promises")).open;
  vi.mocked(fsp.open).mockImplementation(async (path, flags, mode) => {
    const handle = await real(path, flags, mode);
    if (!String(path).endsWith(suffix)) return handle;
    return new Proxy(handle, {
      get(target, key) {
        if (key === "writeFile" || key === "write") return () => Promise.reject(enospc());
        const value = Reflect.get(target, key) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  });
}

describe("the run lock", () => {
  it("refuses a lock path that is a directory with the path and a hint, instead of throwing", async () => {
    await mkdir(join(root, ".specwright", "lock"), { recursive: true });
    const r = await acquireRunLock(root, { command: "specwright build" });
    expect(r).toMatchObject({ ok: false, reason: "unusable" });
    if (r.ok) return;
    expect(r.message).toBe(`cannot take the run lock ${join(root, ".specwright", "lock")}: it is a directory, where a file belongs`);
    expect(r.hint).toMatch(/move the directory out of the way/);
  });

  it("on a full disk says so, and leaves no empty lock that would block the next run", async () => {
    await diskFullFor(join(".specwright", "lock"));
    const r = await acquireRunLock(root, { command: "specwright build" });
    expect(r).toMatchObject({ ok: false, reason: "unusable", message: expect.stringContaining("no space left on the device") });
    expect(existsSync(join(root, ".specwright", "lock"))).toBe(false);
    // Space is back: the next run takes the lock at once, not after a 10 s grace.
    vi.mocked(fsp.open).mockReset();
    const started = Date.now();
    const next = await acquireRunLock(root, { command: "specwright build" });
    expect(next.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    if (next.ok) await next.lock.release();
  });
});

describe("atomic and exclusive writes on a full disk", () => {
  it("leave the target as it was, no temp file behind, and an error naming the target", async () => {
    const target = join(root, "plan.toml");
    await writeFile(target, "version = 1\n");
    await diskFullFor(".tmp");
    const error = await writeFileAtomic(target, "version = 1\n# new\n").then(() => undefined, (e: unknown) => e);
    expect(fileProblem(error)).toMatchObject({ code: "ENOSPC", path: target });
    expect(describeFileProblem(fileProblem(error)!)).toBe(`${target}: no space left on the device (ENOSPC)`);
    expect(await readFile(target, "utf8")).toBe("version = 1\n");
    expect(await readdir(root)).toEqual(["plan.toml"]);
  });

  it("remove a created but unwritten exclusive file", async () => {
    await diskFullFor("new.smd");
    await expect(writeFileExclusive(join(root, "new.smd"), "text")).rejects.toMatchObject({ code: "ENOSPC", path: join(root, "new.smd") });
    expect(existsSync(join(root, "new.smd"))).toBe(false);
  });
});

describe("plan.toml that is a directory", () => {
  it("is read as a diagnostic at plan.toml:1:1 with a hint, not an exception", async () => {
    await mkdir(join(root, ".specwright", "plan.toml"), { recursive: true });
    const load = await readPlanFile(root);
    expect(load).toMatchObject({
      kind: "unreadable",
      diagnostic: { severity: "error", file: ".specwright/plan.toml", line: 1, column: 1, message: "cannot read .specwright/plan.toml: it is a directory, where a file belongs", code: "plan/unreadable" },
    });
  });
});

describe("a trace write that fails while the reply streams", () => {
  let fake: FakeOllama;
  beforeEach(async () => {
    fake = await startFakeOllama();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("is reported as the trace file's problem with its path, not as an error of Ollama", async () => {
    const { run: trace } = await TraceRun.open({ projectRoot: root, command: "build", env: {}, keepRuns: 0 });
    const { run } = await openRun(fake);
    fake.script({ content: ["src/a.py\n", "```python\n", "x = 1\n", "```\n"] });
    // response.md is opened for appending; pointing it at /dev/full makes every write fail with ENOSPC.
    const dir = trace.path(taskAttemptPath("T001", 1));
    await mkdir(dir, { recursive: true });
    await symlink("/dev/full", join(dir, "response.md"));
    const outcome = await run.call({ caller: "T001", messages: [{ role: "user", content: "write src/a.py" }], recorder: trace.recorder(taskAttemptPath("T001", 1)) }).then(
      (r) => ({ returned: r }),
      (e: unknown) => ({ thrown: e }),
    );
    expect(outcome).toHaveProperty("thrown");
    const problem = fileProblem((outcome as { thrown: unknown }).thrown);
    expect(problem).toMatchObject({ code: "ENOSPC", path: join(dir, "response.md") });
  });
});
