// `specwright retro`: one structured call (role `reviewer`) over the budgeted
// digest of the last N tasks built, answering which spec passages caused
// repeated fixes, what to add or make explicit, and which tasks to split. The
// answer is kept in .specwright/retros/<date>.md (for people) and .json (for
// tools: each recommendation as a spec-change request, see
// spec-change-request.ts). The call is traced like any other, in a "retro" run.

import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChatMessage } from "../../models/call-record.js";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { ModelError } from "../../models/errors.js";
import type { ModelEventListener } from "../../models/events.js";
import type { JsonSchema } from "../../models/json-schema.js";
import type { LoadedConfig } from "../config/types.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { ModelSession } from "../model-session.js";
import { readPlanFile } from "../planning/plan-file.js";
import { openRunScope } from "../run-scope.js";
import { redactModelEvents } from "../traces/redact-model-events.js";
import { buildReport } from "./build-report.js";
import { retroDigest, type PlannedTaskInfo, type RetroDigest } from "./retro-digest.js";
import { readBuildRuns } from "./run-records.js";
import { specChangeRequests, type SpecChangeRequest } from "./spec-change-request.js";

export const RETROS_DIR = join(".specwright", "retros");
/** The digest's share of the prompt: about 20 tasks with short excerpts, and a 8k context still has room to answer. */
export const RETRO_DIGEST_BUDGET = 5000;
export const RETRO_OUTPUT_BUDGET = 2048;
export const RECOMMENDATION_KINDS = ["add-example", "make-explicit", "add-constraint", "split-task", "other"] as const;

export interface Recommendation {
  kind: (typeof RECOMMENDATION_KINDS)[number];
  /** The spec id and the anchor (a ref of the tasks: "requirements/top-words", "constraints") the change is about. */
  spec?: string;
  anchor?: string;
  tasks: string[];
  /** What to change, in the spec's words. */
  change: string;
  why: string;
}

export interface RetroAnswer {
  summary: string;
  recommendations: Recommendation[];
}

export const RETRO_SCHEMA: JsonSchema = {
  type: "object",
  required: ["summary", "recommendations"],
  properties: {
    summary: { type: "string" },
    recommendations: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "tasks", "change", "why"],
        properties: {
          kind: { type: "string", enum: [...RECOMMENDATION_KINDS] },
          spec: { type: "string" },
          anchor: { type: "string" },
          tasks: { type: "array", items: { type: "string" } },
          change: { type: "string" },
          why: { type: "string" },
        },
      },
    },
  },
} as JsonSchema;

export type RetroEvent = { type: "retro-started"; tasks: string[]; leftOut: string[]; promptTokens: number; model: string } | { type: "notice"; message: string };

/** A retro's progress as one line, for the CLI's stderr and the TUI's flash. */
export function retroEventLine(e: RetroEvent): string {
  if (e.type === "notice") return e.message;
  return `retro: asking ${e.model} about the last ${e.tasks.length} task${e.tasks.length === 1 ? "" : "s"} (~${e.promptTokens} prompt tokens${e.leftOut.length > 0 ? `; ${e.leftOut.length} older left out for the budget` : ""})`;
}

export interface RetroInput {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  last: number;
  signal?: AbortSignal;
  now?: Date;
  onEvent(event: RetroEvent): void;
  onModelEvent: ModelEventListener;
}

export type RetroResult =
  | { kind: "written"; file: string; jsonFile: string; answer: RetroAnswer; requests: SpecChangeRequest[]; digest: RetroDigest; promptTokens: number; model: string }
  | { kind: "nothing"; message: string }
  | { kind: "not-started"; message: string; hint: string }
  | { kind: "failed"; error: ModelError; traceDir: string; interrupted: boolean };

export async function runRetro(input: RetroInput): Promise<RetroResult> {
  const { loaded } = input;
  const root = loaded.root;
  const runs = await readBuildRuns(root);
  const plan = await plannedTasks(root);
  const digest = retroDigest(runs, plan, { last: input.last, budgetTokens: RETRO_DIGEST_BUDGET });
  if (digest.tasks.length === 0) return { kind: "nothing", message: "no task has been built yet: a retrospective needs build runs (`specwright build`)" };
  const hints = buildReport({ runs }).hints.map((h) => h.message);
  const messages = retroMessages(loaded, digest, hints);
  const promptTokens = estimateMessagesTokens(messages);

  const opened = await openRunScope({
    root,
    command: "retro",
    config: loaded.config,
    env: input.env,
    info: { last: input.last, tasks: digest.tasks },
    ...(input.signal ? { signal: input.signal } : {}),
    onInterrupt: (message) => input.onEvent({ type: "notice", message }),
  });
  if (!opened.ok) return { kind: "not-started", message: opened.message, hint: opened.hint };
  const scope = opened.scope;
  const session = new ModelSession(loaded.config, redactModelEvents(scope.trace.secrets, input.onModelEvent), scope.signal);
  session.plan([{ role: "reviewer", largestPromptTokens: Math.round(promptTokens * 1.2), outputBudget: RETRO_OUTPUT_BUDGET }]);
  const model = session.modelFor("reviewer");
  input.onEvent({ type: "retro-started", tasks: digest.tasks, leftOut: digest.leftOut, promptTokens, model });
  const run = await session.run("reviewer");
  if (!run.ok) {
    await scope.close({ ok: false, models: await session.describe() });
    return { kind: "failed", error: run.error, traceDir: scope.trace.dir, interrupted: scope.interrupted() };
  }
  const known = new Set(digest.tasks);
  const reply = await run.value.callStructured<RetroAnswer>({
    caller: "retro",
    messages,
    schema: RETRO_SCHEMA,
    outputBudget: RETRO_OUTPUT_BUDGET,
    recorder: () => scope.trace.nextCallRecorder("retro"),
    accept: (value) => {
      const answer = value as RetroAnswer;
      const unknown = answer.recommendations.flatMap((r) => r.tasks).filter((t) => !known.has(t));
      if (unknown.length > 0) return { ok: false, problems: [`tasks ${[...new Set(unknown)].join(", ")} are not in the digest; name only tasks from it`] };
      return { ok: true, value: answer };
    },
  });
  if (!reply.ok) {
    await scope.close({ ok: false, models: await session.describe() });
    return { kind: "failed", error: reply.error, traceDir: scope.trace.dir, interrupted: scope.interrupted() };
  }
  const answer = reply.value.value;
  const now = input.now ?? new Date();
  const dir = join(root, RETROS_DIR);
  await mkdir(dir, { recursive: true });
  const base = await freeName(dir, now.toISOString().slice(0, 10));
  const file = join(dir, `${base}.md`);
  const jsonFile = join(dir, `${base}.json`);
  const requests = specChangeRequests(base, answer.recommendations);
  await writeFileAtomic(jsonFile, JSON.stringify({ retro: base, createdAt: now.toISOString(), model, run: scope.trace.id, tasks: digest.tasks, ...answer, requests }, null, 2) + "\n");
  await writeFileAtomic(file, renderRetro(base, now, model, scope.trace.id, digest, answer, requests));
  await scope.close({ ok: true, retro: `${RETROS_DIR}/${base}.md`, models: await session.describe() });
  return { kind: "written", file, jsonFile, answer, requests, digest, promptTokens, model };
}

/** The retro's system text: byte-stable (no project data), so prompts share a prefix and the scripted demo can recognise it. */
export const RETRO_SYSTEM = [
  "You look back over a software project built by a code-generating model from written specifications, task by task, each task verified by commands and fixed when they failed.",
  "From what happened to the tasks, you find what in the specifications made the model fail: passages that caused repeated fixes, things to add or make explicit (an Example with exact input and output, the exact algorithm, a Constraint stating a convention), and tasks too big for one answer that should be split.",
  "Ground every recommendation in the tasks listed: name them, and name the spec and the anchor (one of the task's refs) the change belongs to. Recommend nothing the data does not show. At most 8 recommendations, the most useful first.",
  "Answer with JSON only, following the schema.",
].join("\n");

export function retroMessages(loaded: LoadedConfig, digest: RetroDigest, hints: readonly string[]): ChatMessage[] {
  const c = loaded.config;
  const user = [
    `# Project\n\nProject: ${c.project.name}. Language: ${c.output.language}.`,
    `# The last ${digest.tasks.length === 1 ? "task" : `${digest.tasks.length} tasks`} built, newest first\n\nEach with its refs (the spec parts its prompt held), how its builds went, its distinct failures (the first error line, normalised: numbers are #) and the reviewer's findings.${digest.leftOut.length > 0 ? ` ${digest.leftOut.length} older tasks did not fit and are left out.` : ""}\n\n${digest.text}`,
    ...(hints.length > 0 ? [`# What the numbers already say\n\n${hints.map((h) => `- ${h}`).join("\n")}`] : []),
    "# Answer\n\nA one-paragraph summary, then the recommendations: kind (add-example, make-explicit, add-constraint, split-task, other), spec, anchor, tasks, the change in the spec's words, and why the tasks show it is needed.",
  ].join("\n\n");
  return [
    { role: "system", content: RETRO_SYSTEM },
    { role: "user", content: user },
  ];
}

function renderRetro(base: string, now: Date, model: string, runId: string, digest: RetroDigest, answer: RetroAnswer, requests: readonly SpecChangeRequest[]): string {
  const out = [
    `# Retrospective ${base}`,
    "",
    `${now.toISOString().replace(/\.\d{3}Z$/, "Z")} · ${model} (role reviewer) · over the last ${digest.tasks.length === 1 ? "task" : `${digest.tasks.length} tasks`} built (${digest.tasks.join(", ")})${digest.leftOut.length > 0 ? `; ${digest.leftOut.length} older left out for the budget` : ""} · trace: .specwright/runs/${runId}`,
    "",
    "## Summary",
    "",
    answer.summary.trim(),
    "",
    "## Recommendations",
  ];
  if (answer.recommendations.length === 0) out.push("", "None: the model found nothing in the specs to change.");
  answer.recommendations.forEach((r, i) => {
    const where = [r.spec, r.anchor].filter((x) => x !== undefined && x !== "").join(" ");
    out.push("", `### ${i + 1}. ${r.kind}${where ? ` · ${where}` : ""} · ${r.tasks.join(", ") || "no task named"}`, "", r.change.trim(), "", `Why: ${r.why.trim()}`);
    out.push("", `To ask for it: \`specwright ${requests[i]!.ask.map(shellQuote).join(" ")}\``);
  });
  out.push("", `Each recommendation is also in ${base}.json as a spec-change request (\`requests\`).`);
  return out.join("\n") + "\n";
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.#:/=-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

async function plannedTasks(root: string): Promise<Map<string, PlannedTaskInfo>> {
  const load = await readPlanFile(root);
  const map = new Map<string, PlannedTaskInfo>();
  if (load.kind === "loaded" && load.plan) for (const t of load.plan.tasks) map.set(t.id, { title: t.title, spec: t.spec, refs: t.refs });
  return map;
}

/** `2026-12-02`, or `2026-12-02-2` when a retro of that day exists. */
async function freeName(dir: string, day: string): Promise<string> {
  for (let n = 1; ; n++) {
    const base = n === 1 ? day : `${day}-${n}`;
    try {
      await writeFile(join(dir, `${base}.md`), "", { flag: "wx" });
      return base;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

export type LatestRetro =
  | { kind: "found"; retro: string; file: string; createdAt: string; model: string; summary: string; requests: SpecChangeRequest[] }
  | { kind: "none" }
  | { kind: "unreadable"; file: string; message: string };

/** The newest retro in .specwright/retros/ (by its createdAt, then its name), with its spec-change requests. */
export async function readLatestRetro(root: string): Promise<LatestRetro> {
  const dir = join(root, RETROS_DIR);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  const found: { name: string; createdAt: string; data: Record<string, unknown> }[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const file = join(RETROS_DIR, name);
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, unknown>;
    } catch (error) {
      return { kind: "unreadable", file, message: (error as Error).message };
    }
    if (!Array.isArray(data.requests) || typeof data.retro !== "string") return { kind: "unreadable", file, message: "it has no `retro` name and `requests` list" };
    found.push({ name: name.slice(0, -".json".length), createdAt: typeof data.createdAt === "string" ? data.createdAt : "", data });
  }
  if (found.length === 0) return { kind: "none" };
  found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name, "en", { numeric: true }));
  const newest = found[found.length - 1]!;
  return {
    kind: "found",
    retro: newest.name,
    file: `${RETROS_DIR}/${newest.name}.md`,
    createdAt: newest.createdAt,
    model: typeof newest.data.model === "string" ? newest.data.model : "",
    summary: typeof newest.data.summary === "string" ? newest.data.summary : "",
    requests: newest.data.requests as SpecChangeRequest[],
  };
}
