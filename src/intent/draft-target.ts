// Where `new <name> --draft` (and the TUI's Specs draft action) puts a drafted
// spec: `<spec_dir>/<name>.smd` with the id the template would give it. An
// existing file is never drafted over.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { specNameProblem } from "../project/new-spec.js";
import { specIdFor } from "../project/templates.js";

export type DraftTarget = { ok: true; file: string; id: string } | { ok: false; message: string; hint: string };

export function draftTarget(root: string, specDir: string, name: string): DraftTarget {
  const problem = specNameProblem(name);
  if (problem) return { ok: false, ...problem };
  const file = join(specDir, `${name}.smd`).split("\\").join("/");
  if (existsSync(join(root, file))) return { ok: false, message: `${file} already exists — not drafted over`, hint: `ask for a change to it instead: specwright ask --at ${file} "…"` };
  return { ok: true, file, id: specIdFor(name) };
}
