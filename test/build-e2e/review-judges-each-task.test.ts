import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama, type RecordedRequest, type ReplyScript } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { ARITH, ARITH_V2, CLI, TEST_RIGHT, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";

// The implementation judge (build.review) over real HTTP against the fake
// Ollama: a scripted reviewer answers the review calls (structured: `format`
// carries the schema), the builder's replies are routed by task as elsewhere.

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

/** Which task a review prompt is for: its "# Review of task T00N:" heading. */
function reviewOf(request: RecordedRequest): string | undefined {
  const user = request.messages?.find((m) => m.role === "user");
  return user ? /^# Review of task (T\d+):/m.exec(user.content)?.[1] : undefined;
}

type Verdict = { item: string; verdict: "pass" | "fail" | "cannot-tell"; file: string; quote: string; reason: string };
const answer = (verdicts: Verdict[]): ReplyScript => ({ content: JSON.stringify({ verdicts }) });
const cannotTell = (item: string): Verdict => ({ item, verdict: "cannot-tell", file: "", quote: "", reason: "another task's file" });

/** Builder replies by task, reviewer answers by task (in order; the last repeats). */
function script(build: Record<string, string[]>, reviews: Record<string, ReplyScript[]>): (request: RecordedRequest) => ReplyScript {
  const builder = routedReplies(build);
  const used: Record<string, number> = {};
  return (request) => {
    const id = reviewOf(request);
    if (id === undefined) return builder(request);
    const list = reviews[id] ?? [];
    const n = used[id] ?? 0;
    used[id] = n + 1;
    return list[Math.min(n, list.length - 1)] ?? { content: "{}" };
  };
}

const ARITH_ITEMS_PASS = (divideQuote: string): ReplyScript =>
  answer([
    { item: "requirements/add", verdict: "pass", file: "calc/arith.py", quote: "return a + b", reason: "adds" },
    { item: "requirements/add/errors/1", verdict: "pass", file: "calc/arith.py", quote: 'raise TypeError("add takes integers")', reason: "raises" },
    { item: "requirements/divide", verdict: "pass", file: "calc/arith.py", quote: divideQuote, reason: "a float quotient" },
    { item: "components/Arith/interface", verdict: "pass", file: "calc/arith.py", quote: "def divide(a: int, b: int) -> float:", reason: "as declared" },
    { item: "components/Arith/contracts/1", verdict: "pass", file: "calc/arith.py", quote: "    raise TypeError(\"add takes integers\")", reason: "raises" },
  ]);
const OTHERS_PASS: Record<string, ReplyScript[]> = {
  T002: [answer([cannotTell("requirements/add"), cannotTell("requirements/add/errors/1")])],
  T003: [answer([{ item: "components/Cli/interface", verdict: "cannot-tell", file: "", quote: "", reason: "no interface" }])],
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});

const build = (env: Record<string, string | undefined> = {}) => runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: fake.url, SPECWRIGHT_BUILD_REVIEW: undefined, ...env } });
const reviews = () => fake.promptRequests().filter((r) => reviewOf(r) !== undefined);
const state = async () => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { tasks: Record<string, { status: string; review?: { attempt: number; outcome: string; discarded: number; findings: Verdict[] }[] }> };
async function reviewJson(task: string, attempt: number): Promise<{ outcome: string; verdicts: Verdict[]; discarded: { item: string; why: string }[] }> {
  const runs = await readdir(join(dir, ".specwright/runs"));
  return JSON.parse(await readFile(join(dir, ".specwright/runs", runs.sort().at(-1)!, "tasks", task, `attempt-${attempt}`, "review.json"), "utf8"));
}

describe("the implementation judge", () => {
  it("is on by default; a fail with a real quote goes back into the task's own conversation, and the fix passes verify and review", async () => {
    const failDivide = answer([
      { item: "requirements/add", verdict: "pass", file: "calc/arith.py", quote: "return a + b", reason: "adds" },
      { item: "requirements/divide", verdict: "fail", file: "calc/arith.py", quote: "return a / b", reason: "the quotient is not made a float as Returns says" },
    ]);
    fake = await startFakeOllama({
      defaultReply: script({ T001: [ARITH, ARITH_V2], T002: [TEST_RIGHT], T003: [CLI] }, { T001: [failDivide, ARITH_ITEMS_PASS("return float(a) / b")], ...OTHERS_PASS }),
    });
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);

    // The review is structured, blind, and comes after verify.
    const [first, second] = reviews().filter((q) => reviewOf(q) === "T001");
    expect(first!.format).toMatchObject({ type: "object", required: ["verdicts"] });
    expect(first!.messages!.map((m) => m.role)).toEqual(["system", "user"]);
    expect(first!.messages![1]!.content).not.toMatch(/^# Task T001/m);
    expect(first!.messages![1]!.content).toContain("## calc/arith.py");
    expect(first!.messages![1]!.content).toContain("- requirements/divide (behaviour): Divide numbers: Divide a by b. Accepts: Two integers a and b. Returns: The quotient as a float.");

    // The fix attempt: the first attempt's whole conversation, then the judge's findings.
    const t001 = fake.promptRequests().filter((q) => taskOf(q) === "T001" && reviewOf(q) === undefined);
    expect(t001).toHaveLength(2);
    const [implement, fix] = t001;
    expect(fix!.messages!.slice(0, 2)).toEqual(implement!.messages);
    expect(fix!.messages![2]).toMatchObject({ role: "assistant", content: ARITH });
    const request = fix!.messages![3]!.content;
    expect(request).toContain("a reviewer who checked them against the specification found items they do not meet");
    expect(request).toContain("- requirements/divide: Divide numbers:");
    expect(request).toContain("calc/arith.py:8: `return a / b`");
    expect(request).toContain("the quotient is not made a float as Returns says");
    // The fix ran verify again, then was judged again.
    expect(second!.messages![1]!.content).toContain("return float(a) / b");
    expect(await readFile(join(dir, "output/calc/arith.py"), "utf8")).toContain("return float(a) / b");
    expect(r.stderr).toMatch(/T001 attempt 2 \(review-fix\)/);
    expect(r.stderr).toMatch(/fail requirements\/divide — calc\/arith\.py:8 `return a \/ b` — the quotient is not made a float/);

    // Recorded per attempt: review.json in each attempt's folder, and the task's state entry.
    expect(await reviewJson("T001", 1)).toMatchObject({ outcome: "fix-requested", verdicts: [{ item: "requirements/add" }, { item: "requirements/divide", verdict: "fail" }] });
    expect(await reviewJson("T001", 2)).toMatchObject({ outcome: "passed" });
    const s = await state();
    expect(s.tasks.T001!.status).toBe("done");
    expect(s.tasks.T001!.review!.map((x) => [x.attempt, x.outcome])).toEqual([[1, "fix-requested"], [2, "passed"]]);
    expect(s.tasks.T001!.review![0]!.findings[0]).toMatchObject({ item: "requirements/divide", quote: "return a / b", line: 8 });
  });

  it("discards a verdict whose quote is not in the file, counts it, and the build proceeds", async () => {
    const invented = answer([
      { item: "requirements/add", verdict: "pass", file: "calc/arith.py", quote: "return a + b", reason: "adds" },
      { item: "requirements/divide", verdict: "fail", file: "calc/arith.py", quote: "if b == 0: raise ZeroDivisionError('b is zero')", reason: "checks zero wrongly" },
      { item: "requirements/add/errors/1", verdict: "pass", file: "calc/cli.py", quote: "return a + b", reason: "a file the task did not write" },
    ]);
    fake = await startFakeOllama({ defaultReply: script({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }, { T001: [invented], ...OTHERS_PASS }) });
    const r = await build({ SPECWRIGHT_BUILD_REVIEW: "on" });
    expect(r.exitCode, r.stderr).toBe(0);
    // No fix attempt: the only fail was invented.
    expect(fake.promptRequests().filter((q) => taskOf(q) === "T001" && reviewOf(q) === undefined)).toHaveLength(1);
    const review = await reviewJson("T001", 1);
    expect(review.outcome).toBe("passed");
    expect(review.verdicts.map((v) => v.item)).toEqual(["requirements/add"]);
    expect(review.discarded.map((d) => [d.item, d.why])).toEqual([
      ["requirements/divide", "the quote is not in calc/arith.py"],
      ["requirements/add/errors/1", "calc/cli.py is not a file the task wrote"],
    ]);
    expect((await state()).tasks.T001!.review![0]).toMatchObject({ outcome: "passed", discarded: 2 });
    expect(r.stderr).toContain("T001 review: 1 pass, 0 fail, 0 cannot tell, 4 unanswered, 2 discarded (quote not in the file)");
    const summary = r.stdout;
    expect(summary).toMatch(/3 built/);
  });

  it("sends no review when build.review is off", async () => {
    fake = await startFakeOllama({ defaultReply: script({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }, {}) });
    const toml = await readFile(join(dir, "specwright.toml"), "utf8");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "specwright.toml"), toml.replace("[build]\n", '[build]\nreview = "off"\n'));
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(reviews()).toHaveLength(0);
    expect(fake.promptRequests().every((q) => q.format === undefined)).toBe(true);
    expect((await state()).tasks.T001!.review).toBeUndefined();
    await expect(reviewJson("T001", 1)).rejects.toThrow(/ENOENT/);
  });

  it("stops before anything is written when the reviewer's model is not installed", async () => {
    fake = await startFakeOllama({ defaultReply: script({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }, OTHERS_PASS) });
    const r = await build({ SPECWRIGHT_MODEL_REVIEWER: "missing-judge:7b" });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("the reviewer:");
    expect(r.stderr).toContain("missing-judge:7b");
    expect(fake.promptRequests()).toHaveLength(0);
  });
});
