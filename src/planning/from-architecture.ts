// `plan --from-architecture`: a plan without a model. One task per AMD
// component, dependencies before dependents (`**Depends on:**`), outputs from
// `@path`, refs to the component and to the requirements whose text names
// it (a requirement that names no component goes to the top-level components,
// the ones nothing depends on: entry points implement what the spec promises),
// verify from the file type's syntax check. Deterministic and instant.

import { componentsOf, requirementsOf, type ComponentNode, type RequirementNode } from "../../grammar/ast.js";
import { renderRequirement } from "../../grammar/render.js";
import type { Task } from "../../plans/plan.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { syntaxCheckFor, shellQuote } from "./verify-defaults.js";

export interface ArchitecturePlan {
  tasks: Task[];
  /** Specs that have no AMD and so need the planner model. */
  needPlanner: string[];
}

export function taskId(n: number): string {
  return `T${String(n).padStart(3, "0")}`;
}

/** Components in `Depends on` order; ties keep file order. */
function componentOrder(components: readonly ComponentNode[]): ComponentNode[] {
  const byName = new Map(components.map((c) => [c.name.toLowerCase(), c]));
  const done = new Set<ComponentNode>();
  const order: ComponentNode[] = [];
  const visit = (c: ComponentNode, path: Set<ComponentNode>) => {
    if (done.has(c) || path.has(c)) return;
    path.add(c);
    for (const dep of c.dependsOn ?? []) {
      const d = byName.get(dep.name.toLowerCase());
      if (d) visit(d, path);
    }
    path.delete(c);
    done.add(c);
    order.push(c);
  };
  for (const c of components) visit(c, new Set());
  return order;
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
    for (const component of componentOrder(components)) {
      const id = taskId(n++);
      idOf.set(component.name.toLowerCase(), id);
      const path = component.path?.value ?? "";
      const topLevel = !dependedOn.has(component.name.toLowerCase());
      const named = requirements.filter((r) => namesComponent(r, component) || (topLevel && unnamed.includes(r)));
      tasks.push({
        id,
        spec: group.id,
        title: component.name,
        description: component.description,
        outputs: path ? [path] : [],
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
