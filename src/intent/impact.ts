// What a spec change does to the plan, without any model: which spec parts
// (requirements, components, sections, the brief) change, which plan tasks'
// prompts hold a changed part (so the next build rebuilds them — the same
// rendering and the same key components the build hashes), which refs would
// stop resolving, and which tasks depend on a rebuilt one (they rebuild only
// if its files come out different). Pure.

import type { Plan, Task } from "../../plans/plan.js";
import { buildTaskGraph, descendantsOf } from "../../plans/graph.js";
import type { SpecwrightConfig } from "../config/types.js";
import { assembleTaskPrompt, projectBrief, promptKeyParts } from "../build/task-prompt.js";
import { renderTaskRefs } from "../build/task-refs.js";
import { specIndexOf, type SpecGroup } from "../specs/project-specs.js";
import type { ChangedRef } from "./intent-log.js";

export interface ImpactedTask {
  id: string;
  title: string;
  /** What in its prompt changed: "requirement `top`", "the brief", "the architecture of its files". */
  reasons: string[];
}

export interface SpecImpact {
  changed: ChangedRef[];
  /** Tasks the next build rebuilds because their spec input changed. */
  tasks: ImpactedTask[];
  /** Refs of plan tasks that resolve now and would not after the change. */
  unresolved: { task: string; ref: string }[];
  /** Tasks downstream of a rebuilt one: rebuilt only if its files come out different. */
  dependents: string[];
  /** False when there is no plan yet (nothing to rebuild). */
  planned: boolean;
}

/** Every part of a spec a task could ref, in the spelling task keys use. */
function allRefs(group: SpecGroup): string[] {
  const index = specIndexOf(group);
  // The Requirements and Components sections are the sum of their parts; naming each part says more.
  const aggregate = new Set(["requirements", "components"]);
  return [...index.sections.map((s) => s.name).filter((n) => !aggregate.has(n.toLowerCase())), ...index.requirements.map((r) => `requirements/${r.anchor}`), ...index.components.map((c) => `components/${c.name}`)];
}

function renderedParts(group: SpecGroup | undefined): Map<string, string> {
  if (!group) return new Map();
  return new Map(renderTaskRefs(group, allRefs(group), { overviewInBrief: false }).refs.map((r) => [r.ref, r.text]));
}

/** The spec parts that differ between two versions of the specs, per spec id. */
export function changedRefs(before: readonly SpecGroup[], after: readonly SpecGroup[]): ChangedRef[] {
  const ids = [...new Set([...before.map((g) => g.id), ...after.map((g) => g.id)])];
  const out: ChangedRef[] = [];
  for (const spec of ids) {
    const old = renderedParts(before.find((g) => g.id === spec));
    const now = renderedParts(after.find((g) => g.id === spec));
    for (const [ref, text] of now) {
      const was = old.get(ref);
      if (was === undefined) out.push({ spec, ref, change: "added" });
      else if (was !== text) out.push({ spec, ref, change: "changed" });
    }
    for (const ref of old.keys()) if (!now.has(ref)) out.push({ spec, ref, change: "removed" });
  }
  return out;
}

function describeRef(ref: string): string {
  if (ref.startsWith("requirements/")) return `requirement \`${ref.slice(13)}\``;
  if (ref.startsWith("components/")) return `component ${ref.slice(11)}`;
  return `section ${ref}`;
}

/** The spec-derived key parts of a task's prompt (dependencies, context and edits do not depend on specs). */
function specParts(task: Task, group: SpecGroup, config: SpecwrightConfig) {
  const prompt = assembleTaskPrompt({
    task,
    spec: group,
    brief: projectBrief(group, { name: config.project.name, language: config.output.language, framework: config.output.framework, outputDir: config.output.dir }),
    dependencies: [],
    context: [],
    edits: [],
  });
  return { parts: promptKeyParts(prompt), unresolved: prompt.unresolvedRefs };
}

export function specImpact(input: { before: readonly SpecGroup[]; after: readonly SpecGroup[]; plan: Plan | undefined; config: SpecwrightConfig }): SpecImpact {
  const changed = changedRefs(input.before, input.after);
  if (!input.plan) return { changed, tasks: [], unresolved: [], dependents: [], planned: false };
  const tasks: ImpactedTask[] = [];
  const unresolved: { task: string; ref: string }[] = [];
  for (const task of input.plan.tasks) {
    if (task.status === "skip" || task.copy.length > 0) continue;
    const oldGroup = input.before.find((g) => g.id === task.spec);
    const newGroup = input.after.find((g) => g.id === task.spec);
    if (!oldGroup || !newGroup) continue;
    const old = specParts(task, oldGroup, input.config);
    const now = specParts(task, newGroup, input.config);
    const reasons: string[] = [];
    if (old.parts.brief !== now.parts.brief) reasons.push("the brief (the spec's title or overview)");
    const oldRefs = new Map(old.parts.refTexts.map((r) => [r.ref, r.text]));
    const newRefs = new Map(now.parts.refTexts.map((r) => [r.ref, r.text]));
    for (const [ref, text] of newRefs) if (oldRefs.get(ref) !== text) reasons.push(describeRef(ref));
    for (const ref of oldRefs.keys()) if (!newRefs.has(ref)) reasons.push(`${describeRef(ref)} (gone)`);
    if (old.parts.architecture !== now.parts.architecture) reasons.push("the architecture of its files");
    for (const ref of now.unresolved) if (!old.unresolved.includes(ref)) unresolved.push({ task: task.id, ref });
    if (reasons.length > 0) tasks.push({ id: task.id, title: task.title, reasons });
  }
  const graph = buildTaskGraph(input.plan.tasks);
  const rebuilt = new Set(tasks.map((t) => t.id));
  const dependents = new Set<string>();
  for (const id of rebuilt) for (const d of descendantsOf(graph, id)) if (!rebuilt.has(d)) dependents.add(d);
  return { changed, tasks, unresolved, dependents: input.plan.tasks.map((t) => t.id).filter((id) => dependents.has(id)), planned: true };
}

/** Lines for a person: what changes, what rebuilds, what breaks. */
export function describeImpact(impact: SpecImpact): string[] {
  const lines: string[] = [];
  const by = (c: ChangedRef["change"]) => impact.changed.filter((r) => r.change === c).map((r) => `${r.spec}#${r.ref}`);
  const changed = by("changed");
  const added = by("added");
  const removed = by("removed");
  if (changed.length > 0) lines.push(`changes:  ${changed.join(", ")}`);
  if (added.length > 0) lines.push(`adds:     ${added.join(", ")}`);
  if (removed.length > 0) lines.push(`removes:  ${removed.join(", ")}`);
  if (lines.length === 0) lines.push("changes no spec part a task can see (only text outside sections)");
  if (!impact.planned) lines.push("no plan yet: nothing to rebuild (`specwright plan` makes one)");
  else if (impact.tasks.length === 0) lines.push("rebuilds: no task (no task's prompt holds a changed part)");
  else for (const t of impact.tasks) lines.push(`rebuilds: ${t.id} ${t.title} — ${t.reasons.join(", ")}`);
  if (impact.dependents.length > 0) lines.push(`then maybe: ${impact.dependents.join(", ")} (if the rebuilt files come out different)`);
  for (const u of impact.unresolved) lines.push(`breaks:   ${u.task} ref "${u.ref}" would no longer resolve — fix plan.toml or re-plan`);
  return lines;
}
