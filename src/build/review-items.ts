// What the implementation judge checks a task's files against: the checkable
// items of its refs, each with a stable id. A requirement's behaviour and each
// of its errors, each acceptance criterion, each property, each non-goal, each
// contract (and the interface) of a component the task refs or writes — in the
// order the prompt shows them. Pure: the spec in, the list out.

import { componentsOf, requirementsOf, type BulletSection, type ComponentNode, type PropertiesSection, type RequirementNode } from "../../grammar/ast.js";
import type { SpecGroup } from "../specs/project-specs.js";
import type { RenderedRef } from "./task-refs.js";

export type CheckKind = "behaviour" | "error" | "acceptance" | "contract" | "interface" | "property" | "non-goal" | "intent";

/** One thing the judge says pass, fail or cannot-tell about. */
export interface CheckItem {
  /** Stable across builds while the spec keeps the item: `requirements/top-words/errors/1`, `acceptance-criteria/2`. */
  id: string;
  kind: CheckKind;
  /** What must hold, in one or a few lines (the spec's words). */
  text: string;
}

/**
 * An accepted request of the intent log (src/intent) whose decision changed a
 * part of the spec this task's prompt holds: the person's words, verbatim.
 * The judge checks the files against what the person actually said, not only
 * against what the drafter made of it.
 */
export interface AcceptedIntent {
  /** The entry, `I-0003`. */
  id: string;
  author: string;
  /** The words of the thread it follows up (oldest first), then its own: each verbatim. */
  words: { id: string; words: string }[];
  /** The task's parts it changed, in task-key spelling: `requirements/top`, `components/Cli`, `constraints`. */
  refs: string[];
}

/**
 * The items of a task's refs (as renderTaskRefs resolved them) and of the
 * components it writes that the refs lack (`written`).
 */
export function checkItems(group: SpecGroup, refs: readonly RenderedRef[], written: readonly ComponentNode[], intents: readonly AcceptedIntent[] = []): CheckItem[] {
  const items: CheckItem[] = [];
  const seen = new Set<string>();
  const add = (item: CheckItem) => {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    items.push(item);
  };
  const requirements = requirementsOf(group.smd.ast);
  const components = group.amds.flatMap((a) => componentsOf(a.ast));
  for (const ref of refs) {
    if (ref.kind === "requirement") {
      const r = requirements.find((x) => `requirements/${x.anchor}` === ref.ref);
      if (r) requirementItems(r).forEach(add);
    } else if (ref.kind === "component") {
      const c = components.find((x) => `components/${x.name}` === ref.ref);
      if (c) componentItems(c).forEach(add);
    } else if (ref.ref === "requirements") {
      requirements.flatMap(requirementItems).forEach(add);
    } else if (ref.ref === "components") {
      components.flatMap(componentItems).forEach(add);
    } else if (ref.ref === "acceptance criteria") {
      bulletItems(group, "acceptance criteria", "acceptance-criteria", "acceptance").forEach(add);
    } else if (ref.ref === "non-goals") {
      bulletItems(group, "non-goals", "non-goals", "non-goal").forEach(add);
    } else if (ref.ref === "properties") {
      for (const section of group.smd.ast.sections) {
        if (section.kind !== "properties") continue;
        for (const p of (section as PropertiesSection).properties) add({ id: `properties/${p.id}`, kind: "property", text: p.canonical ?? p.text });
      }
    }
  }
  for (const c of written) componentItems(c).forEach(add);
  for (const intent of intents) add({ id: `intent/${intent.id}`, kind: "intent", text: intentText(intent) });
  return items;
}

function requirementItems(r: RequirementNode): CheckItem[] {
  const behaviour = [r.title + (r.description.trim() === "" ? "" : `: ${oneLine(r.description)}`)];
  if (r.accepts) behaviour.push(`Accepts: ${oneLine(r.accepts)}`);
  if (r.returns) behaviour.push(`Returns: ${oneLine(r.returns)}`);
  return [
    { id: `requirements/${r.anchor}`, kind: "behaviour", text: behaviour.join(" ") },
    ...r.errors.map((e, i): CheckItem => ({ id: `requirements/${r.anchor}/errors/${i + 1}`, kind: "error", text: `${oneLine(e.condition)} -> ${oneLine(e.response)}` })),
  ];
}

function componentItems(c: ComponentNode): CheckItem[] {
  const items: CheckItem[] = [];
  if (c.interface) items.push({ id: `components/${c.name}/interface`, kind: "interface", text: `${c.name}${c.path ? ` (${c.path.value})` : ""} keeps its Interface exactly: the same names, parameters and types` });
  if (c.contracts?.kind === "list") {
    c.contracts.items.forEach((b, i) => items.push({ id: `components/${c.name}/contracts/${i + 1}`, kind: "contract", text: oneLine(b.text) }));
  }
  return items;
}

function bulletItems(group: SpecGroup, name: string, prefix: string, kind: CheckKind): CheckItem[] {
  const bullets = [...group.smd.ast.sections, ...group.amds.flatMap((a) => a.ast.sections)]
    .filter((s): s is BulletSection => s.kind === "bullets" && s.name.toLowerCase() === name)
    .flatMap((s) => s.bullets);
  return bullets.map((b, i) => ({ id: `${prefix}/${i + 1}`, kind, text: oneLine(b.text) }));
}

/**
 * An accepted request as an item: who asked, what it changed, and the words
 * as they were said (a line break continues indented, so a pasted error stays
 * whole). A follow-up carries the words it follows up first.
 */
function intentText(intent: AcceptedIntent): string {
  const said = intent.words.map((w, i) => `${i === 0 ? "" : `then ${w.id}: `}${w.words.trim()}`).join("\n");
  return `${intent.author}'s request ${intent.id}, accepted into the spec, changed ${intent.refs.join(", ")}; the files must do what it asks. The person's words: ${said.replace(/\r?\n/g, "\n  ")}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
