// The TUI's own reads and writes of project files go through the core's
// functions: triage is written under the run lock (and re-read there), and a
// finding's spec excerpt is read only from inside the project.

import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FINDINGS_FILE, readFindingSource, writeFindings } from "../../src/audit/findings-file.js";
import { emptyFindings, type Finding } from "../../src/audit/findings.js";
import { triageFinding } from "../../ui/data/findings-data.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "specwright-triage-"));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

const finding = (id: string): Finding => ({
  id, spec: "CALC", status: "open", severity: "warning", file: "specs/calc.smd", line: 3, section: "Requirements",
  issue: "division by zero is not specified", suggestion: "say what divide(1, 0) returns", history: [{ at: "2026-01-01T00:00:00Z", event: "raised" }],
});

async function holdLock(): Promise<void> {
  // A live holder: this very process, as a headless build would be.
  const holder = { pid: process.pid, command: "specwright build --yes", startedAt: new Date().toISOString(), host: hostname(), token: "held-by-test" };
  await writeFile(join(root, ".specwright/lock"), JSON.stringify(holder) + "\n");
}

describe("triage from the audit screen", () => {
  it("is refused while another run holds the lock, and findings.json stays as it was", async () => {
    await writeFindings(root, { ...emptyFindings(), findings: [finding("CALC-1")] });
    const before = await readFile(join(root, FINDINGS_FILE), "utf8");
    await holdLock();
    const problem = await triageFinding(root, "CALC-1", { action: "dismiss", reason: "the examples settle it" });
    expect(problem).toMatch(/another specwright run holds the project lock: pid \d+ \(specwright build --yes\)/);
    expect(await readFile(join(root, FINDINGS_FILE), "utf8")).toBe(before);
  });

  it("re-reads findings.json under the lock, so a change to another finding made meanwhile is kept", async () => {
    await writeFindings(root, { ...emptyFindings(), findings: [finding("CALC-1"), finding("CALC-2")] });
    // Another process accepted CALC-2 after the screen loaded the file.
    const file = JSON.parse(await readFile(join(root, FINDINGS_FILE), "utf8")) as { findings: Finding[] };
    file.findings[1]!.status = "accepted";
    await writeFile(join(root, FINDINGS_FILE), JSON.stringify(file));
    expect(await triageFinding(root, "CALC-1", { action: "dismiss", reason: "settled" })).toBeUndefined();
    const after = JSON.parse(await readFile(join(root, FINDINGS_FILE), "utf8")) as { findings: Finding[] };
    expect(after.findings.map((f) => [f.id, f.status])).toEqual([["CALC-1", "dismissed"], ["CALC-2", "accepted"]]);
  });
});

describe("a finding's spec excerpt", () => {
  it("is read from the project, and never from a path outside it that findings.json names", async () => {
    const project = join(root, "project");
    await mkdir(join(project, "specs"), { recursive: true });
    await writeFile(join(project, "specs/calc.smd"), "\uFEFF---\nid: CALC\n---\n# Calc\n");
    await writeFile(join(root, "outside.txt"), "not the project's");
    expect(await readFindingSource(project, "specs/calc.smd")).toBe("---\nid: CALC\n---\n# Calc\n");
    expect(await readFindingSource(project, "../outside.txt")).toBeUndefined();
    expect(await readFindingSource(project, join(root, "outside.txt"))).toBeUndefined();
    expect(await readFindingSource(project, "specs/gone.smd")).toBeUndefined();
  });
});

describe("a plan judge's finding", () => {
  it("is never sent to the fixer, which edits specs only: it names the Plan screen instead, before any run opens", async () => {
    const { loadConfig } = await import("../../src/config/load.js");
    const { proposeProjectFix } = await import("../../src/audit/run-project-audit.js");
    await writeFile(join(root, "specwright.toml"), '[project]\nname = "calc"\n');
    await mkdir(join(root, "specs"), { recursive: true });
    await writeFile(join(root, "specs/calc.smd"), "---\nid: CALC\n---\n\n# Calc\n\n## Requirements\n\n### Add {#add}\n\nAdd two integers.\n");
    const plan: Finding = { ...finding("PLAN-1"), spec: "plan", file: ".specwright/plan.toml", section: "weak-verify T001" };
    await writeFindings(root, { ...emptyFindings(), findings: [plan] });
    const { loaded } = await loadConfig({ cwd: root, env: { HOME: root, XDG_CONFIG_HOME: join(root, ".none") }, flags: {} });
    const result = await proposeProjectFix({ loaded, env: { OLLAMA_HOST: "http://127.0.0.1:9" }, findingId: "PLAN-1", onModelEvent: () => undefined });
    expect(result).toEqual({ ok: false, message: "PLAN-1 is the plan judge's finding about .specwright/plan.toml, not a spec", hint: "change the task on the Plan screen (or in plan.toml), or re-plan; then R reviews the plan again" });
    // No audit run was opened for it.
    expect(existsSync(join(root, ".specwright/runs"))).toBe(false);
  });
});
