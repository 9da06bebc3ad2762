import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { CALC_SMD } from "../helpers/spec-project.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "../ui/render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-ask2-"));
  await writeCalcProject(dir);
  fake = await startFakeOllama();
  app = undefined;
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake.close();
  await cleanup();
});

const spec = () => readFile(join(dir, "specs/calc.smd"), "utf8");
const events = async () =>
  (await readFile(join(dir, ".specwright/intent.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown> & { event: string; id: string });

const TEST_DIVISION = {
  content: JSON.stringify({
    questions: [],
    assumptions: [],
    edits: [{ file: "specs/calc.smd", search: "**Returns:** The quotient as a float.", replace: "**Returns:** The quotient as a float.\n\n**Errors:**\n\n- b is 0 -> return 0", kind: "explicit", reason: "the person asked" }],
  }),
};
const AUDIT_FIX = {
  content: JSON.stringify({
    findings: [
      {
        severity: "error",
        file: "specs/calc.smd",
        line: 37,
        section: "Requirements",
        issue: "0 for b = 0 is an int where every other quotient is a float.",
        suggestion: "Return 0.0.",
        search: "- b is 0 -> return 0",
        replace: "- b is 0 -> return 0.0",
      },
    ],
  }),
};

describe("the ask panel", () => {
  it("carries the Plan screen's selected task into the drafter's prompt, then audits the applied change and offers the fix as a follow-up in the same panel", async () => {
    fake.script(TEST_DIVISION, AUDIT_FIX);
    app = renderApp({ cwd: dir, env: { ...testEnv(dir, fake.url), SPECWRIGHT_AUDIT_AFTER_ASK: "on" }, screen: "plan" });
    await app.waitFor((f) => f.includes("T002") && f.includes("› T001"), "the plan table");
    await app.press(KEY.down);
    await app.waitFor((f) => f.includes("› T002"), "T002 selected");
    await app.press(">");
    await app.waitFor((f) => f.includes("about: task T002"), "the ask input, about T002");
    await app.press("cover dividing by zero too", KEY.enter);
    await app.waitFor((f) => f.includes("I-0001: proposal"), "the proposal");

    // The request is logged with the screen and its selection; the drafter sees what T002 is.
    expect((await events())[0]).toMatchObject({ event: "request", context: { source: "tui plan", task: "T002", spec: "CALC" } });
    const drafter = fake.promptRequests()[0]!.messages![1]!.content;
    expect(drafter).toContain('What the request is about (what was selected when asking, the tasks it is for):\n- task T002 "Arithmetic tests" of spec CALC: refs requirements/add; writes tests/test_arith.py');
    expect(drafter).toContain("said in: tui plan; selected: CALC; task: T002");

    await app.press(KEY.enter);
    const follow = await app.waitFor((f) => f.includes("I-0002: follow-up to I-0001 from the focused audit"), "the follow-up proposal");
    expect(follow).toContain("I-0001 accepted: wrote specs/calc.smd.");
    expect(follow).toContain("error specs/calc.smd:37: 0 for b = 0 is an int");
    expect(follow).toMatch(/\+- \[inferred\] b is 0 -> return 0\.0/);
    for (const line of follow.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    // The audit saw the changed requirement only.
    const audit = fake.promptRequests()[1]!.messages![1]!.content;
    expect(audit).toContain("(CALC#requirements/divide) ===");
    expect(audit).not.toContain("### Add numbers");
    expect(await spec()).toContain("- b is 0 -> return 0\n");

    await app.press("a");
    await app.waitFor((f) => f.includes("I-0002 accepted: wrote specs/calc.smd."), "the follow-up applied");
    expect(await spec()).toContain("- [inferred] b is 0 -> return 0.0\n");
    // A follow-up's own acceptance is not audited again.
    expect(fake.promptRequests()).toHaveLength(2);
    await app.press(KEY.escape);
    await app.waitFor((f) => !f.includes("I-0002 accepted") && f.includes("T002"), "the plan again");
  });

  it("e opens the picked hunks in $EDITOR and applies what was saved only if it validates", async () => {
    const editor = join(dir, "editor.sh");
    await writeFile(editor, `#!/bin/sh\nfor f in "$@"; do sed -i "$(cat '${join(dir, "edit.sed")}')" "$f"; done\n`);
    await chmod(editor, 0o755);
    const suspended: string[] = [];
    fake.script(TEST_DIVISION);
    app = renderApp({
      cwd: dir,
      env: { ...testEnv(dir, fake.url), EDITOR: editor },
      screen: "specs",
      suspend: (run) => {
        suspended.push("editor");
        run();
      },
    });
    await app.waitFor((f) => f.includes("specs/calc.smd"), "the specs screen");
    await app.press(KEY.down);
    await app.waitFor((f) => f.includes("› ✓ specs/calc.smd"), "calc.smd selected");
    await app.press(">", "dividing by zero gives 0", KEY.enter);
    await app.waitFor((f) => f.includes("I-0001: proposal"), "the proposal");
    expect((await events())[0]).toMatchObject({ context: { source: "tui specs", file: "specs/calc.smd" } });

    // An edit that breaks the frontmatter: nothing is written, the place is named.
    await writeFile(join(dir, "edit.sed"), "/^id: CALC$/d");
    await app.press("e");
    const refused = await app.waitFor((f) => f.includes("not applied"), "the refusal");
    expect(refused).toMatch(/specs\/calc\.smd:\d+:\d+/);
    expect(await spec()).toBe(CALC_SMD);
    expect(suspended).toEqual(["editor"]);

    // The entry is still pending: ask about it again and edit it well.
    await app.press(KEY.escape);
    fake.script(TEST_DIVISION);
    await app.press(">", "dividing by zero gives 0", KEY.enter);
    await app.waitFor((f) => f.includes("I-0002: proposal"), "the second proposal");
    await writeFile(join(dir, "edit.sed"), "s/-> return 0$/-> raise ZeroDivisionError/");
    await app.press("e");
    await app.waitFor((f) => f.includes("I-0002 edited: wrote specs/calc.smd."), "the edit applied");
    expect(await spec()).toContain("- b is 0 -> raise ZeroDivisionError\n");
    expect((await events()).at(-1)).toMatchObject({ event: "decision", id: "I-0002", decision: "edited" });
    expect(suspended).toEqual(["editor", "editor"]);
  });
});

describe("the Specs screen's draft action", () => {
  it("names the spec, takes the words in the ask panel, and writes the reviewed draft", async () => {
    const draft = [
      "---",
      "id: WORD_COUNT",
      "status: draft",
      "depends: []",
      "---",
      "",
      "# Word count",
      "",
      "## Overview",
      "",
      "Counts the words in files.",
      "",
      "**Success metric:** matches wc -w on every file.",
      "",
      "## Requirements",
      "",
      "### Count words {#count}",
      "",
      "Count the words of each file.",
      "",
      "**Accepts:** File paths.",
      "",
      "**Returns:** One count per file.",
      "",
    ].join("\n");
    fake.script({ content: JSON.stringify({ questions: [], assumptions: [], edits: [{ file: "specs/word-count.smd", search: "", replace: draft, kind: "explicit", reason: "the person asked" }] }) });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "specs" });
    await app.waitFor((f) => f.includes("specs/calc.smd"), "the specs screen");
    await app.press("D");
    await app.waitFor((f) => f.includes("Name of the spec to draft"), "the name prompt");
    await app.press("word-count", KEY.enter);
    await app.waitFor((f) => f.includes("Draft a spec") && f.includes("about: draft specs/word-count.smd (WORD_COUNT)"), "the panel in draft mode");
    await app.press("count the words in files, like wc -w", KEY.enter);
    await app.waitFor((f) => f.includes("I-0001: proposal"), "the draft as a diff");
    expect(fake.promptRequests()[0]!.messages![1]!.content).toContain("Draft a new behaviour spec at specs/word-count.smd with id WORD_COUNT");
    expect((await events())[0]).toMatchObject({ kind: "draft", words: "count the words in files, like wc -w", context: { source: "tui specs", file: "specs/word-count.smd" } });
    await app.press("a");
    await app.waitFor((f) => f.includes("I-0001 accepted: wrote specs/word-count.smd."), "the draft written");
    expect(await readFile(join(dir, "specs/word-count.smd"), "utf8")).toBe(draft);
    await app.press(KEY.escape);
    await app.waitFor((f) => f.includes("specs/word-count.smd") && !f.includes("I-0001 accepted"), "the new spec listed");

    // An existing file is never drafted over.
    await app.press("D");
    await app.waitFor((f) => f.includes("Name of the spec to draft"), "the name prompt again");
    await app.press("calc", KEY.enter);
    await app.waitFor((f) => f.includes("specs/calc.smd already exists — not drafted over"), "the refusal");
    expect(fake.promptRequests()).toHaveLength(1);
  });
});
