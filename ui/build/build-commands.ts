// Why a build screen key cannot act now: the palette greys it out with this
// reason and the footer leaves it out. Pure: from the build's view, the selected
// task and whether a build started here is still running.

import type { Command } from "../keymap.js";
import { RETRYABLE, skippable, type BuildViewState, type TaskLine } from "./build-view-state.js";

export function buildCommandWhy(command: Command, view: BuildViewState, task: TaskLine | undefined, running: boolean): string | undefined {
  switch (command) {
    case "build.start":
    case "build.force":
      return running ? "a build is running; Esc stops it" : undefined;
    case "build.pause":
      return running ? undefined : "no build is running";
    case "build.skip": {
      if (!task) return "no task selected";
      const can = skippable(view, task.id);
      return can.ok ? undefined : can.why;
    }
    case "build.retry":
      if (!task) return "no tasks yet; b starts a build";
      if (!RETRYABLE.includes(task.state)) return `${task.id} did not fail`;
      return running ? "a build is running" : undefined;
    case "build.only":
      if (!task) return "no tasks yet; b starts a build";
      return running ? "a build is running" : undefined;
    case "build.trace":
      return view.runId && task?.trace ? undefined : "no trace for the selected task in this build";
    default:
      return undefined;
  }
}
