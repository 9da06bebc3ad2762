import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { closedPortUrl, runCli, tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, PROJECT_TOML, writeProject } from "../helpers/spec-project.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  fake = await startFakeOllama();
  await writeProject(dir, { "specwright.toml": PROJECT_TOML, "specs/calc.smd": CALC_SMD, "specs/calc.amd": CALC_AMD });
});
afterEach(async () => {
  await fake.close();
  await cleanup();
});

const cli = (args: string[], host = fake.url) => runCli(args, { cwd: dir, env: { OLLAMA_HOST: host } });
const ask = (...args: string[]) => cli(["ask", ...args]);
const spec = () => readFile(join(dir, "specs/calc.smd"), "utf8");
const log = async () =>
  (await readFile(join(dir, ".specwright/intent.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown> & { event: string; id: string });

/** The editor's answer as the drafter model would give it. */
const editsReply = (edits: { file?: string; search: string; replace: string; kind: "explicit" | "inferred"; reason?: string }[], questions: string[] = [], assumptions: string[] = []) => ({
  content: JSON.stringify({ questions, assumptions, edits: edits.map((e) => ({ file: "specs/calc.smd", reason: "the person asked", ...e })) }),
});

const WORDS = "divide by zero should raise ZeroDivisionError\n\nTraceback (most recent call last):\n  File \"calc/arith.py\", line 9, in divide\nZeroDivisionError: division by zero";

const explicitAndInferred = editsReply([
  { search: "**Returns:** The quotient as a float.", replace: "**Returns:** The quotient as a float.\n\n**Errors:**\n\n- b is 0 -> raise ZeroDivisionError", kind: "explicit" },
  { search: "## Constraints\n\n- Standard library only", replace: "## Constraints\n\n- Standard library only\n- Division results are not rounded", kind: "inferred", reason: "fills a gap: rounding was not said" },
]);

describe("specwright ask", () => {
  it("logs the words verbatim before the model call, proposes explicit and inferred edits, and applies them on --accept", async () => {
    fake.script(explicitAndInferred);
    const r = await ask(WORDS);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("I-0001: logged in .specwright/intent.jsonl");
    // A unified diff with numbered hunks, then the impact; nothing written yet.
    expect(r.stdout).toContain("--- a/specs/calc.smd");
    expect(r.stdout).toContain("+- b is 0 -> raise ZeroDivisionError");
    expect(r.stdout).toContain("+- [inferred] Division results are not rounded");
    expect(r.stdout).toMatch(/@@ -\d+,\d+ \+\d+,\d+ @@ hunk 1/);
    expect(r.stdout).toContain("changes:  CALC#constraints, CALC#requirements/divide");
    expect(r.stdout).toContain("no plan yet");
    expect(r.stdout).toContain("I-0001: proposal pending (1 model call)");
    expect(await spec()).toBe(CALC_SMD);

    const events = await log();
    expect(events.map((e) => e.event)).toEqual(["request", "proposal"]);
    expect(events[0]).toMatchObject({ id: "I-0001", kind: "ask", words: WORDS, context: { source: "cli ask" } });
    expect(typeof events[0]!.author).toBe("string");
    // The model saw the words verbatim and the spec with line numbers.
    const [request] = fake.promptRequests();
    expect(request!.messages![1]!.content).toContain(WORDS.replace(/\n+$/, ""));
    expect(request!.messages![1]!.content).toContain("| ### Divide numbers {#divide}");

    const accepted = await ask("--accept", "I-0001");
    expect(accepted.exitCode).toBe(0);
    expect(accepted.stdout).toContain("I-0001: accepted: wrote specs/calc.smd");
    const text = await spec();
    // Explicit text carries no marker; inferred text does.
    expect(text).toContain("\n- b is 0 -> raise ZeroDivisionError\n");
    expect(text).toContain("- [inferred] Division results are not rounded");
    expect(text).not.toContain("### Divide numbers {#divide} [inferred]");
    expect((await cli(["validate"])).exitCode).toBe(0);
    const decision = (await log()).at(-1)!;
    expect(decision).toMatchObject({ event: "decision", id: "I-0001", decision: "accepted" });
    expect(decision.diff).toContain("+- b is 0 -> raise ZeroDivisionError");
    expect((decision.files as { before: string; after: string }[])[0]!.before).not.toBe((decision.files as { after: string }[])[0]!.after);

    // A decided entry cannot be decided again.
    const again = await ask("--accept", "I-0001");
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("I-0001 has no pending proposal (it is accepted)");
  });

  it("keeps the words when Ollama is down after they were logged, and --retry answers them later", async () => {
    const down = await cli(["ask", "divide by zero should raise ZeroDivisionError"], await closedPortUrl());
    expect(down.exitCode).toBe(3);
    expect(down.stderr).toContain("I-0001: logged");
    expect(down.stderr).toContain("I-0001 not answered");
    expect(down.stderr).toContain("specwright ask --retry I-0001");
    expect((await log()).map((e) => e.event)).toEqual(["request", "unanswered"]);
    expect(await spec()).toBe(CALC_SMD);

    fake.script(explicitAndInferred);
    const retried = await ask("--retry", "I-0001", "--yes");
    expect(retried.exitCode).toBe(0);
    expect(retried.stdout).toContain("I-0001: accepted");
    expect(await spec()).toContain("- b is 0 -> raise ZeroDivisionError");
    expect((await log()).map((e) => e.event)).toEqual(["request", "unanswered", "proposal", "decision"]);
    // The retry asked with the same words.
    expect(fake.promptRequests()[0]!.messages![1]!.content).toContain("divide by zero should raise ZeroDivisionError");
  });

  it("gives the model the validation problems once, and refuses a proposal that still breaks the specs", async () => {
    const breaking = editsReply([{ file: "specs/calc.amd", search: "@path: calc/arith.py\n", replace: "", kind: "explicit" }]);
    fake.script(breaking, breaking);
    const r = await ask("remove the arith path");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("the edits did not apply");
    expect(r.stderr).toContain("I-0001 the proposal still does not apply to valid specs after one more ask");
    expect(r.stderr).toContain("specs/calc.amd:");
    expect(fake.promptRequests()).toHaveLength(2);
    // The second ask carries the diagnostics after the first answer.
    const second = fake.promptRequests()[1]!.messages!;
    expect(second.at(-1)!.content).toContain("Your edits could not be used");
    expect(second.at(-1)!.content).toContain("specs/calc.amd:");
    expect(await readFile(join(dir, "specs/calc.amd"), "utf8")).toBe(CALC_AMD);
    expect((await log()).at(-1)).toMatchObject({ event: "refused", id: "I-0001" });

    // A proposal fixed on the second ask is kept.
    fake.script(editsReply([{ search: "no such text", replace: "x", kind: "explicit" }]), explicitAndInferred);
    const fixed = await ask("--retry", "I-0001");
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain("proposal pending (2 model calls)");
  });

  it("refuses a proposal that touches a file other than a spec, without asking again", async () => {
    fake.script(editsReply([{ file: "specwright.toml", search: 'name = "calc"', replace: 'name = "calculator"', kind: "explicit" }]));
    const r = await ask("rename the project to calculator");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("refused: specwright.toml is not a spec file");
    expect(fake.promptRequests()).toHaveLength(1);
    expect(await readFile(join(dir, "specwright.toml"), "utf8")).toBe(PROJECT_TOML);
  });

  it("prints clarifying questions and exits 1; with --yes records the assumptions as [inferred]", async () => {
    const questions = editsReply(
      [{ search: "**Returns:** The quotient as a float.", replace: "**Returns:** The quotient, rounded.", kind: "explicit" }],
      ["To how many decimals should the quotient be rounded?"],
      ["two decimals, half to even"],
    );
    fake.script(questions);
    const r = await ask("round the quotient");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("1. To how many decimals should the quotient be rounded?");
    expect(r.stdout).toContain("- two decimals, half to even");
    expect(r.stdout).toContain("specwright ask --thread I-0001");
    expect(await spec()).toBe(CALC_SMD);

    fake.script(questions);
    const yes = await ask("round the quotient", "--yes");
    expect(yes.exitCode).toBe(0);
    const text = await spec();
    expect(text).toContain("**Returns:** The quotient, rounded.");
    expect(text).toMatch(/## Assumptions\n\n- \[inferred\] two decimals, half to even\n/);
    expect((await cli(["validate"])).exitCode).toBe(0);
  });

  it("refuses a pending proposal whose spec changed on disk since, and --retry asks against the new text", async () => {
    fake.script(explicitAndInferred);
    expect((await ask("divide by zero should raise")).exitCode).toBe(0);
    const handEdited = CALC_SMD.replace("A small calculator library.", "A small calculator library, by hand.");
    await writeFile(join(dir, "specs/calc.smd"), handEdited);
    const r = await ask("--accept", "I-0001");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("specs/calc.smd changed on disk since I-0001's proposal was made");
    expect(r.stderr).toContain("specwright ask --retry I-0001");
    expect(await spec()).toBe(handEdited);

    fake.script(explicitAndInferred);
    const retried = await ask("--retry", "I-0001", "--yes");
    expect(retried.exitCode).toBe(0);
    expect(fake.promptRequests()[1]!.messages![1]!.content).toContain("A small calculator library, by hand.");
    expect(await spec()).toContain("by hand.");
    expect(await spec()).toContain("- b is 0 -> raise ZeroDivisionError");
  });

  it("accepts one hunk of a proposal and leaves the other text as it was", async () => {
    fake.script(
      editsReply([
        { search: "- A non-integer argument -> raise TypeError", replace: "- A non-integer argument -> raise TypeError\n- A bool argument -> raise TypeError", kind: "explicit" },
        { search: "## Constraints\n\n- Standard library only", replace: "## Constraints\n\n- Standard library only\n- Division results are not rounded", kind: "inferred" },
      ]),
    );
    const proposed = await ask("bools are not integers; and say results are not rounded");
    expect(proposed.exitCode).toBe(0);
    expect(proposed.stdout).toContain("@@ hunk 2");
    const bad = await ask("--accept", "I-0001", "--hunks", "3");
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("hunks 1–2; there is no hunk 3");

    const r = await ask("--accept", "I-0001", "--hunks", "2");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("I-0001: accepted (hunks 2)");
    const text = await spec();
    expect(text).toContain("- [inferred] Division results are not rounded");
    expect(text).not.toContain("A bool argument");
    expect((await log()).at(-1)).toMatchObject({ event: "decision", decision: "accepted", hunks: [2] });
  });

  it("rejects a pending proposal and keeps the words", async () => {
    fake.script(explicitAndInferred);
    await ask("divide by zero should raise");
    const r = await ask("--reject", "I-0001", "--reason", "not now");
    expect(r.exitCode).toBe(0);
    expect(await spec()).toBe(CALC_SMD);
    expect((await log()).at(-1)).toMatchObject({ event: "decision", decision: "rejected", reason: "not now" });
    // The next request gets the next id; ids are never reused.
    fake.script(explicitAndInferred);
    expect((await ask("again")).stderr).toContain("I-0002: logged");
  });

  it("refuses usage mistakes before logging anything", async () => {
    expect((await ask()).exitCode).toBe(2);
    expect((await ask("--accept", "banana")).exitCode).toBe(2);
    expect((await ask("--hunks", "1")).exitCode).toBe(2);
    await expect(readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).rejects.toThrow();
  });
});
