import { describe, expect, it } from "vitest";
import { graphLineText, graphRelations, layoutTaskGraph, relationsLine, taskMark, type GraphMark, type GraphNode } from "../../ui/plan/task-graph-layout.js";

/** Tasks in plan order: [id, title, depends_on, mark]. */
function nodes(...spec: [string, string, string[], GraphMark?][]): GraphNode[] {
  return spec.map(([id, title, dependsOn, mark]) => ({ id, title, dependsOn, mark: mark ?? "to-build" }));
}
const draw = (list: GraphNode[], width = 78) => layoutTaskGraph(list, width).lines.map(graphLineText);

describe("the task graph layout", () => {
  it("draws a fan-out as siblings under the shared dependency", () => {
    const plan = nodes(["T001", "Models", [], "done"], ["T002", "Storage", ["T001"]], ["T003", "API", ["T001"]], ["T004", "CLI", ["T001"]]);
    expect(draw(plan)).toEqual([
      "✓ T001 Models", //
      "├─ • T002 Storage",
      "├─ • T003 API",
      "└─ • T004 CLI",
    ]);
  });

  it("draws a diamond once per task, naming the second parent", () => {
    const plan = nodes(["T001", "Base", [], "done"], ["T002", "Left", ["T001"], "done"], ["T003", "Right", ["T001"], "failed"], ["T004", "Join", ["T002", "T003"]]);
    expect(draw(plan)).toEqual([
      "✓ T001 Base", //
      "├─ ✓ T002 Left",
      "└─ ✗ T003 Right",
      "   └─ • T004 Join (also needs T002)",
    ]);
  });

  it("hangs a fan-in under the last of its dependencies", () => {
    const plan = nodes(["T001", "A", []], ["T002", "B", []], ["T003", "C", []], ["T004", "D", ["T001", "T002", "T003"]]);
    expect(draw(plan)).toEqual(["• T001 A", "• T002 B", "• T003 C", "└─ • T004 D (also needs T001, T002)"]);
  });

  it("indents a chain and keeps a rail for a branch that continues below", () => {
    const plan = nodes(["T001", "One", []], ["T002", "Two", ["T001"]], ["T003", "Three", ["T002"]], ["T004", "Four", ["T001"]]);
    expect(draw(plan)).toEqual([
      "• T001 One", //
      "├─ • T002 Two",
      "│  └─ • T003 Three",
      "└─ • T004 Four",
    ]);
  });

  it("lists independent tasks at the left, with their glyphs", () => {
    const plan = nodes(["A1", "built", [], "done"], ["A2", "skipped", [], "skip"], ["A3", "by hand", [], "manual"], ["A4", "unknown", [], "unknown"]);
    expect(draw(plan)).toEqual(["✓ A1 built", "– A2 skipped", "✎ A3 by hand", "? A4 unknown"]);
  });

  it("follows build order, not plan order, and says where each task is", () => {
    const plan = nodes(["T002", "Later", ["T001"]], ["T001", "First", []]);
    const layout = layoutTaskGraph(plan, 78);
    expect(layout.lines.map(graphLineText)).toEqual(["• T001 First", "└─ • T002 Later"]);
    expect([...layout.lineOf]).toEqual([
      ["T001", 0],
      ["T002", 1],
    ]);
    expect(layout.cycle).toBeUndefined();
  });

  it("starts a task at the left with '(needs …)' when its dependency is not on the path above", () => {
    // Build order A, B, C: C needs A, but B was drawn after A, so C starts a new tree.
    const plan = nodes(["A", "a", []], ["B", "b", []], ["C", "c", ["A"]]);
    expect(draw(plan)).toEqual(["• A a", "• B b", "• C c (needs A)"]);
  });

  it("lays out a cycle in plan order and reports it", () => {
    const layout = layoutTaskGraph(nodes(["T1", "x", ["T2"]], ["T2", "y", ["T1"]], ["T3", "z", []]), 78);
    expect(layout.cycle).toEqual(["T1", "T2", "T1"]);
    expect(layout.lines.map(graphLineText)).toEqual(["• T1 x (needs T2)", "└─ • T2 y", "• T3 z"]);
  });

  it("cuts a long title before the id or the other dependencies", () => {
    const title = "Parse the command line arguments and report every usage error with a hint";
    const lines = draw(nodes(["T001", "Base", []], ["T002", "Other", []], ["T003", title, ["T002", "T001"]]), 40);
    // 40 = rails 3 + glyph 2 + "T003 " 5 + 12 of title + " (also needs T001)" 18.
    expect(lines[2]).toBe("└─ • T003 Parse the c… (also needs T001)");
    expect(lines[2]!.length).toBe(40);
  });

  it("keeps a 30-task plan within 80 columns, every task once and below its dependencies", () => {
    // A 14-step chain (deeper than the indentation allows), a fan-out of 8 and a fan-in of them all.
    const plan: GraphNode[] = [];
    const long = "Implement the part of the service that this task is about, in detail";
    for (let i = 1; i <= 14; i++) plan.push({ id: `T${String(i).padStart(3, "0")}`, title: `Step ${i} ${long}`, dependsOn: i === 1 ? [] : [`T${String(i - 1).padStart(3, "0")}`], mark: "done" });
    for (let i = 15; i <= 22; i++) plan.push({ id: `T${i.toString().padStart(3, "0")}`, title: long, dependsOn: ["T003"], mark: "to-build" });
    for (let i = 23; i <= 29; i++) plan.push({ id: `T${i.toString().padStart(3, "0")}`, title: long, dependsOn: [], mark: "skip" });
    plan.push({ id: "T030", title: long, dependsOn: plan.map((t) => t.id), mark: "failed" });
    // The plan screen draws the graph two columns in from the edge (the cursor gutter).
    const layout = layoutTaskGraph(plan, 78);
    const lines = layout.lines.map(graphLineText);
    expect(lines).toHaveLength(30);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(78);
    expect(new Set(layout.lines.map((l) => l.taskId)).size).toBe(30);
    for (const task of plan) for (const dep of task.dependsOn) expect(layout.lineOf.get(dep)!).toBeLessThan(layout.lineOf.get(task.id)!);
    // 78 columns allow 10 levels of indentation (40% of the width); step 12 starts again at the left.
    expect(lines[layout.lineOf.get("T011")!]).toMatch(/^( {3}){9}└─ ✓ T011 Step 11/);
    expect(lines[layout.lineOf.get("T012")!]).toMatch(/^✓ T012 Step 12 .*\(needs T011\)$/);
    // The fan-in names the other 28 dependencies as far as they fit.
    expect(lines[29]).toMatch(/^└─ ✗ T030 \(also needs T001, T002, .* \+\d+\)$/);
  });
});

describe("the selected task's relations", () => {
  const diamond = nodes(["T001", "Base", []], ["T002", "Left", ["T001"]], ["T003", "Right", ["T001"]], ["T004", "Join", ["T002", "T003"]], ["T005", "Alone", []]);
  const layout = layoutTaskGraph(diamond, 78);

  it("names what a task waits for and what waits for it, through other tasks too", () => {
    expect(graphRelations(layout, "T002")).toEqual({ needs: ["T001"], neededBy: ["T004"] });
    expect(graphRelations(layout, "T001")).toEqual({ needs: [], neededBy: ["T002", "T003", "T004"] });
    expect(graphRelations(layout, "T004")).toEqual({ needs: ["T001", "T002", "T003"], neededBy: [] });
  });

  it("says them in one line that fits the width", () => {
    expect(relationsLine("T002", graphRelations(layout, "T002"), 78)).toBe("T002 · needs T001 · needed by T004");
    expect(relationsLine("T005", graphRelations(layout, "T005"), 78)).toBe("T005 · needs nothing · needed by nothing");
    const many = { needs: Array.from({ length: 20 }, (_, i) => `T${100 + i}`), neededBy: ["T200"] };
    const line = relationsLine("T300", many, 60);
    expect(line.length).toBeLessThanOrEqual(60);
    expect(line).toMatch(/^T300 · needs T100, T101.* \+\d+ · needed by T200$/);
  });
});

describe("task glyphs", () => {
  it("shows the plan status first, then the last build's result", () => {
    expect(taskMark({ status: "skip" }, "done", true)).toBe("skip");
    expect(taskMark({ status: "manual" }, "manual", false)).toBe("manual");
    expect(taskMark({ status: "auto" }, "done", true)).toBe("done");
    // Built once, but its spec or dependencies changed since: to build again.
    expect(taskMark({ status: "auto" }, "done", false)).toBe("to-build");
    expect(taskMark({ status: "auto" }, "failed", false)).toBe("failed");
    expect(taskMark({ status: "auto" }, "pending", false)).toBe("to-build");
    expect(taskMark({ status: "auto" }, undefined, undefined)).toBe("unknown");
  });
});
