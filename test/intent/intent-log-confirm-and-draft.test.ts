import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { runCli, tempDir } from "../helpers/cli.js";
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

const cli = (...args: string[]) => runCli(args, { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const reply = (edits: { file: string; search: string; replace: string; kind: "explicit" | "inferred" }[]) => ({
  content: JSON.stringify({ questions: [], assumptions: [], edits: edits.map((e) => ({ reason: "from the request", ...e })) }),
});

const DIVIDE_WORDS = "dividing by zero must raise ZeroDivisionError\nand say what happens with floats";

async function acceptDivideChange(): Promise<void> {
  fake.script(
    reply([
      { file: "specs/calc.smd", search: "**Returns:** The quotient as a float.", replace: "**Returns:** The quotient as a float.\n\n**Errors:**\n\n- b is 0 -> raise ZeroDivisionError", kind: "explicit" },
      { file: "specs/calc.smd", search: "**Errors:**\n\n- b is 0 -> raise ZeroDivisionError", replace: "**Errors:**\n\n- b is 0 -> raise ZeroDivisionError\n- a float argument -> raise TypeError", kind: "inferred" },
    ]),
  );
  const r = await cli("ask", DIVIDE_WORDS, "--at", "CALC#divide", "--yes");
  expect(r.exitCode).toBe(0);
}

describe("specwright intent, confirm and new --draft", () => {
  it("lists the log, shows one entry whole and renders it as Markdown", async () => {
    await acceptDivideChange();
    const list = await cli("intent");
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^I-0001 {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}accepted {4}dividing by zero must raise ZeroDivisionError\n {8}by .+ · specs specs\/calc\.smd\n$/);

    const one = await cli("intent", "I-1");
    expect(one.exitCode).toBe(0);
    expect(one.stdout).toContain("  │ dividing by zero must raise ZeroDivisionError\n  │ and say what happens with floats");
    expect(one.stdout).toContain("context: cli ask; spec CALC#divide");
    expect(one.stdout).toContain("explicit specs/calc.smd");
    expect(one.stdout).toContain("inferred specs/calc.smd");
    expect(one.stdout).toContain("+- [inferred] a float argument -> raise TypeError");
    expect(one.stdout).toContain("spec parts: CALC#requirements/divide (changed)");

    const md = await cli("intent", "--md");
    expect(md.stdout).toContain("## I-0001 — dividing by zero must raise ZeroDivisionError");
    expect(md.stdout).toContain("```diff");
    const json = JSON.parse((await cli("intent", "--json")).stdout) as { entries: { id: string; status: string }[] };
    expect(json.entries).toEqual([expect.objectContaining({ id: "I-0001", status: "accepted" })]);

    expect((await cli("intent", "I-0009")).exitCode).toBe(1);
  });

  it("confirms an inferred item by file:line and rejects one by anchor, each as an intent entry", async () => {
    await acceptDivideChange();
    const text = await readFile(join(dir, "specs/calc.smd"), "utf8");
    const line = text.split("\n").findIndex((l) => l.includes("[inferred] a float argument")) + 1;
    const confirmed = await cli("confirm", `specs/calc.smd:${line}`);
    expect(confirmed.exitCode).toBe(0);
    expect(confirmed.stdout).toContain("I-0002: confirmed 1 [inferred] item in specs/calc.smd");
    const after = await readFile(join(dir, "specs/calc.smd"), "utf8");
    expect(after).toContain("\n- a float argument -> raise TypeError\n");
    expect(after).not.toContain("[inferred]");
    const entry = await cli("intent", "I-0002");
    expect(entry.stdout).toContain("kind:    confirm");
    expect(entry.stdout).toContain(`- line ${line}: a float argument -> raise TypeError`);

    // Nothing left to confirm there: a clear error, nothing logged.
    const again = await cli("confirm", `specs/calc.smd:${line}`);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("nothing there is marked [inferred]");

    // Reject by anchor: the inferred bullet goes, the rest stays.
    await writeFile(join(dir, "specs/calc.smd"), after.replace("- b is 0 -> raise ZeroDivisionError", "- b is 0 -> raise ZeroDivisionError\n- [inferred] b is NaN -> raise ValueError"));
    const rejected = await cli("confirm", "CALC#divide", "--reject");
    expect(rejected.exitCode).toBe(0);
    expect(rejected.stdout).toContain("I-0003: removed 1 [inferred] item");
    const final = await readFile(join(dir, "specs/calc.smd"), "utf8");
    expect(final).not.toContain("NaN");
    expect(final).toContain("- b is 0 -> raise ZeroDivisionError\n- a float argument -> raise TypeError");
    expect((await cli("validate")).exitCode).toBe(0);
    expect((await cli("confirm", "nonsense")).exitCode).toBe(2);
  });

  it("drafts a whole spec from one line, marks what the person did not say, and writes it on accept", async () => {
    const skeleton = `---
id: WORD_COUNT
status: draft
depends: []
---

# Word count

## Overview

Count the words in the files given on the command line.

**Success metric:** the counts match \`wc -w\` on the test files.

## Goals

- Count the words of each file given

## Requirements

### Count words {#count}

Count the words of each file given.

**Accepts:** One or more file paths.

**Returns:** One line per file: its word count and its path.

## Acceptance Criteria

- a file of three words prints 3 and its path
`;
    fake.script(
      reply([
        { file: "specs/word-count.smd", search: "", replace: skeleton, kind: "explicit" },
        { file: "specs/word-count.smd", search: "## Goals\n\n- Count the words of each file given", replace: "## Goals\n\n- Count the words of each file given\n- Print a total line when several files are given", kind: "inferred" },
        { file: "specs/word-count.smd", search: "**Returns:** One line per file: its word count and its path.", replace: "**Returns:** One line per file: its word count and its path.\n\n**Errors:**\n\n- a path that does not exist -> print an error and exit 1", kind: "inferred" },
      ]),
    );
    const r = await cli("new", "word-count", "--draft", "count the words in files, like wc -w");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("I-0001: logged");
    expect(r.stdout).toContain("--- /dev/null\n+++ b/specs/word-count.smd");
    expect(r.stdout).toContain("proposal pending");
    await expect(readFile(join(dir, "specs/word-count.smd"), "utf8")).rejects.toThrow();
    // The model was told to draft in the Intent style, at that path, with that id.
    expect(fake.promptRequests()[0]!.messages![1]!.content).toContain("Draft a new behaviour spec at specs/word-count.smd with id WORD_COUNT");

    expect((await cli("ask", "--accept", "I-0001")).exitCode).toBe(0);
    const drafted = await readFile(join(dir, "specs/word-count.smd"), "utf8");
    expect(drafted).toContain("- Count the words of each file given\n- [inferred] Print a total line when several files are given");
    expect(drafted).toContain("- [inferred] a path that does not exist -> print an error and exit 1");
    expect(drafted).toContain("### Count words {#count} [inferred]");
    expect(drafted).toContain("**Success metric:**");
    expect((await cli("validate")).exitCode).toBe(0);
    expect((await cli("intent", "I-0001")).stdout).toContain("kind:    draft");

    // An existing spec is never drafted over.
    const exists = await cli("new", "word-count", "--draft", "again");
    expect(exists.exitCode).toBe(1);
    expect(exists.stderr).toContain("already exists");
  });
});
