// From a line of generated code back to a person's words: which task wrote
// the file (and which commit last changed the line, with git on), that task's
// refs rendered as its prompt held them, and the accepted intent entries
// whose diffs created or last changed those refs — their words verbatim.

import { relative, resolve, sep } from "node:path";
import type { Task } from "../../plans/plan.js";
import type { LoadedConfig } from "../config/types.js";
import { renderTaskRefs } from "../build/task-refs.js";
import { blameOutputLine, type BlamedCommit } from "../git/blame-line.js";
import { loadProjectSpecs } from "../specs/project-specs.js";
import { readIntentLog, type IntentEntry } from "./intent-log.js";
import { intentsTouching } from "./intent-links.js";
import { currentPlan } from "./review.js";

export interface BlameRef {
  spec: string;
  ref: string;
  text: string;
  /** Accepted entries that changed this ref, oldest first; the last one shaped it last. */
  intents: string[];
}

export interface BlameReport {
  /** Path relative to the output dir. */
  file: string;
  line?: number;
  /** The line's text, when a line was asked for. */
  lineText?: string;
  tasks: { id: string; title: string; spec: string; how: "writes" | "edits" }[];
  commit?: BlamedCommit;
  refs: BlameRef[];
  /** Every entry named above (by a ref or the commit's Intent trailer), oldest first. */
  intents: IntentEntry[];
}

export type BlameResult = { ok: true; report: BlameReport } | { ok: false; message: string; hint: string };

/** `output/a.js:12` (relative to `cwd`) → the path inside the output dir and the line. */
export function parseBlameTarget(target: string, cwd: string, outputDir: string): { file: string; line?: number } | { problem: string } {
  const m = /^(.*?)(?::(\d+))?$/.exec(target)!;
  const absolute = resolve(cwd, m[1]!);
  const inside = relative(outputDir, absolute);
  if (inside === "" || inside.startsWith("..") || resolve(outputDir, inside) !== absolute) return { problem: `${m[1]} is not inside the output dir ${relative(cwd, outputDir) || "."}` };
  return { file: inside.split(sep).join("/"), ...(m[2] !== undefined ? { line: Number(m[2]) } : {}) };
}

export async function blameOutput(loaded: LoadedConfig, target: { file: string; line?: number }, readLine: (file: string, line: number) => Promise<string | undefined>): Promise<BlameResult> {
  const { root, config } = loaded;
  const outputDir = resolve(root, config.output.dir);
  const plan = await currentPlan(root);
  if (!plan) return { ok: false, message: "no plan: no task wrote anything yet", hint: "`specwright plan` makes one" };
  const writers = plan.tasks.filter((t) => t.outputs.includes(target.file));
  const editors = plan.tasks.filter((t) => t.edits.includes(target.file));
  const tasks = [...writers.map((t) => ({ t, how: "writes" as const })), ...editors.map((t) => ({ t, how: "edits" as const }))];
  if (tasks.length === 0) return { ok: false, message: `no task of the plan writes ${target.file}`, hint: "`specwright status` lists the tasks and their files" };
  const lineText = target.line !== undefined ? await readLine(target.file, target.line) : undefined;
  if (target.line !== undefined && lineText === undefined) return { ok: false, message: `${target.file} has no line ${target.line}`, hint: "give a line the file has, or no line" };
  const commit = await blameOutputLine(outputDir, target.file, target.line);
  // With git, the commit says which task last changed the line; its refs are the ones that matter.
  const responsible: Task[] = commit && commit.tasks.length > 0 ? tasks.map((x) => x.t).filter((t) => commit.tasks.includes(t.id)) : tasks.map((x) => x.t);
  const specs = await loadProjectSpecs(loaded);
  const refs: BlameRef[] = [];
  for (const task of responsible.length > 0 ? responsible : tasks.map((x) => x.t)) {
    const group = specs.groups.find((g) => g.id === task.spec);
    if (!group) continue;
    for (const r of renderTaskRefs(group, task.refs, { overviewInBrief: false }).refs) {
      if (refs.some((x) => x.spec === task.spec && x.ref === r.ref)) continue;
      refs.push({ spec: task.spec, ref: r.ref, text: r.text, intents: [] });
    }
  }
  const touches = await intentsTouching(root, refs.map((r) => ({ spec: r.spec, ref: r.ref })));
  for (const touch of touches) for (const c of touch.refs) refs.find((r) => r.spec.toLowerCase() === c.spec.toLowerCase() && r.ref === c.ref)?.intents.push(touch.entry.id);
  const named = new Set([...touches.map((t) => t.entry.id), ...(commit?.intents ?? [])]);
  const log = await readIntentLog(root);
  const intents = log.ok ? log.entries.filter((e) => named.has(e.id)) : [];
  return {
    ok: true,
    report: {
      file: target.file,
      ...(target.line !== undefined ? { line: target.line } : {}),
      ...(lineText !== undefined ? { lineText } : {}),
      tasks: tasks.map(({ t, how }) => ({ id: t.id, title: t.title, spec: t.spec, how })),
      ...(commit ? { commit } : {}),
      refs,
      intents,
    },
  };
}
