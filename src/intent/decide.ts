// Deciding a pending proposal: accept it whole or hunk by hunk (the chosen
// texts must still validate as a set), accept the person's own edit of it,
// or reject it. Under the run lock, re-reading the log and the specs there:
// a proposal whose files changed on disk is refused. An accepted decision is
// appended to the log with the applied diff, the spec hashes before and after,
// the spec parts it changed and the plan tasks it invalidates.

import { validateSpecs } from "../../grammar/validate.js";
import type { LoadedConfig } from "../config/types.js";
import { withRunLock } from "../lock.js";
import { unifiedDiff } from "../text/line-diff.js";
import { logEvent, readIntentLog, type IntentEntry } from "./intent-log.js";
import { applyHunks, fileChanges, numberHunks, renderProposalDiff, type ProposedFile } from "./proposal.js";
import { currentPlan, reviewOf, reviewStored, type ProposalReview } from "./review.js";
import { writeSpecText } from "./spec-write.js";

export type DecideResult =
  | { ok: true; id: string; decision: "accepted" | "edited" | "rejected"; review?: ProposalReview; hunks?: number[]; request?: IntentEntry["request"]; proposal?: IntentEntry["proposal"] }
  | { ok: false; message: string; hint: string; stale?: boolean; usage?: boolean };

async function entryOf(root: string, id: string): Promise<{ ok: true; entry: IntentEntry } | { ok: false; message: string; hint: string }> {
  const log = await readIntentLog(root);
  if (!log.ok) return { ok: false, message: log.problem, hint: log.hint };
  const entry = log.entries.find((e) => e.id === id);
  if (!entry) return { ok: false, message: `no intent entry ${id}`, hint: "`specwright intent` lists them" };
  return { ok: true, entry };
}

/**
 * Applies a pending proposal. `hunks`: the numbers to apply (all when
 * undefined). `edited`: the person's own version of the proposed files
 * (path → text), which replaces the proposal's and is recorded as "edited".
 */
export async function acceptProposal(
  loaded: LoadedConfig,
  id: string,
  options: { hunks?: readonly number[]; edited?: ReadonlyMap<string, string>; now?: string } = {},
): Promise<DecideResult> {
  const root = loaded.root;
  const locked = await withRunLock(root, `specwright ask --accept ${id}`, async (): Promise<DecideResult> => {
    const found = await entryOf(root, id);
    if (!found.ok) return found;
    const stored = await reviewStored(loaded, found.entry);
    if (!stored.ok) return stored;
    const { review, snapshot } = stored;
    const total = review.hunks.length;
    const wanted = options.hunks ? new Set(options.hunks) : new Set(review.hunks.map((h) => h.number));
    const unknown = [...wanted].filter((n) => n < 1 || n > total);
    if (unknown.length > 0) return { ok: false, usage: true, message: `${id}'s proposal has hunks 1–${total}; there is no hunk ${unknown.join(", ")}`, hint: `\`specwright intent ${id}\` shows them` };
    if (wanted.size === 0) return { ok: false, usage: true, message: "no hunk chosen", hint: `reject it instead: \`specwright ask --reject ${id}\`` };

    // The texts to write: chosen hunks per file, or the person's edit.
    const chosen: ProposedFile[] = [];
    for (const f of review.files) {
      const own = review.hunks.filter((h) => h.file === f.file);
      const accepted = new Set(own.map((h, i) => (wanted.has(h.number) ? i : -1)).filter((i) => i >= 0));
      const text = options.edited?.get(f.file) ?? applyHunks(f, own.map((h) => h.hunk), accepted);
      if (text !== undefined && text !== f.before) chosen.push({ file: f.file, before: f.before, after: text });
    }
    if (chosen.length === 0) return { ok: false, message: "the chosen hunks change nothing", hint: "choose other hunks or reject the proposal" };
    const next = new Map(snapshot.sources);
    for (const f of chosen) next.set(f.file, f.after);
    const errors = validateSpecs([...next].map(([file, text]) => ({ file, text }))).diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      const first = errors[0]!;
      return {
        ok: false,
        message: `not applied: the specs would not validate (${first.file}:${first.line}:${first.column}: ${first.message})${options.hunks ? "; the chosen hunks depend on others" : ""}`,
        hint: options.hunks ? "choose the hunks together, or accept the whole proposal" : "fix the edit and try again",
      };
    }
    for (const f of chosen) await writeSpecText(root, f.file, f.after);
    const hunks = numberHunks(chosen);
    const applied = reviewOf({ id, edits: review.edits, files: chosen, hunks, snapshot, plan: await currentPlan(root), loaded });
    const edited = options.edited !== undefined;
    const personEdits = edited
      ? chosen
          .map((f) => {
            const proposed = review.files.find((p) => p.file === f.file)?.after ?? "";
            const d = unifiedDiff(proposed, f.after);
            return d.length > 0 ? [`--- proposed/${f.file}`, `+++ edited/${f.file}`, ...d].join("\n") : "";
          })
          .filter((d) => d !== "")
          .join("\n")
      : undefined;
    await logEvent(root, {
      event: "decision",
      id,
      at: options.now ?? new Date().toISOString(),
      decision: edited ? "edited" : "accepted",
      ...(options.hunks && wanted.size < total ? { hunks: [...wanted].sort((a, b) => a - b) } : {}),
      diff: renderProposalDiff(chosen, hunks),
      ...(personEdits ? { personEdits } : {}),
      files: fileChanges(chosen),
      changed: applied.impact.changed,
      tasks: applied.impact.tasks.map((t) => t.id),
    });
    return { ok: true, id, decision: edited ? "edited" : "accepted", review: applied, request: found.entry.request, ...(found.entry.proposal ? { proposal: found.entry.proposal } : {}), ...(options.hunks && wanted.size < total ? { hunks: [...wanted].sort((a, b) => a - b) } : {}) };
  });
  return locked.ok ? locked.value : { ok: false, message: locked.message, hint: locked.hint };
}

/** Rejects a pending proposal (or questions); the words stay in the log. */
export async function rejectProposal(root: string, id: string, reason: string | undefined, now = new Date().toISOString()): Promise<DecideResult> {
  const found = await entryOf(root, id);
  if (!found.ok) return found;
  const { entry } = found;
  if (entry.status !== "pending" && entry.status !== "questions") {
    return { ok: false, usage: true, message: `${id} has no pending proposal (it is ${entry.status})`, hint: "`specwright intent` lists the entries" };
  }
  await logEvent(root, { event: "decision", id, at: now, decision: "rejected", ...(reason ? { reason } : {}) });
  return { ok: true, id, decision: "rejected" };
}
