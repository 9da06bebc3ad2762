// The endpoints a build spreads its tasks over: each with its model runs and
// slots, which are up, and why the others are down. An endpoint that fails
// (unreachable, dies mid-stream, 5xx) is marked down for the rest of the run
// and its tasks move to another endpoint; the build stops only when none is
// left. With no `[[model.endpoints]]` the pool is the one Ollama at model.host.
// `build.parallel` limits the calls out at once over all of them (and, shared,
// over several builds' pools: compare's side-by-side runs).

import type { ModelRun } from "../../models/model-run.js";
import type { EndpointKind } from "../config/types.js";
import { EndpointSlots, TaskPlacement, type CallLimit } from "./model-slots.js";

/** An endpoint the build's model (and reviewer) opened on. */
export interface BuildEndpoint {
  /** Base URL without credentials: what traces, run.json and the screens show. */
  label: string;
  kind: EndpointKind;
  slots: number;
  /** The build role's run here. */
  model: ModelRun;
  /** The reviewer role's run here (build.review on). */
  reviewer?: ModelRun;
}

/** An endpoint the build could not use, from the start. */
export interface UnusableEndpoint {
  label: string;
  kind: EndpointKind;
  slots: number;
  reason: string;
}

/** One endpoint in run.json: what it served, and whether (and why) it went down. */
export interface EndpointReport {
  endpoint: string;
  kind: EndpointKind;
  slots: number;
  /** Model calls sent there (re-asks, fixes and reviews included). */
  calls: number;
  /** Tasks whose first call went there. */
  tasks: string[];
  state: "up" | "down" | "unusable";
  reason?: string;
}

export class EndpointPool {
  readonly slots: EndpointSlots;
  private readonly reasons = new Map<number, string>();
  private readonly calls: number[];
  private readonly tasks: string[][];

  constructor(
    readonly endpoints: readonly BuildEndpoint[],
    readonly unusable: readonly UnusableEndpoint[] = [],
  ) {
    this.slots = new EndpointSlots(endpoints.map((e) => e.slots));
    this.calls = endpoints.map(() => 0);
    this.tasks = endpoints.map(() => []);
  }

  /** At most `calls` model calls at once over all endpoints (build.parallel); each endpoint's slots still bound it. */
  limit(calls: number): void {
    this.slots.limit(calls);
  }

  /** Every call also counts against `limit`, shared with other pools (one build.parallel over compare's side-by-side runs). */
  share(limit: CallLimit): void {
    this.slots.share(limit);
  }

  /** A new task's placement: its first slot places it. */
  placement(): TaskPlacement {
    return new TaskPlacement(this.slots);
  }

  at(index: number): BuildEndpoint {
    return this.endpoints[index]!;
  }

  /** More than one endpoint: worth naming in events and on screens. */
  get several(): boolean {
    return this.endpoints.length + this.unusable.length > 1;
  }

  /** The endpoint is down from now on; false when it already was. */
  markDown(index: number, reason: string): boolean {
    if (this.reasons.has(index)) return false;
    this.reasons.set(index, reason);
    this.slots.markDown(index);
    return true;
  }

  anyUp(): boolean {
    return this.slots.up().length > 0;
  }

  upCount(): number {
    return this.slots.up().length;
  }

  /** A call was sent to this endpoint (for run.json). */
  counted(index: number, calls = 1): void {
    this.calls[index]! += calls;
  }

  /** A task's first call went to this endpoint. */
  placed(index: number, task: string): void {
    if (!this.tasks[index]!.includes(task)) this.tasks[index]!.push(task);
  }

  report(): EndpointReport[] {
    return [
      ...this.endpoints.map((e, i): EndpointReport => {
        const reason = this.reasons.get(i);
        return { endpoint: e.label, kind: e.kind, slots: e.slots, calls: this.calls[i]!, tasks: [...this.tasks[i]!], state: reason === undefined ? "up" : "down", ...(reason !== undefined ? { reason } : {}) };
      }),
      ...this.unusable.map((e): EndpointReport => ({ endpoint: e.label, kind: e.kind, slots: e.slots, calls: 0, tasks: [], state: "unusable", reason: e.reason })),
    ];
  }
}
