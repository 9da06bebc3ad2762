// The build the screen runs: starts it as the app's cancellable operation,
// batches its events into the view's reducer (and, in plain mode, the build's
// log), and carries the person's pause, skip and rebuild requests to the
// engine's BuildController, each answered with a flash.

import { useEffect, useReducer, useRef } from "react";
import type { TaskSelection } from "../../plans/graph.js";
import { BuildController } from "../../src/build/build-control.js";
import type { BuildAnswer, BuildEvent, BuildQuestion } from "../../src/build/build-events.js";
import { useActions, useProject, type AppActions } from "../app-context.js";
import { plural } from "../format.js";
import { usePlain } from "../plain-mode.js";
import { inTuiTerms } from "../tui-terms.js";
import { useNow } from "../use-now.js";
import { buildProject } from "./build-project.js";
import { buildViewReducer, initialBuildView, pauseState, RETRYABLE, skippable, type BuildViewState, type TaskLine } from "./build-view-state.js";
import { createEventBatcher } from "./event-batcher.js";
import { initialPlainBuildLog, plainBuildLogReducer } from "./plain-build-log.js";

export interface BuildRun {
  view: BuildViewState;
  /** Plain mode: the build's log (plain-build-log.ts). */
  log: readonly string[];
  /** The view as of the latest render, for keys that arrive between renders. */
  current(): BuildViewState;
  /** Whether a build started here is still running (paused included). */
  running(): boolean;
  /** b and F: builds what changed, every task (`force`), or one task and what depends on it (`only`). */
  start(options: { force: boolean; only?: string }): void;
  /** p: pauses after the running task, or resumes. */
  togglePause(): void;
  /** s: skips the task in this build. */
  skip(task: TaskLine): void;
  /** r (`retry`) and o: builds the task and what depends on it, once no build runs. */
  rebuild(task: TaskLine, retry: boolean): void;
}

/** `onStart`: a build starts here (the screen's cursor goes back to following it). */
export function useBuildRun({ onStart }: { onStart(): void }): BuildRun {
  const project = useProject();
  const actions = useActions();
  const plain = usePlain();
  const [view, dispatch] = useReducer(buildViewReducer, undefined, initialBuildView);
  // Plain mode tells the build as a log of its events instead of the live region (plain-build-log.ts).
  const [log, dispatchLog] = useReducer(plainBuildLogReducer, undefined, initialPlainBuildLog);
  const running = view.phase === "starting" || view.phase === "running";
  const logTick = useNow(running && plain, 1000);
  useEffect(() => dispatchLog({ type: "tick", now: logTick }), [logTick]);
  const stopBatcher = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => stopBatcher.current?.(), []);
  // Keys can arrive between renders: what they act on is read from refs, not from this render.
  const control = useRef<BuildController | undefined>(undefined);
  const viewRef = useRef(view);
  viewRef.current = view;
  const paused = pauseState(view) === "paused";
  useEffect(() => actions.operationPaused(paused), [paused, actions]);

  const start = (options: { force: boolean; only?: string }) => {
    if (control.current) {
      actions.flash(control.current.paused() ? "the build is paused; p resumes it, Esc stops it" : "a build is running; Esc stops it");
      return;
    }
    const controller = new BuildController();
    control.current = controller;
    onStart();
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

  const togglePause = () => {
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
  };

  const skip = (task: TaskLine) => {
    const c = control.current;
    const can = c ? skippable(viewRef.current, task.id) : ({ ok: false, why: "no build is running; s skips a task of a running build" } as const);
    if (!c || !can.ok || c.skipped(task.id)) {
      actions.flash(can.ok ? `${task.id} is already being skipped` : can.why);
      return;
    }
    c.skip(task.id);
    dispatch({ type: "skip", id: task.id });
    actions.flash(`skipping ${task.id} in this build`);
  };

  const rebuild = (task: TaskLine, retry: boolean) => {
    if (retry && !RETRYABLE.includes(task.state)) {
      actions.flash(`${task.id} did not fail; o builds the selected task and what depends on it`);
      return;
    }
    if (control.current) {
      actions.flash(`a build is running; when it ends, ${retry ? "r" : "o"} builds ${task.id} again`);
      return;
    }
    start({ force: false, only: task.id });
  };

  return { view, log: log.lines, current: () => viewRef.current, running: () => control.current !== undefined, start, togglePause, skip, rebuild };
}

/** The engine's questions as confirm dialogs: a hand-edited file to overwrite, a failed task to try again. */
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
