// `[test] require_coverage`, as Ossature 0.2.1 means it (verification/ledger.py,
// cli/commands/validate.py, at commit 47dc2af of its mirror): when the project has verification specs (.vmd),
// every requirement not marked {.no-verify} must be covered by a verification
// case — a function group or scenario whose `@covers` names it, or, with no
// `@covers`, whose group name (a scenario's call target) is its anchor or its
// heading — or by a plan task's `covers`. With the key on, each uncovered
// requirement is an error at its heading; off, nothing is reported here
// (`plan --check` already warns about items no task references). A project
// without any .vmd is not asked for coverage at all, as in Ossature.
// Verify commands and the judge do not count: they check a task, not a case
// written from the spec. Pure: specs and plan in, diagnostics out.

import { requirementsOf, type RequirementNode } from "../../grammar/ast.js";
import { diagnostic, type Diagnostic } from "../../grammar/diagnostic.js";
import { resolveCoversTarget } from "../../grammar/vmd-project.js";
import type { Plan } from "../../plans/plan.js";
import type { SpecGroup } from "../specs/project-specs.js";

/** One requirement of the ledger: what covers it (`group 'add'`, `scenario 'sums'`, `task T004`). */
export interface RequirementCoverage {
  spec: string;
  file: string;
  requirement: RequirementNode;
  coveredBy: string[];
  exempt: boolean;
}

/** Ossature's coverage ledger; empty when the project has no verification specs. */
export function requirementLedger(groups: readonly SpecGroup[], plan: Plan | undefined): RequirementCoverage[] {
  if (!groups.some((g) => g.vmds.length > 0)) return [];
  const ledger: RequirementCoverage[] = [];
  for (const group of groups) {
    const requirements = requirementsOf(group.smd.ast);
    const entries = requirements.map((requirement): RequirementCoverage => ({ spec: group.id, file: group.smd.file, requirement, coveredBy: [], exempt: requirement.noVerify }));
    const cover = (target: string, by: string) => {
      const hit = resolveCoversTarget(target, requirements);
      const entry = hit && entries.find((e) => e.requirement === hit);
      if (entry && !entry.coveredBy.includes(by)) entry.coveredBy.push(by);
    };
    for (const vmd of group.vmds) {
      for (const g of vmd.ast.groups) for (const target of g.covers.length > 0 ? g.covers : [g.name]) cover(target, `group '${g.name}'`);
      for (const s of vmd.ast.scenarios) {
        const targets = s.covers.length > 0 ? s.covers : s.kind === "call" && s.call ? [s.call.target] : [];
        for (const target of targets) cover(target, `scenario '${s.name}'`);
      }
    }
    for (const task of plan?.tasks ?? []) if (task.spec === group.id) for (const target of task.covers) cover(target, `task ${task.id}`);
    ledger.push(...entries);
  }
  return ledger;
}

/** The requirements `[test] require_coverage` fails on: not exempt, covered by nothing. */
export function uncoveredRequirements(groups: readonly SpecGroup[], plan: Plan | undefined): RequirementCoverage[] {
  return requirementLedger(groups, plan).filter((e) => !e.exempt && e.coveredBy.length === 0);
}

/** With `[test] require_coverage` on, one error per uncovered requirement, at its heading; none when off. */
export function requiredCoverageDiagnostics(groups: readonly SpecGroup[], plan: Plan | undefined, requireCoverage: boolean): Diagnostic[] {
  if (!requireCoverage) return [];
  return uncoveredRequirements(groups, plan).map(({ spec, file, requirement: r }) =>
    diagnostic("error", file, r.line, r.column, `${spec}: requirement '${r.title}' has no covering verification case or task, and [test] require_coverage is on`, {
      code: "coverage/uncovered-requirement",
      hint: `add a case to a .vmd of ${spec} (a group or scenario with \`@covers ${r.anchor}\`, or a group named ${r.anchor}), list it in a task's \`covers\`, or mark the heading {.no-verify} if no case can check it`,
    }),
  );
}
