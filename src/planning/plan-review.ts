// The plan judge: the reviewer role, without the planner's conversation, asked
// whether a plan covers its specs — behaviours no task builds, tasks whose
// prompt is too large for the build model's context, verify commands that do
// not exercise what the acceptance criteria ask. Its findings live in
// .specwright/findings.json beside the audit's, under the scope "plan" with
// ids PLAN-1, PLAN-2…: matched across reviews like audit findings (so an id and
// its triage survive a re-review), dismissed or accepted the same way
// (`specwright audit --dismiss PLAN-2 --reason …`), and listed by
// `plan --check --review` and the Plan screen. Never errors: the judge advises.

import type { ChatMessage } from "../../models/call-record.js";
import type { JsonSchema } from "../../models/json-schema.js";
import { PLAN_FILE, type Plan } from "../../plans/plan.js";
import { requirementsOf } from "../../grammar/ast.js";
import { mergeAudit, type Finding, type FindingReport, type FindingsFile } from "../audit/findings.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { ModelError } from "../../models/errors.js";
import type { ModelEventListener } from "../../models/events.js";
import { readFindings, writeFindings } from "../audit/findings-file.js";
import { dependencyOutputs } from "../build/build-state.js";
import { readBuildContext } from "../build/load-build-context.js";
import type { LoadedConfig } from "../config/types.js";
import { ModelSession } from "../model-session.js";
import { openRunScope } from "../run-scope.js";
import { loadProjectSpecs } from "../specs/project-specs.js";
import { readPlanFile } from "./plan-file.js";

/** The findings.json scope of the plan judge's findings (ids PLAN-n). */
export const PLAN_SCOPE = "plan";

export const PLAN_REVIEW_KINDS = ["uncovered", "too-large", "weak-verify", "other"] as const;

export const PLAN_REVIEW_SYSTEM = [
  "You review the build plan of a software project against its specifications. You did not write the plan.",
  "",
  "Report only real gaps, each once:",
  "- uncovered: a requirement, error case or acceptance criterion that no task's refs include, so nothing builds it.",
  "- too-large: a task whose prompt (its estimated tokens are given) leaves too little of the build model's context for the files it must write.",
  "- weak-verify: a task whose verify commands cannot show that what its refs ask works (e.g. only compiling code whose acceptance criteria name outputs).",
  "- other: anything else that makes the plan unable to build the specs.",
  "An empty list is the right answer for a plan without gaps.",
].join("\n");

export interface PlanReviewInput {
  groups: readonly SpecGroup[];
  plan: Plan;
  /** Estimated tokens of each task's first build prompt. */
  taskTokens: ReadonlyMap<string, number>;
  /** The build model's context, or undefined when it is chosen per run ("auto" without a model to ask). */
  buildContext: number | undefined;
}

export function planReviewMessages(input: PlanReviewInput): ChatMessage[] {
  const specs = input.groups.map((g) => {
    const lines = [`## Spec ${g.id}: ${g.title}`];
    for (const r of requirementsOf(g.smd.ast)) {
      lines.push(`- requirements/${r.anchor}: ${r.title}`);
      r.errors.forEach((e, i) => lines.push(`  - requirements/${r.anchor}/errors/${i + 1}: ${e.condition} -> ${e.response}`));
    }
    for (const s of g.smd.ast.sections) {
      if (s.kind === "bullets" && s.name.toLowerCase() === "acceptance criteria") s.bullets.forEach((b, i) => lines.push(`- acceptance-criteria/${i + 1}: ${b.text}`));
    }
    return lines.join("\n");
  });
  const tasks = input.plan.tasks.map((t) =>
    [
      `## ${t.id} (spec ${t.spec}): ${t.title}`,
      `refs: ${t.refs.join(", ") || "(none)"}`,
      `outputs: ${[...t.outputs, ...t.edits].join(", ") || "(none)"}`,
      `verify: ${t.verify.map((c) => `\`${c}\``).join(", ") || "(none)"}`,
      `estimated prompt tokens: ${input.taskTokens.get(t.id) ?? "?"}`,
    ].join("\n"),
  );
  const context = input.buildContext === undefined ? "chosen per build from the largest prompt" : `${input.buildContext} tokens`;
  return [
    { role: "system", content: PLAN_REVIEW_SYSTEM },
    {
      role: "user",
      content: [
        "# Specifications: what must be built",
        ...specs,
        `# The plan (${PLAN_FILE})`,
        `The build model's context: ${context}.`,
        ...tasks,
        `Answer with a JSON object {"findings": [...]}, each {"kind": ${PLAN_REVIEW_KINDS.map((k) => `"${k}"`).join(" | ")}, "task": a task id or "", "item": the spec item's id or "", "issue": one sentence, "suggestion": one sentence}.`,
      ].join("\n\n"),
    },
  ];
}

export interface PlanReviewFinding {
  kind: (typeof PLAN_REVIEW_KINDS)[number];
  task: string;
  item: string;
  issue: string;
  suggestion: string;
}

export function planReviewSchema(plan: Plan): JsonSchema {
  return {
    type: "object",
    properties: {
      findings: {
        type: "array",
        items: {
          type: "object",
          properties: {
            kind: { type: "string", enum: [...PLAN_REVIEW_KINDS] },
            task: { type: "string", enum: [...plan.tasks.map((t) => t.id), ""] },
            item: { type: "string" },
            issue: { type: "string", minLength: 1 },
            suggestion: { type: "string" },
          },
          required: ["kind", "task", "item", "issue", "suggestion"],
        },
      },
    },
    required: ["findings"],
  };
}

/**
 * The judge's findings as audit-style reports: a task's finding points at
 * its `[[task]]` line of plan.toml, one about the specs at the plan's first line.
 */
export function planReports(findings: readonly PlanReviewFinding[], planText: string): FindingReport[] {
  const lines = planText.split(/\r\n|\r|\n/);
  const taskLine = (id: string) => {
    const at = lines.findIndex((l) => new RegExp(`^\\s*id\\s*=\\s*"${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`).test(l));
    return at < 0 ? 1 : at + 1;
  };
  return findings.map((f) => ({
    severity: f.kind === "other" ? "info" : "warning",
    file: PLAN_FILE,
    line: f.task === "" ? 1 : taskLine(f.task),
    section: [f.kind, f.task, f.item].filter((x) => x !== "").join(" "),
    issue: f.issue,
    suggestion: f.suggestion,
  }));
}

/** Merges a review into findings.json: the same finding keeps its id and triage; gaps no longer reported are marked fixed. */
export function mergePlanReview(file: FindingsFile, reports: FindingReport[], at: string): { added: Finding[]; kept: Finding[]; resolved: Finding[] } {
  return mergeAudit(file, PLAN_SCOPE, reports, at);
}

/** The plan judge's findings a person still has to see: open and accepted ones. */
export function planFindings(file: FindingsFile): Finding[] {
  return file.findings.filter((f) => f.spec === PLAN_SCOPE && (f.status === "open" || f.status === "accepted"));
}

// ---------------------------------------------------------------------------
// Running it on a project: the plan on disk, the reviewer role, findings.json.


/** The judge's answer budget: a list of short findings. */
const PLAN_REVIEW_OUTPUT_BUDGET = 4096;

export type PlanReviewResult =
  | { ok: true; added: Finding[]; kept: Finding[]; resolved: Finding[]; traceDir: string }
  | { ok: false; message: string; hint?: string; error?: ModelError; interrupted?: boolean };

/** Asks the reviewer about the plan on disk and merges its findings into findings.json (under the run lock). */
export async function runProjectPlanReview(input: { loaded: LoadedConfig; env: NodeJS.ProcessEnv; onModelEvent: ModelEventListener; signal?: AbortSignal; now?: string }): Promise<PlanReviewResult> {
  const { loaded } = input;
  const context = await readBuildContext(loaded, input.env);
  if (!context.ok) return { ok: false, message: context.message };
  const { plan, state, prepare } = context.context;
  const specs = await loadProjectSpecs(loaded);
  const taskTokens = new Map<string, number>();
  for (const task of plan.tasks) taskTokens.set(task.id, (await prepare(task, dependencyOutputs(state, task))).estimatedTokens);
  const numCtx = loaded.config.model.numCtx;
  const messages = planReviewMessages({ groups: specs.groups, plan, taskTokens, buildContext: numCtx === "auto" ? undefined : numCtx });

  const opened = await openRunScope({ root: loaded.root, command: "plan --review", config: loaded.config, env: input.env, ...(input.signal ? { signal: input.signal } : {}) });
  if (!opened.ok) return { ok: false, message: opened.message, hint: opened.hint };
  const scope = opened.scope;
  const session = new ModelSession(loaded.config, input.onModelEvent, scope.signal);
  session.plan([{ role: "reviewer", largestPromptTokens: Math.round(estimateMessagesTokens(messages) * 1.2), outputBudget: PLAN_REVIEW_OUTPUT_BUDGET }]);
  const run = await session.run("reviewer");
  if (!run.ok) {
    await scope.close({ ok: false, calls: 0 });
    return { ok: false, message: `the reviewer: ${run.error.message}`, hint: run.error.hint, error: run.error };
  }
  const answer = await run.value.callStructured<{ findings: PlanReviewFinding[] }>({
    caller: "plan-review",
    messages,
    schema: planReviewSchema(plan),
    outputBudget: PLAN_REVIEW_OUTPUT_BUDGET,
    signal: scope.signal,
    recorder: () => scope.trace.nextCallRecorder("plan-review"),
  });
  if (!answer.ok) {
    await scope.close({ ok: false, calls: 1, models: await session.describe() });
    return { ok: false, message: `the plan review failed: ${answer.error.message}`, hint: answer.error.hint, error: answer.error, interrupted: scope.interrupted() };
  }
  const planText = await readPlanFile(loaded.root);
  const reports = planReports(answer.value.value.findings, planText.kind === "loaded" ? planText.text : "");
  const findings = await readFindings(loaded.root);
  if (!findings.ok) {
    await scope.close({ ok: false, calls: answer.value.asks, models: await session.describe() });
    return { ok: false, message: findings.problem };
  }
  // Written while the run holds the lock: an audit or a triage cannot interleave.
  const merged = mergePlanReview(findings.file, reports, input.now ?? new Date().toISOString());
  await writeFindings(loaded.root, findings.file);
  await scope.close({ ok: true, calls: answer.value.asks, findings: reports.length, models: await session.describe() });
  return { ok: true, ...merged, traceDir: scope.trace.dir };
}

/** The plan task a finding is about: its section is `kind [task] [item]`, so the first word after the kind that is a task id. */
export function planFindingTask(f: Finding, taskIds: readonly string[]): string | undefined {
  return f.section.split(" ").slice(1).find((word) => taskIds.includes(word));
}

/** One finding as `plan --check --review` and `plan --review` print it. */
export function planFindingLine(f: Finding): string {
  const status = f.status === "open" ? "" : ` (${f.status}${f.reason ? `: ${f.reason}` : ""})`;
  return `${f.id} ${f.severity} ${f.file}:${f.line} [${f.section}] ${f.issue}${f.suggestion ? ` — ${f.suggestion}` : ""}${status}`;
}
