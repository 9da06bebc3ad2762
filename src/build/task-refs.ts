// The spec parts a build task's prompt holds: its refs resolved against the
// spec and rendered canonically, in the spec's own order (sections as the files
// have them, then requirements in file order, then components), whatever order
// and spelling the plan lists them in. Also the architecture of the components
// whose files the task writes. Each part's text is what the prompt holds and
// what the task key hashes, so a spec edit changes exactly the parts it touches.

import { componentsOf, dataModelsOf, requirementsOf, type ComponentNode, type DataModelNode, type Section } from "../../grammar/ast.js";
import { renderBlocks, renderComponent, renderRequirement, renderSection } from "../../grammar/render.js";
import { resolveRef } from "../../plans/spec-index.js";
import { specIndexOf, type SpecGroup } from "../specs/project-specs.js";
import { replyPath } from "./reply-labels.js";

/** One resolved ref with the text the prompt holds for it. */
export interface RenderedRef {
  /**
   * The canonical spelling, used as the task-key component name: the section's
   * name in lower case ("constraints", "acceptance criteria"),
   * `requirements/<anchor>`, `components/<Name as in the AMD>`.
   */
  ref: string;
  kind: "section" | "requirement" | "component";
  /** Canonical markdown: `## Section …`, `### Requirement …` or `### Component …`. */
  text: string;
}

export interface TaskRefs {
  /** Sections (spec order), then requirements (file order), then components (AMD order); each once. */
  refs: RenderedRef[];
  /** Refs as written in the plan that resolve to nothing (a stale plan); validation should have caught them. */
  unresolved: string[];
}

/** A note put in place of the SMD's Overview, which the project brief already holds verbatim. */
export const OVERVIEW_IN_BRIEF = "(The spec's overview is in the project brief above.)";

/**
 * Resolves and renders a task's refs. `overviewInBrief`: the project brief
 * already carries the SMD's Overview, so a ref to it renders a pointer instead
 * of the same paragraphs twice (an AMD's Overview is still rendered).
 */
export function renderTaskRefs(group: SpecGroup, refs: readonly string[], options: { overviewInBrief: boolean }): TaskRefs {
  const index = specIndexOf(group);
  const sectionNames = new Set<string>();
  const anchors = new Set<string>();
  const componentNames = new Set<string>();
  const unresolved: string[] = [];
  for (const ref of refs) {
    const target = resolveRef(index, ref);
    if (target === undefined) unresolved.push(ref);
    else if (target.kind === "section") sectionNames.add(target.name.toLowerCase());
    else if (target.kind === "requirement") anchors.add(target.anchor);
    else componentNames.add(target.name);
  }

  const rendered: RenderedRef[] = [];
  for (const name of sectionOrder(group)) {
    if (!sectionNames.has(name)) continue;
    rendered.push({ ref: name, kind: "section", text: renderNamedSection(group, name, options.overviewInBrief) });
  }
  for (const requirement of requirementsOf(group.smd.ast)) {
    if (anchors.has(requirement.anchor)) rendered.push({ ref: `requirements/${requirement.anchor}`, kind: "requirement", text: renderRequirement(requirement) });
  }
  for (const component of allComponents(group)) {
    if (componentNames.has(component.name)) rendered.push({ ref: `components/${component.name}`, kind: "component", text: renderComponent(component) });
  }
  return { refs: rendered, unresolved };
}

/**
 * Components whose `@path` is one of `files` and that `refs` does not already
 * hold (as `components/<Name>` or through a whole `components` section), in
 * AMD order. These are what the task writes, so their interface and contracts
 * belong in its prompt even when the plan forgot to ref them.
 */
export function architectureFor(group: SpecGroup, files: readonly string[], refs: readonly RenderedRef[]): ComponentNode[] {
  if (refs.some((r) => r.kind === "section" && r.ref === "components")) return [];
  const present = new Set(refs.filter((r) => r.kind === "component").map((r) => r.ref));
  return componentsWriting(group, files).filter((c) => !present.has(`components/${c.name}`));
}

/**
 * The data models (AMD `## Data Models`) that the task's own components name:
 * `parse_args() -> Result<String, ArgError>` is only writable knowing
 * ArgError. A name counts when it appears as a whole word in the component's
 * rendering. None when the refs hold the whole `data models` section.
 */
export function dataModelsFor(group: SpecGroup, written: readonly ComponentNode[], refs: readonly RenderedRef[]): DataModelNode[] {
  if (written.length === 0 || refs.some((r) => r.kind === "section" && r.ref === "data models")) return [];
  const text = written.map(renderComponent).join("\n");
  return group.amds
    .flatMap((a) => dataModelsOf(a.ast))
    .filter((m) => new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(m.name)}($|[^A-Za-z0-9_])`).test(text));
}

/** `### Name` and the data model's body, canonically. */
export function renderDataModel(model: DataModelNode): string {
  return model.blocks.length === 0 ? `### ${model.name}\n` : `### ${model.name}\n\n${renderBlocks(model.blocks)}\n`;
}

/** The components whose `@path` is one of `files`, in AMD order: what the task writes. */
export function componentsWriting(group: SpecGroup, files: readonly string[]): ComponentNode[] {
  const wanted = new Set(files.map(replyPath));
  return allComponents(group).filter((c) => c.path !== undefined && wanted.has(replyPath(c.path.value)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every component of the spec's AMDs, in file order. */
function allComponents(group: SpecGroup): ComponentNode[] {
  return group.amds.flatMap((a) => componentsOf(a.ast));
}

/** Lower-cased section names in the order the SMD, then each AMD, first has them. */
function sectionOrder(group: SpecGroup): string[] {
  const order: string[] = [];
  for (const section of [...group.smd.ast.sections, ...group.amds.flatMap((a) => a.ast.sections)]) {
    const name = section.name.toLowerCase();
    if (!order.includes(name)) order.push(name);
  }
  return order;
}

/**
 * A section ref renders every section of that name: the SMD's, then each
 * AMD's (an Overview or Notes in both is common), the AMD's marked as such so
 * the model can tell behaviour from architecture.
 */
function renderNamedSection(group: SpecGroup, name: string, overviewInBrief: boolean): string {
  const parts: string[] = [];
  for (const section of group.smd.ast.sections) {
    if (section.name.toLowerCase() !== name) continue;
    parts.push(overviewInBrief && name === "overview" ? `## ${section.name}\n\n${OVERVIEW_IN_BRIEF}\n` : renderSection(section));
  }
  for (const amd of group.amds) {
    for (const section of amd.ast.sections) {
      if (section.name.toLowerCase() === name) parts.push(renderArchitectureSection(section));
    }
  }
  return parts.join("\n");
}

function renderArchitectureSection(section: Section): string {
  const text = renderSection(section);
  const newline = text.indexOf("\n");
  return `${text.slice(0, newline)} (architecture)${text.slice(newline)}`;
}

/** The SMD's Overview as prose for the project brief: the section's body without its heading. */
export function overviewText(group: SpecGroup): string {
  const section = group.smd.ast.sections.find((s) => s.name.toLowerCase() === "overview");
  if (section === undefined) return "";
  const text = renderSection(section);
  return text.slice(text.indexOf("\n") + 1).trim();
}
