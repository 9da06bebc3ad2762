// One fix to one finding, in two steps so a person can look in between: the
// fixer model proposes a search/replace edit (checked: it applies once and the
// specs still validate, new text marked [inferred]), and applying it writes
// the spec, a fix record for undo, and the finding's triage. The headless
// auto-fix and the TUI's "ask for a fix → accept / edit / reject" both use it.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CallRecorder } from "../../models/call-record.js";
import type { ModelError } from "../../models/errors.js";
import type { ModelRun } from "../../models/model-run.js";
import { validateSpecs } from "../../grammar/validate.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { diffHunks, type DiffHunk } from "../text/line-diff.js";
import { FIX_PROMPT_VERSION, FIX_SCHEMA, fixMessages } from "./audit-prompt.js";
import { triage, type Finding } from "./findings.js";
import { saveFixRecord } from "./fix-records.js";
import { applySpecEdit, type SpecEdit } from "./spec-edit.js";

/** Output budget of a fix answer: one search/replace pair. */
export const FIX_OUTPUT_BUDGET = 2048;

/** A checked edit: what the spec file would become, and the change as diff hunks. */
export interface CheckedFix {
  finding: Finding;
  file: string;
  edit: SpecEdit;
  /** The file's text the edit was checked against. */
  before: string;
  after: string;
  /** The replacement as it would be written, with its [inferred] markers. */
  markedReplace: string;
  hunks: DiffHunk[];
}

export type CheckFixResult = { ok: true; fix: CheckedFix } | { ok: false; reason: string };

export type ProposeFixResult =
  | { ok: true; edit: SpecEdit; check: CheckFixResult; asks: number }
  | { ok: false; error: ModelError; asks: number };

/** Every spec file of the groups, as the validator takes them. */
function specFiles(groups: readonly SpecGroup[]): { file: string; text: string }[] {
  return groups.flatMap((g) => [g.smd, ...g.amds, ...g.vmds]).map((f) => ({ file: f.file, text: f.text }));
}

/**
 * Applies the edit in memory and keeps it only if the whole spec set still
 * has no errors. `groups` gives the other files' current texts.
 */
export function checkFix(groups: readonly SpecGroup[], finding: Finding, before: string, edit: SpecEdit): CheckFixResult {
  const edited = applySpecEdit(before, edit, { markInferred: true });
  if (!edited.ok) return { ok: false, reason: edited.problem };
  const files = specFiles(groups).map((f) => (f.file === finding.file ? { file: f.file, text: edited.text } : f));
  const errors = validateSpecs(files).diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  if (first) {
    return { ok: false, reason: `the edited spec no longer validates (${first.file}:${first.line}:${first.column}: ${first.message}); the file was left unchanged` };
  }
  return { ok: true, fix: { finding, file: finding.file, edit, before, after: edited.text, markedReplace: edited.markedReplace, hunks: diffHunks(before, edited.text) } };
}

/** Asks the fixer model for an edit to the finding's spec file and checks it; writes nothing. */
export async function proposeFix(input: {
  root: string;
  groups: readonly SpecGroup[];
  finding: Finding;
  model: ModelRun;
  recorder: (caller: string) => CallRecorder | undefined;
}): Promise<ProposeFixResult> {
  const { finding } = input;
  const before = await readFile(join(input.root, finding.file), "utf8");
  const caller = `fix-${finding.id}`;
  const reply = await input.model.callStructured<SpecEdit>({
    caller,
    messages: fixMessages({ file: finding.file, text: before }, finding),
    schema: FIX_SCHEMA,
    outputBudget: FIX_OUTPUT_BUDGET,
    recorder: () => input.recorder(caller) ?? noRecorder,
  });
  if (!reply.ok) return { ok: false, error: reply.error, asks: 1 };
  const edit = reply.value.value;
  return { ok: true, edit, check: checkFix(input.groups, finding, before, edit), asks: reply.value.asks };
}

export type ApplyFixResult = { ok: true; file: string } | { ok: false; reason: string };

/**
 * Writes a checked fix: the fix record (for `audit --undo`) first, then the
 * spec file, then marks the finding fixed in `finding` (the caller saves
 * findings.json). Refuses when the file changed since the fix was checked.
 */
export async function applyFix(root: string, fix: CheckedFix, at: string): Promise<ApplyFixResult> {
  const path = join(root, fix.file);
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current !== fix.before) return { ok: false, reason: `${fix.file} changed since the fix was proposed; ask for a fix again` };
  await saveFixRecord(root, {
    finding: fix.finding.id,
    file: fix.file,
    search: fix.edit.search,
    replace: fix.edit.replace,
    markedReplace: fix.markedReplace,
    before: fix.before,
    after: fix.after,
    appliedAt: at,
    promptVersion: FIX_PROMPT_VERSION,
  });
  await writeFileAtomic(path, fix.after);
  triage(fix.finding, { action: "fixed", detail: `edit applied to ${fix.file} (undo: specwright audit --undo ${fix.finding.id})` }, at);
  return { ok: true, file: fix.file };
}

const noRecorder: CallRecorder = {
  started: async () => undefined,
  delta: () => undefined,
  finished: async () => undefined,
};
