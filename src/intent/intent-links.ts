// The links from accepted intent to what it caused, and the seams other
// commands use: which accepted entries a build of a task is rebuilding (its
// commit's `Intent:` trailer), recording the commit that did, and which
// accepted entries changed given spec parts (for `blame` and the judges).

import { logEvent, readIntentLog, type ChangedRef, type IntentEntry } from "./intent-log.js";

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

function sameRef(a: SpecRef, b: ChangedRef): boolean {
  return a.spec.toLowerCase() === b.spec.toLowerCase() && a.ref.toLowerCase() === b.ref.toLowerCase();
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
  if (!log.ok) return [];
  const out: IntentTouch[] = [];
  for (const entry of log.entries) {
    if (!applied(entry)) continue;
    const hit = (entry.decision?.changed ?? []).filter((c) => refs.some((r) => sameRef(r, c)));
    if (hit.length > 0) out.push({ entry, refs: hit });
  }
  return out;
}
