// Coverage, with no model: for every requirement, acceptance criterion,
// contract, property and verification case of the specs, the tasks whose
// refs include it, the checks that cover it (the verify commands of those
// tasks, the cases that @cover it, the implementation judge's verdicts) and
// the last result. Item ids are the judge's (review-items.ts), so a verdict
// finds its item: `requirements/<anchor>`, `acceptance-criteria/<n>`,
// `components/<Name>/contracts/<n>`, `properties/P<n>`, `cases/<case id>`.

import { componentsOf, requirementsOf, type BulletSection, type PropertiesSection } from "../../grammar/ast.js";
import { normalizeHeading, resolveCoversTarget } from "../../grammar/vmd-project.js";
import type { Plan, Task } from "../../plans/plan.js";
import { resolveRef } from "../../plans/spec-index.js";
import { taskRecord, type TaskRecord } from "../build/build-state.js";
import type { StateFile } from "../state/state-file.js";
import { specIndexOf, type SpecGroup } from "../specs/project-specs.js";
import type { CaseRecords } from "./case-record.js";
import { caseIdsOf, type CaseUnit } from "./case-units.js";

export type CoverageKind = "requirement" | "criterion" | "contract" | "property" | "case";
export type CheckResult = "pass" | "fail" | "not-run";
/** An item's last result: its checks' worst, "unchecked" when nothing checks it. */
export type ItemResult = "pass" | "fail" | "not-run" | "unchecked";

export interface CoverageCheck {
  kind: "verify" | "case" | "judge";
  /** The verify command, the case id, or the task the judge reviewed. */
  name: string;
  /** The task whose build runs the check ("" for a case no task owns). */
  task: string;
  result: CheckResult;
}

export interface CoverageItem {
  kind: CoverageKind;
  spec: string;
  id: string;
  /** The item in a few words (a title, a bullet, a case label). */
  text: string;
  file: string;
  line: number;
  tasks: string[];
  checks: CoverageCheck[];
  result: ItemResult;
  /** A requirement marked `{.no-verify}`: not expected to be checked. */
  noVerify?: boolean;
}

export interface CoverageInput {
  groups: readonly SpecGroup[];
  plan: Plan;
  state: StateFile;
  units: readonly CaseUnit[];
  /** Task id → the cases its build runs (cases-step.ts). */
  owners: ReadonlyMap<string, readonly CaseUnit[]>;
  caseRecords: CaseRecords;
}

function taskResult(record: TaskRecord | undefined): CheckResult {
  if (!record) return "not-run";
  if (record.status === "done" || record.status === "verified") return "pass";
  if (record.status === "failed") return "fail";
  return "not-run";
}

/** Ref targets of a task: section names (lower case), requirement anchors, component names. */
function refTargets(group: SpecGroup, task: Task): { sections: Set<string>; anchors: Set<string>; components: Set<string> } {
  const index = specIndexOf(group);
  const out = { sections: new Set<string>(), anchors: new Set<string>(), components: new Set<string>() };
  for (const ref of task.refs) {
    const t = resolveRef(index, ref);
    if (!t) continue;
    if (t.kind === "section") out.sections.add(t.name.toLowerCase());
    else if (t.kind === "requirement") out.anchors.add(t.anchor);
    else out.components.add(t.name);
  }
  return out;
}

function worst(checks: readonly CoverageCheck[]): ItemResult {
  if (checks.length === 0) return "unchecked";
  if (checks.some((c) => c.result === "fail")) return "fail";
  if (checks.some((c) => c.result === "pass")) return "pass";
  return "not-run";
}

export function computeCoverage(input: CoverageInput): CoverageItem[] {
  const items: CoverageItem[] = [];
  const ownerOf = new Map<string, string>();
  for (const [task, units] of input.owners) for (const u of units) for (const id of caseIdsOf(u)) ownerOf.set(id, task);

  for (const group of input.groups) {
    const tasks = input.plan.tasks.filter((t) => t.spec === group.id);
    const refs = new Map(tasks.map((t) => [t.id, refTargets(group, t)]));
    const verifyChecks = (ids: readonly string[]): CoverageCheck[] =>
      ids.flatMap((id) => {
        const task = tasks.find((t) => t.id === id)!;
        const result = taskResult(taskRecord(input.state, id));
        return task.verify.map((command): CoverageCheck => ({ kind: "verify", name: command, task: id, result }));
      });
    const judgeChecks = (ids: readonly string[], itemId: string): CoverageCheck[] =>
      ids.flatMap((id) => {
        const last = taskRecord(input.state, id)?.review?.at(-1);
        if (!last || last.outcome === "not-reviewed" || last.outcome === "nothing-to-check") return [];
        const failed = last.findings.some((f) => f.item === itemId || f.item.startsWith(`${itemId}/`));
        return [{ kind: "judge", name: `review of ${id} (attempt ${last.attempt})`, task: id, result: failed ? "fail" : "pass" } satisfies CoverageCheck];
      });
    const item = (kind: CoverageKind, id: string, text: string, file: string, line: number, taskIds: string[], extra: CoverageCheck[] = []): CoverageItem => {
      const checks = [...verifyChecks(taskIds), ...extra, ...judgeChecks(taskIds, id)];
      return { kind, spec: group.id, id, text, file, line, tasks: taskIds, checks, result: worst(checks) };
    };

    // Requirements: by ref, by the whole section, or by a task's `covers`; cases by @covers or by name.
    const requirements = requirementsOf(group.smd.ast);
    const specUnits = input.units.filter((u) => u.spec === group.id);
    for (const r of requirements) {
      const ids = tasks
        .filter((t) => refs.get(t.id)!.anchors.has(r.anchor) || refs.get(t.id)!.sections.has("requirements") || t.covers.some((c) => resolveCoversTarget(c, [r]) !== undefined))
        .map((t) => t.id);
      const caseChecks = specUnits
        .filter((u) => (u.covers.length > 0 ? u.covers.some((c) => resolveCoversTarget(c, requirements) === r) : normalizeHeading(u.kind === "function" ? u.target : "") === normalizeHeading(r.title)))
        .flatMap((u) => caseIdsOf(u).map((id): CoverageCheck => ({ kind: "case", name: id, task: ownerOf.get(id) ?? "", result: input.caseRecords[id]?.status ?? "not-run" })));
      const it = item("requirement", `requirements/${r.anchor}`, r.title, group.smd.file, r.line, ids, caseChecks);
      if (r.noVerify) it.noVerify = true;
      items.push(it);
    }
    // Acceptance criteria and properties: through their section's ref.
    const withSection = (name: string) => tasks.filter((t) => refs.get(t.id)!.sections.has(name)).map((t) => t.id);
    for (const section of group.smd.ast.sections) {
      if (section.kind === "bullets" && section.name.toLowerCase() === "acceptance criteria") {
        (section as BulletSection).bullets.forEach((b, i) => items.push(item("criterion", `acceptance-criteria/${i + 1}`, b.lines.join(" "), group.smd.file, b.line, withSection("acceptance criteria"))));
      }
      if (section.kind === "properties") {
        for (const p of (section as PropertiesSection).properties) items.push(item("property", `properties/${p.id}`, `${p.id}: ${p.text}`, group.smd.file, p.line, withSection("properties")));
      }
    }
    // Contracts: through the component's ref, the whole components section, or writing its file.
    for (const amd of group.amds) {
      for (const c of componentsOf(amd.ast)) {
        if (c.contracts?.kind !== "list") continue;
        const ids = tasks
          .filter((t) => refs.get(t.id)!.components.has(c.name) || refs.get(t.id)!.sections.has("components") || (c.path !== undefined && [...t.outputs, ...t.edits].includes(c.path.value)))
          .map((t) => t.id);
        c.contracts.items.forEach((b, i) => items.push(item("contract", `components/${c.name}/contracts/${i + 1}`, `${c.name}: ${b.lines.join(" ")}`, amd.file, b.line, ids)));
      }
    }
    // Cases: owned by the task whose build runs them.
    for (const u of specUnits) {
      const rows = u.kind === "function" ? u.cases.map((c) => ({ id: c.id, text: u.label.startsWith("scenario: ") ? u.label : `${u.label}/${c.name}`, line: c.line })) : [{ id: u.id, text: u.label, line: u.line }];
      for (const row of rows) {
        const owner = ownerOf.get(row.id);
        const record = input.caseRecords[row.id];
        const checks: CoverageCheck[] = [{ kind: "case", name: row.id, task: owner ?? "", result: record?.status ?? "not-run" }];
        items.push({ kind: "case", spec: group.id, id: `cases/${row.id}`, text: row.text, file: u.file, line: row.line, tasks: owner ? [owner] : [], checks, result: worst(checks) });
      }
    }
  }
  return items;
}

/** How the coverage table names an item's checks: `2 verify, 4 cases, judge`, or `-`. */
export function checksText(item: CoverageItem): string {
  const n = (k: CoverageCheck["kind"]) => item.checks.filter((c) => c.kind === k).length;
  const parts = [n("verify") ? `${n("verify")} verify` : "", n("case") ? `${n("case")} case${n("case") === 1 ? "" : "s"}` : "", n("judge") ? "judge" : ""].filter(Boolean);
  return parts.join(", ") || "-";
}

/** An item's result as the table writes it: `pass`, `FAIL`, `not run`, `unchecked`, `no-verify`. */
export function resultText(item: CoverageItem): string {
  if (item.noVerify) return "no-verify";
  return item.result === "fail" ? "FAIL" : item.result === "not-run" ? "not run" : item.result;
}

/** `smd:26`: the extension is enough while the spec has one file of that kind; else the file's name. */
export function whereText(item: CoverageItem, items: readonly CoverageItem[]): string {
  const ext = item.file.slice(item.file.lastIndexOf(".") + 1);
  const alone = new Set(items.filter((i) => i.spec === item.spec && i.file.endsWith(`.${ext}`)).map((i) => i.file)).size === 1;
  return `${alone ? ext : item.file.slice(item.file.lastIndexOf("/") + 1)}:${item.line}`;
}

/** An item as the table's first column names it: its id, or `case <label>` for a verification case. */
export function itemLabel(item: CoverageItem): string {
  return item.kind === "case" ? `case ${item.text}` : item.id;
}
