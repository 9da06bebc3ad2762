import { describe, expect, it } from "vitest";
import type { BuildEvent } from "../../src/build/build-events.js";
import { buildViewReducer, initialBuildView, pauseState, skippable, type BuildViewState } from "../../ui/build/build-view-state.js";

const started: BuildEvent = {
  type: "build-started",
  runId: "r1",
  tasks: [
    { id: "T001", title: "A", state: { kind: "pending", reasons: ["new"] } },
    { id: "T002", title: "B", state: { kind: "pending", reasons: ["new"] } },
    { id: "T003", title: "C", state: { kind: "up-to-date" } },
  ],
};
const events = (s: BuildViewState, ...list: BuildEvent[]) => buildViewReducer(s, { type: "events", events: list, now: 1 });
const running = () => events(buildViewReducer(initialBuildView(), { type: "start", now: 0 }), started, { type: "task-started", id: "T001", title: "A", reasons: [], estimatedTokens: 1 });

describe("the build view's pause and skip state", () => {
  it("is pausing while a task works and paused once none does", () => {
    let s = buildViewReducer(running(), { type: "pause", paused: true });
    expect(pauseState(s)).toBe("pausing");
    s = events(s, { type: "task-finished", id: "T001", outcome: "done", attempts: 1, durationMs: 5, evalTokens: 0, evalMs: 0, metrics: [] });
    expect(pauseState(s)).toBe("paused");
    s = buildViewReducer(s, { type: "pause", paused: false });
    expect(pauseState(s)).toBe("none");
  });

  it("forgets a pause when the build ends", () => {
    let s = buildViewReducer(running(), { type: "pause", paused: true });
    s = buildViewReducer(s, { type: "ended", now: 2 });
    expect(s.pauseRequested).toBe(false);
    expect(pauseState(s)).toBe("none");
  });

  it("skips only queued or running tasks, once, and clears the request when the engine reports it", () => {
    let s = running();
    expect(skippable(s, "T002")).toEqual({ ok: true });
    expect(skippable(s, "T003")).toMatchObject({ ok: false, why: expect.stringContaining("up-to-date") });
    s = buildViewReducer(s, { type: "skip", id: "T002" });
    expect(s.skipRequested).toEqual(["T002"]);
    expect(skippable(s, "T002")).toMatchObject({ ok: false, why: "T002 is already being skipped" });
    s = events(s, { type: "task-finished", id: "T002", outcome: "skipped", attempts: 0, durationMs: 0, evalTokens: 0, evalMs: 0, metrics: [], message: "skipped in this run" });
    expect(s.skipRequested).toEqual([]);
    expect(s.tasks.find((t) => t.id === "T002")?.state).toBe("skipped");
  });

  it("refuses to skip when no build runs", () => {
    expect(skippable(initialBuildView(), "T001")).toMatchObject({ ok: false });
  });
});
