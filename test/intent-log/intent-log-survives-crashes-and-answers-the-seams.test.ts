import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "../helpers/cli.js";
import { appendIntentEvents, logEvent, logRequest, readIntentLog } from "../../src/intent/intent-log.js";
import { intentsRebuilding, intentsTouching, logRecommendation, recordRebuilt } from "../../src/intent/intent-links.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

const log = () => join(dir, ".specwright", "intent.jsonl");

describe("the intent log", () => {
  it("gives ids in order, never reused, even when requests are logged at once", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => logRequest(dir, { author: "a", kind: "ask", words: `w${i}`, context: { source: "test" } })));
    expect(ids.map((e) => e.id).sort()).toEqual(["I-0001", "I-0002", "I-0003", "I-0004", "I-0005", "I-0006", "I-0007", "I-0008"]);
    const read = await readIntentLog(dir);
    expect(read.ok && read.entries.map((e) => e.request.words).sort()).toEqual(["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"]);
  });

  it("keeps every complete event after a torn last line, and the next event starts on a line of its own", async () => {
    await logRequest(dir, { author: "a", kind: "ask", words: "first", context: { source: "test" } });
    await appendFile(log(), '{"v":1,"event":"request","id":"I-0002","wor'); // a crash mid-write
    const torn = await readIntentLog(dir);
    expect(torn.ok && torn.entries.map((e) => e.id)).toEqual(["I-0001"]);
    const next = await logRequest(dir, { author: "a", kind: "ask", words: "second\nwith two lines", context: { source: "test" } });
    expect(next.id).toBe("I-0002");
    const after = await readIntentLog(dir);
    expect(after.ok && after.entries.map((e) => [e.id, e.request.words])).toEqual([["I-0001", "first"], ["I-0002", "second\nwith two lines"]]);
  });

  it("names a line that is not an event by file:line:col, never skipping it silently", async () => {
    await logRequest(dir, { author: "a", kind: "ask", words: "first", context: { source: "test" } });
    await appendFile(log(), "not json\n");
    const read = await readIntentLog(dir);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).toMatch(/^\.specwright\/intent\.jsonl:2:\d+: not a JSON object/);
    // Words are still logged after it (numbered past the highest id in the raw text).
    expect((await logRequest(dir, { author: "a", kind: "ask", words: "kept", context: { source: "test" } })).id).toBe("I-0002");
    expect(await readFile(log(), "utf8")).toContain('"words":"kept"');
  });
});

describe("the seams for judges, builds and retrospectives", () => {
  it("finds the accepted entries that touched refs, and those a task's next commit rebuilds", async () => {
    await writeFile(join(dir, ".keep"), "");
    const a = await logRequest(dir, { author: "a", kind: "ask", words: "top defaults to 20", context: { source: "test" } });
    await logEvent(dir, { event: "decision", id: a.id, at: "t", decision: "accepted", changed: [{ spec: "WORDFREQ", ref: "requirements/top", change: "changed" }], tasks: ["T002"] });
    const b = await logRequest(dir, { author: "a", kind: "ask", words: "rejected idea", context: { source: "test" } });
    await logEvent(dir, { event: "decision", id: b.id, at: "t", decision: "rejected" });
    await appendIntentEvents(dir, []);
    const touching = await intentsTouching(dir, [{ spec: "wordfreq", ref: "requirements/top" }, { spec: "WORDFREQ", ref: "constraints" }]);
    expect(touching.map((t) => [t.entry.id, t.refs.map((r) => r.ref)])).toEqual([["I-0001", ["requirements/top"]]]);
    expect(await intentsRebuilding(dir, "T002")).toEqual(["I-0001"]);
    expect(await intentsRebuilding(dir, "T001")).toEqual([]);
    await recordRebuilt(dir, ["I-0001"], "T002", "abc123");
    expect(await intentsRebuilding(dir, "T002")).toEqual([]);
  });

  it("logs a tool's recommendation as a request of its own kind, before any model call", async () => {
    const r = await logRecommendation(dir, { words: "T003 failed verify 3 times on the same case: say what --top 0 does", source: "retro", context: { task: "T003" } });
    expect(r).toMatchObject({ id: "I-0001", kind: "recommendation", author: "specwright retro", context: { source: "retro", task: "T003" } });
    const read = await readIntentLog(dir);
    expect(read.ok && read.entries[0]!.status).toBe("unanswered");
  });
});
