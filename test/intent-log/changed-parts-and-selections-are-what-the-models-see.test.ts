import { describe, expect, it } from "vitest";
import { emptyFindings } from "../../src/audit/findings.js";
import { describeSelection, partAt } from "../../src/intent/ask-context.js";
import { parsePlan } from "../../plans/plan.js";
import { changedParts, focusedAuditMessages, parseProposalDiff } from "../../src/intent/focused-audit.js";
import { numberHunks, renderProposalDiff } from "../../src/intent/proposal.js";
import { groupsOf } from "../../src/intent/review.js";
import { CALC_AMD, CALC_SMD } from "../helpers/spec-project.js";

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

/** The parts the focused audit would be shown after `after` replaced calc.smd. */
function partsFor(after: string, amd = CALC_AMD) {
  const sources = new Map([
    ["specs/calc.smd", after],
    ["specs/calc.amd", amd],
  ]);
  const files = [{ file: "specs/calc.smd", before: CALC_SMD, after }, ...(amd !== CALC_AMD ? [{ file: "specs/calc.amd", before: CALC_AMD, after: amd }] : [])];
  return { parts: changedParts(files, numberHunks(files), groupsOf(sources)), sources };
}

describe("the parts a focused audit is shown", () => {
  it("widens a changed line to its requirement, and a bullet outside requirements to its section", () => {
    const after = CALC_SMD.replace("Add two integers.", "Add two integers, exactly.").replace("- Standard library only", "- Standard library only\n- No rounding");
    const { parts } = partsFor(after);
    expect(parts.map((p) => [p.file, p.from, p.to, p.labels])).toEqual([
      ["specs/calc.smd", lineOf(after, "### Add numbers"), lineOf(after, "- A non-integer argument"), ["CALC#requirements/add"]],
      ["specs/calc.smd", lineOf(after, "## Constraints"), lineOf(after, "- No rounding"), ["CALC#constraints"]],
    ]);
  });

  it("merges parts apart only by blank lines, shows the frontmatter for a frontmatter change, and covers an AMD component", () => {
    const after = CALC_SMD.replace("status: draft", "status: active").replace("Add two integers.", "Add two integers exactly.").replace("Divide a by b.", "Divide a by b exactly.");
    const amd = CALC_AMD.replace("Command-line entry point.", "Command-line entry point; prints the result.");
    const { parts, sources } = partsFor(after, amd);
    expect(parts.map((p) => `${p.file}:${p.from}-${p.to} ${p.labels.join(",")}`)).toEqual([
      `specs/calc.smd:1-5 specs/calc.smd frontmatter`,
      `specs/calc.smd:${lineOf(after, "### Add numbers")}-${lineOf(after, "**Returns:** The quotient")} CALC#requirements/add,CALC#requirements/divide`,
      `specs/calc.amd:${lineOf(amd, "### Cli")}-${lineOf(amd, "**Depends on:** Arith")} CALC#components/Cli`,
    ]);
    // The prompt numbers every shown line as in its file and holds nothing else of the specs.
    const prompt = focusedAuditMessages({ id: "I-0001", words: "exactly", parts, texts: sources })[1]!.content;
    expect(prompt).toContain(`${lineOf(amd, "### Cli")}| ### Cli`);
    expect(prompt).not.toContain("### Arith");
    expect(prompt).not.toContain("## Constraints");
    expect(prompt).not.toContain("# Calc\n");
  });
});

describe("a decision's diff read back", () => {
  it("gives the hunks it was written from, line numbers and all, for files changed and created", () => {
    const after = CALC_SMD.replace("status: draft", "status: active").replace("- Standard library only\n", "- Standard library only\n- No rounding\n").replace("Add two integers.\n\n", "");
    const files = [
      { file: "specs/calc.smd", before: CALC_SMD, after },
      { file: "specs/new.smd", before: undefined, after: "---\nid: NEW\n---\n\n# New\n" },
    ];
    const hunks = numberHunks(files);
    expect(hunks.length).toBeGreaterThanOrEqual(4);
    expect(parseProposalDiff(renderProposalDiff(files, hunks))).toEqual(hunks);
  });
});

describe("what the editor is told a selection is", () => {
  it("names the requirement a spec line is in, and a finding's issue, and ranks the finding's spec first", () => {
    const groups = groupsOf(new Map([["specs/calc.smd", CALC_SMD], ["specs/calc.amd", CALC_AMD]]));
    expect(partAt(groups, "specs/calc.smd", lineOf(CALC_SMD, "Divide a by b."))).toBe("CALC#requirements/divide");
    expect(partAt(groups, "specs/calc.smd", lineOf(CALC_SMD, "Standard library only"))).toBe("CALC#constraints");
    expect(partAt(groups, "specs/calc.amd", lineOf(CALC_AMD, "def divide"))).toBe("CALC#components/Arith");

    const findings = emptyFindings();
    findings.findings.push({ id: "CALC-2", spec: "CALC", severity: "error", file: "specs/calc.smd", line: 29, section: "Requirements", issue: "Dividing by zero is not specified.", suggestion: "Add an error case.", status: "open", history: [] });
    const described = describeSelection({ context: { source: "tui audit", finding: "CALC-2", file: "specs/calc.smd", line: lineOf(CALC_SMD, "Divide a by b.") }, groups, plan: undefined, findings });
    expect(described.lines).toEqual([
      "audit finding CALC-2 (error, open) at specs/calc.smd:29 in Requirements: Dividing by zero is not specified. Suggestion: Add an error case.",
      `specs/calc.smd:${lineOf(CALC_SMD, "Divide a by b.")}, in CALC#requirements/divide`,
    ]);
    expect(described.spec).toBe("CALC");
    // A finding no longer in findings.json is still named, as such.
    expect(describeSelection({ context: { source: "tui audit", finding: "CALC-9" }, groups, plan: undefined, findings }).lines).toEqual(["audit finding CALC-9 (not in findings.json now)"]);
  });

  it("spells out the refs of the tasks a retro's recommendation is for, so the change goes where they see it", () => {
    const groups = groupsOf(new Map([["specs/calc.smd", CALC_SMD], ["specs/calc.amd", CALC_AMD]]));
    const parsed = parsePlan('version = 1\n\n[[task]]\nid = "T002"\nspec = "CALC"\ntitle = "Divide"\noutputs = ["src/divide.py"]\nrefs = ["requirements/divide"]\n');
    if (!parsed.plan) throw new Error("the plan did not parse");
    const described = describeSelection({ context: { source: "retro .specwright/retros/2026-12-02.md recommendation 1", spec: "CALC", anchor: "divide", tasks: ["T002", "T009"] }, groups, plan: parsed.plan, findings: undefined });
    expect(described.lines).toEqual([
      'task T002 "Divide" of spec CALC, which the request is for: its build sees only its refs (requirements/divide), so make the change inside one of them or it will not reach this task',
      "task T009, which the request is for (not in plan.toml now)",
    ]);
  });
});
