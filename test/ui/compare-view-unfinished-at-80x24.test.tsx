// The Models screen's compare view at 80×24 after a comparison that did not
// finish: side by side on two fake Ollamas (real HTTP, one model each), one
// model's server lost mid-reply while the other finishes, or Esc pressed with
// a model's reply in flight. Either way the view says why whole (no sentence
// cut), the table and the note under it fit 80 columns and 24 rows, and the
// note scrolls into view with ↓.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { addEndpoints, byModel, unwrapped, type ModelScripts } from "../helpers/compare-project.js";
import { taskOf } from "../helpers/calc-build.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

const A = "coder-a:7b";
const B = "coder-b:7b";
const COLUMNS = 80;
const ROWS = 24;

let dir: string;
let cleanup: () => Promise<void>;
const fakes: FakeOllama[] = [];
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-compare-80-"));
  await writeCalcProject(dir);
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await cleanup();
});

/** B's T002 streams three chunks, then hangs; everything else is right the first time. */
const SCRIPTS: ModelScripts = {
  [A]: { T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] },
  [B]: { T001: [ARITH], T002: [{ content: TEST_RIGHT, fault: { kind: "hang", afterChunks: 3 } }], T003: [CLI] },
};

/**
 * Two servers side by side: A's lists both models (the Models screen asks it, as OLLAMA_HOST) but
 * serves only A; B's serves B. Marks both, starts, and waits until B's T002 is in flight.
 */
async function startComparing(): Promise<[FakeOllama, FakeOllama]> {
  const reply = byModel(SCRIPTS);
  const a = await startFakeOllama({ models: [{ name: A, sizeBytes: 4e9 }, { name: B, sizeBytes: 4e9 }], defaultReply: reply });
  const b = await startFakeOllama({ models: [{ name: B, sizeBytes: 4e9 }], defaultReply: reply });
  fakes.push(a, b);
  await addEndpoints(dir, [{ url: a.url, models: [A] }, { url: b.url, models: [B] }]);
  app = renderApp({ cwd: dir, env: testEnv(dir, a.url), screen: "models", columns: COLUMNS });
  await app.waitFor((f) => f.includes(B), "the installed models");
  await app.press("c");
  await app.waitFor((f) => f.includes("Compare these"), "the chooser");
  await app.press(" ", KEY.down, " ");
  // The chooser's sentences wrap, and say the models may run side by side (there are endpoints).
  fits(await app.waitFor((f) => f.includes("2 marked"), "both marked"));
  expect(unwrapped(app.frame())).toContain("Compare these · Space marks · Enter builds the plan with each (scratch folders) · Esc back");
  expect(unwrapped(app.frame())).toContain(`2 marked: ${A}, ${B} — side by side when each has [[model.endpoints]] of its own, else one after another`);
  await app.press(KEY.enter);
  const until = Date.now() + 20_000;
  while (!b.promptRequests().some((q) => taskOf(q) === "T002")) {
    if (Date.now() > until) throw new Error(`B's T002 was never asked; last frame:\n${app.frame()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  // The progress while it runs, wrapped to the screen: the placement line names both servers whole.
  const running = await app.waitFor((f) => f.includes("Comparing"), "the progress");
  fits(running);
  expect(unwrapped(app.history())).toContain(`side by side: ${A} on ${a.url}, ${B} on ${b.url}`);
  return [a, b];
}

/** Every line of the frame fits 80 columns, the frame 24 rows, and no line was cut by the view (Ink's "…" at column 80). */
function fits(frame: string): void {
  const lines = frame.split("\n");
  expect(lines.length, frame).toBeLessThanOrEqual(ROWS);
  for (const line of lines) {
    expect(line.length, line).toBeLessThanOrEqual(COLUMNS);
    expect(line.length === COLUMNS && line.endsWith("…"), `cut: ${line}`).toBe(false);
  }
}

/** Scrolls the finished view down to its end, checking every frame on the way; returns every line seen. */
async function scrollAll(): Promise<string> {
  const seen = new Set<string>();
  let last = "";
  for (let i = 0; i < 40; i++) {
    const f = app!.frame();
    fits(f);
    for (const l of f.split("\n")) seen.add(l);
    if (f === last) break;
    last = f;
    await app!.press(KEY.down);
  }
  return [...seen].join("\n");
}

describe("the compare view at 80×24, a comparison not finished", () => {
  it("a model's server lost: says why whole, and the table with its note fits and scrolls", async () => {
    const [, b] = await startComparing();
    await b.close();
    const done = await app!.waitFor((f) => f.includes("Comparison failed"), "the finished view", 30_000);
    fits(done);
    // What happened and how to go on at the top, the why (once) in the note under the table: all of it on the first screen.
    expect(unwrapped(done)).toContain("Not finished: the note under the table says which model stopped, and why. c, the same models and Enter go on from there (finished runs are kept).");
    expect(unwrapped(done)).toContain(`${B}: could not finish (1 of 3 tasks settled) — Ollama is not reachable at ${b.url}`);
    expect(done).toContain(".specwright/compare/");
    expect(done).toMatch(new RegExp(`^\\s+${A.replace(/[.:]/g, "\\$&")}\\s{2}`, "m"));
    expect(done).toMatch(new RegExp(`^\\s+${B.replace(/[.:]/g, "\\$&")}\\*\\s{2}`, "m"));
    const all = await scrollAll();
    expect(unwrapped(all)).toContain(`${B}: could not finish (1 of 3 tasks settled) — `);
    expect(all).toContain(".specwright/compare/");
  });

  it("Esc with a reply in flight: says how to continue, and the table with its note fits and scrolls", async () => {
    await startComparing();
    await app!.press(KEY.escape);
    const done = await app!.waitFor((f) => f.includes("Comparison interrupted"), "the finished view", 30_000);
    fits(done);
    expect(unwrapped(done)).toContain("Interrupted: c, the same models and Enter continue where it stopped.");
    expect(done).toMatch(new RegExp(`^\\s+${B.replace(/[.:]/g, "\\$&")}\\*\\s{2}`, "m"));
    const all = await scrollAll();
    expect(unwrapped(all)).toMatch(new RegExp(`${B.replace(/[.:]/g, "\\$&")}: stopped after 1 of 3 tasks`));
  });
});
