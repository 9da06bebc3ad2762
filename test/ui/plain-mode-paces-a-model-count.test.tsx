// The Audit and Plan screens say what the model is doing in one line. In
// plain mode every change of that line is printed, so its count of streamed
// tokens is told once a period (PLAIN_PROGRESS_MS), not with every token.
// Only the interval timer and the clock are simulated; Ink renders for real.

import { afterEach, describe, expect, it, vi } from "vitest";
import { Text } from "ink";
import { render } from "ink-testing-library";
import { applyModelEvent, modelActivityLine, type ModelActivity } from "../../ui/model-activity.js";
import { PLAIN_PROGRESS_MS, PlainContext, usePacedCount } from "../../ui/plain-mode.js";
import { PlainTranscript } from "../../ui/plain-transcript.js";

function ActivityLine({ model }: { model: ModelActivity }) {
  const paced = usePacedCount(model.kind === "asking" ? model.callId : undefined, model.kind === "asking" ? model.tokens : 0);
  return <Text>{modelActivityLine(model, true, paced) ?? " "}</Text>;
}

afterEach(() => {
  vi.useRealTimers();
});

/** Streams calls at 20 tokens/s, rendering every 100 ms as the screens do; returns the transcript's lines. */
function stream(calls: { id: string; seconds: number }[], plain = true): string[] {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
  let model: ModelActivity = { kind: "idle" };
  const screen = () => (
    <PlainContext.Provider value={plain}>
      <ActivityLine model={model} />
    </PlainContext.Provider>
  );
  const r = render(screen());
  for (const call of calls) {
    model = applyModelEvent(model, { type: "call-started", callId: call.id, caller: "auditor", model: "qwen", estimatedPromptTokens: 100, numCtx: 8192 });
    for (let step = 0; step < call.seconds * 10; step++) {
      for (let i = 0; i < 2; i++) model = applyModelEvent(model, { type: "delta", callId: call.id, caller: "auditor", kind: "content", text: "x" });
      vi.advanceTimersByTime(100);
      r.rerender(screen());
    }
    model = applyModelEvent(model, { type: "call-finished", callId: call.id, caller: "auditor", doneReason: "stop", metrics: { wallMs: call.seconds * 1000 } as never });
    r.rerender(screen());
  }
  r.unmount();
  let out = "";
  const t = new PlainTranscript((text) => (out += text));
  for (const frame of r.frames) t.frame(frame);
  t.end();
  return out.split("\n").filter((l) => l !== "");
}

describe("plain mode's model activity line", () => {
  it("tells the count once a period, never in the first one, and starts again for the next call", () => {
    const lines = stream([
      { id: "c1", seconds: 35 },
      { id: "c2", seconds: 8 },
    ]);
    const periods = Math.floor(35_000 / PLAIN_PROGRESS_MS);
    expect(lines.filter((l) => l.startsWith("auditor: qwen answering"))).toEqual([
      "auditor: qwen answering…",
      ...Array.from({ length: periods }, (_, i) => `auditor: qwen answering · ${(i + 1) * 20 * (PLAIN_PROGRESS_MS / 1000)} tokens, ${(i + 1) * (PLAIN_PROGRESS_MS / 1000)} s`),
      // The second call, shorter than a period: its start, then its answer, no count.
      "auditor: qwen answering…",
    ]);
    expect(lines.filter((l) => l.startsWith("auditor: answered"))).toHaveLength(2);
  });

  it("runs no timer and adds nothing outside plain mode", () => {
    const lines = stream([{ id: "c1", seconds: 12 }], false);
    expect(lines.some((l) => /tokens, \d+ s/.test(l))).toBe(false);
  });
});
