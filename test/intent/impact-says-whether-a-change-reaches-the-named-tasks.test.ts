// A request that names tasks (a retro's recommendation names the tasks whose
// builds showed the need) gets, in its impact, what the change does to each:
// rebuilt, or not reached because the edited part is not among its refs —
// with the ref to add. Pure: real spec texts and plan text, no disk, no model.

import { describe, expect, it } from "vitest";
import { parsePlan } from "../../plans/plan.js";
import { defaultConfig } from "../../src/config/schema.js";
import { describeImpact, namedTasksOf, specImpact } from "../../src/intent/impact.js";
import { groupsOf } from "../../src/intent/review.js";
import { CALC_AMD, CALC_SMD } from "../helpers/spec-project.js";

const EXAMPLES = "## Examples\n\n### Divide two by one\n\n**Input:**\n\n```python\ndivide(2, 1)\n```\n\n**Output:**\n\n```\n2.0\n```\n\n";
const BEFORE = CALC_SMD.replace("## Constraints", `${EXAMPLES}## Constraints`);
const NEW_EXAMPLE = "### Divide by zero\n\n**Input:**\n\n```python\ndivide(1, 0)\n```\n\n**Output:**\n\n```\nZeroDivisionError\n```\n\n";
/** The edit a model makes for "add an Example for CALC requirements/divide": under ## Examples. */
const AFTER = BEFORE.replace("## Constraints", `${NEW_EXAMPLE}## Constraints`);

function task(id: string, refs: string[], extra = ""): string {
  return `[[task]]\nid = "${id}"\nspec = "CALC"\ntitle = "Task ${id}"\noutputs = ["src/${id.toLowerCase()}.py"]\nrefs = [${refs.map((r) => JSON.stringify(r)).join(", ")}]\nverify = ["true"]\n${extra}\n`;
}

function impactOf(planText: string, tasks: string[], source = "retro .specwright/retros/2026-12-03.md recommendation 1", after = AFTER) {
  const parsed = parsePlan(`version = 1\n\n${planText}`);
  expect(parsed.plan, JSON.stringify(parsed.diagnostics)).toBeDefined();
  const groups = (smd: string) => groupsOf(new Map([["specs/calc.smd", smd], ["specs/calc.amd", CALC_AMD]]));
  return specImpact({ before: groups(BEFORE), after: groups(after), plan: parsed.plan, config: defaultConfig("calc"), named: namedTasksOf({ source, tasks }) });
}

describe("the impact of a change for the tasks a request names", () => {
  it("says a named task that does not ref the edited part will not see it, and which ref to add", () => {
    const impact = impactOf(task("T002", ["requirements/divide"]) + task("T003", ["examples"]), ["T002"]);
    expect(impact.changed).toEqual([{ spec: "CALC", ref: "examples", change: "changed" }]);
    expect(impact.tasks.map((t) => t.id)).toEqual(["T003"]);
    expect(impact.named).toEqual([{ task: "T002", by: "the retro", reach: "not-reached", spec: "CALC", reasons: [], misses: ["examples"], elsewhere: [] }]);
    expect(describeImpact(impact)).toContain(
      "misses:   T002 (named by the retro) does not reference CALC#examples, which this change edits: its next build will not see it. Add `examples` to T002's refs in .specwright/plan.toml (or re-plan)",
    );
  });

  it("says a named task rebuilds when its refs hold the edited part, directly or through a whole section", () => {
    for (const refs of [["requirements/divide", "examples"], ["Examples"]]) {
      const impact = impactOf(task("T002", refs), ["T002"]);
      expect(impact.named?.[0], refs.join(",")).toMatchObject({ task: "T002", reach: "rebuilds", misses: [] });
      expect(describeImpact(impact)).toContain("reaches:  T002 rebuilds (named by the retro) — section examples");
    }
    // A change to the requirement itself reaches a task that refs the whole Requirements section.
    const divide = impactOf(task("T002", ["requirements"]), ["T002"], undefined, BEFORE.replace("Divide a by b.", "Divide a by b; b is never 0."));
    expect(divide.named?.[0]).toMatchObject({ reach: "rebuilds", misses: [] });
  });

  it("says when a named task rebuilds for another part but still misses the one asked for", () => {
    const after = AFTER.replace("Divide a by b.", "Divide a by b (true division).");
    const impact = impactOf(task("T002", ["requirements/divide"]), ["T002"], undefined, after);
    expect(impact.named?.[0]).toMatchObject({ reach: "rebuilds", misses: ["examples"] });
    expect(describeImpact(impact).join("\n")).toContain("misses:   T002 rebuilds (named by the retro), but does not reference CALC#examples, which this change edits");
  });

  it("counts the components of the files a task writes as seen: the prompt's architecture holds them", () => {
    const amdAfter = CALC_AMD.replace("The arithmetic functions.", "The arithmetic functions, in floats.");
    const parsed = parsePlan(`version = 1\n\n[[task]]\nid = "T002"\nspec = "CALC"\ntitle = "Arith"\noutputs = ["calc/arith.py"]\nrefs = ["requirements/divide"]\nverify = ["true"]\n`);
    const groups = (amd: string) => groupsOf(new Map([["specs/calc.smd", BEFORE], ["specs/calc.amd", amd]]));
    const impact = specImpact({ before: groups(CALC_AMD), after: groups(amdAfter), plan: parsed.plan, config: defaultConfig("calc"), named: { tasks: ["T002"], by: "the retro" } });
    expect(impact.changed).toEqual([{ spec: "CALC", ref: "components/Arith", change: "changed" }]);
    expect(impact.named?.[0]).toMatchObject({ reach: "rebuilds", misses: [] });
  });

  it("says a named task that is not in the plan, or skipped, gets no build that sees the change", () => {
    const impact = impactOf(task("T002", ["examples"], 'status = "skip"'), ["T002", "T009"]);
    expect(describeImpact(impact)).toEqual(
      expect.arrayContaining([
        "misses:   T002 (named by the retro) has status skip in .specwright/plan.toml: no build of it will see this change",
        "misses:   T009 (named by the retro) is not in .specwright/plan.toml: no build of it will see this change",
      ]),
    );
  });

  it("adds nothing for a request that names no task, and reads a context without tasks or with a mangled list", () => {
    const impact = impactOf(task("T002", ["requirements/divide"]), []);
    expect(impact.named).toBeUndefined();
    expect(describeImpact(impact).join("\n")).not.toMatch(/misses|reaches/);
    expect(namedTasksOf({ source: "cli ask" })).toBeUndefined();
    // The log is a file a person may edit: only non-empty strings count.
    expect(namedTasksOf({ source: "cli ask", tasks: "T002" as unknown as string[] })).toBeUndefined();
    expect(namedTasksOf({ source: "cli ask", tasks: ["T002", 3, " ", "T002"] as unknown as string[] })).toEqual({ tasks: ["T002"], by: "the request" });
  });
});
