import { describe, expect, it } from "vitest";
import { parseState } from "../../src/state/state-file.js";
import { parseJsonSource, locateJsonValue } from "../../src/text/json-source.js";

const good = {
  version: 1,
  planned: { CALC: { hash: "ab", plannedAt: "2026-01-01T00:00:00Z", by: "planner" }, YEP: { hash: "cd", plannedAt: "2026-01-01T00:00:00Z", by: "ossature-import" } },
  tasks: { T001: { status: "done" } },
};

describe("state.json of the wrong shape", () => {
  it("accepts a state file of the right shape as it is", () => {
    const load = parseState(JSON.stringify(good, null, 2));
    expect(load).toEqual({ ok: true, state: good });
  });

  it('refuses "tasks": [] with the path and the position of the list, instead of dropping every record', () => {
    const text = `{\n  "version": 1,\n  "planned": {},\n  "tasks": [\n    {"id": "T001"}\n  ]\n}\n`;
    const load = parseState(text);
    expect(load.ok).toBe(false);
    if (load.ok) return;
    expect(load.problem).toMatch(/^\.specwright\/state\.json:4:12: "tasks" must be an object keyed by task id, not an array/);
    expect(load.problem).toContain("restore it from version control");
  });

  it("names the entry that is not a record, at its line", () => {
    const text = `{"version": 1, "planned": {},\n "tasks": {\n  "T001": {"status": "done"},\n  "T002": "done"\n }}`;
    const load = parseState(text);
    expect(!load.ok && load.problem).toMatch(/^\.specwright\/state\.json:4:11: "tasks\.T002" must be an object/);
  });

  it("refuses a planned entry without its fields, and a missing planned map", () => {
    expect(parseState(`{"version":1,"planned":{"CALC":{"hash":1}},"tasks":{}}`)).toMatchObject({ ok: false, problem: expect.stringMatching(/^\.specwright\/state\.json:1:32: "planned\.CALC" must be/) });
    expect(parseState(`{"version":1,"tasks":{}}`)).toMatchObject({ ok: false, problem: expect.stringMatching(/"planned" must be an object keyed by spec id, not missing/) });
    expect(parseState(`{"version":2,"planned":{},"tasks":{}}`)).toMatchObject({ ok: false, problem: expect.stringMatching(/^\.specwright\/state\.json:1:12: version 2 is not one/) });
  });

  it("gives a syntax error its line and column, even where JSON.parse names no position", () => {
    const load = parseState(`{\n  "version": 1,\n  "planned": {},\n  "tasks": {"T001": }\n}`);
    expect(!load.ok && load.problem).toMatch(/^\.specwright\/state\.json:4:21: not valid JSON/);
    const trailing = parseState(`{\n  "version": 1,\n}`);
    expect(!trailing.ok && trailing.problem).toMatch(/^\.specwright\/state\.json:3:1: not valid JSON/);
  });
});

describe("JSON positions", () => {
  it("finds nested values by key and index, and the first syntax error", () => {
    const text = `{"a": [1, {"b": "x\\"y"}], "c": null}`;
    expect(locateJsonValue(text, ["a", 1, "b"])).toEqual({ line: 1, column: 17 });
    expect(locateJsonValue(text, ["c"])).toEqual({ line: 1, column: 32 });
    // A missing key points at the deepest parent that exists.
    expect(locateJsonValue(text, ["a", 5])).toEqual({ line: 1, column: 7 });
    expect(parseJsonSource(`[1, 2,, 3]`)).toMatchObject({ ok: false, position: { line: 1, column: 7 } });
    expect(parseJsonSource(``)).toMatchObject({ ok: false, position: { line: 1, column: 1 } });
  });
});
