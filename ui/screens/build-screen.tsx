// Build: start a build with the same wiring as `specwright build`, follow its
// tasks live, watch the running task's reply stream and its verify output,
// see fix attempts, speed, elapsed time and an estimate of the rest. Esc
// aborts through the engine's signal; a hand-edited file is a confirm dialog.

import { Box, Text } from "ink";
import { useEffect, useReducer, useRef, useState } from "react";
import type { BuildAnswer, BuildEvent, BuildQuestion } from "../../src/build/build-events.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { runProjectBuild } from "../../src/build/run-project-build.js";
import { loadConfig } from "../../src/config/load.js";
import { hasErrors } from "../../grammar/diagnostic.js";
import { useActions, useProject, useScreenCommands, type AppActions } from "../app-context.js";
import { buildViewReducer, initialBuildView, remainingEstimate, type BuildViewState, type TaskLine } from "../build/build-view-state.js";
import { createEventBatcher } from "../build/event-batcher.js";
import { cell, diagnosticLines, plural } from "../format.js";
import { CURSOR, taskStateStyle, theme, toneColor } from "../theme.js";
import { formatElapsed, useNow } from "../use-now.js";
import type { ScreenProps } from "./screen-props.js";

export function BuildScreen({ height, width }: ScreenProps) {
  const project = useProject();
  const actions = useActions();
  const [view, dispatch] = useReducer(buildViewReducer, undefined, initialBuildView);
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const running = view.phase === "starting" || view.phase === "running";
  const now = useNow(running, 1000);
  const stopBatcher = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => stopBatcher.current?.(), []);

  const start = (force: boolean) => {
    if (running) {
      actions.flash("a build is running; Esc stops it");
      return;
    }
    setCursor(undefined);
    dispatch({ type: "start", now: Date.now() });
    const batcher = createEventBatcher<BuildEvent>((events) => dispatch({ type: "events", events, now: Date.now() }));
    stopBatcher.current = () => batcher.stop();
    void actions
      .run(force ? "build (all tasks)" : "build", async (signal) => {
        signal.addEventListener("abort", () => dispatch({ type: "cancelling" }), { once: true });
        const problem = await buildProject({ cwd: project.cwd, env: project.env, force, signal, onEvent: (e) => batcher.push(e), decide: (q) => ask(actions, q) });
        batcher.drain();
        if (problem) dispatch({ type: "problem", lines: problem, now: Date.now() });
        else dispatch({ type: "ended", now: Date.now() });
        return true;
      })
      .then((ran) => {
        // Another operation was running: nothing started.
        if (ran === undefined) dispatch({ type: "problem", lines: ["another operation is running; Esc cancels it first"], now: Date.now() });
      });
  };

  const firstFailed = view.phase === "finished" ? view.tasks.findIndex((t) => t.state === "failed") : -1;
  const selected = cursor ?? (firstFailed >= 0 ? firstFailed : Math.max(0, view.tasks.findIndex((t) => t.id === view.focus)));
  useScreenCommands("build", (command) => {
    switch (command) {
      case "build.start":
        start(false);
        return true;
      case "build.force":
        start(true);
        return true;
      case "cursor.up":
        setCursor(Math.max(0, selected - 1));
        return true;
      case "cursor.down":
        setCursor(Math.min(view.tasks.length - 1, selected + 1));
        return true;
      case "build.trace":
      case "open": {
        const task = view.tasks[selected];
        if (!view.runId || !task?.trace) {
          actions.flash("no trace for the selected task in this build");
          return true;
        }
        const path = task.trace.replace(/^.*?\/runs\/[^/]+\//, "");
        actions.openTrace({ runId: view.runId, path });
        return true;
      }
      default:
        return false;
    }
  });

  if (view.phase === "idle") {
    return (
      <Box flexDirection="column">
        <Text>No build in this session yet.</Text>
        <Text>
          <Text bold>b</Text> builds what changed (an unchanged project makes no model calls); <Text bold>F</Text> rebuilds every task.
        </Text>
        <Text dimColor>Esc stops a running build; finished tasks stay done and the next build resumes.</Text>
      </Box>
    );
  }
  return <BuildView view={view} now={now} height={height} width={width} selected={selected} />;
}

/** Loads a fresh config and build context, then runs the build; returns problem lines when it could not run. */
async function buildProject(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  force: boolean;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
  decide(question: BuildQuestion): Promise<BuildAnswer>;
}): Promise<string[] | undefined> {
  const { loaded, diagnostics } = await loadConfig({ cwd: options.cwd, env: options.env, flags: {} });
  if (hasErrors(diagnostics)) return ["the configuration has errors; fix specwright.toml", ...diagnosticLines(diagnostics, [])];
  if (loaded.projectKind === "none") return ["no specwright.toml here — run `specwright init` first"];
  const context = await readBuildContext(loaded, options.env);
  if (!context.ok) return [context.message, ...diagnosticLines(context.diagnostics, context.sources)];
  const result = await runProjectBuild({
    loaded,
    context: context.context,
    selection: { kind: "all" },
    force: options.force,
    env: options.env,
    signal: options.signal,
    onEvent: options.onEvent,
    decide: options.decide,
  });
  if (!result.ok) return [result.message, ...(result.hint ? [`hint: ${result.hint}`] : [])];
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
      const yes = await actions.confirm(`${question.task} failed: ${question.message}. Try it again?`);
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
}

/** The build as a bounded live region: header, task list, the followed task's reply and verify output, notices. */
export function BuildView({ view, now, height, width, selected }: BuildViewProps) {
  const done = view.tasks.filter((t) => t.state === "done").length;
  const toBuild = view.tasks.filter((t) => !["up-to-date", "skipped", "not-selected"].includes(t.state)).length;
  const end = view.finishedAt ?? now;
  const elapsed = view.startedAt !== undefined ? formatElapsed(end - view.startedAt) : "";
  const focusIndex = selected;
  const focus = view.tasks[focusIndex];
  const live = focus ? view.live[focus.id] : undefined;
  const liveRate = live?.callStartedAt !== undefined && live.callTokens > 0 && focus && (focus.state === "generating") ? live.callTokens / Math.max(0.001, (now - live.callStartedAt) / 1000) : undefined;
  const avgRate = view.evalMs > 0 ? view.evalTokens / (view.evalMs / 1000) : undefined;
  const estimate = remainingEstimate(view);

  // Rows: header 1, tasks, focus header 1, reply, verify, notices; all inside `height`.
  const taskRows = Math.min(view.tasks.length, Math.max(3, Math.floor(height * 0.3)));
  const verifyRows = live && live.verify.length > 0 ? Math.min(6, live.verify.length + 1) : 0;
  const noticeRows = Math.min(2, view.notices.length);
  const problemRows = view.problem ? Math.min(view.problem.length, Math.max(2, height - 4)) : 0;
  const summaryRows = view.summary ? 1 : 0;
  const replyRows = Math.max(0, height - 1 - taskRows - 1 - verifyRows - noticeRows - problemRows - summaryRows);
  const firstTask = Math.max(0, Math.min(focusIndex - Math.floor(taskRows / 2), view.tasks.length - taskRows));

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>build</Text> {view.runId ?? "starting…"} · {done}/{toBuild} built · {elapsed}
        {liveRate !== undefined ? ` · ${liveRate.toFixed(1)} tok/s` : avgRate !== undefined ? ` · ${avgRate.toFixed(1)} tok/s avg` : ""}
        {view.phase === "running" && estimate.ms !== undefined && estimate.remaining > 0 ? ` · ~${formatElapsed(estimate.ms)} left` : ""}
        {view.cancelling && view.phase !== "finished" ? <Text color={theme.warning}> · stopping…</Text> : null}
      </Text>
      {view.tasks.slice(firstTask, firstTask + taskRows).map((t, i) => (
        <TaskRow key={t.id} task={t} selected={firstTask + i === focusIndex} width={width} />
      ))}
      {focus ? (
        <Text wrap="truncate-end" color={theme.accent}>
          ── {focus.id} {focus.title}
          {focus.attempt > 0 ? ` · attempt ${focus.attempt}${focus.attemptKind && focus.attemptKind !== "implement" ? ` (${focus.attemptKind})` : ""}` : ""} · {focus.state} ──
        </Text>
      ) : (
        <Text> </Text>
      )}
      {(live?.reply ?? []).slice(-replyRows).concat(Array<string>(Math.max(0, replyRows - (live?.reply.length ?? 0))).fill("")).slice(0, replyRows).map((line, i) => (
        <Text key={`r${i}`} wrap="truncate-end" dimColor={focus?.state !== "generating"}>
          {line === "" ? " " : line}
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
      {view.notices.slice(-noticeRows).map((n, i) => (
        <Text key={`n${i}`} wrap="truncate-end" color={theme.warning}>
          {n}
        </Text>
      ))}
      {view.problem
        ? view.problem.slice(0, problemRows).map((line, i) => (
            <Text key={`p${i}`} wrap="truncate-end" color={i === 0 ? theme.error : undefined}>
              {line}
            </Text>
          ))
        : null}
      {view.summary ? <SummaryLine view={view} /> : null}
    </Box>
  );
}

function TaskRow({ task, selected, width }: { task: TaskLine; selected: boolean; width: number }) {
  const style = taskStateStyle(task.state);
  const attempts = task.attempt > 1 ? ` (${task.attempt} attempts)` : "";
  const detail = task.state === "failed" || task.state === "blocked" ? task.message ?? "" : task.failures.at(-1) && task.state !== "done" ? task.failures.at(-1)! : "";
  return (
    <Text wrap="truncate-end">
      {selected ? CURSOR : " "} <Text color={toneColor(style.tone)}>{style.glyph}</Text> {cell(task.id, 6)} {cell(task.title, Math.max(10, Math.min(28, width - 40)))} {cell(task.state + attempts, 24)}{" "}
      <Text dimColor>{detail}</Text>
    </Text>
  );
}

function SummaryLine({ view }: { view: BuildViewState }) {
  const s = view.summary!;
  const failed = s.failed.length + s.blocked.length;
  const text = `${s.done.length} built, ${s.upToDate.length} up to date${s.failed.length ? `, ${s.failed.length} failed (${s.failed.join(", ")})` : ""}${s.blocked.length ? `, ${s.blocked.length} blocked` : ""}${s.interrupted.length ? `, ${s.interrupted.length} interrupted` : ""} · ${s.modelCalls} model calls, ${s.verifyRuns} verify runs`;
  const next = failed > 0 ? " · t opens the failed task's trace" : "";
  return (
    <Text wrap="truncate-end" color={failed > 0 || s.interrupted.length > 0 ? theme.error : theme.ok}>
      {failed > 0 || s.interrupted.length > 0 ? "✗" : "✓"} {text}
      {next}
    </Text>
  );
}
