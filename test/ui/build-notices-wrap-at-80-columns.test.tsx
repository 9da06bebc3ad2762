// At 80×24 the Build screen cut its notices and the loading line at the
// width: "T010: its endpoint http://gpu-box-2.lab.example.org:11434 is down;
// starting again from the first attempt on anoth…" left out what happens
// next. They wrap now, and the task list still shows the selected task.

import { describe, expect, it } from "vitest";
import { Box } from "ink";
import { render } from "ink-testing-library";
import { BuildView } from "../../ui/screens/build-screen.js";
import { buildViewReducer, initialBuildView, type BuildViewState } from "../../ui/build/build-view-state.js";
import type { BuildEvent } from "../../src/build/build-events.js";

const MODEL = "hf.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF:Q4_K_M";
const HOST = "http://gpu-box-2.lab.example.org:11434";
// As src/build/attempt-loop.ts words them (the notice and endpoint-down events), with models/errors.ts's refusal.
const MOVED = `T010: its endpoint ${HOST} is down; starting again from the first attempt on another endpoint (attempt 2)`;
const DOWN = `endpoint ${HOST} is down: Ollama is not reachable at ${HOST} — is \`ollama serve\` running? — T009 starts again on another endpoint`;
const LOADING = `loading ${MODEL} (num_ctx 16384)…`;

function runningBuild(): BuildViewState {
  const tasks = Array.from({ length: 10 }, (_, i) => ({ id: `T0${String(i + 1).padStart(2, "0")}`, title: `Task number ${i + 1}`, state: { kind: "pending" as const, reasons: [] } }));
  const events: BuildEvent[] = [
    { type: "build-started", runId: "2026-12-03T06-00-00Z-build", tasks },
    { type: "task-started", id: "T010", title: "Task number 10", reasons: [], estimatedTokens: 900 },
    { type: "attempt-started", id: "T010", attempt: 1, kind: "implement", trace: "t/T010/attempt-1", endpoint: HOST },
    { type: "endpoint-down", endpoint: HOST, reason: `Ollama is not reachable at ${HOST} — is \`ollama serve\` running?`, left: 1, task: "T009", nextAttempt: 2 },
    { type: "notice", message: MOVED },
    { type: "attempt-started", id: "T010", attempt: 2, kind: "implement", trace: "t/T010/attempt-2" },
    { type: "model", id: "T010", event: { type: "model-loading", model: MODEL, numCtx: 16384, keepAlive: "30m" } },
  ];
  return buildViewReducer({ ...initialBuildView(), phase: "starting", startedAt: 0 }, { type: "events", events, now: 1000 });
}

/** The frame's text with its line breaks and indents as single spaces: a wrapped sentence reads whole. */
const flat = (lines: string[]) => lines.map((l) => l.trim()).join(" ");

/** The view in an 80-column terminal (ink-testing-library's is 100 wide), as the app's body box gives it. */
function frameAt(view: BuildViewState, height: number): string[] {
  const { lastFrame, unmount } = render(
    <Box width={80} flexDirection="column">
      <BuildView view={view} now={5000} height={height} width={80} selected={9} />
    </Box>,
  );
  const lines = (lastFrame() ?? "").split("\n");
  unmount();
  return lines;
}

describe("the Build screen at 80 columns", () => {
  it("wraps the endpoint notices and the loading line instead of cutting them, within the rows it has", () => {
    const view = runningBuild();
    // 20: the body of a 24-row terminal (tab bar, status line, footer and Ink's last line).
    {
      const height = 20;
      const lines = frameAt(view, height);
      expect(lines.length, `height ${height}`).toBeLessThanOrEqual(height);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
      // Nothing is cut: the only line ending in an ellipsis ends the loading line's own.
      expect(lines.filter((l) => l.trimEnd().endsWith("…")), lines.join("\n")).toEqual([expect.stringMatching(/\(num_ctx 16384\)…$/)]);
      const text = flat(lines);
      expect(text, `height ${height}`).toContain(MOVED);
      expect(text, `height ${height}`).toContain(DOWN);
      expect(text, `height ${height}`).toContain(LOADING);
      // The selected task, the last one, is still in the list.
      expect(lines.some((l) => /^› \S T010 /.test(l)), lines.join("\n")).toBe(true);
    }
  });

  it("shows the newest notice whole when two do not fit, and keeps the selected task in view", () => {
    const view = runningBuild();
    for (const height of [16, 12]) {
      const lines = frameAt(view, height);
      expect(lines.length, `height ${height}`).toBeLessThanOrEqual(height);
      expect(flat(lines), `height ${height}`).toContain(MOVED);
      expect(flat(lines), `height ${height}`).not.toContain("T009 starts again");
      expect(lines.some((l) => /^› \S T010 /.test(l)), lines.join("\n")).toBe(true);
    }
  });

  it("shows a review's failing verdict with its whole reason", () => {
    const reason = "the command line prints the sum with a trailing space, so `wordfreq --top 3` output does not match the expected lines";
    const events: BuildEvent[] = [
      { type: "review-started", id: "T010", attempt: 2, items: 2, model: MODEL },
      {
        type: "review-finished",
        id: "T010",
        attempt: 2,
        outcome: "fix-requested",
        verdicts: [
          { item: "requirements/print-top-words", verdict: "fail", file: "src/cli.mjs", line: 12, quote: "console.log(word + ' ')", reason },
          { item: "requirements/count-words", verdict: "pass", file: "src/count.mjs", line: 3, quote: "export function count(text)", reason: "counts words" },
        ],
        discarded: [],
        unanswered: [],
      },
    ];
    const view = buildViewReducer(runningBuild(), { type: "events", events, now: 2000 });
    const lines = frameAt(view, 20);
    expect(lines.length).toBeLessThanOrEqual(20);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(flat(lines)).toContain(`fail requirements/print-top-words — src/cli.mjs:12 \`console.log(word + ' ')\` — ${reason}`);
  });

  it("says whole why the followed task failed, which its row has room to start only", () => {
    const why = "the reply was malformed twice: the reply contains no file blocks; expected src/cli.mjs; send each file as its path on one line followed by a fenced block with the whole file";
    const view = buildViewReducer(runningBuild(), {
      type: "events",
      events: [{ type: "task-finished", id: "T010", outcome: "failed", attempts: 2, durationMs: 4000, evalTokens: 0, evalMs: 0, metrics: [], message: why }],
      now: 3000,
    });
    const lines = frameAt(view, 20);
    expect(lines.length).toBeLessThanOrEqual(20);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines.find((l) => l.startsWith("› ✗ T010 ")), lines.join("\n")).toMatch(/failed \(2 attempts\)\s+the reply/);
    expect(flat(lines)).toContain(why);
  });
});
