// The build view's row budget (ui/build/build-layout.ts) without Ink: the
// blocks never take more rows than the screen has, and each block gets the
// rows the fixed order of claim leaves it. The expected rows are counted by
// hand from that order: header 1, tasks (≥3, ~30% of the height), summary,
// problem, the followed task's header, why-lines, notices, loading, verify,
// review, then the reply or, in plain mode, the log gets the rest.

import { describe, expect, it } from "vitest";
import { layoutBuildView, layoutRows } from "../../ui/build/build-layout.js";
import { initialBuildView, type BuildViewState, type TaskLine } from "../../ui/build/build-view-state.js";

const task = (id: string, state: TaskLine["state"], extra: Partial<TaskLine> = {}): TaskLine => ({
  id,
  title: `Task ${id}`,
  state,
  attempt: 1,
  attemptKind: "implement",
  failures: [],
  message: undefined,
  trace: undefined,
  durationMs: 1000,
  evalTokens: 200,
  evalMs: 1000,
  review: undefined,
  ...extra,
});

/** Six tasks, the last one generating its second attempt after a failed verify, with a review, notices and a loading line. */
function runningBuild(): BuildViewState {
  const review = { attempt: 1, summary: "review: 1 pass, 1 fail", lines: [{ verdict: "fail" as const, text: "fail requirements/a" }, { verdict: "pass" as const, text: "pass requirements/b" }] };
  return {
    ...initialBuildView(),
    phase: "running",
    runId: "R1",
    tasks: [task("T001", "done"), task("T002", "done"), task("T003", "done"), task("T004", "pending"), task("T005", "pending"), task("T006", "generating", { attempt: 2, failures: ["verify failed: x"], review })],
    focus: "T006",
    live: { T006: { reply: Array.from({ length: 30 }, (_, i) => `reply ${i + 1}`), verifyCommand: "npm test", verify: ["ok 1", "not ok 2", "# fail 1", ""] } },
    notices: ["n1 short", "n2 short", "n3 short"],
    loading: "loading m…",
    startedAt: 0,
  };
}

const log = Array.from({ length: 30 }, (_, i) => `log ${i}`);

describe("the build view's row budget", () => {
  it("never takes more rows than the height, at any height and width, plain or not", () => {
    const views = [runningBuild(), { ...runningBuild(), phase: "finished" as const, problem: ["the build could not go on: " + "word ".repeat(40), "hint: fix it"] }];
    for (const view of views)
      for (const plain of [false, true])
        for (const width of [40, 80])
          for (let height = 1; height <= 40; height++) {
            const layout = layoutBuildView(view, { height, width, plain, selected: 5, log });
            expect(layoutRows(layout), `${view.phase} plain=${plain} ${width}x${height}`).toBeLessThanOrEqual(height);
          }
  });

  it("gives each block its rows at 80x24, the reply the newest lines of the rest", () => {
    const layout = layoutBuildView(runningBuild(), { height: 24, width: 80, plain: false, selected: 5, log: [] });
    expect(layout.tasks.map((t) => t.id)).toEqual(["T001", "T002", "T003", "T004", "T005", "T006"]);
    expect(layout.focusLines).toEqual(["── T006 Task T006 · attempt 2 · generating ──"]);
    expect(layout.whyLines).toEqual(["verify failed: x"]);
    expect(layout.notices).toEqual(["n2 short", "n3 short"]);
    expect(layout.loading).toEqual(["loading m…"]);
    // Five rows asked (four lines and the command); the newline that ended the output is no line.
    expect(layout.verify).toEqual({ command: "npm test", lines: ["ok 1", "not ok 2", "# fail 1"] });
    expect(layout.review).toEqual({ title: "attempt 1 review: 1 pass, 1 fail", lines: [{ verdict: "fail", text: "fail requirements/a" }, { verdict: "pass", text: "pass requirements/b" }] });
    // 24 - header 1 - tasks 6 - focus 1 - why 1 - notices 2 - loading 1 - verify 5 - review 3 = 4.
    expect(layout.reply).toEqual(["reply 27", "reply 28", "reply 29", "reply 30"]);
    expect(layout.log).toEqual([]);
    expect(layout.summary).toEqual([]);
    expect(layoutRows(layout)).toBe(23);
  });

  it("keeps three task rows around the selected task and drops verify, review and reply when 8 rows are all", () => {
    const layout = layoutBuildView(runningBuild(), { height: 8, width: 80, plain: false, selected: 5, log: [] });
    expect(layout.tasks.map((t) => t.id)).toEqual(["T004", "T005", "T006"]);
    expect(layout.firstTask).toBe(3);
    expect(layout.notices).toEqual(["n2 short", "n3 short"]);
    expect(layout.loading).toEqual([]);
    expect(layout.verify).toBeUndefined();
    expect(layout.review).toBeUndefined();
    expect(layout.reply).toEqual([]);
    expect(layoutRows(layout)).toBe(8);
  });

  it("gives the plain log the reply's rows, its newest lines last, and shows no followed task's header, reply or review", () => {
    const layout = layoutBuildView(runningBuild(), { height: 24, width: 80, plain: true, selected: 5, log });
    expect(layout.focusLines).toEqual([]);
    expect(layout.verify).toBeUndefined();
    expect(layout.review).toBeUndefined();
    expect(layout.reply).toEqual([]);
    // 24 - header 1 - tasks 6 - why 1 - notices 2 - loading 1 = 13.
    expect(layout.log).toEqual(log.slice(17));
  });
});
