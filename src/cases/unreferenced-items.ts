// `plan --check`: every spec item no task references (a requirement, an
// acceptance criterion, a contract, a property, a verification case) is a
// warning at its spec line, so a plan that leaves a behaviour out says so
// before a build. Requirements marked `{.no-verify}` are left alone.

import { diagnostic, type Diagnostic } from "../../grammar/diagnostic.js";
import type { Plan } from "../../plans/plan.js";
import { assignCases } from "../build/cases-step.js";
import { emptyState } from "../state/state-file.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { caseUnitsOf } from "./case-units.js";
import { computeCoverage, type CoverageItem, type CoverageKind } from "./coverage.js";

const WHAT: Record<CoverageKind, { name: string; hint: string }> = {
  requirement: { name: "requirement", hint: "add `requirements/<anchor>` to a task's refs (or `covers`), or mark the requirement {.no-verify} if nothing should check it" },
  criterion: { name: "acceptance criterion", hint: "add the `acceptance criteria` section to the refs of the task that makes it true" },
  contract: { name: "contract", hint: "add `components/<Name>` to the refs of the task that writes the component" },
  property: { name: "property", hint: "add the `properties` section to the refs of a task that tests it" },
  case: { name: "verification case", hint: "no task writes the file it exercises and its spec has no task; plan a task for its spec (`specwright check` still runs it)" },
};

function clip(text: string): string {
  return text.length > 70 ? `${text.slice(0, 69)}…` : text;
}

/** How a warning names the item: its anchor and title, or its number and words. */
function label(i: CoverageItem): string {
  const tail = i.id.split("/").at(-1)!;
  switch (i.kind) {
    case "requirement":
      return `\`${i.id.slice("requirements/".length)}\` (${i.text})`;
    case "criterion":
      return `${tail}: ${clip(i.text)} —`;
    case "contract":
      return `${tail} of ${clip(i.text)} —`;
    case "property":
      return `${clip(i.text)} —`;
    case "case":
      return i.text;
  }
}

export function unreferencedItems(groups: readonly SpecGroup[], plan: Plan): Diagnostic[] {
  const units = caseUnitsOf(groups);
  const items = computeCoverage({ groups, plan, state: emptyState(), units, owners: assignCases(plan, units), caseRecords: {} });
  return items
    .filter((i) => i.tasks.length === 0 && !i.noVerify)
    .map((i) =>
      diagnostic("warning", i.file, i.line, 1, `${WHAT[i.kind].name} ${label(i)} is referenced by no task`, {
        hint: WHAT[i.kind].hint,
        code: "plan/unreferenced-item",
      }),
    );
}
