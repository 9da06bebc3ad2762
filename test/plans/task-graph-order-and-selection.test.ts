import { describe, expect, it } from "vitest";
import {
  ancestorsOf, buildTaskGraph, descendantsOf, findCycles, selectTasks, topologicalOrder,
} from "../../plans/graph.js";

type Spec = Record<string, string[]>;
/** Tasks in the object's key order (plan order) with their depends_on. */
function graph(spec: Spec) {
  return buildTaskGraph(Object.entries(spec).map(([id, dependsOn]) => ({ id, dependsOn })));
}

//  A ─┬─> C ──> E
//  B ─┘    D (independent)
const DIAMOND: Spec = { E: ["C"], D: [], C: ["A", "B"], B: [], A: [] };

describe("topologicalOrder", () => {
  it("puts every task after its dependencies and otherwise keeps plan order", () => {
    expect(topologicalOrder(graph(DIAMOND))).toEqual({ ok: true, order: ["D", "B", "A", "C", "E"] });
    expect(topologicalOrder(graph({ T1: [], T2: [], T3: [] }))).toEqual({ ok: true, order: ["T1", "T2", "T3"] });
  });

  it("returns a cycle path instead of an order", () => {
    const result = topologicalOrder(graph({ T1: [], T2: ["T4"], T3: ["T2"], T4: ["T3"] }));
    expect(result).toEqual({ ok: false, cycle: ["T2", "T4", "T3", "T2"] });
  });

  it("ignores unknown dependencies (validation reports them)", () => {
    expect(topologicalOrder(graph({ T1: ["NOPE"], T2: ["T1"] }))).toEqual({ ok: true, order: ["T1", "T2"] });
  });
});

describe("findCycles", () => {
  it("finds every separate cycle, including a task that depends on itself", () => {
    const cycles = findCycles(graph({ A: ["B"], B: ["A"], C: ["C"], D: [], E: ["F"], F: ["G"], G: ["E", "D"] }));
    expect(cycles).toEqual([["A", "B", "A"], ["C", "C"], ["E", "F", "G", "E"]]);
  });

  it("finds none in an acyclic plan", () => {
    expect(findCycles(graph(DIAMOND))).toEqual([]);
  });

  it("handles a long chain without overflowing the stack", () => {
    const spec: Spec = {};
    for (let i = 0; i < 20_000; i++) spec[`T${i}`] = i === 0 ? ["T19999"] : [`T${i - 1}`];
    const cycles = findCycles(graph(spec));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(20_001);
  });
});

describe("ancestors and descendants", () => {
  it("follow dependencies transitively in both directions", () => {
    const g = graph(DIAMOND);
    expect([...ancestorsOf(g, "E")].sort()).toEqual(["A", "B", "C"]);
    expect([...descendantsOf(g, "A")].sort()).toEqual(["C", "E"]);
    expect(descendantsOf(g, "D").size).toBe(0);
  });
});

describe("selectTasks", () => {
  it("--only T selects T and the tasks that depend on it, in order", () => {
    expect(selectTasks(graph(DIAMOND), { kind: "only", id: "B" })).toEqual({ ok: true, ids: ["B", "C", "E"] });
  });

  it("--from T selects T and everything after it in build order", () => {
    expect(selectTasks(graph(DIAMOND), { kind: "from", id: "A" })).toEqual({ ok: true, ids: ["A", "C", "E"] });
    expect(selectTasks(graph(DIAMOND), { kind: "from", id: "B" })).toEqual({ ok: true, ids: ["B", "A", "C", "E"] });
  });

  it("answers an unknown task with did-you-mean, and a cycle with its path", () => {
    expect(selectTasks(graph({ T001: [], T002: [] }), { kind: "only", id: "T01" })).toEqual({
      ok: false, reason: "unknown-task", message: 'No task "T01" in the plan', hint: 'did you mean "T001"?',
    });
    expect(selectTasks(graph({ A: ["B"], B: ["A"] }), { kind: "all" })).toMatchObject({ ok: false, reason: "cycle", cycle: ["A", "B", "A"] });
  });
});
