// The build view's rows: which lines of each block fit in the screen's height.
// Every block claims the rows it wants while rows are left, in a fixed order;
// the reply (or, in plain mode, the build's log) gets the rest. Pure, so the
// budget is testable without Ink; build-screen.tsx only draws what this keeps.

import { wrapHanging, wrapStyled, type Styled } from "../format.js";
import { theme } from "../theme.js";
import type { LineStyle } from "../widgets/styled-lines.js";
import type { BuildViewState, TaskLine } from "./build-view-state.js";

export interface BuildLayoutInput {
  /** Rows the view may use, header included. */
  height: number;
  width: number;
  /** Plain mode: no followed task's header, no reply, no review; the log takes the reply's rows. */
  plain: boolean;
  /** Index of the task the live region follows (selectedTask). */
  selected: number;
  /** Plain mode: the build's log (plain-build-log.ts). */
  log: readonly string[];
}

export type Verdict = "pass" | "fail" | "cannot-tell" | "discarded";

/** The lines each block shows, top to bottom as drawn; the header takes one row. */
export interface BuildLayout {
  /** Index in view.tasks of the first task row shown. */
  firstTask: number;
  tasks: TaskLine[];
  /** The followed task, whose header, why-lines, reply and verify output are shown. */
  focus: TaskLine | undefined;
  focusLines: string[];
  whyLines: string[];
  /** The newest lines of the reply, padded with empty lines to the reply's rows. */
  reply: string[];
  log: readonly string[];
  /** The verify command and the newest lines of its output. */
  verify: { command: string; lines: string[] } | undefined;
  /** The review's summary line and the verdicts that fit whole. */
  review: { title: string; lines: { verdict: Verdict; text: string }[] } | undefined;
  loading: string[];
  notices: string[];
  /** A problem's lines; `first` marks the lines of its first sentence (drawn as an error). */
  problem: { line: string; first: boolean }[];
  summary: Styled<LineStyle>[][];
}

/** The task the live region follows: where the cursor is, else the first failed one of a finished build, else the running one. */
export function selectedTask(view: BuildViewState, cursor: number | undefined): number {
  const firstFailed = view.phase === "finished" ? view.tasks.findIndex((t) => t.state === "failed") : -1;
  return cursor ?? (firstFailed >= 0 ? firstFailed : Math.max(0, view.tasks.findIndex((t) => t.id === view.focus)));
}

/** Rows the layout takes on screen. */
export function layoutRows(layout: BuildLayout): number {
  const verify = layout.verify ? 1 + layout.verify.lines.length : 0;
  const review = layout.review ? 1 + layout.review.lines.length : 0;
  const blocks = [layout.tasks, layout.focusLines, layout.whyLines, layout.reply, layout.log, layout.loading, layout.notices, layout.problem, layout.summary];
  return 1 + verify + review + blocks.reduce((n, b) => n + b.length, 0);
}

/**
 * Nothing may ask for more than `height` in total: Ink would shrink the rows of a
 * too-tall column and draw them over each other.
 */
export function layoutBuildView(view: BuildViewState, { height, width, plain, selected, log }: BuildLayoutInput): BuildLayout {
  const focus = view.tasks[selected];
  const live = plain || !focus ? undefined : view.live[focus.id];
  let rowsLeft = height;
  const take = (wanted: number) => {
    const rows = Math.max(0, Math.min(wanted, rowsLeft));
    rowsLeft -= rows;
    return rows;
  };
  take(1); // the header
  const taskRows = take(Math.min(view.tasks.length, Math.max(3, Math.floor(height * 0.3))));
  // Sentences (the summary, a problem, notices, the loading line, review verdicts) wrap at the width, never cut:
  // each block asks for the rows its wrapped lines take.
  const summaryLines = view.summary ? wrapStyled(summaryParts(view), width, "  ") : [];
  const summaryRows = take(summaryLines.length);
  const problemLines = (view.problem ?? []).flatMap((line, i) => wrapHanging(line, width, "  ").map((text) => ({ line: text, first: i === 0 })));
  const problemRows = take(Math.min(problemLines.length, Math.max(2, height - 4)));
  // Plain mode has no followed task's header: the log says which task each line is about.
  const focusLines = plain ? [] : focus ? wrapHanging(focusHeader(focus), width, "   ") : [" "];
  const focusRows = take(focusLines.length);
  // Why the followed task failed, is blocked or was skipped, whole: its row has room for the start only.
  const whyText = focus ? taskDetail(focus, view.skipRequested.includes(focus.id)) : "";
  const whyLines = whyText !== "" ? wrapHanging(whyText, width, "  ") : [];
  const whyRows = take(Math.min(4, whyLines.length));
  // The newest two notices, whole; a notice that does not fit shows its start.
  const noticeBlocks = view.notices.slice(-2).map((n) => wrapHanging(n, width, "  "));
  const noticeRows = take(Math.min(Math.max(2, Math.floor(height / 4)), noticeBlocks.flat().length));
  const loadingLines = view.loading && view.phase !== "finished" ? wrapHanging(view.loading, width, "  ") : [];
  const loadingRows = take(loadingLines.length);
  // The command and at least one line of its output, or nothing.
  const verifyWanted = live && live.verify.length > 0 ? Math.min(6, live.verify.length + 1) : 0;
  const verifyRows = rowsLeft >= 2 ? take(verifyWanted) : 0;
  const review = plain ? undefined : focus?.review;
  const verdictBlocks = (review?.lines ?? []).map((line) => ({ line, text: wrapHanging(line.text, width, "  ") }));
  const reviewRows = rowsLeft >= 2 && review ? take(Math.min(5, verdictBlocks.reduce((n, b) => n + b.text.length, 0) + 1)) : 0;
  // Plain mode: the log takes the reply's rows, its newest lines last (a scrolling list prints only its new rows).
  const logRows = plain ? take(Math.min(log.length, rowsLeft)) : 0;
  const replyRows = plain ? 0 : take(rowsLeft);
  const firstTask = Math.max(0, Math.min(selected - Math.floor(taskRows / 2), view.tasks.length - taskRows));
  // The verify output's last line is the newline that ended it, not a line of its own.
  const verifyOutput = live ? live.verify.filter((l, i, all) => !(i === all.length - 1 && l === "")) : [];
  return {
    firstTask,
    tasks: view.tasks.slice(firstTask, firstTask + taskRows),
    focus,
    focusLines: focusLines.slice(0, focusRows),
    whyLines: whyLines.slice(0, whyRows),
    reply: newest(live?.reply ?? [], replyRows),
    log: log.slice(log.length - logRows),
    verify: live && verifyRows > 0 ? { command: live.verifyCommand ?? "", lines: verifyOutput.slice(Math.max(0, verifyOutput.length - (verifyRows - 1))) } : undefined,
    review:
      review && reviewRows > 0
        ? { title: `attempt ${review.attempt} ${review.summary}`, lines: wholeBlocks(verdictBlocks, (b) => b.text, reviewRows - 1, "first").flatMap(({ block, lines }) => lines.map((text) => ({ verdict: block.line.verdict, text }))) }
        : undefined,
    loading: loadingLines.slice(0, loadingRows),
    notices: wholeBlocks(noticeBlocks, (b) => b, noticeRows, "last").flatMap(({ lines }) => lines),
    problem: problemLines.slice(0, problemRows),
    summary: summaryLines.slice(0, summaryRows),
  };
}

/** The followed task's header: which attempt, and where it runs (an endpoint's URL can be long). */
function focusHeader(focus: TaskLine): string {
  const kind = focus.attemptKind && focus.attemptKind !== "implement" ? ` (${focus.attemptKind})` : "";
  const attempt = focus.attempt > 0 ? ` · attempt ${focus.attempt}${kind}` : "";
  return `── ${focus.id} ${focus.title}${attempt} · ${focus.state}${focus.endpoint ? ` · on ${focus.endpoint}` : ""} ──`;
}

/** The last `rows` lines, padded below with empty lines to exactly `rows`. */
function newest(lines: readonly string[], rows: number): string[] {
  return lines.slice(Math.max(0, lines.length - rows)).concat(Array<string>(Math.max(0, rows - lines.length)).fill("")).slice(0, rows);
}

/** What a task's row says after its state: why it failed, is blocked or was skipped, or its last failed attempt. */
export function taskDetail(task: TaskLine, skipping: boolean): string {
  if (skipping) return "skip requested";
  if (task.state === "failed" || task.state === "blocked" || (task.state === "skipped" && task.message)) return task.message ?? "";
  return task.failures.at(-1) && task.state !== "done" ? task.failures.at(-1)! : "";
}

/** The finished build's counts, in the summary's colour: what went wrong and the next action before the call counts. */
function summaryParts(view: BuildViewState): Styled<LineStyle>[] {
  const s = view.summary!;
  // A model that went away mid-build fails the run even where no task is listed as failed.
  const failed = s.failed.length + s.blocked.length + (s.modelUnavailable ? 1 : 0);
  const counts = `${s.done.length} built, ${s.upToDate.length} up to date${s.failed.length ? `, ${s.failed.length} failed (${s.failed.join(", ")})` : ""}${s.skipped.length ? `, ${s.skipped.length} skipped` : ""}${s.blocked.length ? `, ${s.blocked.length} blocked` : ""}${s.interrupted.length ? `, ${s.interrupted.length} interrupted` : ""}`;
  const next = failed > 0 ? " · t trace · r retry" : "";
  const bad = failed > 0 || s.interrupted.length > 0;
  return [{ text: `${bad ? "✗" : "✓"} ${counts}${next} · ${s.modelCalls} model calls, ${s.verifyRuns} verify runs`, style: { color: bad ? theme.error : theme.ok } }];
}

/**
 * Wrapped blocks (a notice, a verdict) that fit in `rows` whole, counted from the
 * first or from the last; when not even one fits, that one's first lines.
 */
function wholeBlocks<B>(blocks: readonly B[], linesOf: (block: B) => string[], rows: number, from: "first" | "last"): { block: B; lines: string[] }[] {
  const order = from === "first" ? blocks : [...blocks].reverse();
  const kept: { block: B; lines: string[] }[] = [];
  let left = rows;
  for (const block of order) {
    const lines = linesOf(block);
    if (lines.length > left) {
      if (kept.length === 0 && left > 0) kept.push({ block, lines: lines.slice(0, left) });
      break;
    }
    kept.push({ block, lines });
    left -= lines.length;
  }
  return from === "first" ? kept : kept.reverse();
}
