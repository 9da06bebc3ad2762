// `plan --from-architecture`: a plan without a model. One task per AMD
// component, dependencies before dependents (`**Depends on:**`), outputs from
// `@path`, refs to the component and to the requirements whose text names
// it (a requirement that names no component goes to the top-level components,
// the ones nothing depends on: entry points implement what the spec promises),
// verify from the file type's syntax check. A tests component (its file is a
// test file) gets the parts of the components it tests — their requirements,
// the Examples and the Acceptance Criteria — and a verify that runs the tests,
// after the code it tests. Deterministic and instant.

import { componentsOf, requirementsOf, type ComponentNode, type RequirementNode } from "../../grammar/ast.js";
import { renderRequirement } from "../../grammar/render.js";
import { dependencyFirst } from "../../plans/graph.js";
import type { Task } from "../../plans/plan.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { isTestFile, syntaxCheckFor, shellQuote, testRunnerFor } from "./verify-defaults.js";
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

/** A component whose file is a test file (tests/test_x.py, x.test.mjs, x_test.go…): it tests, and is verified by running it. */
export function isTestsComponent(component: ComponentNode): boolean {
  const path = component.path?.value.trim() ?? "";
  return path !== "" && isTestFile(path);
}

export function planFromArchitecture(groups: readonly SpecGroup[], firstNumber = 1, options: { framework?: string } = {}): ArchitecturePlan {
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
    const hasSection = (name: string) => group.smd.ast.sections.some((s) => s.name === name);
    const hasConstraints = hasSection("Constraints");
    // What a tests task is checked against, beside the requirements of the code it tests.
    const testSections = [...(hasSection("Examples") ? ["examples"] : []), ...(hasSection("Acceptance Criteria") ? ["acceptance criteria"] : [])];
    const idOf = new Map<string, string>();
    const code = components.filter((c) => !isTestsComponent(c));
    const unnamed = requirements.filter((r) => !code.some((c) => namesComponent(r, c)));
    // Tests only depend on code: a tests component nothing else depends on is not an entry point.
    const codeDependedOn = new Set(code.flatMap((c) => (c.dependsOn ?? []).map((d) => d.name.toLowerCase())));
    const namedFor = (component: ComponentNode) => {
      const topLevel = !codeDependedOn.has(component.name.toLowerCase());
      return requirements.filter((r) => namesComponent(r, component) || (topLevel && unnamed.includes(r)));
    };
    const byName = new Map(components.map((c) => [c.name.toLowerCase(), c]));
    // The code comes first, then the tests (which may name no dependency at all).
    const ordered = [...dependencyFirst(code, (c) => c.name.toLowerCase(), (c) => (c.dependsOn ?? []).map((d) => d.name.toLowerCase())), ...components.filter(isTestsComponent)];
    for (const component of ordered) {
      const id = taskId(n++);
      idOf.set(component.name.toLowerCase(), id);
      // The plan spells a path one way (plans/output-path.ts): "@path: ./src/a.py" plans "src/a.py".
      const path = canonicalPath((component.path?.value ?? "").trim());
      if (isTestsComponent(component)) {
        // The components it tests: those it names under **Depends on:**, else all the code of the spec.
        const declared = (component.dependsOn ?? []).map((d) => byName.get(d.name.toLowerCase())).filter((c): c is ComponentNode => c !== undefined && !isTestsComponent(c));
        const tested = declared.length > 0 ? declared : code;
        // The requirements of the tested code; when none names it, the spec's requirements that name no component.
        const ofTested = requirements.filter((r) => tested.some((c) => namedFor(c).includes(r)) || namesComponent(r, component));
        const testedRequirements = ofTested.length > 0 ? ofTested : unnamed;
        const runner = testRunnerFor(path, options.framework ?? "");
        tasks.push({
          id,
          spec: group.id,
          title: component.name,
          description: component.description,
          outputs: [path],
          copy: [],
          edits: [],
          dependsOn: tested.map((c) => idOf.get(c.name.toLowerCase())).filter((d): d is string => d !== undefined),
          refs: [
            `components/${component.name}`,
            ...tested.map((c) => `components/${c.name}`),
            ...testedRequirements.map((r) => `requirements/${r.anchor}`),
            ...testSections,
            ...(hasConstraints ? ["constraints"] : []),
          ],
          context: [],
          covers: [],
          verify: runner ? [runner] : [syntaxCheckFor(path) ?? `test -s ${shellQuote(path)}`],
          status: "auto",
          notes: "",
        });
        continue;
      }
      const named = namedFor(component);
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
