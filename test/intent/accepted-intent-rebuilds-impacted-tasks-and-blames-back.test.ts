import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, file, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

const CLI_V2 = file(
  "calc/cli.py",
  `import sys
from calc.arith import add


def main(argv):
    # Exactly two integers, their sum on one line.
    print(add(int(argv[0]), int(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))`,
);

const WORDS = "the cli should say in its spec that it prints the sum of exactly two integers";

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  const build = routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI, CLI_V2] });
  fake = await startFakeOllama({ defaultReply: (request) => build(request) });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const cli = (...args: string[]) => runCli(args, { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const builtTasks = () => fake.promptRequests().map(taskOf).filter((t) => t !== undefined);

describe("accepted intent → impact → rebuild → Intent trailer → blame", () => {
  it("rebuilds exactly the task whose spec part changed, names the entry in its commit, and blames the line back to the words", async () => {
    expect((await cli("build", "--yes")).exitCode).toBe(0);
    expect(builtTasks().sort()).toEqual(["T001", "T002", "T003"]);

    fake.script({
      content: JSON.stringify({
        questions: [],
        assumptions: [],
        edits: [{ file: "specs/calc.amd", search: "Command-line entry point.", replace: "Command-line entry point: prints the sum of exactly two integers.", kind: "explicit", reason: "the person said so" }],
      }),
    });
    const asked = await cli("ask", WORDS);
    expect(asked.exitCode).toBe(0);
    // The impact, computed without a model: the Cli component changes, T003 (which refs it) rebuilds, nothing breaks.
    expect(asked.stdout).toContain("changes:  CALC#components/Cli");
    expect(asked.stdout).toContain("rebuilds: T003 CLI — component Cli");
    expect(asked.stdout).not.toContain("rebuilds: T001");
    expect(asked.stdout).not.toContain("breaks:");
    const accepted = await cli("ask", "--accept", "I-0001");
    expect(accepted.exitCode).toBe(0);
    expect(accepted.stdout).toContain("the next build rebuilds T003");

    // status agrees with the impact before any build runs.
    const status = await cli("status", "--json");
    const stale = (JSON.parse(status.stdout) as { tasks: { id: string; upToDate: boolean }[] }).tasks.filter((t) => !t.upToDate).map((t) => t.id);
    expect(stale).toEqual(["T003"]);

    const before = builtTasks().length;
    const rebuilt = await cli("build", "--yes");
    expect(rebuilt.exitCode).toBe(0);
    expect(builtTasks().slice(before)).toEqual(["T003"]);

    const message = await execa("git", ["log", "-1", "--format=%B"], { cwd: join(dir, "output") });
    expect(message.stdout).toContain("Spec-Task: T003");
    expect(message.stdout).toContain("Intent: I-0001");
    const events = (await readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { event: string; task?: string; commit?: string });
    const built = events.filter((e) => e.event === "built");
    expect(built).toHaveLength(1);
    expect(built[0]).toMatchObject({ task: "T003" });
    const head = await execa("git", ["rev-parse", "HEAD"], { cwd: join(dir, "output") });
    expect(built[0]!.commit).toBe(head.stdout.trim());

    // A later rebuild for another reason does not link the entry again.
    expect((await cli("build", "--yes", "--force", "--only", "T003")).exitCode).toBe(0);
    const after = (await readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { event: string });
    expect(after.filter((e) => e.event === "built")).toHaveLength(1);

    const commentLine = CLI_V2.split("\n").findIndex((l) => l.includes("# Exactly two integers")) - 1; // first line is the path, then the fence
    const blame = await cli("blame", `output/calc/cli.py:${commentLine}`);
    expect(blame.exitCode).toBe(0);
    expect(blame.stdout).toContain("written by T003 CLI");
    expect(blame.stdout).toContain("CALC#components/Cli  ← I-0001");
    expect(blame.stdout).toContain(`│ ${WORDS}`);
    const json = JSON.parse((await cli("blame", "output/calc/cli.py", "--json")).stdout) as { tasks: { id: string }[]; intents: { id: string; request: { words: string } }[] };
    expect(json.tasks.map((t) => t.id)).toEqual(["T003"]);
    expect(json.intents.map((e) => e.request.words)).toEqual([WORDS]);

    // A file no task writes is a clear error.
    const none = await cli("blame", "output/nothing.py");
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain("no task of the plan writes nothing.py");
  });
});
