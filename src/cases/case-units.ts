// The verification cases of a project as runnable units: each function group
// (and each function scenario) bound to the component file whose interface
// names its target, each command scenario with its steps. A unit that cannot
// run says why (no harness for the language, an opaque fixture), so it is
// shown as not run — never a silent pass. Pure: specs in, units out.

import type { ComponentNode, JsonValue, VmdCommandStep, VmdExpectation, VmdMode, VmdParam } from "../../grammar/ast.js";
import { componentsOf } from "../../grammar/ast.js";
import { componentForTarget, harnessLanguageOf, type HarnessLanguage } from "../../grammar/vmd-project.js";
import type { SpecGroup } from "../specs/project-specs.js";

export interface CaseOrigin {
  spec: string;
  /** The .vmd file, relative to the project root. */
  file: string;
  line: number;
}

export interface FunctionCase {
  /** Stable identity within the project: `SPEC:group/case` or `SPEC:scenario:slug`. */
  id: string;
  name: string;
  line: number;
  inputs: JsonValue[];
  rawInputs: string[];
  expect: VmdExpectation;
}

export interface FunctionUnit extends CaseOrigin {
  kind: "function";
  /** `SPEC:name/arity` for a group, `SPEC:scenario:slug` for a function scenario. */
  id: string;
  label: string;
  target: string;
  params: Pick<VmdParam, "name" | "type">[];
  modes: VmdMode[];
  approxTol: number | null;
  covers: string[];
  cases: FunctionCase[];
  /** The component file the target is imported from (relative to the output dir). */
  module?: string;
  language?: HarnessLanguage;
  /** Why the unit cannot run; absent when it can. */
  notRunnable?: string;
}

export interface CommandUnit extends CaseOrigin {
  kind: "command";
  id: string;
  label: string;
  name: string;
  covers: string[];
  steps: VmdCommandStep[];
}

export type CaseUnit = FunctionUnit | CommandUnit;

/** Every case id of a unit (a group has one per row, a scenario one). */
export function caseIdsOf(unit: CaseUnit): string[] {
  return unit.kind === "function" ? unit.cases.map((c) => c.id) : [unit.id];
}

function bind(groups: readonly SpecGroup[], arch: string, target: string): { module?: string; language?: HarnessLanguage; notRunnable?: string } {
  const amds = groups.find((g) => g.id === arch)?.amds ?? [];
  const components: ComponentNode[] = amds.flatMap((a) => componentsOf(a.ast));
  if (components.length === 0) return { notRunnable: `no architecture (.amd) for ${arch} says which file defines ${target}` };
  const component = componentForTarget(components, target);
  if (!component) return { notRunnable: `no component of ${arch}'s architecture names ${target} in its interface` };
  const path = component.path?.value;
  if (!path) return { notRunnable: `component ${component.name} has no @path` };
  const language = harnessLanguageOf(path);
  if (!language.ok) return { module: path, notRunnable: `specwright has no harness for .${language.ext} files (${path}); function cases run for Python and JavaScript/TypeScript` };
  return { module: path, language: language.language };
}

/** The runnable units of the given specs (all of them when `only` is undefined). */
export function caseUnitsOf(groups: readonly SpecGroup[], only?: ReadonlySet<string>): CaseUnit[] {
  const units: CaseUnit[] = [];
  for (const group of groups) {
    if (only && !only.has(group.id)) continue;
    for (const vmd of group.vmds) {
      const spec = group.id;
      const arch = vmd.ast.arch?.id ?? spec;
      const opaque = new Map(vmd.ast.fixtures.filter((f) => f.opaque).map((f) => [f.name, f.label]));
      for (const g of vmd.ast.groups) {
        const opaqueParam = g.params.find((p) => p.opaqueFixture);
        const binding = bind(groups, arch, g.name);
        const unit: FunctionUnit = {
          kind: "function",
          id: `${spec}:${g.name}/${g.arity}`,
          label: g.name,
          spec,
          file: vmd.file,
          line: g.line,
          target: g.name,
          params: g.params.filter((p) => !p.opaqueFixture).map((p) => ({ name: p.name, type: p.type })),
          modes: g.modes,
          approxTol: g.approxTol ?? null,
          covers: g.covers,
          cases: g.cases.map((c) => ({ id: `${spec}:${g.name}/${c.name}`, name: c.name, line: c.line, inputs: c.inputs, rawInputs: c.rawInputs, expect: c.expect })),
          ...binding,
        };
        if (opaqueParam) unit.notRunnable = `parameter ${opaqueParam.name} is the opaque fixture !${opaque.get(opaqueParam.name) ?? ""}, which specwright's harness cannot construct`;
        units.push(unit);
      }
      for (const s of vmd.ast.scenarios) {
        const id = `${spec}:scenario:${s.slug}`;
        if (s.kind === "command") {
          units.push({ kind: "command", id, label: `scenario: ${s.name}`, name: s.name, spec, file: vmd.file, line: s.line, covers: s.covers, steps: s.steps });
        } else if (s.kind === "call" && s.call?.expect) {
          const binding = bind(groups, arch, s.call.target);
          const unit: FunctionUnit = {
            kind: "function",
            id,
            label: `scenario: ${s.name}`,
            spec,
            file: vmd.file,
            line: s.line,
            target: s.call.target,
            // A scenario's arguments are positional: no names to bind by keyword.
            params: s.call.args.map(() => ({ name: "", type: "" as const })),
            modes: [],
            approxTol: null,
            covers: s.covers,
            cases: [{ id, name: s.name, line: s.line, inputs: s.call.args, rawInputs: s.call.rawArgs, expect: s.call.expect }],
            ...binding,
          };
          const opaqueGiven = s.givens.find((g) => g.opaque);
          if (opaqueGiven) unit.notRunnable = `given ${opaqueGiven.name} is an opaque fixture, which specwright's harness cannot construct`;
          units.push(unit);
        }
      }
    }
  }
  return units;
}

function showJson(value: JsonValue): string {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return `[${value.map(showJson).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${showJson(v)}`).join(", ")}}`;
  return JSON.stringify(value);
}

/** What a case expects, in one line a person (and a model fixing the code) reads. */
export function describeExpectation(unit: FunctionUnit, c: FunctionCase): string {
  const call = `${unit.target}(${c.rawInputs.join(", ")})`;
  const modes = unit.modes.length > 0 ? ` (compared ${unit.modes.map((m) => (m === "approx" && unit.approxTol !== null ? `~approx:${unit.approxTol}` : `~${m}`)).join(" ")})` : "";
  if (c.expect.kind === "ok") return `${call} returns without an error`;
  if (c.expect.kind === "error") return `${call} raises ${c.expect.type}${c.expect.message ? ` with a message containing ${JSON.stringify(c.expect.message)}` : ""}`;
  return `${call} returns ${c.expect.raw || showJson(c.expect.value)}${modes}`;
}
