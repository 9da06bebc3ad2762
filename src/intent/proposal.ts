// A proposal checked in memory: the editor's edits applied to the spec texts
// (explicit ones as written, inferred ones marked [inferred] by the audit's
// own spec-edit rules), refused when they touch anything but a spec file, and
// kept only when the whole spec set still validates. Also the hunks of its
// diff, numbered across files, and the texts when only some are accepted.
// Pure: texts in, texts and problems out.

import { posix } from "node:path";
import { validateSpecs } from "../../grammar/validate.js";
import { sha256Hex } from "../../plans/content-hash.js";
import { applySpecEdit, markInferred } from "../audit/spec-edit.js";
import { diffHunks, type DiffHunk } from "../text/line-diff.js";
import type { FileChange, IntentEdit } from "./intent-log.js";

export const SPEC_FILE = /\.(smd|amd|vmd)$/;

/** One spec file as the proposal would leave it. */
export interface ProposedFile {
  file: string;
  /** The text now; undefined for a file the proposal creates. */
  before: string | undefined;
  after: string;
}

/** A hunk of the proposal's diff with its number (1-based, across files in order). */
export interface NumberedHunk {
  number: number;
  file: string;
  hunk: DiffHunk;
}

export type ProposalCheck =
  | { ok: true; files: ProposedFile[]; hunks: NumberedHunk[] }
  /** `refused`: the proposal is outside what the editor may do (not re-asked); else its problems go back to the model once. */
  | { ok: false; refused: boolean; problems: string[] };

/** Why `file` may not be edited by the editor, or undefined when it may (a spec file inside the spec dir). */
export function nonSpecFileProblem(file: string, specDir: string): string | undefined {
  const clean = posix.normalize(file.replace(/\\/g, "/").replace(/^\.\//, ""));
  const dir = posix.normalize(specDir.replace(/\\/g, "/").replace(/^\.\//, "")).replace(/\/$/, "");
  if (clean.startsWith("/") || clean.split("/").includes("..")) return `${file} is outside the project's spec dir`;
  if (!SPEC_FILE.test(clean)) return `${file} is not a spec file (.smd, .amd, .vmd): the editor changes specs only, never code, plan.toml or config`;
  if (dir !== "." && !clean.startsWith(dir + "/")) return `${file} is outside the spec dir ${dir}/`;
  return undefined;
}

/** The file name as the project knows it (`./specs/a.smd` → `specs/a.smd`). */
export function cleanSpecPath(file: string): string {
  return posix.normalize(file.replace(/\\/g, "/").replace(/^\.\//, ""));
}

/**
 * Applies the edits in order over `sources` (every spec file of the project,
 * path → text). A new file is an edit with an empty search text on a path
 * no spec file has. Assumptions become [inferred] bullets under the
 * Assumptions section of `assumptionsFile`.
 */
export function checkProposal(input: {
  sources: ReadonlyMap<string, string>;
  specDir: string;
  edits: readonly IntentEdit[];
  assumptions?: { file: string; items: readonly string[] };
}): ProposalCheck {
  const refusals = input.edits.map((e) => nonSpecFileProblem(e.file, input.specDir)).filter((p): p is string => p !== undefined);
  if (refusals.length > 0) return { ok: false, refused: true, problems: [...new Set(refusals)] };
  const texts = new Map(input.sources);
  const created = new Set<string>();
  const touched: string[] = [];
  const problems: string[] = [];
  input.edits.forEach((edit, index) => {
    const file = cleanSpecPath(edit.file);
    const label = `edit ${index + 1} (${file})`;
    const current = texts.get(file);
    if (current === undefined) {
      if (edit.search.trim() !== "") {
        problems.push(`${label}: ${file} does not exist; to create it, give an empty "search" and the whole file as "replace"`);
        return;
      }
      const body = edit.kind === "inferred" ? markInferred("", edit.replace).text : edit.replace;
      texts.set(file, body.endsWith("\n") ? body : body + "\n");
      created.add(file);
    } else {
      const applied = applySpecEdit(current, { search: edit.search, replace: edit.replace }, { markInferred: edit.kind === "inferred" });
      if (!applied.ok) {
        problems.push(`${label}: ${applied.problem}`);
        return;
      }
      texts.set(file, applied.text);
    }
    if (!touched.includes(file)) touched.push(file);
  });
  if (input.assumptions && input.assumptions.items.length > 0) {
    const file = cleanSpecPath(input.assumptions.file);
    const text = texts.get(file);
    if (text !== undefined) {
      texts.set(file, withAssumptions(text, input.assumptions.items));
      if (!touched.includes(file)) touched.push(file);
    }
  }
  if (problems.length > 0) return { ok: false, refused: false, problems };
  const errors = validateSpecs([...texts].map(([file, text]) => ({ file, text }))).diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    return { ok: false, refused: false, problems: errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`) };
  }
  const files = touched
    .map((file): ProposedFile => ({ file, before: created.has(file) ? undefined : input.sources.get(file), after: texts.get(file)! }))
    .filter((f) => f.before !== f.after);
  return { ok: true, files, hunks: numberHunks(files) };
}

/** `- [inferred] <item>` bullets appended to the Assumptions section, which is added at the end when missing. */
function withAssumptions(text: string, items: readonly string[]): string {
  const crlf = text.includes("\r\n");
  const lines = text.replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
  const bullets = items.map((a) => `- [inferred] ${a.replace(/\s+/g, " ").trim()}`);
  const start = lines.findIndex((l) => /^##\s+Assumptions\s*$/i.test(l));
  let out: string[];
  if (start < 0) out = [...lines, "", "## Assumptions", "", ...bullets];
  else {
    let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
    if (end < 0) end = lines.length;
    let at = end;
    while (at > start + 1 && lines[at - 1]!.trim() === "") at--;
    out = [...lines.slice(0, at), ...bullets, ...lines.slice(at)];
  }
  const joined = out.join("\n") + "\n";
  return crlf ? joined.replace(/\n/g, "\r\n") : joined;
}

export function numberHunks(files: readonly ProposedFile[]): NumberedHunk[] {
  let n = 0;
  return files.flatMap((f) => diffHunks(f.before ?? "", f.after).map((hunk) => ({ number: ++n, file: f.file, hunk })));
}

/** sha256 of a file's text, "" for none: how a proposal recognises the text it was made against. */
export function textHash(text: string | undefined): string {
  return text === undefined ? "" : sha256Hex(text);
}

export function fileChanges(files: readonly ProposedFile[]): FileChange[] {
  return files.map((f) => ({ file: f.file, before: textHash(f.before), after: textHash(f.after) }));
}

/**
 * The text of one file when only the hunks in `accepted` are applied: the
 * others keep the old lines. All hunks give `after`, none give `before`.
 */
export function applyHunks(file: ProposedFile, hunks: readonly DiffHunk[], accepted: ReadonlySet<number>): string | undefined {
  if (hunks.every((_, i) => accepted.has(i))) return file.after;
  if (hunks.every((_, i) => !accepted.has(i))) return file.before;
  const before = file.before ?? "";
  const crlf = before.includes("\r\n");
  const old = linesOf(before);
  const out: string[] = [];
  let pos = 0;
  hunks.forEach((hunk, i) => {
    const first = hunk.lines.find((l) => l.kind !== "added");
    const start = first && "oldLine" in first ? first.oldLine - 1 : pos;
    out.push(...old.slice(pos, start));
    const keep = accepted.has(i) ? hunk.lines.filter((l) => l.kind !== "removed") : hunk.lines.filter((l) => l.kind !== "added");
    out.push(...keep.map((l) => l.text));
    pos = start + hunk.oldLines;
  });
  out.push(...old.slice(pos));
  const text = out.join("\n") + (before.endsWith("\n") || file.after.endsWith("\n") ? "\n" : "");
  return crlf ? text.replace(/\n/g, "\r\n") : text;
}

function linesOf(text: string): string[] {
  const body = text.replace(/\r\n?/g, "\n");
  if (body === "") return [];
  return (body.endsWith("\n") ? body.slice(0, -1) : body).split("\n");
}

/** A unified diff of the files, with `--- a/` and `+++ b/` headers and each hunk's number after its `@@` header. */
export function renderProposalDiff(files: readonly ProposedFile[], hunks: readonly NumberedHunk[]): string {
  const out: string[] = [];
  for (const f of files) {
    out.push(f.before === undefined ? "--- /dev/null" : `--- a/${f.file}`, `+++ b/${f.file}`);
    for (const { number, hunk } of hunks.filter((h) => h.file === f.file)) {
      out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@ hunk ${number}`);
      for (const l of hunk.lines) out.push(l.kind === "context" ? ` ${l.text}` : l.kind === "removed" ? `-${l.text}` : `+${l.text}`);
    }
  }
  return out.join("\n") + (out.length > 0 ? "\n" : "");
}
