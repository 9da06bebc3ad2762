// A screen reader reads every line plain mode prints. A long reply must give a
// progress line at a human pace (at most one per PLAIN_PROGRESS_MS per task),
// never its code. The events are a real build's (the engine against the fake
// Ollama); the clock is simulated so that a model at 20 tokens/s takes minutes,
// and every batch is rendered by the real BuildView into the real transcript.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render } from "ink-testing-library";
import { startFakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { inProcessBuild } from "../helpers/in-process-build.js";
import type { BuildEvent } from "../../src/build/build-events.js";
import { buildViewReducer, initialBuildView } from "../../ui/build/build-view-state.js";
import { initialPlainBuildLog, plainBuildLogReducer } from "../../ui/build/plain-build-log.js";
import { PLAIN_PROGRESS_MS, PlainContext } from "../../ui/plain-mode.js";
import { PlainTranscript } from "../../ui/plain-transcript.js";
import { BuildView } from "../../ui/screens/build-screen.js";

/** T001's reply: the arithmetic module with 120 comment lines before `divide`, about 1,200 streamed pieces. */
const LONG = ARITH.replace("def divide", `${Array.from({ length: 120 }, (_, i) => `# note ${i}: keep the arithmetic exact`).join("\n")}\ndef divide`);
const MS_PER_PIECE = 50; // a model at 20 tokens/s
const BATCH_MS = 100; // the event batcher's interval (event-batcher.ts)
const TICK_MS = 1000; // the build screen's plain-mode tick

let events: BuildEvent[] = [];
let cleanup: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const made = await tempDir("specwright-plain-log-");
  cleanup = made.cleanup;
  await writeCalcProject(made.dir);
  const fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [LONG], T002: [TEST_WRONG, TEST_RIGHT], T003: [CLI] }) });
  try {
    const build = await inProcessBuild(made.dir, fake.url);
    await build.run({ onEvent: (e) => events.push(e) });
  } finally {
    await fake.close();
  }
});
afterAll(async () => {
  events = [];
  await cleanup?.();
});

/** When each event happens on the simulated clock: a streamed piece takes MS_PER_PIECE, a verify its measured duration. */
function timed(all: readonly BuildEvent[]): { at: number; event: BuildEvent }[] {
  let now = 0;
  return all.map((event) => {
    if (event.type === "model" && event.event.type === "delta") now += MS_PER_PIECE;
    if (event.type === "verify-finished") now += event.result.durationMs;
    return { at: now, event };
  });
}

/** Replays the events as the build screen gets them (batches, ticks), renders each state in plain mode, and returns the transcript's lines. */
function replay(all: readonly BuildEvent[]): { lines: string[]; endMs: number } {
  const schedule = timed(all);
  let view = buildViewReducer(initialBuildView(), { type: "start", now: 0 });
  let log = initialPlainBuildLog();
  const screen = () => (
    <PlainContext.Provider value={true}>
      <BuildView view={view} now={0} height={20} width={100} selected={Math.max(0, view.tasks.findIndex((t) => t.id === view.focus))} log={log.lines} />
    </PlainContext.Provider>
  );
  const r = render(screen());
  const endMs = schedule.at(-1)!.at;
  let next = 0;
  for (let now = BATCH_MS; next < schedule.length; now += BATCH_MS) {
    const batch: BuildEvent[] = [];
    while (next < schedule.length && schedule[next]!.at <= now) batch.push(schedule[next++]!.event);
    if (batch.length > 0) {
      view = buildViewReducer(view, { type: "events", events: batch, now });
      log = plainBuildLogReducer(log, { type: "events", events: batch, now });
    }
    if (now % TICK_MS === 0) log = plainBuildLogReducer(log, { type: "tick", now });
    r.rerender(screen());
  }
  r.unmount();
  let out = "";
  const t = new PlainTranscript((text) => (out += text));
  for (const frame of r.frames) t.frame(frame);
  t.end();
  return { lines: out.split("\n"), endMs };
}

describe("plain mode's build log", () => {
  it("tells a long reply's progress at most every PLAIN_PROGRESS_MS, with a rising count, and none of its code", () => {
    const pieces = events.filter((e) => e.type === "model" && e.id === "T001" && e.event.type === "delta").length;
    expect(pieces).toBeGreaterThan(1000);
    const { lines } = replay(events);
    const generating = (pieces * MS_PER_PIECE) / 1000;
    const progress = lines.filter((l) => /^T001: \d+ tokens, \d+ s$/.test(l));
    // One line per full PLAIN_PROGRESS_MS of generation (the first a full period after the start), give or take the tick.
    const periods = Math.floor((generating * 1000) / PLAIN_PROGRESS_MS);
    expect(progress.length).toBeLessThanOrEqual(periods);
    expect(progress.length).toBeGreaterThanOrEqual(periods - 1);
    const counts = progress.map((l) => Number(/: (\d+) tokens/.exec(l)![1]));
    const seconds = progress.map((l) => Number(/, (\d+) s$/.exec(l)![1]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBeLessThanOrEqual(pieces);
    // Whole periods apart: never two lines within PLAIN_PROGRESS_MS.
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]! - seconds[i - 1]!).toBeGreaterThanOrEqual(PLAIN_PROGRESS_MS / 1000);
    // Of the whole reply, not one line: not the comments that make it long, not its code.
    expect(lines.filter((l) => l.includes("# note") || l.includes("def add") || l.includes("return a / b"))).toEqual([]);
    // Short tasks say their results and no progress line.
    expect(lines.filter((l) => /^T00[23]\b.*: \d+ tokens/.test(l))).toEqual([]);
    expect(lines.filter((l) => l.startsWith("T002 verify failed"))).toHaveLength(1);
    // Everything the transcript printed while the long reply streamed: bounded by the periods, not by the reply's lines.
    expect(lines.length).toBeLessThan(40 + periods);
  });
});
