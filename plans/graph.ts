// The task graph: which task waits for which. Orders are stable (among tasks
// that could go next, plan order wins) so that a build, a plan listing and a
// trace all show tasks in the same order for the same plan.

import { closest } from "../grammar/did-you-mean.js";
import type { Task } from "./plan.js";

export interface TaskGraph {
  /** Task ids in plan order; a duplicated id appears once (its first task). */
  readonly ids: readonly string[];
  /** id → ids it depends on that exist in the plan (unknown ids are validate-plan's business). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** id → ids that depend on it directly, in plan order. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

/** Builds the graph from tasks in plan order. Unknown and repeated dependencies are ignored. */
export function buildTaskGraph(tasks: readonly Pick<Task, "id" | "dependsOn">[]): TaskGraph {
  const ids: string[] = [];
  const known = new Set<string>();
  const firstTask = new Map<string, Pick<Task, "id" | "dependsOn">>();
  for (const task of tasks) {
    if (known.has(task.id)) continue;
    known.add(task.id);
    ids.push(task.id);
    firstTask.set(task.id, task);
  }
  const dependencies = new Map<string, string[]>();
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    const deps = [...new Set(firstTask.get(id)!.dependsOn)].filter((d) => known.has(d));
    dependencies.set(id, deps);
    for (const d of deps) dependents.get(d)!.push(id);
  }
  return { ids, dependencies, dependents };
}

/**
 * Any items (specs, components) in dependency order, with ties in their given
 * order; unknown dependencies are ignored, and on a cycle the given order is
 * kept (reporting cycles is validation's job, not the caller's).
 */
export function dependencyFirst<T>(items: readonly T[], id: (item: T) => string, dependsOn: (item: T) => readonly string[]): T[] {
  const byId = new Map(items.map((item) => [id(item), item]));
  const sorted = topologicalOrder(buildTaskGraph(items.map((item) => ({ id: id(item), dependsOn: [...dependsOn(item)] }))));
  return sorted.ok ? sorted.order.map((key) => byId.get(key)!) : [...items];
}

export type TopologicalOrder = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Every task after all its dependencies; among tasks that are ready at the same
 * time, plan order. On a cycle, one cycle path (first task repeated at the end).
 */
export function topologicalOrder(graph: TaskGraph): TopologicalOrder {
  const position = new Map(graph.ids.map((id, i) => [id, i]));
  const waiting = new Map(graph.ids.map((id) => [id, graph.dependencies.get(id)!.length]));
  // Ready tasks, kept sorted by plan position; plans are small enough that a sorted array beats a heap in clarity.
  const ready = graph.ids.filter((id) => waiting.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of graph.dependents.get(id)!) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) insertSorted(ready, next, (a, b) => position.get(a)! - position.get(b)!);
    }
  }
  if (order.length === graph.ids.length) return { ok: true, order };
  return { ok: false, cycle: findCycles(graph)[0]! };
}

/**
 * One cycle path per strongly connected group of tasks that wait on each other
 * (including a task that depends on itself), each starting and ending at the
 * group's first task in plan order, e.g. ["T1", "T2", "T1"]. Groups come in
 * plan order of their first task.
 */
export function findCycles(graph: TaskGraph): string[][] {
  const position = new Map(graph.ids.map((id, i) => [id, i]));
  const cycles: string[][] = [];
  for (const group of stronglyConnected(graph)) {
    const first = group.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
    const deps = graph.dependencies.get(first)!;
    if (group.length === 1 && !deps.includes(first)) continue;
    cycles.push(cyclePath(graph, first, new Set(group)));
  }
  return cycles.sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)!);
}

/** Shortest dependency path from `start` back to itself inside `group` (breadth first, plan order). */
function cyclePath(graph: TaskGraph, start: string, group: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const dep of graph.dependencies.get(id)!) {
      if (!group.has(dep)) continue;
      if (dep === start) {
        const path = [start];
        for (let at = id; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        path.push(start);
        return path;
      }
      if (!previous.has(dep)) {
        previous.set(dep, id);
        queue.push(dep);
      }
    }
  }
  // Unreachable for a real strongly connected group; a bug if it happens.
  throw new Error(`no cycle through ${start}`);
}

/** Tarjan's algorithm, iterative so a long dependency chain cannot overflow the stack. */
function stronglyConnected(graph: TaskGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  for (const root of graph.ids) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const deps = graph.dependencies.get(frame.id)!;
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        if (!index.has(dep)) {
          index.set(dep, counter);
          low.set(dep, counter++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ id: dep, next: 0 });
        } else if (onStack.has(dep)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(dep)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.id);
        groups.push(group);
      }
    }
  }
  return groups;
}

/** Every task `id` waits for, directly or through others (not including `id`). */
export function ancestorsOf(graph: TaskGraph, id: string): Set<string> {
  return reach(id, (x) => graph.dependencies.get(x) ?? []);
}

/** Every task that waits for `id`, directly or through others (not including `id`). */
export function descendantsOf(graph: TaskGraph, id: string): Set<string> {
  return reach(id, (x) => graph.dependents.get(x) ?? []);
}

function reach(start: string, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...next(start)];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id) || id === start) continue;
    seen.add(id);
    queue.push(...next(id));
  }
  return seen;
}

/** What `build` runs: everything, `--only T` (T and the tasks that depend on it), or `--from T` (T and all after it). */
export type TaskSelection = { kind: "all" } | { kind: "only"; id: string } | { kind: "from"; id: string };

export type SelectionResult =
  | { ok: true; ids: string[] }
  | { ok: false; reason: "unknown-task"; message: string; hint?: string }
  | { ok: false; reason: "cycle"; message: string; cycle: string[] };

/** The selected task ids in topological order, or why there are none. */
export function selectTasks(graph: TaskGraph, selection: TaskSelection): SelectionResult {
  const sorted = topologicalOrder(graph);
  if (!sorted.ok) {
    return { ok: false, reason: "cycle", message: `dependency cycle: ${sorted.cycle.join(" -> ")}`, cycle: sorted.cycle };
  }
  if (selection.kind === "all") return { ok: true, ids: sorted.order };
  const { id } = selection;
  if (!graph.dependencies.has(id)) {
    const suggestion = closest(id, graph.ids);
    return {
      ok: false,
      reason: "unknown-task",
      message: `No task "${id}" in the plan`,
      ...(suggestion !== undefined ? { hint: `did you mean "${suggestion}"?` } : {}),
    };
  }
  if (selection.kind === "only") {
    const wanted = descendantsOf(graph, id).add(id);
    return { ok: true, ids: sorted.order.filter((x) => wanted.has(x)) };
  }
  return { ok: true, ids: sorted.order.slice(sorted.order.indexOf(id)) };
}

function insertSorted<T>(array: T[], item: T, compare: (a: T, b: T) => number): void {
  let low = 0;
  let high = array.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compare(array[mid]!, item) <= 0) low = mid + 1;
    else high = mid;
  }
  array.splice(low, 0, item);
}
