// The Retro section of the Report view (Traces, R, then ←): n writes a retro
// through the fake Ollama over real HTTP, ↓ picks a recommendation, a opens
// the ask panel with its words and spec part; Enter sends them, the proposal
// is applied, and the intent log records the retro and the number as the
// source — the TUI's one key from a recommendation to the intent flow.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { tempDir } from "../helpers/cli.js";
import { calcPlan, writeRetroProject } from "../helpers/retro-project.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let app: AppHarness | undefined;

const PLAN = calcPlan([
  { id: "T001", title: "Add", outputs: ["src/add.py"], refs: ["requirements/add"] },
  { id: "T002", title: "Divide", outputs: ["src/divide.py"], refs: ["requirements/divide"] },
]);

const RETRO = {
  summary: "T002 needed a fix in each run: the spec does not say what dividing by zero does, and T001 guessed at bools.",
  recommendations: [
    { kind: "make-explicit", spec: "CALC", anchor: "requirements/add", tasks: ["T001"], change: "State whether a bool counts as an integer.", why: "T001's first attempt accepted True." },
    { kind: "add-example", spec: "CALC", anchor: "requirements/divide", tasks: ["T002"], change: "Add an Example where b is 0 and the call raises ZeroDivisionError, with the exact message the tests expect.", why: "T002 failed twice on division by zero before a fix named the error." },
  ],
};

const PROPOSAL = {
  content: JSON.stringify({
    questions: [],
    assumptions: [],
    edits: [{ file: "specs/calc.smd", search: "**Returns:** The quotient as a float.", replace: "**Returns:** The quotient as a float.\n\n**Errors:**\n\n- b is 0 -> raise ZeroDivisionError", kind: "explicit", reason: "the retro's example" }],
  }),
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-retro-"));
  await writeRetroProject(dir, { plan: PLAN, days: ["20", "21"] });
  fake = await startFakeOllama();
  app = undefined;
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake.close();
  await cleanup();
});

describe("the Retro section of the Report view", () => {
  it("writes a retro with n, picks a recommendation, and sends it to the ask panel with a", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "traces", columns: 80 });
    await app.waitFor((f) => f.includes("Runs (newest first)"), "the run list");
    await app.press("R");
    await app.waitFor((f) => f.includes("[Tasks]"), "the report");
    // a and n belong to the Retro section: on Tasks they do nothing and the footer does not offer them.
    await app.press("a");
    expect(app.frame()).not.toContain("your words change the spec");
    expect(app.frame()).not.toMatch(/\bn new retro\b/);
    await app.press(KEY.left);
    const empty = await app.waitFor((f) => f.includes("[Retro]") && f.includes("No retrospective yet"), "the empty Retro section");
    expect(empty).toMatch(/\bn new retro\b/);

    fake.script({ content: JSON.stringify(RETRO) });
    await app.press("n");
    const written = await app.waitFor((f) => f.includes("› 1. T001") && f.includes("2. T002"), "the recommendations");
    expect(written).toMatch(/\.specwright\/retros\/\d{4}-\d\d-\d\d\.md · qwen2\.5-coder:14b · 2 recommendations/);
    expect(written).toContain("T002 needed a fix in each run");
    expect(written).toContain("Make explicit in CALC requirements/add: State whether a bool");
    expect(written).toContain("why: T002 failed twice on division by zero");
    for (const line of written.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    // One model call, over the digest of both tasks, and its trace is a retro run.
    expect(fake.promptRequests()).toHaveLength(1);
    expect(JSON.stringify(fake.promptRequests()[0]!.messages)).toContain("T002");

    await app.press("j");
    await app.waitFor((f) => f.includes("› 2. T002"), "recommendation 2 picked");
    await app.press("a");
    const panel = await app.waitFor((f) => f.includes("your words change the spec") && f.includes("recommendation 2"), "the ask panel with the words");
    expect(panel).toContain("about: CALC#divide");
    expect(panel).toMatch(/from retro \.specwright\/retros\/\d{4}-\d\d-\d\d\.md\s+recommendation 2/);
    // The words wrap rather than being cut: their end is on screen.
    expect(panel).toContain("before a fix named the error.)");
    for (const line of panel.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);

    fake.script(PROPOSAL);
    await app.press(KEY.enter);
    const proposal = await app.waitFor((f) => f.includes("I-0001: proposal"), "the proposal");
    // The edit is in requirement divide, which T002 (the task the recommendation names) refs.
    expect(proposal).toContain("reaches:  T002 rebuilds (named by the retro) — requirement `divide`");
    await app.press("y");
    await app.waitFor((f) => f.includes("I-0001 accepted"), "the applied change");
    expect(await readFile(join(dir, "specs/calc.smd"), "utf8")).toContain("- b is 0 -> raise ZeroDivisionError");

    const request = JSON.parse((await readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).split("\n")[0]!) as { words: string; context: Record<string, unknown> };
    expect(request.words).toBe(
      "Add an Example where b is 0 and the call raises ZeroDivisionError, with the exact message the tests expect. (T002 failed twice on division by zero before a fix named the error.)",
    );
    expect(request.context).toMatchObject({ spec: "CALC", anchor: "divide", tasks: ["T002"] });
    expect(request.context.source).toMatch(/^retro \.specwright\/retros\/\d{4}-\d\d-\d\d\.md recommendation 2$/);
    // The drafter was asked with those words.
    expect(JSON.stringify(fake.promptRequests().at(-1)!.messages)).toContain("raises ZeroDivisionError");
  });

  it("says when the model is down and writes no retro", async () => {
    await fake.close();
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "traces", columns: 80 });
    await app.waitFor((f) => f.includes("Runs (newest first)"), "the run list");
    await app.press("R", KEY.left);
    await app.waitFor((f) => f.includes("No retrospective yet"), "the empty Retro section");
    await app.press("n");
    const failed = await app.waitFor((f) => f.includes("retro failed"), "the failure");
    expect(failed).toContain("Ollama is not reachable");
    await expect(readdir(join(dir, ".specwright", "retros"))).rejects.toMatchObject({ code: "ENOENT" });
    expect(app.frame()).toContain("No retrospective yet");
  });
});
