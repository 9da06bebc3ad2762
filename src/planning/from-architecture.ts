// `plan --from-architecture`: a plan without a model. One task per AMD
// component, dependencies before dependents (`**Depends on:**`), outputs from
// `@path`, refs to the component and to the requirements whose text names
// it (a requirement that names no component goes to the top-level components,
// the ones nothing depends on: entry points implement what the spec promises),
// verify from the file type's syntax check. Deterministic and instant.

import { componentsOf, requirementsOf, type ComponentNode, type RequirementNode } from "../../grammar/ast.js";
import { renderRequirement } from "../../grammar/render.js";
import { dependencyFirst } from "../../plans/graph.js";
import type { Task } from "../../plans/plan.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { syntaxCheckFor, shellQuote } from "./verify-defaults.js";
import { canonicalPath } from "../../plans/output-path.js";

export interface ArchitecturePlan {
  tasks: Task[];
  /** Specs that have no AMD and so need the planner model. */
  needPlanner: string[];
}

export function taskId(n: number): string {
  return `T${String(n).padStart(3, "0")}`;
}

/** The number after the highest `T<n>` id in use: ids are never reused. */
export function nextTaskNumber(tasks: readonly Pick<Task, "id">[]): number {
  return tasks.reduce((max, t) => Math.max(max, Number(/^T(\d+)$/.exec(t.id)?.[1] ?? 0)), 0) + 1;
}


function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A requirement names a component when its text mentions the component's name or its file. */
function namesComponent(requirement: RequirementNode, component: ComponentNode): boolean {
  const text = renderRequirement(requirement);
  const names = [component.name, component.path?.value, component.path?.value.split("/").pop()].filter((n): n is string => !!n);
  return names.some((n) => new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(n)}($|[^A-Za-z0-9_])`, "i").test(text));
}

export function planFromArchitecture(groups: readonly SpecGroup[], firstNumber = 1): ArchitecturePlan {
  const tasks: Task[] = [];
  const needPlanner: string[] = [];
  let n = firstNumber;
  for (const group of groups) {
    const components = group.amds.flatMap((a) => componentsOf(a.ast));
    if (components.length === 0) {
      needPlanner.push(group.id);
      continue;
    }
    const requirements = requirementsOf(group.smd.ast);
    const hasConstraints = group.smd.ast.sections.some((s) => s.name === "Constraints");
    const idOf = new Map<string, string>();
    const dependedOn = new Set(components.flatMap((c) => (c.dependsOn ?? []).map((d) => d.name.toLowerCase())));
    const unnamed = requirements.filter((r) => !components.some((c) => namesComponent(r, c)));
    for (const component of dependencyFirst(components, (c) => c.name.toLowerCase(), (c) => (c.dependsOn ?? []).map((d) => d.name.toLowerCase()))) {
      const id = taskId(n++);
      idOf.set(component.name.toLowerCase(), id);
      // The plan spells a path one way (plans/output-path.ts): "@path: ./src/a.py" plans "src/a.py".
      const path = canonicalPath((component.path?.value ?? "").trim());
      const topLevel = !dependedOn.has(component.name.toLowerCase());
      const named = requirements.filter((r) => namesComponent(r, component) || (topLevel && unnamed.includes(r)));
      tasks.push({
        id,
        spec: group.id,
        title: component.name,
        description: component.description,
        outputs: path ? [path] : [],
        copy: [],
        edits: [],
        dependsOn: (component.dependsOn ?? []).map((d) => idOf.get(d.name.toLowerCase())).filter((d): d is string => d !== undefined),
        refs: [`components/${component.name}`, ...named.map((r) => `requirements/${r.anchor}`), ...(hasConstraints ? ["constraints"] : [])],
        context: [],
        covers: [],
        verify: path ? [syntaxCheckFor(path) ?? `test -s ${shellQuote(path)}`] : [],
        status: "auto",
        notes: "",
      });
    }
  }
  return { tasks, needPlanner };
}
