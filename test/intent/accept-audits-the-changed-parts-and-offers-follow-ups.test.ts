import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmod, readFile, writeFile } from "node:fs/promises";
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

/** The CLI with the focused audit at its default (on): runCli turns it off for the other tests. */
const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { OLLAMA_HOST: fake.url, SPECWRIGHT_AUDIT_AFTER_ASK: undefined, ...env } });
const spec = () => readFile(join(dir, "specs/calc.smd"), "utf8");
const log = async () =>
  (await readFile(join(dir, ".specwright/intent.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown> & { event: string; id: string });

const DIVIDE_ERRORS = {
  content: JSON.stringify({
    questions: [],
    assumptions: [],
    edits: [{ file: "specs/calc.smd", search: "**Returns:** The quotient as a float.", replace: "**Returns:** The quotient as a float.\n\n**Errors:**\n\n- b is 0 -> return 0", kind: "explicit", reason: "the person asked" }],
  }),
};

/** The auditor's answer: one finding it can fix inside the shown part, one whose fix is elsewhere. */
const AUDIT_FINDINGS = {
  content: JSON.stringify({
    findings: [
      {
        severity: "error",
        file: "specs/calc.smd",
        line: 37,
        section: "Requirements",
        issue: "Returning 0 for b = 0 contradicts the quotient being a float division result.",
        suggestion: "Say the result is 0.0.",
        search: "- b is 0 -> return 0",
        replace: "- b is 0 -> return 0.0 (a float, like every quotient)",
      },
      { severity: "warning", file: "specs/calc.smd", line: 31, section: "Requirements", issue: "Accepts says integers but nothing says what a float argument does.", suggestion: "Add an error case for floats.", search: "", replace: "" },
    ],
  }),
};

describe("the focused audit after an ask is applied", () => {
  it("checks only the changed parts with the audit model, offers its fixes as a pending follow-up in the same thread, and never applies them itself", async () => {
    fake.script(DIVIDE_ERRORS);
    expect((await cli(["ask", "dividing by zero should give 0"])).exitCode).toBe(0);
    fake.script(AUDIT_FINDINGS);
    const accepted = await cli(["ask", "--accept", "I-0001"]);
    expect(accepted.exitCode).toBe(0);
    expect(accepted.stdout).toContain("I-0001: accepted: wrote specs/calc.smd");
    // One ask, one audit: two model calls in all.
    const calls = fake.promptRequests();
    expect(calls).toHaveLength(2);

    // The audit prompt holds the changed requirement with its real line numbers, the words, and nothing else of the specs.
    const text = await spec();
    const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    expect([lineOf("### Divide numbers"), lineOf("- b is 0 -> return 0")]).toEqual([27, 37]);
    const audit = calls[1]!.messages!.map((m) => m.content).join("\n");
    expect(audit).toContain("You check a change that was just made");
    expect(audit).toContain("dividing by zero should give 0");
    expect(audit).toContain("=== file: specs/calc.smd lines 27–37 (CALC#requirements/divide) ===");
    expect(audit).toContain("27| ### Divide numbers {#divide}");
    expect(audit).toContain("37| - b is 0 -> return 0");
    for (const unchanged of ["A small calculator library.", "### Add numbers {#add}", "Standard library only", "@path: calc/arith.py", "id: CALC"]) expect(audit).not.toContain(unchanged);

    expect(accepted.stdout).toContain("Focused audit of I-0001's change: 2 findings");
    expect(accepted.stdout).toContain("error specs/calc.smd:37 (Requirements): Returning 0 for b = 0 contradicts");
    expect(accepted.stdout).toContain("(no edit offered: the fix needs text outside the changed parts)");
    expect(accepted.stdout).toContain("Follow-up I-0002 (same thread, pending; every edit marked [inferred])");
    expect(accepted.stdout).toContain("+- [inferred] b is 0 -> return 0.0 (a float, like every quotient)");
    // Offered, not applied.
    expect(await spec()).toContain("- b is 0 -> return 0\n");
    expect(await spec()).not.toContain("0.0");

    const events = await log();
    expect(events.find((e) => e.event === "audited")).toMatchObject({ id: "I-0001", followUp: "I-0002", calls: 1, parts: ["specs/calc.smd:27-37"] });
    expect(events.find((e) => e.event === "request" && e.id === "I-0002")).toMatchObject({ kind: "follow-up", thread: "I-0001", context: { source: "focused audit of I-0001" } });
    expect(events.find((e) => e.event === "proposal" && e.id === "I-0002")).toMatchObject({ edits: [{ kind: "inferred", search: "- b is 0 -> return 0" }] });
    const shown = await cli(["intent", "I-0001"]);
    expect(shown.stdout).toContain("focused audit: 2 findings");
    expect(shown.stdout).toContain("follow-up edits: I-0002");

    // Accepting the follow-up writes it, marked [inferred], and audits nothing more.
    const followed = await cli(["ask", "--accept", "I-0002"]);
    expect(followed.exitCode).toBe(0);
    expect(await spec()).toContain("- [inferred] b is 0 -> return 0.0 (a float, like every quotient)");
    expect(fake.promptRequests()).toHaveLength(2);
    expect((await cli(["validate"])).exitCode).toBe(0);
  });

  it("asks for the context the ask had, so Ollama does not reload the model for it", async () => {
    // Notes long enough that the ask needs a bigger context than the audit of one requirement would.
    const notes = `\n## Notes\n\n${Array.from({ length: 60 }, (_, i) => `Calc note ${i}: results are plain Python numbers and the library keeps no state between calls.`).join("\n")}\n`;
    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD + notes);
    fake.script(DIVIDE_ERRORS, { content: JSON.stringify({ findings: [] }) });
    expect((await cli(["ask", "dividing by zero should give 0", "--yes"])).exitCode).toBe(0);
    const [ask, audit] = fake.promptRequests();
    expect(ask!.options?.num_ctx).toBe(8192);
    expect(audit!.promptTokens!).toBeLessThan(1000);
    expect(audit!.options?.num_ctx).toBe(8192);
    // One load for both calls: the audit found the model loaded with the context it asked for.
    expect(fake.requests.filter((r) => r.loaded === true)).toHaveLength(1);
  });

  it("is skipped with --no-audit and with audit.after_ask = off, and reported in --json", async () => {
    fake.script(DIVIDE_ERRORS);
    await cli(["ask", "dividing by zero should give 0"]);
    const skipped = await cli(["ask", "--accept", "I-0001", "--no-audit"]);
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stdout).not.toContain("Focused audit");
    expect(fake.promptRequests()).toHaveLength(1);

    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD);
    fake.script(DIVIDE_ERRORS);
    expect((await cli(["ask", "dividing by zero should give 0", "--yes"], { SPECWRIGHT_AUDIT_AFTER_ASK: "off" })).exitCode).toBe(0);
    expect(fake.promptRequests().filter((r) => r.messages![0]!.content.startsWith("You check a change"))).toHaveLength(0);

    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD);
    fake.script(DIVIDE_ERRORS, { content: JSON.stringify({ findings: [] }) });
    const json = await cli(["ask", "dividing by zero should give 0", "--yes", "--json"]);
    expect(json.exitCode).toBe(0);
    const decision = JSON.parse(json.stdout.trim().split("\n").at(-1)!) as { status: string; audit: { status: string; findings: unknown[]; calls: number } };
    expect(decision.status).toBe("accepted");
    expect(decision.audit).toMatchObject({ status: "clean", findings: [], calls: 1 });
  });

  it("keeps the change applied when the audit model fails, says so, and ask --audit runs it later", async () => {
    fake.script(DIVIDE_ERRORS);
    await cli(["ask", "dividing by zero should give 0"]);
    fake.script({ fault: { kind: "http-error", status: 500, message: "model runner has unexpectedly stopped" } });
    const r = await cli(["ask", "--accept", "I-0001"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("I-0001: accepted");
    expect(r.stderr).toContain("I-0001's focused audit did not finish");
    expect(r.stderr).toContain("the change stays applied");
    expect(r.stderr).toContain("specwright ask --audit I-0001");
    expect(await spec()).toContain("- b is 0 -> return 0");
    expect((await log()).map((e) => e.event)).toEqual(["request", "proposal", "decision"]);

    // Later, by hand: the same check of the same parts, from the decision's diff.
    fake.script(AUDIT_FINDINGS);
    const later = await cli(["ask", "--audit", "I-0001"]);
    expect(later.exitCode).toBe(0);
    expect(later.stdout).toContain("Follow-up I-0002");
    expect(fake.promptRequests().at(-1)!.messages![1]!.content).toContain("=== file: specs/calc.smd lines 27–37 (CALC#requirements/divide) ===");
    expect((await log()).find((e) => e.event === "audited")).toMatchObject({ id: "I-0001", followUp: "I-0002" });
    // Not on top of text changed since.
    await writeFile(join(dir, "specs/calc.smd"), (await spec()).replace("Divide a by b.", "Divide a by b, by hand."));
    const stale = await cli(["ask", "--audit", "I-0001"]);
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain("specs/calc.smd changed since I-0001 was applied");
    expect((await cli(["ask", "--audit", "I-0001", "--no-audit"])).exitCode).toBe(2);
  });

  it("stops on Ctrl-C with 130, the change applied and no audit recorded", async () => {
    const { execa } = await import("execa");
    const { CLI } = await import("../helpers/cli.js");
    fake.script(DIVIDE_ERRORS);
    await cli(["ask", "dividing by zero should give 0"]);
    fake.script({ fault: { kind: "hang", afterChunks: 2 }, content: '{"findings": [' });
    const child = execa("node", [CLI, "ask", "--accept", "I-0001"], { cwd: dir, reject: false, env: { NO_COLOR: "1", OLLAMA_HOST: fake.url, XDG_CONFIG_HOME: join(dir, ".none"), SPECWRIGHT_MODEL: undefined } });
    for (let i = 0; i < 400 && fake.promptRequests().length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fake.promptRequests()).toHaveLength(2);
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stdout)).toContain("I-0001: accepted: wrote specs/calc.smd");
    expect(String(result.stderr)).toContain("I-0001's focused audit did not finish: interrupted");
    expect(await spec()).toContain("- b is 0 -> return 0");
    expect((await log()).map((e) => e.event)).toEqual(["request", "proposal", "decision"]);
  });
});

describe("ask --accept --edit", () => {
  /** An $EDITOR that runs `sed` on every file it is given: what a person would type, done by a script. */
  const editor = async (sedScript: string) => {
    const path = join(dir, "editor.sh");
    await writeFile(path, `#!/bin/sh\nfor f in "$@"; do sed -i '${sedScript}' "$f"; done\n`);
    await chmod(path, 0o755);
    return path;
  };

  it("opens the proposed text in $EDITOR and applies what was saved, recorded as the person's edit", async () => {
    fake.script(DIVIDE_ERRORS);
    await cli(["ask", "dividing by zero should give 0"]);
    const r = await cli(["ask", "--accept", "I-0001", "--edit", "--no-audit"], { EDITOR: await editor("s/-> return 0$/-> raise ZeroDivisionError/") });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("I-0001: opening specs/calc.smd in");
    expect(r.stdout).toContain("I-0001: edited: wrote specs/calc.smd");
    expect(await spec()).toContain("- b is 0 -> raise ZeroDivisionError\n");
    const decision = (await log()).at(-1)!;
    expect(decision).toMatchObject({ event: "decision", decision: "edited" });
    expect(decision.personEdits).toContain("-- b is 0 -> return 0");
    expect(decision.personEdits).toContain("+- b is 0 -> raise ZeroDivisionError");
    expect((await cli(["intent"])).stdout).toContain("edited");
  });

  it("applies nothing when the edited text does not validate, and says where", async () => {
    fake.script(DIVIDE_ERRORS);
    await cli(["ask", "dividing by zero should give 0"]);
    // The person's edit breaks the frontmatter: `id:` is gone.
    const r = await cli(["ask", "--accept", "I-0001", "--edit"], { VISUAL: await editor("/^id: CALC$/d") });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/not applied: the specs would not validate \(specs\/calc\.smd:\d+:\d+: /);
    expect(r.stderr).toContain("your edited text is kept in");
    expect(await spec()).toBe(CALC_SMD);
    expect((await log()).at(-1)).toMatchObject({ event: "proposal", id: "I-0001" });
    // Still pending: a plain accept works afterwards.
    expect((await cli(["ask", "--accept", "I-0001", "--no-audit"])).exitCode).toBe(0);
  });

  it("needs an editor, and goes with --accept only", async () => {
    fake.script(DIVIDE_ERRORS);
    await cli(["ask", "dividing by zero should give 0"]);
    const none = await cli(["ask", "--accept", "I-0001", "--edit"], { EDITOR: undefined, VISUAL: undefined });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("neither $VISUAL nor $EDITOR is set");
    expect((await cli(["ask", "--edit", "words"])).exitCode).toBe(2);
    expect(await spec()).toBe(CALC_SMD);
  });
});
