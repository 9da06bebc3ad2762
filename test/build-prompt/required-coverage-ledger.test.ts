import { describe, expect, it } from "vitest";
import { validateSpecs, type VmdDocument } from "../../grammar/index.js";
import { emptyTask } from "../../plans/plan.js";
import { requiredCoverageDiagnostics, requirementLedger } from "../../src/cases/required-coverage.js";
import type { SpecGroup } from "../../src/specs/project-specs.js";
import { calcGroup } from "./fixtures.js";

// Ossature's coverage ledger (verification/ledger.py, 0.2.1): what covers a
// requirement and what `[test] require_coverage` fails on. Taken from its
// rules: explicit @covers (anchor or heading), a group's or call scenario's
// name when it has no @covers, a task's `covers`; {.no-verify} is exempt; a
// project without .vmd files is asked nothing.

function withVmd(group: SpecGroup, text: string): SpecGroup {
  const parsed = validateSpecs([{ file: "specs/calc.vmd", text }], { standalone: true }).files[0];
  if (parsed?.kind !== "vmd" || !parsed.ast) throw new Error("the fixture is not a VMD");
  return { ...group, vmds: [{ file: "specs/calc.vmd", text, ast: parsed.ast as VmdDocument }] };
}

const covered = (group: SpecGroup, covers: string[] = []) =>
  requirementLedger([group], { tasks: [{ ...emptyTask(), id: "T009", spec: "CALC", title: "golden file", covers }] }).map((e) => [e.requirement.anchor, e.coveredBy]);

describe("the coverage ledger", () => {
  it("covers by a group's name, by @covers with a quoted heading, and by a call scenario's target", () => {
    expect(covered(withVmd(calcGroup(), "@spec CALC\n\nadd(a, b)\ntwo | 2 | 2 | 4\n"))).toEqual([["add", ["group 'add'"]], ["divide", []]]);
    expect(covered(withVmd(calcGroup(), '@spec CALC\n\n@covers "Divide numbers"\nadd(a, b)\ntwo | 2 | 2 | 4\n'))).toEqual([["add", []], ["divide", ["group 'add'"]]]);
    expect(covered(withVmd(calcGroup(), "@spec CALC\n\nscenario halves:\nwhen divide(1, 2)\nthen returns 0.5\n"))).toEqual([["add", []], ["divide", ["scenario 'halves'"]]]);
    expect(covered(withVmd(calcGroup(), "@spec CALC\n\nscenario halves:\nwhen divide(1, 2)\nthen returns 0.5\n"), ["add"])).toEqual([["add", ["task T009"]], ["divide", ["scenario 'halves'"]]]);
  });

  it("asks nothing of a project without .vmd files, and nothing with the key off", () => {
    expect(requirementLedger([calcGroup()], undefined)).toEqual([]);
    const group = withVmd(calcGroup(), "@spec CALC\n\nadd(a, b)\ntwo | 2 | 2 | 4\n");
    expect(requiredCoverageDiagnostics([group], undefined, false)).toEqual([]);
    expect(requiredCoverageDiagnostics([group], undefined, true).map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(["specs/calc.smd:27:1 error coverage/uncovered-requirement"]);
  });
});
