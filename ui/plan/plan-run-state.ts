// A planning run as the plan screen shows it: one line per spec (planning,
// N tasks, unchanged, needs the planner), the model's state, the outcome.
// A plain reducer fed with the planning engine's and the model's events.

import type { ModelEvent } from "../../models/events.js";
import type { ProjectPlanEvent } from "../../src/planning/run-project-plan.js";
import { applyModelEvent, type ModelActivity } from "../model-activity.js";

export interface PlanRun {
  phase: "idle" | "running" | "finished" | "failed";
  /** What the run is: "planner", "architecture", "re-plan". */
  label: string;
  /** Per spec, its latest line. */
  specs: [string, string][];
  notices: string[];
  model: ModelActivity;
  outcome: string[];
}

export type PlanRunAction =
  | { type: "started"; label: string }
  | { type: "events"; events: ProjectPlanEvent[] }
  | { type: "model-events"; events: ModelEvent[] }
  | { type: "ended"; ok: boolean; outcome: string[] };

export function initialPlanRun(): PlanRun {
  return { phase: "idle", label: "", specs: [], notices: [], model: { kind: "idle" }, outcome: [] };
}

export function planRunReducer(run: PlanRun, action: PlanRunAction): PlanRun {
  switch (action.type) {
    case "started":
      return { ...initialPlanRun(), phase: "running", label: action.label };
    case "events": {
      let next = run;
      for (const event of action.events) {
        if (event.type === "notice") next = { ...next, notices: [...next.notices, event.message] };
        else next = { ...next, specs: setLine(next.specs, event.spec, eventLine(event)) };
      }
      return next;
    }
    case "model-events": {
      let model = run.model;
      for (const event of action.events) model = applyModelEvent(model, event);
      return { ...run, model };
    }
    case "ended":
      return { ...run, phase: action.ok ? "finished" : "failed", outcome: action.outcome, model: { kind: "idle" } };
  }
}

function setLine(lines: [string, string][], spec: string, line: string): [string, string][] {
  return lines.some(([s]) => s === spec) ? lines.map((entry) => (entry[0] === spec ? [spec, line] : entry)) : [...lines, [spec, line]];
}

function eventLine(event: Exclude<ProjectPlanEvent, { type: "notice" }>): string {
  switch (event.type) {
    case "plan-spec-unchanged":
      return "unchanged since it was planned; its tasks stay";
    case "plan-spec-started":
      return `planning (~${event.estimatedTokens} prompt tokens)…`;
    case "plan-spec-finished":
      return `${event.tasks.length} task${event.tasks.length === 1 ? "" : "s"} (${event.kept} kept from the previous plan)`;
    case "plan-needs-planner":
      return "no architecture with components: P plans it with the planner model";
  }
}
