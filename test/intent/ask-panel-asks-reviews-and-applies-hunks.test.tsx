import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, PROJECT_TOML, writeProject } from "../helpers/spec-project.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "../ui/render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-ask-"));
  await writeProject(dir, { "specwright.toml": PROJECT_TOML, "specs/calc.smd": CALC_SMD, "specs/calc.amd": CALC_AMD });
  fake = await startFakeOllama();
  app = undefined;
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake.close();
  await cleanup();
});

const PASTE = "bools are not integers\nTraceback (most recent call last):\n  add(True, 1) returned 2";
const PROPOSAL = {
  content: JSON.stringify({
    questions: [],
    assumptions: [],
    edits: [
      { file: "specs/calc.smd", search: "- A non-integer argument -> raise TypeError", replace: "- A non-integer argument -> raise TypeError\n- A bool argument -> raise TypeError", kind: "explicit", reason: "bools are not integers" },
      { file: "specs/calc.smd", search: "## Constraints\n\n- Standard library only", replace: "## Constraints\n\n- Standard library only\n- Division results are not rounded", kind: "inferred", reason: "a gap" },
    ],
  }),
};

describe("the ask panel", () => {
  it("opens from any screen, takes a multi-line paste, shows the proposal's hunks and applies only the chosen one", async () => {
    fake.script(PROPOSAL);
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "specs" });
    await app.waitFor((f) => f.includes("calc.smd"), "the project loaded");
    await app.press("4");
    await app.waitFor((f) => f.includes("No plan yet"), "the plan screen");
    await app.press(">");
    await app.waitFor((f) => f.includes("your words change the spec"), "the ask input");
    // A paste arrives as one chunk with its line breaks.
    await app.press(PASTE);
    const typed = await app.waitFor((f) => f.includes("add(True, 1) returned 2"), "the pasted lines");
    expect(typed).toContain("> bools are not integers");
    expect(typed).toContain("  Traceback (most recent call last):");
    await app.press(KEY.enter);
    const review = await app.waitFor((f) => f.includes("I-0001: proposal") && f.includes("hunk 2"), "the proposal's diff");
    expect(review).toContain("2 hunks, 2 chosen");
    expect(review).toContain("› [✓] hunk 1");
    expect(review).toMatch(/^\s*│?\s*\+- A bool argument -> raise TypeError/m);
    expect(review).toContain("changes:  CALC#constraints, CALC#requirements/add");
    for (const line of review.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    // Proposing wrote nothing; the words are in the log, verbatim, with the screen they came from.
    expect(await readFile(join(dir, "specs/calc.smd"), "utf8")).toBe(CALC_SMD);
    const logged = JSON.parse((await readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).split("\n")[0]!) as { words: string; context: { source: string } };
    expect(logged.words).toBe(PASTE);
    expect(logged.context.source).toBe("tui plan");

    // Leave hunk 1 out, keep hunk 2, apply.
    await app.press(" ");
    await app.waitFor((f) => f.includes("1 chosen") && f.includes("[ ] hunk 1"), "hunk 1 left out");
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes("I-0001 accepted (hunks 2)"), "the applied hunk");
    const text = await readFile(join(dir, "specs/calc.smd"), "utf8");
    expect(text).toContain("- [inferred] Division results are not rounded");
    expect(text).not.toContain("A bool argument");
    await app.press(KEY.escape);
    await app.waitFor((f) => !f.includes("I-0001 accepted") && f.includes("Plan"), "the plan screen again");
  });

  it("keeps the words when the model is down and says how to retry", async () => {
    await fake.close();
    fake = await startFakeOllama();
    fake.script({ fault: { kind: "http-error", status: 500, message: "model runner has unexpectedly stopped" } }, { fault: { kind: "http-error", status: 500, message: "model runner has unexpectedly stopped" } });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "specs" });
    await app.waitFor((f) => f.includes("calc.smd"), "the specs screen");
    await app.press(">", "round the quotient", KEY.enter);
    const failed = await app.waitFor((f) => f.includes("I-0001 not answered"), "the failure");
    expect(failed).toContain("specwright ask --retry I-0001");
    const events = (await readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { event: string; words?: string });
    expect(events[0]).toMatchObject({ event: "request", words: "round the quotient" });
    expect(events.at(-1)!.event).toBe("unanswered");
  });
});
