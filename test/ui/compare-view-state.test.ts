// The Models screen's compare view as a plain reducer: marks toggle, a start
// needs the chooser, progress is bounded, a running comparison cannot be
// closed (Esc stops it through the app's operation instead), scroll is bounded.

import { describe, expect, it } from "vitest";
import { PROGRESS_KEPT, compareViewReducer, initialCompareView, type CompareViewState } from "../../ui/compare/compare-view-state.js";

const run = (state: CompareViewState, ...actions: Parameters<typeof compareViewReducer>[1][]) => actions.reduce(compareViewReducer, state);

describe("the compare view's state", () => {
  it("toggles marks, clamps the cursor, and starts with the marked models", () => {
    const s = run(initialCompareView(), { type: "choose", marked: ["a"] }, { type: "move", by: 5, rows: 3 }, { type: "toggle", model: "c" }, { type: "toggle", model: "a" }, { type: "toggle", model: "b" });
    expect(s).toEqual({ mode: "choosing", cursor: 2, marked: ["c", "b"] });
    expect(run(s, { type: "start" })).toEqual({ mode: "running", models: ["c", "b"], progress: [] });
    expect(run(initialCompareView(), { type: "start" })).toEqual({ mode: "off" });
  });

  it("keeps the newest progress lines, stays open while running, and bounds the finished table's scroll", () => {
    let s = run(initialCompareView(), { type: "choose", marked: ["a", "b"] }, { type: "start" });
    for (let i = 0; i < PROGRESS_KEPT + 5; i++) s = compareViewReducer(s, { type: "progress", line: `line ${i}` });
    expect(s.mode === "running" && s.progress.length).toBe(PROGRESS_KEPT);
    expect(s.mode === "running" && s.progress.at(-1)).toBe(`line ${PROGRESS_KEPT + 4}`);
    expect(run(s, { type: "close" })).toBe(s);
    const done = run(s, { type: "finish", outcome: "interrupted" }, { type: "scroll", by: 50, lines: 30, rows: 10 });
    expect(done).toMatchObject({ mode: "finished", outcome: "interrupted", scroll: 20 });
    expect(run(done, { type: "close" })).toEqual({ mode: "off" });
  });
});
