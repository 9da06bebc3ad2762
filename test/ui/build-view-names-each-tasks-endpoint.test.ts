import { describe, expect, it } from "vitest";
import type { BuildEvent } from "../../src/build/build-events.js";
import { buildViewReducer, initialBuildView, type BuildViewState } from "../../ui/build/build-view-state.js";

const events = (s: BuildViewState, ...list: BuildEvent[]) => buildViewReducer(s, { type: "events", events: list, now: 1 });
const start = () =>
  events(buildViewReducer(initialBuildView(), { type: "start", now: 0 }), {
    type: "build-started",
    runId: "r1",
    tasks: [
      { id: "T001", title: "A", state: { kind: "pending", reasons: ["new"] } },
      { id: "T002", title: "B", state: { kind: "pending", reasons: ["new"] } },
    ],
  });

describe("the build view with several endpoints", () => {
  it("names the endpoint serving each task, short enough for the 80-column header", () => {
    const s = events(
      start(),
      { type: "attempt-started", id: "T001", attempt: 1, kind: "implement", trace: "t/1", endpoint: "http://gpu1:11434" },
      { type: "attempt-started", id: "T002", attempt: 1, kind: "implement", trace: "t/2", endpoint: "http://gpu2:8080/v1" },
    );
    expect(s.tasks.map((t) => [t.id, t.endpoint])).toEqual([
      ["T001", "gpu1:11434"],
      ["T002", "gpu2:8080/v1"],
    ]);
  });

  it("says when an endpoint went down and that its task moves", () => {
    const s = events(start(), { type: "endpoint-down", endpoint: "http://gpu2:11434", reason: "Ollama is not reachable at http://gpu2:11434", left: 1, task: "T002", nextAttempt: 2 });
    expect(s.notices.at(-1)).toBe("endpoint http://gpu2:11434 is down: Ollama is not reachable at http://gpu2:11434 — T002 starts again on another endpoint");
  });

  it("names no endpoint with one server (the engine sends none)", () => {
    const s = events(start(), { type: "attempt-started", id: "T001", attempt: 1, kind: "implement", trace: "t/1" });
    expect(s.tasks[0]!.endpoint).toBeUndefined();
  });
});
