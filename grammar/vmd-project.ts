// What Ossature's validate checks across VMD files (validation.py,
// verification/ledger.py): `@arch` names a known spec, group signatures and
// scenario names are unique across all VMDs of a spec, each group or call
// target appears in the AMD interfaces it binds to (or, without an AMD, a
// requirement heading), and `@covers` targets resolve to a requirement.

import type { AmdDocument, RequirementNode, SmdDocument, VmdDocument } from "./ast.js";
import { componentsOf, requirementsOf } from "./ast.js";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { amdMeta, smdMeta } from "./spec-meta.js";

export interface VmdFile {
  file: string;
  ast: VmdDocument;
}

/** Ossature's `_normalize`: lower-case words of letters and digits, one space apart. */
export function normalizeHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

/** The requirement a `@covers` target (an anchor, or a heading's text) names, if any. */
export function resolveCoversTarget(target: string, requirements: readonly RequirementNode[]): RequirementNode | undefined {
  return requirements.find((r) => r.anchor === target) ?? requirements.find((r) => normalizeHeading(r.title) === normalizeHeading(target));
}

/** The harness that can run a function group whose component is at `path`, or why none can. */
export type HarnessLanguage = "python" | "javascript" | "typescript";
export function harnessLanguageOf(path: string): { ok: true; language: HarnessLanguage } | { ok: false; ext: string } {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  if (ext === "py") return { ok: true, language: "python" };
  if (ext === "js" || ext === "mjs" || ext === "cjs") return { ok: true, language: "javascript" };
  if (ext === "ts" || ext === "mts" || ext === "cts") return { ok: true, language: "typescript" };
  return { ok: false, ext };
}

/** The component of `components` whose interface names `target` (its first segment, as a word). */
export function componentForTarget<C extends { interface?: { content: string } }>(components: readonly C[], target: string): C | undefined {
  const word = new RegExp(`\\b${escapeRegExp(target.split(".")[0]!)}\\b`);
  return components.find((c) => c.interface !== undefined && word.test(c.interface.content));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function checkVerifications(
  vmds: readonly VmdFile[],
  smds: ReadonlyMap<string, { file: string; ast: SmdDocument }>,
  amds: readonly { file: string; ast: AmdDocument }[],
  standalone: boolean,
  out: Diagnostic[],
): void {
  const interfaces = new Map<string, string>();
  for (const a of amds) {
    const spec = amdMeta(a.ast).spec?.value;
    if (!spec) continue;
    interfaces.set(spec, (interfaces.get(spec) ?? "") + "\n" + componentsOf(a.ast).map((c) => c.interface?.content ?? "").join("\n"));
  }
  const seenGroups = new Map<string, Map<string, string>>();
  const seenScenarios = new Map<string, Map<string, string>>();
  for (const { file, ast } of vmds) {
    const spec = ast.spec?.id;
    if (!spec) continue;
    if (ast.arch && ast.arch.id !== spec && !standalone && !smds.has(ast.arch.id)) {
      out.push(diagnostic("error", file, ast.arch.line, ast.arch.column, `Verification for spec ${spec} points @arch at ${ast.arch.id}, which doesn't exist.`, { code: "vmd/unknown-arch", length: ast.arch.id.length, hint: "@arch names the spec whose AMD the groups bind to" }));
    }
    const groups = seenGroups.get(spec) ?? new Map<string, string>();
    seenGroups.set(spec, groups);
    for (const g of ast.groups) {
      const key = `${g.name.toLowerCase()}/${g.arity}`;
      const first = groups.get(key);
      if (first && first !== file) out.push(diagnostic("error", file, g.line, g.column, `Spec ${spec} has duplicate verification group '${g.name}' in its VMD file(s).`, { code: "vmd/duplicate-group", hint: `the first is in ${first}`, length: g.name.length }));
      if (!first) groups.set(key, file);
    }
    const scenarios = seenScenarios.get(spec) ?? new Map<string, string>();
    seenScenarios.set(spec, scenarios);
    for (const s of ast.scenarios) {
      const first = scenarios.get(s.slug);
      if (first && first !== file) out.push(diagnostic("error", file, s.line, s.column, `Spec ${spec} has duplicate scenario '${s.name}' in its VMD file(s).`, { code: "vmd/duplicate-scenario", hint: `the first is in ${first}` }));
      if (!first) scenarios.set(s.slug, file);
    }
    if (standalone) continue;

    // Targets: a word of the AMD interfaces, or a requirement heading without an AMD (warnings: interface text is opaque code).
    const arch = ast.arch?.id ?? spec;
    const interfaceText = interfaces.get(arch);
    const smd = smds.get(spec);
    const requirements = smd ? requirementsOf(smd.ast) : [];
    const targets = [
      ...ast.groups.map((g) => ({ label: `group '${g.name}'`, target: g.name, at: g })),
      ...ast.scenarios.flatMap((s) => (s.kind === "call" && s.call ? [{ label: `scenario '${s.name}'`, target: s.call.target, at: s.call }] : [])),
    ];
    const components = amds.filter((a) => amdMeta(a.ast).spec?.value === arch).flatMap((a) => componentsOf(a.ast));
    for (const { label, target, at } of targets) {
      if (interfaceText !== undefined) {
        if (!new RegExp(`\\b${escapeRegExp(target)}\\b`).test(interfaceText)) {
          out.push(diagnostic("warning", file, at.line, at.column, `${spec}: ${label} targets '${target}', which does not appear in the ${arch} AMD interface(s)`, { code: "vmd/unknown-target", hint: "the harness imports the function from the component whose interface names it" }));
          continue;
        }
        const path = componentForTarget(components, target)?.path?.value;
        const language = path === undefined ? undefined : harnessLanguageOf(path);
        if (path !== undefined && language && !language.ok) {
          out.push(
            diagnostic("warning", file, at.line, at.column, `${spec}: ${label} targets '${target}' in ${path}; specwright has no harness for .${language.ext} files, so this case is not run`, {
              code: "vmd/no-harness",
              hint: "function cases run for Python and JavaScript/TypeScript components; for this language, put them in a test task whose verify command runs them (command scenarios run for every language)",
            }),
          );
        }
      } else if (smd && !requirements.some((r) => normalizeHeading(r.title) === normalizeHeading(target))) {
        out.push(diagnostic("warning", file, at.line, at.column, `${spec}: ${label} targets '${target}', which has no AMD to bind to and matches no requirement heading`, { code: "vmd/unknown-target", hint: "write an .amd with the function in a component's interface, so the harness knows which file to import" }));
      }
    }
    if (!smd) continue;
    const explicit = [...ast.groups.map((g) => ({ label: `group '${g.name}'`, covers: g.covers, at: g })), ...ast.scenarios.map((s) => ({ label: `scenario '${s.name}'`, covers: s.covers, at: s }))];
    for (const { label, covers, at } of explicit) {
      for (const target of covers) {
        if (!resolveCoversTarget(target, requirements)) {
          out.push(diagnostic("warning", file, at.line - 1, 1, `${spec}: ${label} covers '${target}', which matches no requirement`, { code: "vmd/dangling-covers", hint: "a target is a requirement's {#anchor} or its heading text" }));
        }
      }
    }
  }
}

/** The SMDs by id, for checkVerifications. */
export function smdsById(files: readonly { file: string; ast: SmdDocument }[]): Map<string, { file: string; ast: SmdDocument }> {
  const byId = new Map<string, { file: string; ast: SmdDocument }>();
  for (const f of files) {
    const id = smdMeta(f.ast).id?.value;
    if (id && !byId.has(id)) byId.set(id, f);
  }
  return byId;
}
