// What plan validation needs to know about a spec, and how task refs resolve
// against it. The grammar's AST is adapted to SpecIndex in src/, so plans/
// does not depend on the AST's shape.

import { closest } from "../grammar/did-you-mean.js";

/** A section present in a spec: its canonical name ("Non-Goals") and aliases ("Out of Scope"). */
export interface SpecSectionEntry {
  name: string;
  aliases?: readonly string[];
}

export interface SpecRequirementEntry {
  /** Stable anchor: explicit `{#anchor}` or the slug of the title. */
  anchor: string;
  title: string;
}

export interface SpecComponentEntry {
  name: string;
  /** The component's `@path`, relative to the output dir. */
  path: string;
}

/** One spec (SMD plus its AMDs) as plan validation sees it. */
export interface SpecIndex {
  id: string;
  /** Sections the spec actually has; a ref to a section it lacks does not resolve. */
  sections: readonly SpecSectionEntry[];
  requirements: readonly SpecRequirementEntry[];
  /** Components of every AMD that describes this spec. */
  components: readonly SpecComponentEntry[];
}

/** What a task ref points at. */
export type RefTarget =
  | { kind: "section"; name: string }
  | { kind: "requirement"; anchor: string; title: string }
  | { kind: "component"; name: string; path: string };

const REQUIREMENTS_PREFIX = "requirements/";
const COMPONENTS_PREFIX = "components/";

/**
 * Resolves a ref of a task of `spec`: `<section>` by name or alias,
 * `requirements/<anchor or title>`, `components/<name>`; all case-insensitive,
 * surrounding white space ignored. Undefined when it does not resolve.
 */
export function resolveRef(spec: SpecIndex, ref: string): RefTarget | undefined {
  const trimmed = ref.trim();
  const lower = trimmed.toLowerCase();
  if (lower.startsWith(REQUIREMENTS_PREFIX)) {
    const requirement = findRequirement(spec, trimmed.slice(REQUIREMENTS_PREFIX.length));
    return requirement && { kind: "requirement", anchor: requirement.anchor, title: requirement.title };
  }
  if (lower.startsWith(COMPONENTS_PREFIX)) {
    const name = fold(trimmed.slice(COMPONENTS_PREFIX.length));
    const component = spec.components.find((c) => fold(c.name) === name);
    return component && { kind: "component", name: component.name, path: component.path };
  }
  const section = spec.sections.find((s) => fold(s.name) === fold(trimmed) || (s.aliases ?? []).some((a) => fold(a) === fold(trimmed)));
  return section && { kind: "section", name: section.name };
}

/** The requirement a `covers` entry or `requirements/<x>` ref names, by anchor or title. */
export function findRequirement(spec: SpecIndex, nameOrAnchor: string): SpecRequirementEntry | undefined {
  const wanted = fold(nameOrAnchor);
  if (wanted === "") return undefined;
  return spec.requirements.find((r) => fold(r.anchor) === wanted) ?? spec.requirements.find((r) => fold(r.title) === wanted);
}

/**
 * The resolving ref closest to an unresolved one, for a "did you mean" hint.
 * Names are compared within their kind: the shared `requirements/` prefix
 * would otherwise make any two requirement refs look alike.
 */
export function suggestRef(spec: SpecIndex, ref: string): string | undefined {
  const trimmed = ref.trim();
  const lower = trimmed.toLowerCase();
  if (lower.startsWith(REQUIREMENTS_PREFIX)) {
    const name = trimmed.slice(REQUIREMENTS_PREFIX.length);
    const anchor = closest(name, spec.requirements.map((r) => r.anchor));
    const title = anchor === undefined ? closest(name, spec.requirements.map((r) => r.title)) : undefined;
    const match = anchor ?? spec.requirements.find((r) => r.title === title)?.anchor;
    return match === undefined ? undefined : `${REQUIREMENTS_PREFIX}${match}`;
  }
  if (lower.startsWith(COMPONENTS_PREFIX)) {
    const match = closest(trimmed.slice(COMPONENTS_PREFIX.length), spec.components.map((c) => c.name));
    return match === undefined ? undefined : `${COMPONENTS_PREFIX}${match}`;
  }
  const names = spec.sections.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
  return closest(trimmed, names)?.toLowerCase();
}

function fold(text: string): string {
  return text.trim().toLowerCase();
}
