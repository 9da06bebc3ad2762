import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { acquireRunLock } from "../../src/lock.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, PROJECT_TOML, REPORT_SMD, findingsReply, writeProject } from "../helpers/spec-project.js";

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

const audit = (...args: string[]) => runCli(["audit", ...args], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const findingsJson = async () =>
  JSON.parse(await readFile(join(dir, ".specwright/findings.json"), "utf8")) as {
    findings: { id: string; status: string; severity: string; line: number; history: { event: string }[]; reason?: string }[];
  };
const divideLine = CALC_SMD.split("\n").indexOf("### Divide numbers {#divide}") + 1;

describe("specwright audit", () => {
  it("stores findings with stable ids, drops findings that point nowhere, and exits 1 while errors stay open", async () => {
    fake.script(
      findingsReply([
        { severity: "error", file: "specs/calc.smd", line: divideLine, issue: "Division by zero is not specified: b = 0 has no defined result.", suggestion: "Say what divide does when b is 0." },
        { severity: "warning", file: "specs/calc.smd", line: 999, issue: "A line that does not exist." },
        { severity: "info", file: "specs/other.smd", line: 2, issue: "A file that is not part of the spec." },
      ]),
    );
    const r = await audit("--fix", "none");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("CALC-1");
    expect(r.stdout).toContain("Division by zero is not specified");
    expect(r.stdout).toContain("1 open finding (1 error, 0 warning, 0 info)");
    const stored = await findingsJson();
    expect(stored.findings).toHaveLength(1);
    expect(stored.findings[0]).toMatchObject({ id: "CALC-1", status: "open", severity: "error", line: divideLine });
    // The dropped findings are noted in the run's trace.
    const runs = await readdir(join(dir, ".specwright/runs"));
    const notes = await readFile(join(dir, ".specwright/runs", runs[0]!, "notes.log"), "utf8");
    expect(notes).toContain("line 999 does not exist in specs/calc.smd");
    expect(notes).toContain('file "specs/other.smd" is not one of');
    // The model saw the spec with line numbers and a JSON schema.
    const [request] = fake.promptRequests();
    expect(request!.format).toMatchObject({ type: "object", required: ["findings"] });
    expect(request!.messages![1]!.content).toContain(`${divideLine}| ### Divide numbers {#divide}`);
    // Structured calls never think; this model cannot, so `think` is not sent at all.
    expect(request!.think).toBeUndefined();

    expect((await audit("--fix", "none", "--errors-ok")).exitCode).toBe(0);
  });

  it("re-audits an unchanged project with zero model calls, and only the changed spec after an edit", async () => {
    await writeProject(dir, { "specs/report.smd": REPORT_SMD });
    fake.script(findingsReply([]), findingsReply([]), findingsReply([]));
    expect((await audit("--fix", "none")).exitCode).toBe(0);
    expect(fake.promptRequests()).toHaveLength(3); // CALC, REPORT, cross-spec

    const again = await audit("--fix", "none");
    expect(again.exitCode).toBe(0);
    expect(fake.promptRequests()).toHaveLength(3);
    expect(again.stderr).toContain("CALC: unchanged since the last audit");

    await writeFile(join(dir, "specs/report.smd"), REPORT_SMD.replace("One line with the total.", "One line with the total, rounded to two decimals."));
    fake.script(findingsReply([]), findingsReply([]));
    expect((await audit("--fix", "none")).exitCode).toBe(0);
    const prompts = fake.promptRequests().slice(3);
    expect(prompts).toHaveLength(2); // REPORT and the cross-spec audit; CALC is cached
    expect(prompts[0]!.messages![1]!.content).toContain("Spec REPORT");
  });

  it("keeps a finding's id and dismissal across re-audits that rephrase it", async () => {
    fake.script(findingsReply([{ severity: "error", file: "specs/calc.smd", line: divideLine, issue: "Division by zero is not specified for divide." }]));
    await audit("--fix", "none");
    const dismissed = await runCli(["audit", "--dismiss", "CALC-1", "--reason", "callers never pass zero"], { cwd: dir });
    expect(dismissed.exitCode).toBe(0);
    await writeFile(join(dir, "specs/calc.smd"), CALC_SMD.replace("A small calculator library.", "A small calculator library for scripts."));
    fake.script(findingsReply([{ severity: "error", file: "specs/calc.smd", line: divideLine, issue: "The divide function does not specify division by zero." }]));
    const r = await audit("--fix", "none");
    expect(r.exitCode).toBe(0);
    const stored = await findingsJson();
    expect(stored.findings).toHaveLength(1);
    expect(stored.findings[0]).toMatchObject({ id: "CALC-1", status: "dismissed", reason: "callers never pass zero" });
    expect(stored.findings[0]!.history.map((h) => h.event)).toEqual(["raised", "dismissed", "seen-again"]);
  });

  it("refuses to triage while another run holds the project's lock", async () => {
    fake.script(findingsReply([{ severity: "error", file: "specs/calc.smd", line: divideLine, issue: "Division by zero is not specified." }]));
    await audit("--fix", "none");
    const held = await acquireRunLock(dir, { command: "specwright build (test)" });
    if (!held.ok) throw new Error(held.message);
    try {
      const r = await runCli(["audit", "--dismiss", "CALC-1", "--reason", "later"], { cwd: dir });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(String(process.pid));
      expect((await findingsJson()).findings[0]!.status).toBe("open");
    } finally {
      await held.lock.release();
    }
  });

  it("applies a fix marked [inferred], re-audits, and undoes it exactly", async () => {
    fake.script(
      findingsReply([{ severity: "error", file: "specs/calc.smd", line: divideLine, issue: "Division by zero is not specified." }]),
      {
        content: JSON.stringify({
          search: "**Returns:** The quotient as a float.",
          replace: "**Returns:** The quotient as a float.\n\n**Errors:**\n\n- b is 0 -> raise ZeroDivisionError",
        }),
      },
      findingsReply([]),
    );
    const r = await audit();
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("CALC-1: fixed in specs/calc.smd");
    const fixed = await readFile(join(dir, "specs/calc.smd"), "utf8");
    expect(fixed).toContain("- [inferred] b is 0 -> raise ZeroDivisionError");
    expect(fixed).toContain("### Divide numbers {#divide} [inferred]");
    expect(fake.promptRequests()).toHaveLength(3);
    expect(fake.promptRequests()[2]!.messages![1]!.content).toContain("b is 0 -> raise ZeroDivisionError");
    expect((await runCli(["validate"], { cwd: dir })).exitCode).toBe(0);
    expect((await findingsJson()).findings[0]!.status).toBe("fixed");

    const undo = await runCli(["audit", "--undo", "CALC-1"], { cwd: dir });
    expect(undo.exitCode).toBe(0);
    expect(await readFile(join(dir, "specs/calc.smd"), "utf8")).toBe(CALC_SMD);
    expect((await findingsJson()).findings[0]!.status).toBe("open");
  });

  it("never sends the plan judge's findings to the fixer, even with --fix all", async () => {
    const plan = { id: "PLAN-1", spec: "plan", file: ".specwright/plan.toml", line: 1, section: "weak-verify T001", issue: "T001 only compiles", suggestion: "run the tests", severity: "warning", status: "open", history: [] };
    await writeProject(dir, { ".specwright/findings.json": JSON.stringify({ version: 1, audits: {}, counters: { plan: 1 }, findings: [plan] }) });
    fake.script(findingsReply([]));
    const r = await audit("--fix", "all");
    expect(r.exitCode, r.stderr).toBe(0);
    // The audit's one call, and no fixer call for PLAN-1.
    expect(fake.promptRequests()).toHaveLength(1);
    expect((await findingsJson()).findings.find((f) => f.id === "PLAN-1")?.status).toBe("open");
  });

  it("rejects a fix that would break the spec and leaves the file unchanged", async () => {
    fake.script(
      findingsReply([{ severity: "error", file: "specs/calc.amd", line: 12, issue: "Arith's path is wrong." }]),
      { content: JSON.stringify({ search: "@path: calc/arith.py\n", replace: "" }) },
    );
    const r = await audit("--max-fix-cycles", "1");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("CALC-1: fix not applied: the edited spec no longer validates");
    expect(r.stderr).toContain("has no `@path:`");
    expect(await readFile(join(dir, "specs/calc.amd"), "utf8")).toBe(CALC_AMD);
  });

  it("stops on invalid specs before asking any model", async () => {
    await writeFile(join(dir, "specs/calc.amd"), CALC_AMD.replace("@path: calc/arith.py\n", ""));
    const r = await audit();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("specs/calc.amd:");
    expect(r.stderr).toContain("fix them before auditing");
    expect(fake.requests).toHaveLength(0);
  });

  it("re-asks once for an invalid answer, then fails with exit 1", async () => {
    fake.script({ content: "{\"findings\": [{\"severity\": \"fatal\"}]}" }, { content: "not json" });
    const r = await audit("--fix", "none");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("invalid twice");
    const [first, second] = fake.promptRequests();
    expect(second!.messages!.slice(0, first!.messages!.length)).toEqual(first!.messages);
    expect(second!.messages!.at(-1)!.content).toContain("$.findings[0]");
  });

  it("exits 3 with the fix when Ollama is not running", async () => {
    await fake.close();
    const r = await audit();
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`Ollama is not reachable at ${fake.url}`);
  });

  it("keeps the findings of specs audited before Ollama went away, and exits 3", async () => {
    await writeProject(dir, { "specs/report.smd": REPORT_SMD });
    fake.script(
      findingsReply([{ severity: "warning", file: "specs/calc.smd", line: divideLine, issue: "Float precision of the quotient is not stated." }]),
      { content: "{\"find", fault: { kind: "drop-connection", afterChunks: 1 } },
    );
    const r = await audit("--fix", "none");
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain("trace:");
    const stored = await findingsJson();
    expect(stored.findings.map((f) => f.id)).toEqual(["CALC-1"]);
  });
});
