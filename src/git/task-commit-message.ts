// The text of specwright's commits: a task commit (`T003 <title>` plus the
// Spec-Task, Spec-Refs and Trace trailers) and a rollback commit (git's own
// `Revert "…"` form plus Spec-Task-Rollback). A rebuild caused by accepted
// intent also names the entries in an Intent trailer. Tasks are found again by these
// trailers, never by subject, so the trailer block must stay parseable by
// `git interpret-trailers`: one paragraph, one `Key: value` per line.

/** Trailer naming the task a commit builds. */
export const SPEC_TASK_TRAILER = "Spec-Task";
/** Trailer naming the intent entries (a person's words) whose accepted spec changes a commit rebuilds. */
export const INTENT_TRAILER = "Intent";
/** Trailer naming the task a rollback commit undoes. */
export const SPEC_TASK_ROLLBACK_TRAILER = "Spec-Task-Rollback";

/** One line: a newline in a title or ref would end the subject or break the trailer block. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export interface TaskCommitText {
  taskId: string;
  title: string;
  refs: readonly string[];
  tracePath: string;
  /** Accepted intent entries whose spec changes caused this build (`Intent: I-0003, I-0007`). */
  intents?: readonly string[];
}

/** The full message of a task commit, ending in a newline. */
export function formatTaskCommitMessage(task: TaskCommitText): string {
  const title = oneLine(task.title);
  const subject = title === "" ? task.taskId : `${task.taskId} ${title}`;
  const trailers = [`${SPEC_TASK_TRAILER}: ${task.taskId}`];
  const refs = task.refs.map(oneLine).filter((r) => r !== "");
  if (refs.length > 0) trailers.push(`Spec-Refs: ${refs.join(", ")}`);
  const trace = oneLine(task.tracePath);
  if (trace !== "") trailers.push(`Trace: ${trace}`);
  const intents = (task.intents ?? []).map(oneLine).filter((i) => i !== "");
  if (intents.length > 0) trailers.push(`${INTENT_TRAILER}: ${intents.join(", ")}`);
  return `${subject}\n\n${trailers.join("\n")}\n`;
}

/** The message of the commit that reverts `sha` (whose subject was `subject`) for `taskId`. */
export function formatRollbackMessage(taskId: string, sha: string, subject: string): string {
  return `Revert "${oneLine(subject)}"\n\nThis reverts commit ${sha}.\n\n${SPEC_TASK_ROLLBACK_TRAILER}: ${taskId}\n`;
}
