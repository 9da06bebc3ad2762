// Checks across all parsed files of a project: duplicate spec ids, `depends`
// on unknown specs, dependency cycles (with the cycle path), AMDs/VMDs for
// unknown specs, component names unique across the AMDs of one spec,
// `**Depends on:**` names one typo away from a component, and the VMD checks
// across files (vmd-project.ts).

import type { AmdDocument, ComponentNode, Located, NameRef, SmdDocument } from "./ast.js";
import { componentsOf } from "./ast.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { closest } from "./did-you-mean.js";
import type { ParsedFile } from "./parse.js";
import { amdMeta, smdMeta, SPEC_ID_PATTERN, type LocatedValue } from "./spec-meta.js";
import { propertyNames } from "./property-language.js";
import { renderSection } from "./render.js";
import { checkVerifications, smdsById, type VmdFile } from "./vmd-project.js";

export interface ProjectCheckOptions {
  /**
   * Check the given files on their own: references to specs that are not
   * among them (an AMD's or VMD's spec, an SMD's `depends`) are not reported.
   * Used when validating single files outside a project.
   */
  standalone?: boolean;
}

interface SpecNode {
  id: string;
  file: string;
  at: LocatedValue;
  depends: NameRef[];
}

function hintFor(name: string, candidates: Iterable<string>): string | undefined {
  const match = closest(name, candidates);
  return match === undefined ? undefined : `did you mean \`${match}\`?`;
}

function push(out: Diagnostic[], file: string, at: Located, message: string, code: string, hint?: string, length?: number): void {
  const extra: { hint?: string; code: string; length?: number } = { code };
  if (hint !== undefined) extra.hint = hint;
  if (length !== undefined) extra.length = length;
  out.push(diagnostic("error", file, at.line, at.column, message, extra));
}

/**
 * Strongly connected components of the dependency graph (Tarjan), in a
 * deterministic order; each one with a cycle is reported once.
 */
function stronglyConnected(ids: string[], edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      result.push(component);
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return result;
}

/** A cycle through `start` inside its strongly connected component, as a path `start … start`. */
function cycleFrom(start: string, members: Set<string>, edges: Map<string, string[]>): string[] {
  // Breadth-first, so the printed cycle is a shortest one.
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of edges.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== start && u !== undefined; u = previous.get(u)) path.splice(1, 0, u);
        if (v !== start) return [...path, start];
        return [start, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

function checkSpecGraph(specs: SpecNode[], standalone: boolean, out: Diagnostic[]): void {
  const byId = new Map<string, SpecNode>();
  for (const spec of specs) {
    const first = byId.get(spec.id);
    if (first) {
      push(out, spec.file, spec.at, `spec id \`${spec.id}\` is already used by ${first.file}:${first.at.line}`, "project/duplicate-spec-id", "every .smd needs its own id", spec.id.length);
    } else {
      byId.set(spec.id, spec);
    }
  }
  const edges = new Map<string, string[]>();
  for (const spec of byId.values()) {
    const targets: string[] = [];
    for (const dep of spec.depends) {
      if (byId.has(dep.name)) targets.push(dep.name);
      else if (!standalone && SPEC_ID_PATTERN.test(dep.name)) {
        push(out, spec.file, dep, `\`${spec.id}\` depends on unknown spec \`${dep.name}\``, "project/unknown-depends", hintFor(dep.name, byId.keys()) ?? "no .smd among the inputs has this id", dep.name.length);
      }
    }
    edges.set(spec.id, targets);
  }
  const ids = [...byId.keys()];
  for (const component of stronglyConnected(ids, edges)) {
    const members = new Set(component);
    const selfLoop = component.length === 1 && (edges.get(component[0]!) ?? []).includes(component[0]!);
    if (component.length < 2 && !selfLoop) continue;
    // Start at the member that comes first in the input, so the report does not depend on hash order.
    const start = ids.find((id) => members.has(id))!;
    const path = cycleFrom(start, members, edges);
    const spec = byId.get(start)!;
    const edge = spec.depends.find((d) => d.name === path[1]) ?? spec.at;
    push(out, spec.file, edge, `dependency cycle: ${path.join(" -> ")}`, "project/dependency-cycle", "remove one of these `depends` entries: specs build in dependency order");
  }
}

function checkReferencedSpec(file: string, kind: string, spec: LocatedValue | undefined, known: Set<string>, standalone: boolean, out: Diagnostic[]): void {
  if (!spec || standalone || known.has(spec.value) || !SPEC_ID_PATTERN.test(spec.value)) return;
  push(out, file, spec, `${kind} for unknown spec \`${spec.value}\``, "project/unknown-spec", hintFor(spec.value, known) ?? "no .smd among the inputs has this id", spec.value.length);
}

interface PlacedComponent {
  file: string;
  component: ComponentNode;
}

function checkComponents(bySpec: Map<string, PlacedComponent[]>, standalone: boolean, out: Diagnostic[]): void {
  for (const [spec, placed] of bySpec) {
    const byName = new Map<string, PlacedComponent>();
    for (const p of placed) {
      const key = p.component.name.toLowerCase();
      const first = byName.get(key);
      if (first) {
        push(out, p.file, p.component, `component \`${p.component.name}\` is already defined in ${first.file}:${first.component.line}`, "project/duplicate-component", `component names must be unique across the architecture of spec \`${spec}\``, p.component.name.length + 4);
      } else {
        byName.set(key, p);
      }
    }
    if (standalone) continue;
    // Ossature never resolves these names (it prints them into prompts), and
    // authors name services and libraries there ("Database, Cache"). Only a
    // name one typo away from a component of the same spec is worth a word.
    const names = [...byName.values()].map((p) => p.component.name);
    for (const p of placed) {
      for (const ref of p.component.dependsOn ?? []) {
        if (byName.has(ref.name.toLowerCase())) continue;
        const hint = hintFor(ref.name, names);
        if (hint === undefined) continue;
        out.push(
          diagnostic("warning", p.file, ref.line, ref.column, `component \`${p.component.name}\` depends on \`${ref.name}\`, which is not a component of \`${spec}\``, {
            hint: `${hint} (a name that is no component, such as a service or a library, is kept as written)`,
            code: "project/unknown-component",
            length: ref.name.length,
          }),
        );
      }
    }
  }
}

/**
 * Every cross-file diagnostic for a set of parsed files (per-file problems
 * are in checkSpecFile). Pure: the order of `files` decides which of two
 * duplicates is "first".
 */
export function checkProject(files: readonly ParsedFile[], options: ProjectCheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const standalone = options.standalone === true;
  const specs: SpecNode[] = [];
  for (const f of files) {
    if (f.kind !== "smd" || !f.ast) continue;
    const meta = smdMeta(f.ast);
    if (meta.id && SPEC_ID_PATTERN.test(meta.id.value)) specs.push({ id: meta.id.value, file: f.file, at: meta.id, depends: meta.depends });
  }
  checkSpecGraph(specs, standalone, out);
  checkPropertyNames(files, out);
  const known = new Set(specs.map((s) => s.id));
  // An .smd whose id cannot be read (its frontmatter is broken: its own error
  // says so) may be the spec an .amd or .vmd names: "unknown spec" there would
  // be a cascade listed before its cause, so it waits until the id reads.
  const unreadableSpec = files.some((f) => f.kind === "smd" && !(f.ast && smdMeta(f.ast).id));

  const bySpec = new Map<string, PlacedComponent[]>();
  for (const f of files) {
    if (f.kind === "amd" && f.ast) {
      const spec = amdMeta(f.ast).spec;
      checkReferencedSpec(f.file, "architecture", spec, known, standalone || unreadableSpec, out);
      const key = spec?.value ?? "";
      const list = bySpec.get(key) ?? [];
      list.push(...componentsOf(f.ast).map((component) => ({ file: f.file, component })));
      bySpec.set(key, list);
    } else if (f.kind === "vmd" && f.ast?.spec) {
      const { id, line, column } = f.ast.spec;
      checkReferencedSpec(f.file, "verification", { value: id, line, column }, known, standalone || unreadableSpec, out);
    }
  }
  checkComponents(bySpec, standalone, out);
  const vmds: VmdFile[] = [];
  const smdFiles: { file: string; ast: SmdDocument }[] = [];
  const amdFiles: { file: string; ast: AmdDocument }[] = [];
  for (const f of files) {
    if (f.kind === "vmd" && f.ast) vmds.push({ file: f.file, ast: f.ast });
    else if (f.kind === "smd" && f.ast) smdFiles.push({ file: f.file, ast: f.ast });
    else if (f.kind === "amd" && f.ast) amdFiles.push({ file: f.file, ast: f.ast });
  }
  checkVerifications(vmds, smdsById(smdFiles), amdFiles, standalone, out);
  return out;
}

/**
 * A property should speak about things the specs talk about: a name (the first
 * segment of a path, a constructed type) that appears nowhere in any spec's
 * text outside the Properties sections is probably a typo or an undefined term.
 */
function checkPropertyNames(files: readonly ParsedFile[], out: Diagnostic[]): void {
  // Collecting every word of every spec is the costly part: only do it when there are properties to check.
  const hasProperties = files.some((f) => f.kind === "smd" && f.ast?.sections.some((s) => s.kind === "properties" && s.properties.length > 0));
  if (!hasProperties) return;
  const words = new Set<string>();
  /** Each word as first written, for a did-you-mean in the spec's own spelling. */
  const spelled = new Map<string, string>();
  const collect = (text: string) => {
    for (const w of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      const lower = w.toLowerCase();
      words.add(lower);
      if (!spelled.has(lower)) spelled.set(lower, w);
    }
  };
  for (const f of files) {
    if ((f.kind === "smd" || f.kind === "amd") && f.ast) {
      if (f.ast.title) collect(f.ast.title.text);
      for (const section of f.ast.sections) if (section.kind !== "properties") collect(renderSection(section));
    }
  }
  // "customer" is mentioned by "customers"; "can_buy_alcohol?" by "can_buy_alcohol".
  const mentioned = (name: string) => {
    const n = name.replace(/[?!]$/, "").toLowerCase();
    if (words.has(n)) return true;
    for (const w of words) if (w.startsWith(n) && w.length - n.length <= 2) return true;
    return false;
  };
  for (const f of files) {
    if (f.kind !== "smd" || !f.ast) continue;
    for (const section of f.ast.sections) {
      if (section.kind !== "properties") continue;
      for (const p of section.properties) {
        if (!p.ast) continue;
        for (const name of propertyNames(p.ast)) {
          if (mentioned(name)) continue;
          const at = p.text.indexOf(name);
          const bare = name.replace(/[?!]$/, "");
          const near = closest(bare.toLowerCase(), words);
          const guess = near === undefined ? undefined : spelled.get(near);
          out.push(
            diagnostic("warning", f.file, p.line, p.column + Math.max(at, 0), `${p.id} uses \`${name}\`, which no spec mentions outside its Properties`, {
              hint: guess !== undefined ? `did you mean \`${guess}\`? (or name \`${name}\` in a requirement, a component or a data model)` : "name it in a requirement, a component or a data model, or fix the spelling",
              code: "project/property-unknown-name",
              length: name.length,
            }),
          );
        }
      }
    }
  }
}
