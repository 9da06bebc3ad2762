import { describe, expect, it } from "vitest";
import { partsOf } from "../../ui/data/trace-files.js";
import { tracesReducer, type TracesLocation } from "../../ui/traces/traces-state.js";

describe("the trace browser's parts of a call", () => {
  it("offers a verify.log part only for a call that has one, and ←/→ skip the missing part", () => {
    const planner = { prompt: "p", response: "r", verify: undefined, meta: "{}" };
    expect(partsOf(planner)).toEqual(["prompt", "response", "meta"]);
    expect(partsOf({ ...planner, verify: "# passed in 1 ms\n" })).toEqual(["prompt", "response", "verify", "meta"]);
    const at: TracesLocation = { level: "call", runId: "r", path: "calls/planner-1", part: "response", scroll: 0, callCursor: 0, runCursor: 0 };
    expect(tracesReducer(at, { type: "part", by: 1, parts: partsOf(planner) })).toMatchObject({ part: "meta" });
    expect(tracesReducer({ ...at, part: "meta" }, { type: "part", by: -1, parts: partsOf(planner) })).toMatchObject({ part: "response" });
  });
});
