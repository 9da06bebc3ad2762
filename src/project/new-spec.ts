// A new spec file from a template, as `specwright new` and the TUI's Specs
// screen write it: the name decides the file and spec id, the kind decides the
// template, and an existing file is never overwritten.

import { join } from "node:path";
import { writeFileExclusive } from "../fs/atomic-write.js";
import { amdTemplate, smdTemplate, specIdFor, vmdTemplate } from "./templates.js";

export type SpecTemplateKind = "smd" | "amd" | "vmd";

export type NewSpecResult =
  | { ok: true; /** Absolute path of the new file. */ path: string; kind: SpecTemplateKind; id: string }
  | { ok: false; reason: "bad-name" | "exists"; message: string; hint: string; path?: string };

/** "word-count" → smd, "word-count.amd" → amd: a name may carry the kind. */
export function splitSpecName(input: string): { name: string; kind: SpecTemplateKind | undefined } {
  const m = /\.(smd|amd|vmd)$/i.exec(input.trim());
  return m ? { name: input.trim().slice(0, m.index), kind: m[1]!.toLowerCase() as SpecTemplateKind } : { name: input.trim(), kind: undefined };
}

/** Why `name` cannot name a spec file, or undefined when it can. */
export function specNameProblem(name: string): { message: string; hint: string } | undefined {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) && specIdFor(name) !== "") return undefined;
  return { message: `'${name}' is not a usable spec name`, hint: "use letters, digits, '-', '_' and '.', e.g. word-count" };
}

/** Writes `<specDir>/<name>.<kind>` from its template; refuses a bad name or an existing file. */
export async function createSpecFile(root: string, specDir: string, name: string, kind: SpecTemplateKind): Promise<NewSpecResult> {
  const problem = specNameProblem(name);
  if (problem) return { ok: false, reason: "bad-name", ...problem };
  const text = kind === "amd" ? amdTemplate(name) : kind === "vmd" ? vmdTemplate(name) : smdTemplate(name);
  const path = join(root, specDir, `${name}.${kind}`);
  if (!(await writeFileExclusive(path, text))) {
    return { ok: false, reason: "exists", message: `${name}.${kind} already exists — not overwritten`, hint: "pick another name or edit the file", path };
  }
  return { ok: true, path, kind, id: specIdFor(name) };
}
