// "Edit in $EDITOR" for a pending proposal: the proposed spec texts (all
// hunks, or the chosen ones) are written to a private temp folder under their
// project paths, the person's editor opens them, and what they saved is
// accepted as an "edited" decision — only if the whole spec set validates;
// otherwise the project's files stay as they were and the edited copies stay
// in the temp folder so no typing is lost. Saving the proposal unchanged is a
// plain accept.

import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { LoadedConfig } from "../config/types.js";
import { acceptProposal, type DecideResult } from "./decide.js";
import { readIntentLog } from "./intent-log.js";
import { applyHunks } from "./proposal.js";
import { reviewStored } from "./review.js";

/** The person's editor: $VISUAL, then $EDITOR; undefined when neither is set. */
export function editorOf(env: NodeJS.ProcessEnv): string | undefined {
  const editor = env.VISUAL?.trim() || env.EDITOR?.trim();
  return editor ? editor : undefined;
}

export interface EditableProposal {
  id: string;
  /** The temp folder holding the copies. */
  dir: string;
  files: { file: string; path: string; proposed: string }[];
  /** The hunks the texts were made from, when not all. */
  hunks?: number[];
}

export type EditableResult = { ok: true; editable: EditableProposal } | { ok: false; message: string; hint: string; usage?: boolean };

/** Writes the proposal's texts (only `hunks`, when given) to a temp folder for the editor. */
export async function writeEditableProposal(loaded: LoadedConfig, id: string, hunks?: readonly number[]): Promise<EditableResult> {
  const log = await readIntentLog(loaded.root);
  if (!log.ok) return { ok: false, message: log.problem, hint: log.hint };
  const entry = log.entries.find((e) => e.id === id);
  if (!entry) return { ok: false, message: `no intent entry ${id}`, hint: "`specwright intent` lists them" };
  const stored = await reviewStored(loaded, entry);
  if (!stored.ok) return { ok: false, message: stored.message, hint: stored.hint };
  const { review } = stored;
  const wanted = new Set(hunks ?? review.hunks.map((h) => h.number));
  const unknown = [...wanted].filter((n) => !review.hunks.some((h) => h.number === n));
  if (unknown.length > 0) return { ok: false, usage: true, message: `${id}'s proposal has hunks 1–${review.hunks.length}; there is no hunk ${unknown.join(", ")}`, hint: `\`specwright intent ${id}\` shows them` };
  const dir = await mkdtemp(join(tmpdir(), `specwright-${id}-`));
  const files: EditableProposal["files"] = [];
  for (const f of review.files) {
    const own = review.hunks.filter((h) => h.file === f.file);
    const chosen = new Set(own.map((h, i) => (wanted.has(h.number) ? i : -1)).filter((i) => i >= 0));
    const text = applyHunks(f, own.map((h) => h.hunk), chosen) ?? f.after;
    const path = join(dir, f.file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    files.push({ file: f.file, path, proposed: text });
  }
  return { ok: true, editable: { id, dir, files, ...(hunks ? { hunks: [...wanted].sort((a, b) => a - b) } : {}) } };
}

/** Runs the editor on the copies, waiting for it (the caller has handed it the terminal). */
export function runEditor(editor: string, paths: readonly string[]): { ok: true } | { ok: false; message: string } {
  // Through the shell, as git runs $EDITOR: "code --wait" and "vim -u NONE" are editors too.
  const quoted = paths.map((p) => `'${p.replace(/'/g, `'\\''`)}'`).join(" ");
  const result = spawnSync(`${editor} ${quoted}`, { stdio: "inherit", shell: true });
  if (result.error) return { ok: false, message: `cannot start ${editor}: ${result.error.message}` };
  if (result.status !== 0) return { ok: false, message: `${editor} exited with ${result.status ?? result.signal}` };
  return { ok: true };
}

export type EditedAcceptResult = DecideResult & { unchanged?: boolean; keptIn?: string };

/**
 * Accepts what the person saved: unchanged texts are a plain accept (of the
 * same hunks); changed ones an "edited" decision. On any failure the copies
 * are kept and `keptIn` names their folder; on success the folder goes.
 */
export async function acceptEditedProposal(loaded: LoadedConfig, editable: EditableProposal): Promise<EditedAcceptResult> {
  const edited = new Map<string, string>();
  for (const f of editable.files) {
    const text = await readFile(f.path, "utf8").catch(() => undefined);
    if (text === undefined) return { ok: false, message: `${f.path} is gone; nothing applied`, hint: `the proposal is still pending: specwright ask --accept ${editable.id} --edit`, keptIn: editable.dir };
    edited.set(f.file, text);
  }
  const unchanged = editable.files.every((f) => edited.get(f.file) === f.proposed);
  const result = unchanged ? await acceptProposal(loaded, editable.id, editable.hunks ? { hunks: editable.hunks } : {}) : await acceptProposal(loaded, editable.id, { edited });
  if (!result.ok) return { ...result, hint: `${result.hint}; your edited text is kept in ${editable.dir} (the project's files are as they were)`, keptIn: editable.dir };
  await rm(editable.dir, { recursive: true, force: true });
  return { ...result, unchanged };
}
