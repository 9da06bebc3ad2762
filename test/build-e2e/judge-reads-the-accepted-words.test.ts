import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, file, taskOf, writeCalcProject } from "../helpers/calc-build.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { answer, reviewOf, withReviews } from "../helpers/review-script.js";

// Intent-follow: a person's accepted words reach the implementation judge of
// the task whose spec part they changed — verbatim, as an item it must judge —
// and a fail on them goes back to the builder with the words. Over real HTTP
// against the fake Ollama, with real python3 verify commands and git.

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

const WORDS = "the cli must print the sum of exactly two integers,\nand nothing else on that line";
const CLI_V2 = file("calc/cli.py", CLI.split("\n").slice(2, -2).join("\n").replace("def main", "# Prints a + b.\ndef main"));
const CLI_V3 = file("calc/cli.py", CLI.split("\n").slice(2, -2).join("\n").replace("def main", "# Prints exactly the sum of two integers.\ndef main"));

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});

const cli = (...args: string[]) => runCli(args, { cwd: dir, env: { OLLAMA_HOST: fake.url, SPECWRIGHT_BUILD_REVIEW: "on" } });
const reviewsOf = (task: string) => fake.promptRequests().filter((r) => reviewOf(r) === task);

describe("the implementation judge follows accepted intent", () => {
  it("shows the accepted words of the ask that changed the task's component, and a fail on them reaches the builder", async () => {
    const intentFails = answer([{ item: "intent/I-0001", verdict: "fail", file: "calc/cli.py", quote: "# Prints a + b.", reason: "the person asked for nothing but the sum on that line" }]);
    const intentPasses = answer([{ item: "intent/I-0001", verdict: "pass", file: "calc/cli.py", quote: "# Prints exactly the sum of two integers.", reason: "prints the sum only" }]);
    const cannot = (item: string) => ({ item, verdict: "cannot-tell" as const, file: "", quote: "", reason: "another task" });
    fake = await startFakeOllama({
      defaultReply: withReviews(
        { T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI, CLI_V2, CLI_V3] },
        {
          T001: [answer([cannot("requirements/add"), cannot("requirements/divide")])],
          T002: [answer([cannot("requirements/add")])],
          T003: [intentFails, intentPasses],
        },
      ),
    });
    expect((await cli("build", "--yes")).exitCode).toBe(0);
    // The Cli component has no interface or contracts: nothing to judge before the ask.
    expect(reviewsOf("T003")).toHaveLength(0);

    fake.script({
      content: JSON.stringify({
        questions: [],
        assumptions: [],
        edits: [{ file: "specs/calc.amd", search: "Command-line entry point.", replace: "Command-line entry point: prints the sum of exactly two integers.", kind: "explicit", reason: "the person said so" }],
      }),
    });
    expect((await cli("ask", WORDS)).exitCode).toBe(0);
    expect((await cli("ask", "--accept", "I-0001")).exitCode).toBe(0);

    const before = fake.promptRequests().length;
    const rebuilt = await cli("build", "--yes");
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    const built = fake.promptRequests().slice(before);
    // Only T003's spec part changed: only it is rebuilt, judged, fixed and judged again.
    expect(built.map((r) => reviewOf(r) ?? taskOf(r))).toEqual(["T003", "T003", "T003", "T003"]);

    // The judge's prompt holds the words as they were said (the line break kept), as an item of their own.
    const [first, second] = reviewsOf("T003");
    const prompt = first!.messages![1]!.content;
    expect(prompt).toContain("- intent/I-0001 (intent): ");
    expect(prompt).toContain("request I-0001, accepted into the spec, changed components/Cli");
    expect(prompt).toContain("The person's words: the cli must print the sum of exactly two integers,\n  and nothing else on that line");
    expect(first!.messages![0]!.content).toContain("An intent item holds a person's own words");
    expect(first!.format).toMatchObject({ properties: { verdicts: { items: { properties: { item: { enum: ["intent/I-0001"] } } } } } });

    // The fail goes back into T003's own conversation with the words; the fix is judged again and passes.
    const fix = built.find((r, i) => i > 0 && taskOf(r) === "T003" && reviewOf(r) === undefined && r.messages!.length > 2)!;
    const request = fix.messages!.at(-1)!.content;
    expect(request).toContain("- intent/I-0001: ");
    expect(request).toContain("The person's words: the cli must print the sum of exactly two integers,");
    expect(request).toContain("calc/cli.py:5: `# Prints a + b.`");
    expect(second!.messages![1]!.content).toContain("## calc/cli.py");
    expect(second!.messages![1]!.content).toContain("# Prints exactly the sum of two integers.");

    const runs = (await readdir(join(dir, ".specwright/runs"))).sort();
    const last = join(dir, ".specwright/runs", runs.at(-1)!, "tasks", "T003");
    const review = JSON.parse(await readFile(join(last, "attempt-2", "review.json"), "utf8")) as { outcome: string; verdicts: { item: string; verdict: string }[] };
    expect(review.verdicts).toEqual([expect.objectContaining({ item: "intent/I-0001", verdict: "pass" })]);
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toContain("# Prints exactly the sum of two integers.");

    // The words are not part of the key: the accepted change already is (in the spec text), so nothing is stale now.
    const status = JSON.parse((await cli("status", "--json")).stdout) as { tasks: { id: string; upToDate: boolean }[] };
    expect(status.tasks.filter((t) => !t.upToDate)).toEqual([]);
  });
});
