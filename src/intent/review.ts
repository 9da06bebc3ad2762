// A proposal as a person reviews it: the files it changes (checked against
// the specs on disk now), its numbered hunks, its diff and its impact on the
// plan. Computed when the proposal is made and again, from the log, when it
// is decided later: a spec file changed on disk since is detected by its hash
// and the proposal is refused, never applied on top of different text.

import { validateSpecs } from "../../grammar/validate.js";
import type { LoadedConfig } from "../config/types.js";
import { readPlanFile } from "../planning/plan-file.js";
import type { Plan } from "../../plans/plan.js";
import { groupSpecs, loadProjectSpecs, type SpecGroup } from "../specs/project-specs.js";
import { namedTasksOf, specImpact, type NamedTasks, type SpecImpact } from "./impact.js";
import type { IntentEdit, IntentEntry } from "./intent-log.js";
import { checkProposal, renderProposalDiff, textHash, type NumberedHunk, type ProposedFile } from "./proposal.js";

export interface ProposalReview {
  id: string;
  edits: IntentEdit[];
  files: ProposedFile[];
  hunks: NumberedHunk[];
  diff: string;
  impact: SpecImpact;
}

/** The project's spec files now: texts by path, and the groups when they validate. */
export interface SpecSnapshot {
  sources: Map<string, string>;
  groups: SpecGroup[];
  /** file:line:col: message of every error (empty when the specs validate). */
  errors: string[];
}

export async function specSnapshot(loaded: LoadedConfig): Promise<SpecSnapshot> {
  const specs = await loadProjectSpecs(loaded);
  return {
    sources: new Map(specs.sources.map((s) => [s.file, s.text])),
    groups: specs.groups,
    errors: specs.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`),
  };
}

/** Groups of a set of spec texts that validate (callers have checked they do). */
export function groupsOf(sources: ReadonlyMap<string, string>): SpecGroup[] {
  // groupSpecs reads only the file names and texts; `path` is not used for grouping.
  const list = [...sources].map(([file, text]) => ({ file, path: file, text }));
  return groupSpecs(list, validateSpecs(list));
}

export async function currentPlan(root: string): Promise<Plan | undefined> {
  const load = await readPlanFile(root);
  return load.kind === "loaded" ? load.plan : undefined;
}

/** The specs with `files` written over them. */
export function sourcesWith(sources: ReadonlyMap<string, string>, files: readonly { file: string; text: string | undefined }[]): Map<string, string> {
  const next = new Map(sources);
  for (const f of files) {
    if (f.text === undefined) next.delete(f.file);
    else next.set(f.file, f.text);
  }
  return next;
}

/** `named`: the tasks the request names (namedTasksOf its context); the impact says whether the change reaches each. */
export function reviewOf(input: { id: string; edits: IntentEdit[]; files: ProposedFile[]; hunks: NumberedHunk[]; snapshot: SpecSnapshot; plan: Plan | undefined; loaded: LoadedConfig; named?: NamedTasks | undefined }): ProposalReview {
  const after = groupsOf(sourcesWith(input.snapshot.sources, input.files.map((f) => ({ file: f.file, text: f.after }))));
  return {
    id: input.id,
    edits: input.edits,
    files: input.files,
    hunks: input.hunks,
    diff: renderProposalDiff(input.files, input.hunks),
    impact: specImpact({ before: input.snapshot.groups, after, plan: input.plan, config: input.loaded.config, named: input.named }),
  };
}

export type StoredReview = { ok: true; review: ProposalReview; snapshot: SpecSnapshot } | { ok: false; stale: boolean; message: string; hint: string };

/** The review of an entry's pending proposal, recomputed from the log against the specs on disk. */
export async function reviewStored(loaded: LoadedConfig, entry: IntentEntry): Promise<StoredReview> {
  const p = entry.proposal;
  if (!p || (entry.status !== "pending" && entry.status !== "questions")) {
    return { ok: false, stale: false, message: `${entry.id} has no pending proposal (it is ${entry.status})`, hint: entry.status === "unanswered" || entry.status === "refused" ? `\`specwright ask --retry ${entry.id}\` asks again` : "`specwright intent` lists the entries" };
  }
  if (p.edits.length === 0) return { ok: false, stale: false, message: `${entry.id} asked questions and proposed no change`, hint: `answer them: \`specwright ask --thread ${entry.id} "…"\`` };
  const snapshot = await specSnapshot(loaded);
  const changed = p.files.filter((f) => textHash(snapshot.sources.get(f.file)) !== f.before);
  if (changed.length > 0) {
    return {
      ok: false,
      stale: true,
      message: `${changed.map((f) => f.file).join(", ")} changed on disk since ${entry.id}'s proposal was made; it is not applied on top of different text`,
      hint: `\`specwright ask --retry ${entry.id}\` asks again against the files as they are now`,
    };
  }
  if (snapshot.errors.length > 0) return { ok: false, stale: false, message: `the specs have errors now: ${snapshot.errors[0]}`, hint: "`specwright validate` shows them all" };
  const checked = checkProposal({
    sources: snapshot.sources,
    specDir: loaded.config.project.specDir,
    edits: p.edits,
    ...(p.assumed && p.assumptionsFile ? { assumptions: { file: p.assumptionsFile, items: p.assumptions } } : {}),
  });
  if (!checked.ok) return { ok: false, stale: true, message: `${entry.id}'s proposal no longer applies: ${checked.problems[0]}`, hint: `\`specwright ask --retry ${entry.id}\` asks again` };
  const plan = await currentPlan(loaded.root);
  return { ok: true, snapshot, review: reviewOf({ id: entry.id, edits: p.edits, files: checked.files, hunks: checked.hunks, snapshot, plan, loaded, named: namedTasksOf(entry.request.context) }) };
}
