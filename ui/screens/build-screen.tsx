// Build: start a build with the same wiring as `specwright build`, follow its
// tasks live, watch the running task's reply stream and its verify output,
// see fix attempts, speed, elapsed time and an estimate of the rest. Esc
// aborts through the engine's signal; a hand-edited file or a failed task is
// a confirm dialog. p pauses after the running task, s skips the selected
// one, r retries a failed task, o builds one task and what depends on it.

import { Box, Text } from "ink";
import { useEffect, useReducer, useRef, useState } from "react";
import { buildTaskGraph, selectTasks, type TaskSelection } from "../../plans/graph.js";
import { BuildController, type BuildControl } from "../../src/build/build-control.js";
import type { BuildAnswer, BuildEvent, BuildQuestion } from "../../src/build/build-events.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { runProjectBuild } from "../../src/build/run-project-build.js";
import { loadConfig } from "../../src/config/load.js";
import { hasErrors } from "../../grammar/diagnostic.js";
import { useActions, useProject, useScreenCommands, useScreenSelection, type AppActions } from "../app-context.js";
import { buildViewReducer, initialBuildView, pauseState, remainingEstimate, skippable, type BuildViewState, type TaskLine } from "../build/build-view-state.js";
import { createEventBatcher } from "../build/event-batcher.js";
import { initialPlainBuildLog, plainBuildLogReducer } from "../build/plain-build-log.js";
import { cell, diagnosticLines, plural, wrapHanging, wrapStyled, type Styled } from "../format.js";
import { CURSOR, inColor, taskStateStyle, theme, toneColor } from "../theme.js";
import { formatElapsed, useNow } from "../use-now.js";
import { usePlain } from "../plain-mode.js";
import { inTuiTerms } from "../tui-terms.js";
import type { ScreenProps } from "./screen-props.js";
import { StyledLines, type LineStyle } from "../widgets/styled-lines.js";

export function BuildScreen({ height, width }: ScreenProps) {
  const project = useProject();
  const actions = useActions();
  const [view, dispatch] = useReducer(buildViewReducer, undefined, initialBuildView);
  const [cursor, setCursorState] = useState<number | undefined>(undefined);
  const running = view.phase === "starting" || view.phase === "running";
  const plain = usePlain();
  // A paused build's clock stands still (nothing is being worked on); plain mode runs no clock.
  const now = useNow(running && pauseState(view) !== "paused" && !plain, 1000);
  // Plain mode tells the build as a log of its events instead of the live region (plain-build-log.ts).
  const [log, dispatchLog] = useReducer(plainBuildLogReducer, undefined, initialPlainBuildLog);
  const logTick = useNow(running && plain, 1000);
  useEffect(() => dispatchLog({ type: "tick", now: logTick }), [logTick]);
  const stopBatcher = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => stopBatcher.current?.(), []);
  // Keys can arrive between renders: what they act on is read from refs, not from this render.
  const control = useRef<BuildController | undefined>(undefined);
  const viewRef = useRef(view);
  viewRef.current = view;
  const cursorRef = useRef(cursor);
  const setCursor = (value: number | undefined) => {
    cursorRef.current = value;
    setCursorState(value);
  };

  const start = (options: { force: boolean; only?: string }) => {
    if (control.current) {
      actions.flash(control.current.paused() ? "the build is paused; p resumes it, Esc stops it" : "a build is running; Esc stops it");
      return;
    }
    const controller = new BuildController();
    control.current = controller;
    setCursor(undefined);
    dispatch({ type: "start", now: Date.now(), ...(options.only !== undefined ? { only: options.only } : {}) });
    dispatchLog({ type: "start" });
    const batcher = createEventBatcher<BuildEvent>((events) => {
      const at = Date.now();
      dispatch({ type: "events", events, now: at });
      dispatchLog({ type: "events", events, now: at });
    });
    stopBatcher.current = () => batcher.stop();
    const selection: TaskSelection = options.only !== undefined ? { kind: "only", id: options.only } : { kind: "all" };
    const label = options.only !== undefined ? `build ${options.only}` : options.force ? "build (all tasks)" : "build";
    void actions
      .run(label, async (signal) => {
        signal.addEventListener("abort", () => dispatch({ type: "cancelling" }), { once: true });
        const problem = await buildProject({
          cwd: project.cwd,
          env: project.env,
          force: options.force,
          selection,
          control: controller,
          signal,
          onEvent: (e) => batcher.push(e),
          decide: (q) => ask(actions, q),
        });
        batcher.drain();
        if (problem) dispatch({ type: "problem", lines: problem.map(inTuiTerms), now: Date.now() });
        else dispatch({ type: "ended", now: Date.now() });
        return true;
      })
      .then((ran) => {
        // Another operation was running: nothing started.
        if (ran === undefined) dispatch({ type: "problem", lines: ["another operation is running; Esc cancels it first"], now: Date.now() });
      })
      .finally(() => {
        if (control.current === controller) control.current = undefined;
      });
  };

  const paused = pauseState(view) === "paused";
  useEffect(() => actions.operationPaused(paused), [paused, actions]);

  const selectedIndex = (v: BuildViewState, c: number | undefined): number => {
    const firstFailed = v.phase === "finished" ? v.tasks.findIndex((t) => t.state === "failed") : -1;
    return c ?? (firstFailed >= 0 ? firstFailed : Math.max(0, v.tasks.findIndex((t) => t.id === v.focus)));
  };
  const selected = selectedIndex(view, cursor);
  useScreenSelection("build", () => {
    const task = viewRef.current.tasks[selectedIndex(viewRef.current, cursorRef.current)];
    return task ? { task: task.id, ...(task.trace ? { trace: task.trace } : {}) } : undefined;
  });
  useScreenCommands("build", (command) => {
    const v = viewRef.current;
    const at = selectedIndex(v, cursorRef.current);
    const task = v.tasks[at];
    switch (command) {
      case "build.start":
        start({ force: false });
        return true;
      case "build.force":
        start({ force: true });
        return true;
      case "cursor.up":
        setCursor(Math.max(0, at - 1));
        return true;
      case "cursor.down":
        setCursor(Math.max(0, Math.min(v.tasks.length - 1, at + 1)));
        return true;
      case "build.pause": {
        const c = control.current;
        if (!c) {
          actions.flash("no build is running; b starts one");
        } else if (c.paused()) {
          c.resume();
          dispatch({ type: "pause", paused: false });
          actions.flash("resumed");
        } else {
          c.pause();
          dispatch({ type: "pause", paused: true });
          actions.flash("pausing: the running task finishes, nothing new starts; p resumes");
        }
        return true;
      }
      case "build.skip": {
        const c = control.current;
        if (!task) {
          actions.flash("no task selected");
          return true;
        }
        const can = c ? skippable(v, task.id) : ({ ok: false, why: "no build is running; s skips a task of a running build" } as const);
        if (!c || !can.ok || c.skipped(task.id)) {
          actions.flash(can.ok ? `${task.id} is already being skipped` : can.why);
          return true;
        }
        c.skip(task.id);
        dispatch({ type: "skip", id: task.id });
        actions.flash(`skipping ${task.id} in this build`);
        return true;
      }
      case "build.retry":
      case "build.only": {
        if (!task) {
          actions.flash("no tasks to choose from yet; b starts a build");
          return true;
        }
        const retry = command === "build.retry";
        if (retry && !["failed", "blocked", "interrupted"].includes(task.state)) {
          actions.flash(`${task.id} did not fail; o builds the selected task and what depends on it`);
          return true;
        }
        if (control.current) {
          actions.flash(`a build is running; when it ends, ${retry ? "r" : "o"} builds ${task.id} again`);
          return true;
        }
        start({ force: false, only: task.id });
        return true;
      }
      case "build.trace": {
        if (!v.runId || !task?.trace) {
          actions.flash("no trace for the selected task in this build");
          return true;
        }
        const path = task.trace.replace(/^.*?\/runs\/[^/]+\//, "");
        actions.openTrace({ runId: v.runId, path });
        return true;
      }
      default:
        return false;
    }
  }, (command) => {
    const v = viewRef.current;
    const task = v.tasks[selectedIndex(v, cursorRef.current)];
    const c = control.current;
    switch (command) {
      case "build.start":
      case "build.force":
        return c ? "a build is running; Esc stops it" : undefined;
      case "build.pause":
        return c ? undefined : "no build is running";
      case "build.skip": {
        if (!task) return "no task selected";
        const can = skippable(v, task.id);
        return can.ok ? undefined : can.why;
      }
      case "build.retry":
        if (!task) return "no tasks yet; b starts a build";
        if (!["failed", "blocked", "interrupted"].includes(task.state)) return `${task.id} did not fail`;
        return c ? "a build is running" : undefined;
      case "build.only":
        if (!task) return "no tasks yet; b starts a build";
        return c ? "a build is running" : undefined;
      case "build.trace":
        return v.runId && task?.trace ? undefined : "no trace for the selected task in this build";
      default:
        return undefined;
    }
  });

  if (view.phase === "idle") {
    return (
      <Box flexDirection="column">
        <Text>No build in this session yet.</Text>
        <Text>
          <Text bold>b</Text> builds what changed (an unchanged project makes no model calls); <Text bold>F</Text> rebuilds every task.
        </Text>
        <Text dimColor>While it runs: p pauses after the running task, s skips the selected task, Esc stops the build.</Text>
        <Text dimColor>Finished tasks stay done and the next build resumes; r retries a failed task.</Text>
      </Box>
    );
  }
  return <BuildView view={view} now={now} height={height} width={width} selected={selected} {...(plain ? { log: log.lines } : {})} />;
}

/** Loads a fresh config and build context, then runs the build; returns problem lines when it could not run. */
async function buildProject(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  force: boolean;
  selection: TaskSelection;
  control: BuildControl;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
  decide(question: BuildQuestion): Promise<BuildAnswer>;
}): Promise<string[] | undefined> {
  const { loaded, diagnostics } = await loadConfig({ cwd: options.cwd, env: options.env, flags: {} });
  if (hasErrors(diagnostics)) return ["the configuration has errors; fix specwright.toml", ...diagnosticLines(diagnostics, [])];
  if (loaded.projectKind === "none") return ["no specwright.toml (or ossature.toml) here — press 1 (Overview), then i to create one"];
  const context = await readBuildContext(loaded, options.env);
  if (!context.ok) return [context.message, ...diagnosticLines(context.diagnostics, context.sources)];
  const selected = selectTasks(buildTaskGraph(context.context.plan.tasks), options.selection);
  if (!selected.ok) return [selected.message, ...("hint" in selected && selected.hint ? [`hint: ${selected.hint}`] : [])];
  const result = await runProjectBuild({
    loaded,
    context: context.context,
    selection: options.selection,
    force: options.force,
    env: options.env,
    signal: options.signal,
    control: options.control,
    onEvent: options.onEvent,
    decide: options.decide,
  });
  if (!result.ok) return [result.message, ...(result.hint ? [`hint: ${result.hint}`] : []), ...diagnosticLines(result.diagnostics ?? [], result.sources ?? [])];
  return undefined;
}

async function ask(actions: AppActions, question: BuildQuestion): Promise<BuildAnswer> {
  switch (question.kind) {
    case "overwrite-hand-edit": {
      const yes = await actions.confirm(
        `${question.task} would overwrite ${plural(question.files.length, "file")} changed by hand. Overwrite?`,
        question.files.map((f) => `${f.path}: ${f.message}`),
      );
      return { kind: "overwrite-hand-edit", overwrite: yes };
    }
    case "retry-failed": {
      const yes = await actions.confirm(`${question.task} failed. Try it again from the start?`, [
        question.message,
        "y builds it again in this build; n leaves it failed (r retries it later)",
      ]);
      return { kind: "retry-failed", retry: yes };
    }
  }
}

interface BuildViewProps {
  view: BuildViewState;
  now: number;
  height: number;
  width: number;
  /** Index of the task the live region shows: the running one, the first failed one, or where the cursor is. */
  selected: number;
  /** Plain mode: the build's log (plain-build-log.ts), shown in place of the live region; never the streamed reply. */
  log?: readonly string[];
}

/** The build as a bounded live region: header, task list, the followed task's reply and verify output, notices. */
export function BuildView({ view, now, height, width, selected, log = [] }: BuildViewProps) {
  // Plain mode prints every change as a new line: nothing that changes by itself while the build runs
  // (the clock, the estimate, the speed of each call) is on screen until it settles, and the live region
  // (the reply and verify output as they stream) is the build's log instead.
  const plain = usePlain();
  const done = view.tasks.filter((t) => t.state === "done").length;
  const toBuild = view.tasks.filter((t) => !["up-to-date", "skipped", "not-selected"].includes(t.state)).length;
  const end = view.finishedAt ?? now;
  const elapsed = view.startedAt !== undefined ? formatElapsed(end - view.startedAt) : "";
  const focusIndex = selected;
  const focus = view.tasks[focusIndex];
  const streamed = focus ? view.live[focus.id] : undefined;
  const live = plain ? undefined : streamed;
  const avgRate = view.evalMs > 0 ? view.evalTokens / (view.evalMs / 1000) : undefined;
  const estimate = remainingEstimate(view);
  const pause = pauseState(view);
  // Speed from the model's own counts: the last finished call while building, the average at the end.
  // Plain mode says only the average: each call's speed would be a line of its own.
  const rate =
    view.phase === "finished"
      ? avgRate !== undefined
        ? ` · ${avgRate.toFixed(1)} tok/s avg`
        : ""
      : view.lastCallRate !== undefined && !plain
        ? ` · ${view.lastCallRate.toFixed(1)} tok/s (last call)`
        : "";
  const started = view.runId !== undefined;
  // Every block gets the rows it wants while rows are left, in this order; the reply gets the rest. Nothing may
  // ask for more than `height` in total: Ink would shrink the rows of a too-tall column and draw them over each other.
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
  const problemBlocks = (view.problem ?? []).map((line) => wrapHanging(line, width, "  "));
  const problemRows = take(Math.min(problemBlocks.flat().length, Math.max(2, height - 4)));
  // The followed task's header: which attempt, and where it runs (an endpoint's URL can be long).
  // Plain mode has no followed task's header: the log says which task each line is about.
  const focusLines = plain
    ? []
    : focus
    ? wrapHanging(`── ${focus.id} ${focus.title}${focus.attempt > 0 ? ` · attempt ${focus.attempt}${focus.attemptKind && focus.attemptKind !== "implement" ? ` (${focus.attemptKind})` : ""}` : ""} · ${focus.state}${focus.endpoint ? ` · on ${focus.endpoint}` : ""} ──`, width, "   ")
    : [" "];
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
  const firstTask = Math.max(0, Math.min(focusIndex - Math.floor(taskRows / 2), view.tasks.length - taskRows));

  return (
    <Box flexDirection="column">
      {!started && view.phase === "finished" ? (
        // It never started (no plan, lock held, config errors): no run, no counts, no clock.
        <Text wrap="truncate-end" bold>
          build{view.only !== undefined ? ` ${view.only}+` : ""} did not start
        </Text>
      ) : (
        <Text wrap="truncate-end">
          <Text bold>build{view.only !== undefined ? ` ${view.only}+` : ""}</Text> {view.runId ?? "starting…"}
          {started ? ` · ${done}/${toBuild} built` : ""}
          {plain && view.phase !== "finished" ? "" : ` · ${pause === "paused" ? `paused at ${elapsed}` : elapsed}`}
          {rate}
          {!plain && view.phase === "running" && pause === "none" && estimate.ms !== undefined && estimate.remaining > 0 ? ` · ~${formatElapsed(estimate.ms)} left` : ""}
          {view.cancelling && view.phase !== "finished" ? <Text color={theme.warning}> · stopping…</Text> : null}
          {pause === "pausing" ? <Text color={theme.warning}> · pausing after the running task…</Text> : pause === "paused" ? <Text color={theme.warning}> · paused — p resumes</Text> : null}
        </Text>
      )}
      {view.tasks.slice(firstTask, firstTask + taskRows).map((t, i) => (
        <TaskRow key={t.id} task={t} selected={firstTask + i === focusIndex} skipping={view.skipRequested.includes(t.id)} width={width} />
      ))}
      {focusLines.slice(0, focusRows).map((line, i) => (
        <Text key={`f${i}`} color={theme.accent}>
          {line}
        </Text>
      ))}
      {whyLines.slice(0, whyRows).map((line, i) => (
        <Text key={`w${i}`} {...inColor(focus?.state === "failed" ? theme.error : theme.warning)}>
          {line}
        </Text>
      ))}
      {(live?.reply ?? []).slice(Math.max(0, (live?.reply.length ?? 0) - replyRows)).concat(Array<string>(Math.max(0, replyRows - (live?.reply.length ?? 0))).fill("")).slice(0, replyRows).map((line, i) => (
        <Text key={`r${i}`} wrap="truncate-end" dimColor={focus?.state !== "generating"}>
          {line === "" ? " " : line}
        </Text>
      ))}
      {log.slice(log.length - logRows).map((line, i) => (
        <Text key={`l${i}`} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {live && verifyRows > 0 ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end" bold>
            $ {live.verifyCommand ?? ""}
          </Text>
          {live.verify.filter((l, i, all) => !(i === all.length - 1 && l === "")).slice(-(verifyRows - 1)).map((line, i) => (
            <Text key={`v${i}`} wrap="truncate-end">
              {line === "" ? " " : line}
            </Text>
          ))}
        </Box>
      ) : null}
      {review && reviewRows > 0 ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end" bold>
            {`attempt ${review.attempt} ${review.summary}`}
          </Text>
          {wholeBlocks(verdictBlocks, (b) => b.text, reviewRows - 1, "first").flatMap(({ block, lines }, i) =>
            lines.map((text, j) => (
              <Text key={`j${i}.${j}`} {...inColor(block.line.verdict === "fail" ? theme.error : block.line.verdict === "pass" ? theme.ok : undefined)} dimColor={block.line.verdict === "discarded" || block.line.verdict === "cannot-tell"}>
                {text}
              </Text>
            )),
          )}
        </Box>
      ) : null}
      {loadingLines.slice(0, loadingRows).map((line, i) => (
        <Text key={`l${i}`} dimColor>
          {line}
        </Text>
      ))}
      {wholeBlocks(noticeBlocks, (b) => b, noticeRows, "last").flatMap(({ lines }, i) =>
        lines.map((line, j) => (
          <Text key={`n${i}.${j}`} color={theme.warning}>
            {line}
          </Text>
        )),
      )}
      {problemBlocks
        .flatMap((lines, i) => lines.map((line) => ({ line, first: i === 0 })))
        .slice(0, problemRows)
        .map(({ line, first }, i) => (
          <Text key={`p${i}`} {...inColor(first ? theme.error : undefined)}>
            {line}
          </Text>
        ))}
      <StyledLines lines={summaryLines.slice(0, summaryRows)} />
    </Box>
  );
}

/** What a task's row says after its state: why it failed, is blocked or was skipped, or its last failed attempt. */
function taskDetail(task: TaskLine, skipping: boolean): string {
  if (skipping) return "skip requested";
  if (task.state === "failed" || task.state === "blocked" || (task.state === "skipped" && task.message)) return task.message ?? "";
  return task.failures.at(-1) && task.state !== "done" ? task.failures.at(-1)! : "";
}

function TaskRow({ task, selected, skipping, width }: { task: TaskLine; selected: boolean; skipping: boolean; width: number }) {
  const style = taskStateStyle(task.state);
  const attempts = task.attempt > 1 ? ` (${task.attempt} attempts)` : "";
  const detail = taskDetail(task, skipping);
  return (
    <Text wrap="truncate-end">
      {selected ? CURSOR : " "} <Text {...inColor(toneColor(style.tone))}>{style.glyph}</Text> {task.id.padEnd(6)} {cell(task.title, Math.max(10, Math.min(28, width - 40 - Math.max(0, task.id.length - 6))))} {cell(task.state + attempts, 24)}{" "}
      <Text dimColor>{detail}</Text>
    </Text>
  );
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
