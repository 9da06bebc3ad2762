// The links from accepted intent to what it caused, and the seams other
// commands use: which accepted entries a build of a task is rebuilding (its
// commit's `Intent:` trailer), recording the commit that did, which accepted
// entries changed given spec parts (for `blame` and the judges), and logging
// a tool's recommendation as a request (for a retrospective).

import { logEvent, logRequest, readIntentLog, type ChangedRef, type IntentContext, type IntentEntry, type IntentEvent } from "./intent-log.js";

function applied(entry: IntentEntry): boolean {
  return entry.status === "accepted" || entry.status === "edited";
}

/**
 * Accepted entries whose decision invalidated `taskId` and that no commit of
 * that task has rebuilt yet, oldest first: what the task's next build commit
 * names in its `Intent:` trailer. An unreadable log names none (a build never
 * fails over it).
 */
export async function intentsRebuilding(root: string, taskId: string): Promise<string[]> {
  const log = await readIntentLog(root);
  if (!log.ok) return [];
  return log.entries.filter((e) => applied(e) && (e.decision?.tasks ?? []).includes(taskId) && !e.built.some((b) => b.task === taskId)).map((e) => e.id);
}

/** Records that `commit` rebuilt `taskId` for each of `ids`. */
export async function recordRebuilt(root: string, ids: readonly string[], taskId: string, commit: string, at = new Date().toISOString()): Promise<void> {
  for (const id of ids) await logEvent(root, { event: "built", id, at, task: taskId, commit });
}

/** A spec part as tasks and judges name it: the spec id and the ref in task-key spelling. */
export interface SpecRef {
  spec: string;
  ref: string;
}

/** Whether a task's ref holds the changed part: the same part, or the whole section it is one of (`requirements` holds `requirements/top`). */
function sameRef(a: SpecRef, b: ChangedRef): boolean {
  if (a.spec.toLowerCase() !== b.spec.toLowerCase()) return false;
  const ref = a.ref.toLowerCase();
  const changed = b.ref.toLowerCase();
  return ref === changed || ((ref === "requirements" || ref === "components") && changed.startsWith(`${ref}/`));
}

export interface IntentTouch {
  entry: IntentEntry;
  /** The refs of the question this entry's accepted diff changed, added or removed. */
  refs: ChangedRef[];
}

/**
 * Which accepted intent entries touched these refs, oldest first — the seam
 * for the judges ("did the person ask for this?") and for `blame`. The last
 * entry per ref is the one whose words last shaped it.
 */
export async function intentsTouching(root: string, refs: readonly SpecRef[]): Promise<IntentTouch[]> {
  const log = await readIntentLog(root);
  return log.ok ? entriesTouching(log.entries, refs) : [];
}

/** intentsTouching over entries already read (a build reads the log once for all its tasks). */
export function entriesTouching(entries: readonly IntentEntry[], refs: readonly SpecRef[]): IntentTouch[] {
  const out: IntentTouch[] = [];
  for (const entry of entries) {
    if (!applied(entry)) continue;
    const hit = (entry.decision?.changed ?? []).filter((c) => refs.some((r) => sameRef(r, c)));
    if (hit.length > 0) out.push({ entry, refs: hit });
  }
  return out;
}

/**
 * The seam for a retrospective (or any tool) that recommends a spec change:
 * the recommendation becomes an ask request of its own kind, logged before any
 * model call, and is answered like a person's words — the proposal waits for a
 * person to accept or reject it (`specwright ask --accept ID`). Returns the
 * logged request; answer it with `answerIntent` (src/intent/run-ask.ts).
 */
export async function logRecommendation(root: string, recommendation: { words: string; source: string; author?: string; context?: Omit<IntentContext, "source"> }): Promise<Extract<IntentEvent, { event: "request" }>> {
  return logRequest(root, { author: recommendation.author ?? `specwright ${recommendation.source}`, kind: "recommendation", words: recommendation.words, context: { source: recommendation.source, ...(recommendation.context ?? {}) } });
}
