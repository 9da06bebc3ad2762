// Build: start a build with the same wiring as `specwright build`, follow its
// tasks live, watch the running task's reply stream and its verify output,
// see fix attempts, speed, elapsed time and an estimate of the rest. Esc
// aborts through the engine's signal; a hand-edited file or a failed task is
// a confirm dialog. p pauses after the running task, s skips the selected
// one, r retries a failed task, o builds one task and what depends on it.
// The run lives in ui/build/use-build-run.ts, the rows in ui/build/build-layout.ts.

import { Box, Text } from "ink";
import { useRef, useState } from "react";
import { useActions, useScreenCommands, useScreenSelection } from "../app-context.js";
import { buildCommandWhy } from "../build/build-commands.js";
import { layoutBuildView, selectedTask, taskDetail } from "../build/build-layout.js";
import { pauseState, remainingEstimate, type BuildViewState, type TaskLine } from "../build/build-view-state.js";
import { useBuildRun } from "../build/use-build-run.js";
import { cell } from "../format.js";
import type { Command } from "../keymap.js";
import { usePlain } from "../plain-mode.js";
import { CURSOR, inColor, taskStateStyle, theme, toneColor } from "../theme.js";
import { formatElapsed, useNow } from "../use-now.js";
import { StyledLines } from "../widgets/styled-lines.js";
import type { ScreenProps } from "./screen-props.js";

export function BuildScreen({ height, width }: ScreenProps) {
  const actions = useActions();
  const plain = usePlain();
  const [cursor, setCursorState] = useState<number | undefined>(undefined);
  // Keys can arrive between renders: the cursor they move is read from a ref, not from this render.
  const cursorRef = useRef(cursor);
  const setCursor = (value: number | undefined) => {
    cursorRef.current = value;
    setCursorState(value);
  };
  const run = useBuildRun({ onStart: () => setCursor(undefined) });
  const { view } = run;
  const running = view.phase === "starting" || view.phase === "running";
  // A paused build's clock stands still (nothing is being worked on); plain mode runs no clock.
  const now = useNow(running && pauseState(view) !== "paused" && !plain, 1000);
  const selectedNow = () => {
    const v = run.current();
    const at = selectedTask(v, cursorRef.current);
    return { v, at, task: v.tasks[at] };
  };
  useScreenSelection("build", () => {
    const { task } = selectedNow();
    return task ? { task: task.id, ...(task.trace ? { trace: task.trace } : {}) } : undefined;
  });
  const handle = (command: Command): boolean => {
    const { v, at, task } = selectedNow();
    switch (command) {
      case "build.start":
      case "build.force":
        run.start({ force: command === "build.force" });
        return true;
      case "cursor.up":
        setCursor(Math.max(0, at - 1));
        return true;
      case "cursor.down":
        setCursor(Math.max(0, Math.min(v.tasks.length - 1, at + 1)));
        return true;
      case "build.pause":
        run.togglePause();
        return true;
      case "build.skip":
        if (task) run.skip(task);
        else actions.flash("no task selected");
        return true;
      case "build.retry":
      case "build.only":
        if (task) run.rebuild(task, command === "build.retry");
        else actions.flash("no tasks to choose from yet; b starts a build");
        return true;
      case "build.trace":
        if (v.runId && task?.trace) actions.openTrace({ runId: v.runId, path: task.trace.replace(/^.*?\/runs\/[^/]+\//, "") });
        else actions.flash("no trace for the selected task in this build");
        return true;
      default:
        return false;
    }
  };
  useScreenCommands("build", handle, (command) => {
    const { v, task } = selectedNow();
    return buildCommandWhy(command, v, task, run.running());
  });

  if (view.phase === "idle") return <BuildIntro />;
  return <BuildView view={view} now={now} height={height} width={width} selected={selectedTask(view, cursor)} {...(plain ? { log: run.log } : {})} />;
}

/** Before the first build of the session: what b and F do, and the keys while it runs. */
function BuildIntro() {
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
  const layout = layoutBuildView(view, { height, width, plain, selected, log });
  const { focus, verify, review } = layout;
  return (
    <Box flexDirection="column">
      <BuildHeader view={view} now={now} plain={plain} />
      {layout.tasks.map((t, i) => (
        <TaskRow key={t.id} task={t} selected={layout.firstTask + i === selected} skipping={view.skipRequested.includes(t.id)} width={width} />
      ))}
      {layout.focusLines.map((line, i) => (
        <Text key={`f${i}`} color={theme.accent}>
          {line}
        </Text>
      ))}
      {layout.whyLines.map((line, i) => (
        <Text key={`w${i}`} {...inColor(focus?.state === "failed" ? theme.error : theme.warning)}>
          {line}
        </Text>
      ))}
      {layout.reply.map((line, i) => (
        <Text key={`r${i}`} wrap="truncate-end" dimColor={focus?.state !== "generating"}>
          {line === "" ? " " : line}
        </Text>
      ))}
      {layout.log.map((line, i) => (
        <Text key={`l${i}`} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {verify ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end" bold>
            $ {verify.command}
          </Text>
          {verify.lines.map((line, i) => (
            <Text key={`v${i}`} wrap="truncate-end">
              {line === "" ? " " : line}
            </Text>
          ))}
        </Box>
      ) : null}
      {review ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end" bold>
            {review.title}
          </Text>
          {review.lines.map(({ verdict, text }, i) => (
            <Text key={`j${i}`} {...inColor(verdict === "fail" ? theme.error : verdict === "pass" ? theme.ok : undefined)} dimColor={verdict === "discarded" || verdict === "cannot-tell"}>
              {text}
            </Text>
          ))}
        </Box>
      ) : null}
      {layout.loading.map((line, i) => (
        <Text key={`l${i}`} dimColor>
          {line}
        </Text>
      ))}
      {layout.notices.map((line, i) => (
        <Text key={`n${i}`} color={theme.warning}>
          {line}
        </Text>
      ))}
      {layout.problem.map(({ line, first }, i) => (
        <Text key={`p${i}`} {...inColor(first ? theme.error : undefined)}>
          {line}
        </Text>
      ))}
      <StyledLines lines={layout.summary} />
    </Box>
  );
}

/** The build's one-line header: run, counts, clock, speed, estimate, and whether it is stopping or paused. */
function BuildHeader({ view, now, plain }: { view: BuildViewState; now: number; plain: boolean }) {
  const what = `build${view.only !== undefined ? ` ${view.only}+` : ""}`;
  // It never started (no plan, lock held, config errors): no run, no counts, no clock.
  if (view.runId === undefined && view.phase === "finished") {
    return (
      <Text wrap="truncate-end" bold>
        {what} did not start
      </Text>
    );
  }
  const done = view.tasks.filter((t) => t.state === "done").length;
  const toBuild = view.tasks.filter((t) => !["up-to-date", "skipped", "not-selected"].includes(t.state)).length;
  const elapsed = view.startedAt !== undefined ? formatElapsed((view.finishedAt ?? now) - view.startedAt) : "";
  const estimate = remainingEstimate(view);
  const pause = pauseState(view);
  return (
    <Text wrap="truncate-end">
      <Text bold>{what}</Text> {view.runId ?? "starting…"}
      {view.runId !== undefined ? ` · ${done}/${toBuild} built` : ""}
      {plain && view.phase !== "finished" ? "" : ` · ${pause === "paused" ? `paused at ${elapsed}` : elapsed}`}
      {speed(view, plain)}
      {!plain && view.phase === "running" && pause === "none" && estimate.ms !== undefined && estimate.remaining > 0 ? ` · ~${formatElapsed(estimate.ms)} left` : ""}
      {view.cancelling && view.phase !== "finished" ? <Text color={theme.warning}> · stopping…</Text> : null}
      {pause === "pausing" ? <Text color={theme.warning}> · pausing after the running task…</Text> : pause === "paused" ? <Text color={theme.warning}> · paused — p resumes</Text> : null}
    </Text>
  );
}

/**
 * Speed from the model's own counts: the last finished call while building, the average at the end.
 * Plain mode says only the average: each call's speed would be a line of its own.
 */
function speed(view: BuildViewState, plain: boolean): string {
  if (view.phase === "finished") return view.evalMs > 0 ? ` · ${(view.evalTokens / (view.evalMs / 1000)).toFixed(1)} tok/s avg` : "";
  return view.lastCallRate !== undefined && !plain ? ` · ${view.lastCallRate.toFixed(1)} tok/s (last call)` : "";
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
