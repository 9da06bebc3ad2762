// The plan screen's task graph as plain text: one line per task, in build
// order, drawn as an indented tree under the dependency it most recently
// follows, with "(also needs …)" for its other dependencies. Pure, no Ink: it
// fits any width (80 columns included) and reads the same without colour.

import { ancestorsOf, buildTaskGraph, descendantsOf, topologicalOrder, type TaskGraph } from "../../plans/graph.js";
import type { TaskStatus } from "../../plans/plan.js";
import type { TaskState } from "../../src/build/task-state.js";

/** What a task's glyph says: built, failed, still to build, skipped, written by hand, or not known (the plan has errors). */
export type GraphMark = "done" | "failed" | "to-build" | "skip" | "manual" | "unknown";

export const GRAPH_GLYPHS: Readonly<Record<GraphMark, string>> = {
  done: "✓",
  failed: "✗",
  "to-build": "•",
  skip: "–",
  manual: "✎",
  unknown: "?",
};

/** The legend shown above the graph, so the glyphs need no colour to be read. */
export const GRAPH_LEGEND = "✓ done ✗ failed • to build – skip ✎ manual";

/** One task as the graph needs it, in plan order. */
export interface GraphNode {
  id: string;
  title: string;
  dependsOn: string[];
  mark: GraphMark;
}

/** One line of the graph: tree rails, the task's glyph, and its label (id, title, other dependencies). */
export interface GraphLine {
  /** Rails and connector before the node, e.g. "│  └─ "; "" for a task that starts a tree. */
  rails: string;
  glyph: string;
  /** "T004 Main (also needs T002)", cut to fit the width. */
  label: string;
  taskId: string;
}

export interface TaskGraphLayout {
  /** One line per task, in build order. */
  lines: GraphLine[];
  /** The line each task is on. */
  lineOf: ReadonlyMap<string, number>;
  /** The dependency cycle, when there is one: then there is no build order and lines follow plan order. */
  cycle: string[] | undefined;
  /** The graph the layout was drawn from, for questions about the selected task. */
  graph: TaskGraph;
}

/** Rails are three columns per level: "│  ", "├─ ", "└─ ". */
const RAIL = 3;
/** A title shorter than this is dropped rather than cut to a stub. */
const MIN_TITLE = 6;

/**
 * Lays the tasks out as a forest in build order. Each task hangs under the
 * deepest task on the path drawn just above it that it depends on, so reading
 * top to bottom is the build order and every task's dependencies are above
 * it. A task none of whose dependencies is on that path, or that would be
 * indented past 40% of the width, starts again at the left with "(needs …)".
 */
export function layoutTaskGraph(nodes: readonly GraphNode[], width: number): TaskGraphLayout {
  const graph = buildTaskGraph(nodes);
  const byId = new Map<string, GraphNode>();
  for (const node of nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const sorted = topologicalOrder(graph);
  const order = sorted.ok ? sorted.order : graph.ids;
  const maxDepth = Math.max(0, Math.floor((width * 0.4) / RAIL));

  interface Placed {
    id: string;
    depth: number;
    parent: Placed | undefined;
    children: Placed[];
    note: string;
  }
  const placed: Placed[] = [];
  let path: Placed[] = [];
  for (const id of order) {
    const deps = graph.dependencies.get(id) ?? [];
    const parentAt = findLastIndex(path, (p) => deps.includes(p.id));
    const parent = parentAt === -1 ? undefined : path[parentAt]!;
    const attach = parent !== undefined && parent.depth + 1 <= maxDepth;
    const others = attach ? deps.filter((d) => d !== parent.id) : deps;
    const node: Placed = {
      id,
      depth: attach ? parent.depth + 1 : 0,
      parent: attach ? parent : undefined,
      children: [],
      note: others.length === 0 ? "" : `${attach ? "also needs" : "needs"} ${others.join(", ")}`,
    };
    if (attach) {
      parent.children.push(node);
      path = [...path.slice(0, parentAt + 1), node];
    } else {
      path = [node];
    }
    placed.push(node);
  }

  const isLast = (p: Placed) => p.parent === undefined || p.parent.children.at(-1) === p;
  const lines = placed.map((p): GraphLine => {
    let rails = "";
    if (p.parent) {
      rails = isLast(p) ? "└─ " : "├─ ";
      // Above the connector, a rail continues for every ancestor with a sibling still to come.
      for (let a = p.parent; a.parent; a = a.parent) rails = (isLast(a) ? "   " : "│  ") + rails;
    }
    const node = byId.get(p.id)!;
    const room = width - rails.length - 2;
    return { rails, glyph: GRAPH_GLYPHS[node.mark], label: fitLabel(node.id, node.title, p.note, room), taskId: p.id };
  });
  return { lines, lineOf: new Map(lines.map((l, i) => [l.taskId, i])), cycle: sorted.ok ? undefined : sorted.cycle, graph };
}

/** A line as one string: rails, glyph, label. */
export function graphLineText(line: GraphLine): string {
  return `${line.rails}${line.glyph} ${line.label}`;
}

/** The glyph of a plan task: its plan status first (skip, manual), then its last build's state and freshness. */
export function taskMark(task: { status: TaskStatus }, state: TaskState | undefined, upToDate: boolean | undefined): GraphMark {
  if (task.status === "skip") return "skip";
  if (task.status === "manual") return "manual";
  if (state === undefined) return "unknown";
  if (state === "failed") return "failed";
  return state === "done" && upToDate === true ? "done" : "to-build";
}

/** The selected task's ancestors (what it waits for) and dependents (what waits for it), each in graph line order. */
export interface GraphRelations {
  needs: string[];
  neededBy: string[];
}

export function graphRelations(layout: TaskGraphLayout, id: string): GraphRelations {
  const { graph } = layout;
  const inLineOrder = (ids: Set<string>) => [...ids].sort((a, b) => (layout.lineOf.get(a) ?? 0) - (layout.lineOf.get(b) ?? 0));
  return { needs: inLineOrder(ancestorsOf(graph, id)), neededBy: inLineOrder(descendantsOf(graph, id)) };
}

/**
 * The relations in words, for the line under the graph: colour marks them in
 * the graph, this line says the same without colour. Long lists end in "+N".
 */
export function relationsLine(id: string, relations: GraphRelations, width: number): string {
  const [needs, neededBy] = relationsParts(id, relations, width);
  return `${id} · ${needs} · ${neededBy}`;
}

/** The two halves of relationsLine ("needs …", "needed by …"), for a view that colours them like the graph. */
export function relationsParts(id: string, relations: GraphRelations, width: number): [string, string] {
  const part = (label: string, ids: string[], room: number) => `${label} ${ids.length === 0 ? "nothing" : listWithin(ids, room - label.length - 1)}`;
  const half = Math.floor((width - id.length - 6) / 2);
  return [part("needs", relations.needs, half), part("needed by", relations.neededBy, half)];
}

function listWithin(ids: string[], room: number): string {
  for (let n = ids.length; n > 0; n--) {
    const text = ids.slice(0, n).join(", ") + (n < ids.length ? ` +${ids.length - n}` : "");
    if (text.length <= room) return text;
  }
  return `${ids.length} task${ids.length === 1 ? "" : "s"}`;
}

/** "T004 Title (also needs T002)" in at most `room` characters: the title is cut first, then the note's list. */
function fitLabel(id: string, title: string, note: string, room: number): string {
  const noteText = note === "" ? "" : ` (${note})`;
  const titleRoom = room - id.length - noteText.length - 1;
  if (titleRoom >= Math.min(MIN_TITLE, title.length)) return `${id} ${cut(title, titleRoom)}${noteText}`;
  if (id.length + noteText.length <= room) return `${id}${noteText}`;
  if (note === "") return cut(id, room);
  const [verb, list] = note.startsWith("also needs ") ? ["also needs", note.slice(11)] : ["needs", note.slice(6)];
  const shortNote = ` (${verb} ${listWithin(list.split(", "), room - id.length - verb.length - 4)})`;
  return cut(`${id}${shortNote}`, room);
}

function cut(text: string, room: number): string {
  if (text.length <= room) return text;
  return room <= 0 ? "" : text.slice(0, room - 1) + "…";
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}
