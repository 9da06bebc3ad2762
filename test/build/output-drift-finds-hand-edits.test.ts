import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256Hex } from "../../plans/content-hash.js";
import { outputDrift } from "../../src/build/freshness.js";
import { emptyTask } from "../../plans/plan.js";
import { tempDir } from "../helpers/cli.js";

// Moved here from the task-key tests when plans/task-key.ts's outputsChanged
// (a second, unused copy of this rule) was removed: this is the live rule that
// `status`, `why` and the build use to see hand edits and deleted files.

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await mkdir(join(dir, "calc"));
});
afterEach(() => cleanup());

const task = { ...emptyTask(), id: "T001", outputs: ["calc/arith.py", "calc/cli.py", "calc/util.py"] };

describe("files changed since specwright wrote them", () => {
  it("lists files edited by hand or deleted, and nothing for untouched files", async () => {
    await writeFile(join(dir, "calc/arith.py"), "v1\n");
    await writeFile(join(dir, "calc/cli.py"), "cli\n");
    await writeFile(join(dir, "calc/util.py"), "u\n");
    const record = { status: "done" as const, outputs: { "calc/arith.py": sha256Hex("v1\n"), "calc/cli.py": sha256Hex("cli\n"), "calc/util.py": sha256Hex("u\n") } };
    expect(await outputDrift(task, record, dir)).toEqual([]);

    await writeFile(join(dir, "calc/arith.py"), "v2 by hand\n");
    await rm(join(dir, "calc/util.py"));
    expect(await outputDrift(task, record, dir)).toEqual([
      { path: "calc/arith.py", kind: "edited" },
      { path: "calc/util.py", kind: "missing" },
    ]);
  });

  it("counts a declared output that was never written as missing, but not as edited", async () => {
    await writeFile(join(dir, "calc/arith.py"), "v1\n");
    await writeFile(join(dir, "calc/cli.py"), "someone else's\n");
    const record = { status: "written" as const, outputs: { "calc/arith.py": sha256Hex("v1\n") } };
    expect(await outputDrift(task, record, dir)).toEqual([{ path: "calc/util.py", kind: "missing" }]);
  });
});
