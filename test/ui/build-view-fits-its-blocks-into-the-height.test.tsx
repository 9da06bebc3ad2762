// The finished build at 80×24 with a verify log, a review and notices wanted
// more rows than the screen has; Ink shrank the column and drew rows over each
// other ("# fail 0-test test/cli.test.mjs", "done … avg"). Every block now gets
// rows in a fixed order while rows are left, the reply the rest.

import { describe, expect, it } from "vitest";
import { render } from "ink-testing-library";
import { BuildView } from "../../ui/screens/build-screen.js";
import { initialBuildView, type BuildViewState, type TaskLine } from "../../ui/build/build-view-state.js";
import type { BuildSummary } from "../../src/build/build-events.js";

const task = (id: string, title: string): TaskLine => ({
  id,
  title,
  state: "done",
  attempt: 1,
  attemptKind: "implement",
  failures: [],
  message: undefined,
  trace: undefined,
  durationMs: 1000,
  evalTokens: 200,
  evalMs: 1000,
  review: undefined,
});

function finishedBuild(): BuildViewState {
  const tasks = [task("T001", "Counting functions"), task("T002", "Counting tests"), task("T003", "Command line"), task("T004", "Command-line tests")];
  tasks[3]!.review = {
    attempt: 1,
    summary: "review: 5 pass, 0 fail, 1 cannot tell",
    lines: [1, 2, 3, 4, 5, 6].map((n) => ({ verdict: "pass" as const, text: `pass requirements/item-${n} — test/cli.test.mjs:${n}` })),
  };
  const summary: BuildSummary = {
    runId: "2026-12-03T00-05-01Z-build",
    traceDir: "",
    done: ["T001", "T002", "T003", "T004"],
    upToDate: [],
    failed: [],
    blocked: [],
    skipped: [],
    interrupted: [],
    modelCalls: 9,
    verifyRuns: 5,
    evalTokens: 1800,
    evalMs: 9000,
    promptTokens: 0,
    cachedPromptTokens: 0,
    durationMs: 34_000,
    reviews: { calls: 4, promptTokens: 0, cachedPromptTokens: 0, evalTokens: 0, discarded: 0, failed: 0 },
  };
  return {
    ...initialBuildView(),
    phase: "finished",
    runId: summary.runId,
    tasks,
    focus: "T004",
    live: {
      T004: {
        reply: Array.from({ length: 40 }, (_, i) => `reply line ${i + 1}`),
        verifyCommand: "node --test test/cli.test.mjs",
        verify: ["TAP version 13", "# fail 0", "# cancelled 0", "# skipped 0", "# todo 0", "# duration_ms 3621.26", ""],
      },
    },
    notices: ["T004: reviewing 6 items of its refs (specwright-demo:scripted)", "T004: review: 5 pass, 0 fail, 1 cannot tell"],
    startedAt: 0,
    finishedAt: 34_000,
    evalTokens: 1800,
    evalMs: 9000,
    summary,
  };
}

describe("the build view's rows", () => {
  it("never wants more rows than it has, so no row is drawn over another, at any height", () => {
    const view = finishedBuild();
    for (let height = 6; height <= 30; height++) {
      const { lastFrame, unmount } = render(<BuildView view={view} now={34_000} height={height} width={80} selected={3} />);
      const lines = (lastFrame() ?? "").split("\n");
      unmount();
      expect(lines.length, `height ${height}`).toBeLessThanOrEqual(height);
      // The header, the whole summary and the command line of the verify log stay intact.
      expect(lines[0], `height ${height}`).toBe("build 2026-12-03T00-05-01Z-build · 4/4 built · 34s · 200.0 tok/s avg");
      expect(lines, `height ${height}`).toContain("✓ 4 built, 0 up to date · 9 model calls, 5 verify runs");
      if (lines.some((l) => l.startsWith("$ "))) expect(lines, `height ${height}`).toContain("$ node --test test/cli.test.mjs");
      // Every task row whole, each on its own line.
      const rows = lines.filter((l) => /^[ ›] \S T00\d /.test(l));
      expect(rows.length, `height ${height}`).toBeGreaterThanOrEqual(3);
      for (const row of rows) expect(row, `height ${height}`).toMatch(/^[ ›] ✓ T00\d {3}\S.*done\s*$/);
    }
  });
});
