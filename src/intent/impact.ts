// What a spec change does to the plan, without any model: which spec parts
// (requirements, components, sections, the brief) change, which plan tasks'
// prompts hold a changed part (so the next build rebuilds them — the same
// rendering and the same key components the build hashes), which refs would
// stop resolving, and which tasks depend on a rebuilt one (they rebuild only
// if its files come out different). When the request names tasks (a retro's
// recommendation names the tasks whose builds showed the need), also whether
// the change reaches each of them: an edit to a part a task does not ref
// never gets into its prompt, however right the edit is. Pure.

import { PLAN_FILE, type Plan, type Task } from "../../plans/plan.js";
import { buildTaskGraph, descendantsOf } from "../../plans/graph.js";
import type { SpecwrightConfig } from "../config/types.js";
import { assembleTaskPrompt, projectBrief, promptKeyParts } from "../build/task-prompt.js";
import { architectureFor, componentsWriting, dataModelsFor, renderTaskRefs } from "../build/task-refs.js";
import { specIndexOf, type SpecGroup } from "../specs/project-specs.js";
import type { ChangedRef, IntentContext } from "./intent-log.js";

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
  /** What the change does to each task the request names; only for a request that names tasks and a plan. */
  named?: NamedTaskReach[];
}

/** The tasks a request names, and who named them ("the retro"), as the impact says it. */
export interface NamedTasks {
  tasks: readonly string[];
  by: string;
}

/**
 * Whether a change reaches a named task's next build. `rebuilds`: its prompt
 * holds a changed part (`misses` may still list changed parts of its spec it
 * does not ref); `not-reached`: its prompt holds none; `not-in-plan`,
 * `skipped`, `copied`: no model build of it sees the specs at all.
 */
export interface NamedTaskReach {
  task: string;
  by: string;
  reach: "rebuilds" | "not-reached" | "not-in-plan" | "skipped" | "copied";
  /** The task's spec (when it is in the plan). */
  spec?: string;
  /** Why it rebuilds, as `tasks[].reasons` says it. */
  reasons: string[];
  /** Parts of its spec this change adds or changes that its prompt does not hold, spelled as refs ("examples", "requirements/top"). */
  misses: string[];
  /** Parts of other specs this change edits (`SPEC#ref`): no task of another spec sees them. */
  elsewhere: string[];
}

/** The tasks a request's context names (a log line may hold anything: only non-empty strings count), undefined when none. */
export function namedTasksOf(context: IntentContext): NamedTasks | undefined {
  const listed: unknown = context.tasks;
  const tasks = Array.isArray(listed) ? [...new Set(listed.filter((t): t is string => typeof t === "string" && t.trim() !== "").map((t) => t.trim()))] : [];
  if (tasks.length === 0) return undefined;
  return { tasks, by: typeof context.source === "string" && context.source.startsWith("retro") ? "the retro" : "the request" };
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

export function specImpact(input: { before: readonly SpecGroup[]; after: readonly SpecGroup[]; plan: Plan | undefined; config: SpecwrightConfig; named?: NamedTasks | undefined }): SpecImpact {
  const changed = changedRefs(input.before, input.after);
  if (!input.plan) return { changed, tasks: [], unresolved: [], dependents: [], planned: false };
  const briefChanged = new Set<string>();
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
    if (old.parts.brief !== now.parts.brief) {
      reasons.push("the brief (the spec's title or overview)");
      briefChanged.add(task.id);
    }
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
  const impact: SpecImpact = { changed, tasks, unresolved, dependents: input.plan.tasks.map((t) => t.id).filter((id) => dependents.has(id)), planned: true };
  const { named, plan } = input;
  if (named) impact.named = named.tasks.map((id) => reachOf(id, named.by, { ...input, plan }, impact, briefChanged.has(id)));
  return impact;
}

/** Whether the change gets into a named task's prompt, and which of its spec's changed parts do not. */
function reachOf(id: string, by: string, input: { after: readonly SpecGroup[]; before: readonly SpecGroup[]; plan: Plan }, impact: SpecImpact, briefChanged: boolean): NamedTaskReach {
  const task = input.plan.tasks.find((t) => t.id === id);
  const base = { task: id, by, reasons: [] as string[], misses: [] as string[] };
  if (!task) return { ...base, reach: "not-in-plan", elsewhere: [] };
  const elsewhere = impact.changed.filter((c) => c.spec !== task.spec && c.change !== "removed").map((c) => `${c.spec}#${c.ref}`);
  if (task.status === "skip") return { ...base, reach: "skipped", spec: task.spec, elsewhere };
  if (task.copy.length > 0) return { ...base, reach: "copied", spec: task.spec, elsewhere };
  const group = input.after.find((g) => g.id === task.spec) ?? input.before.find((g) => g.id === task.spec);
  const sees = group ? partsSeen(task, group, briefChanged) : () => false;
  // A removed part the task did not ref takes nothing from it; one it did ref shows under `breaks`.
  const misses = impact.changed.filter((c) => c.spec === task.spec && c.change !== "removed" && !sees(c.ref)).map((c) => c.ref);
  const rebuilt = impact.tasks.find((t) => t.id === id);
  return { ...base, reach: rebuilt ? "rebuilds" : "not-reached", spec: task.spec, reasons: rebuilt ? rebuilt.reasons : [], misses, elsewhere };
}

/**
 * Which spec parts (spelled as changedRefs spells them) a task's prompt
 * holds: its refs as they resolve, all requirements or components through a
 * whole-section ref, the components and data models of the files it writes
 * (the prompt's architecture), and the overview through the brief.
 */
function partsSeen(task: Task, group: SpecGroup, briefChanged: boolean): (ref: string) => boolean {
  const refs = renderTaskRefs(group, task.refs, { overviewInBrief: false }).refs;
  const held = new Set(refs.map((r) => r.ref));
  const files = [...new Set([...task.outputs, ...task.edits])];
  for (const c of architectureFor(group, files, refs)) held.add(`components/${c.name}`);
  if (dataModelsFor(group, componentsWriting(group, files), refs).length > 0) held.add("data models");
  // The brief holds the SMD's overview: a changed overview changed the brief.
  if (briefChanged) held.add("overview");
  return (ref) => held.has(ref) || (ref.startsWith("requirements/") && held.has("requirements")) || (ref.startsWith("components/") && held.has("components"));
}

/** The lines about the tasks a request named: each rebuilds, or is not reached and what to do about it. */
function describeNamed(impact: SpecImpact): string[] {
  const lines: string[] = [];
  for (const n of impact.named ?? []) {
    const who = `${n.task} (named by ${n.by})`;
    const misses = n.misses.length > 0 ? missesSentence(n, impact) : undefined;
    switch (n.reach) {
      case "rebuilds":
        lines.push(misses ? `misses:   ${n.task} rebuilds (named by ${n.by}), but ${misses}` : `reaches:  ${n.task} rebuilds (named by ${n.by}) — ${n.reasons.join(", ")}`);
        break;
      case "not-reached":
        if (misses) lines.push(`misses:   ${who} ${misses}`);
        else if (n.elsewhere.length > 0 && !impact.changed.some((c) => c.spec === n.spec)) lines.push(`misses:   ${who} builds from ${n.spec}; this change edits only ${n.elsewhere.join(", ")}: its next build will not see it`);
        else lines.push(`misses:   ${who} does not rebuild: its prompt holds no part this change adds or changes`);
        break;
      case "not-in-plan":
        lines.push(`misses:   ${who} is not in ${PLAN_FILE}: no build of it will see this change`);
        break;
      case "skipped":
        lines.push(`misses:   ${who} has status skip in ${PLAN_FILE}: no build of it will see this change`);
        break;
      case "copied":
        lines.push(`misses:   ${who} copies its files (no model call): no build of it will see this change`);
        break;
    }
  }
  return lines;
}

/** "does not reference WORDFREQ#examples, which this change edits: its next build will not see it. Add `examples` to T002's refs…" */
function missesSentence(n: NamedTaskReach, impact: SpecImpact): string {
  const parts = n.misses.map((ref) => `${n.spec}#${ref}`);
  const added = n.misses.every((ref) => impact.changed.some((c) => c.spec === n.spec && c.ref === ref && c.change === "added"));
  const one = parts.length === 1;
  return `does not reference ${parts.join(", ")}, which this change ${added ? "adds" : "edits"}: its next build will not see ${one ? "it" : "them"}. Add ${n.misses.map((r) => `\`${r}\``).join(", ")} to ${n.task}'s refs in ${PLAN_FILE} (or re-plan)`;
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
  lines.push(...describeNamed(impact));
  for (const u of impact.unresolved) lines.push(`breaks:   ${u.task} ref "${u.ref}" would no longer resolve — fix plan.toml or re-plan`);
  return lines;
}
