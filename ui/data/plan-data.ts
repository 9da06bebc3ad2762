// The plan screen's data: plan.toml's text and tasks, live validation
// diagnostics, each task's build state and estimated prompt size; and the
// edits the screen makes, written by the core (src/planning/plan-edits.ts)
// under the run lock, so everything else the person wrote stays byte for byte.

import { hasErrors, type Diagnostic } from "../../grammar/diagnostic.js";
import { PLAN_FILE, type Task } from "../../plans/plan.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { dependencyOutputs } from "../../src/build/build-state.js";
import { taskStatuses } from "../../src/build/task-status.js";
import type { LoadedConfig } from "../../src/config/types.js";
import type { TaskState } from "../../src/build/task-state.js";
import { makePathLookup } from "../../src/fs/path-lookup.js";
import { movePlanTask as moveTaskOnDisk } from "../../src/planning/plan-edits.js";
import { checkPlan, readPlanFile } from "../../src/planning/plan-file.js";
import { loadProjectSpecs, specIndexOf } from "../../src/specs/project-specs.js";
import { projectLayout } from "../../src/config/project-layout.js";
import { computeCoverage, type CoverageItem } from "../../src/cases/coverage.js";
import { readCaseRecords } from "../../src/cases/case-record.js";
import { unreferencedItems } from "../../src/cases/unreferenced-items.js";
import { requiredCoverageDiagnostics } from "../../src/cases/required-coverage.js";
import { readFindings } from "../../src/audit/findings-file.js";
import type { Finding } from "../../src/audit/findings.js";
import { PLAN_SCOPE, planFindingTask } from "../../src/planning/plan-review.js";

export interface PlanRow {
  task: Task;
  /** The last build's result for the task (pending, done, failed…), when the plan is valid. */
  state: TaskState | undefined;
  upToDate: boolean | undefined;
  /** Why the task is to build again ("built with A; the config now names B"), as `specwright status` says it. */
  reasons: string[];
  estimatedTokens: number | undefined;
}

export { editPlanTask } from "../../src/planning/plan-edits.js";

export type PlanData =
  | { kind: "missing" }
  | {
      kind: "loaded";
      text: string;
      rows: PlanRow[];
      diagnostics: Diagnostic[];
      sources: [string, string][];
      coverage?: CoverageSummary;
      /** Every spec item with its tasks, checks and last result (status --coverage's rows), when the plan is valid. */
      coverageItems?: CoverageItem[];
      /** The plan judge's findings (PLAN-n) that still matter: open, accepted and dismissed ones, open first. */
      review: PlanReviewFindings;
    };

/** The plan judge's findings as the Plan screen lists them, each with the task it is about. */
export type PlanReviewFindings = { ok: true; findings: PlanFinding[] } | { ok: false; problem: string };

export interface PlanFinding {
  finding: Finding;
  /** The plan task the finding names, if any (a finding about the specs names none). */
  task: string | undefined;
}

const STATUS_ORDER = { open: 0, accepted: 1, dismissed: 2, fixed: 3 } as const;

/** findings.json's PLAN-n findings that are not fixed (no longer reported), open first, then in plan.toml order. */
export async function loadPlanFindings(root: string, taskIds: readonly string[]): Promise<PlanReviewFindings> {
  const read = await readFindings(root);
  if (!read.ok) return { ok: false, problem: read.problem };
  const findings = read.file.findings
    .filter((f) => f.spec === PLAN_SCOPE && f.status !== "fixed")
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.line - b.line || a.id.localeCompare(b.id, "en", { numeric: true }));
  return { ok: true, findings: findings.map((finding) => ({ finding, task: planFindingTask(finding, taskIds) })) };
}

/** The plan screen's coverage line (status --coverage in counts). */
export interface CoverageSummary {
  items: number;
  pass: number;
  fail: number;
  unchecked: number;
  unreferenced: number;
}

export async function loadPlanData(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<PlanData> {
  const planLoad = await readPlanFile(loaded.root);
  if (planLoad.kind === "missing") return { kind: "missing" };
  if (planLoad.kind === "unreadable") return { kind: "loaded", text: "", rows: [], diagnostics: [planLoad.diagnostic], sources: [], review: { ok: true, findings: [] } };
  const specs = await loadProjectSpecs(loaded);
  const diagnostics = hasErrors(specs.diagnostics) ? planLoad.diagnostics : checkPlan(planLoad, specs.groups.map(specIndexOf), makePathLookup(env.PATH), projectLayout(loaded.config));
  const sources: [string, string][] = [[PLAN_FILE, planLoad.text]];
  const tasks = planLoad.plan?.tasks ?? [];
  const rows: PlanRow[] = tasks.map((task) => ({ task, state: undefined, upToDate: undefined, reasons: [], estimatedTokens: undefined }));
  let coverage: CoverageSummary | undefined;
  let coverageItems: CoverageItem[] | undefined;
  const review = await loadPlanFindings(loaded.root, tasks.map((t) => t.id));
  if (planLoad.plan && !hasErrors(diagnostics)) {
    const context = await readBuildContext(loaded, env);
    if (context.ok) {
      const c = context.context;
      const items = computeCoverage({ groups: c.groups, plan: c.plan, state: c.state, units: c.units, owners: c.cases, caseRecords: await readCaseRecords(c.root) });
      const count = (f: (i: CoverageItem) => boolean) => items.filter(f).length;
      coverage = {
        items: items.length,
        pass: count((i) => i.result === "pass"),
        fail: count((i) => i.result === "fail"),
        unchecked: count((i) => i.result === "unchecked" && !i.noVerify),
        unreferenced: count((i) => i.tasks.length === 0 && !i.noVerify),
      };
      coverageItems = items;
      // What `plan --check` reports: items no task references (warnings), requirements no case covers under [test] require_coverage (errors).
      diagnostics.push(...unreferencedItems(c.groups, c.plan), ...requiredCoverageDiagnostics(c.groups, c.plan, loaded.config.test.requireCoverage));
      const statuses = await taskStatuses(context.context);
      for (const row of rows) {
        const status = statuses.find((s) => s.id === row.task.id);
        row.state = status?.state;
        row.upToDate = status?.upToDate;
        row.reasons = status?.reasons ?? [];
        if (row.task.status !== "skip") {
          const prepared = await context.context.prepare(row.task, dependencyOutputs(context.context.state, row.task));
          row.estimatedTokens = prepared.estimatedTokens;
        }
      }
    } else {
      diagnostics.push(...context.diagnostics.filter((d) => !diagnostics.includes(d)));
    }
  }
  return { kind: "loaded", text: planLoad.text, rows, diagnostics, sources, review, ...(coverage ? { coverage } : {}), ...(coverageItems ? { coverageItems } : {}) };
}

/** Verify commands are edited on one line, separated by " ;; " (a plain ";" belongs to the shell). */
export const VERIFY_SEPARATOR = " ;; ";

export function splitVerify(line: string): string[] {
  return line
    .split(/\s;;\s/)
    .map((c) => c.trim())
    .filter((c) => c !== "");
}

export type MoveCheck = { ok: true; toIndex: number } | { ok: false; message: string };

/**
 * Where a one-step move of task `id` puts it, unless it would break the
 * dependency order: a task never goes above a task it depends on, nor below
 * one that depends on it. Swapping neighbours can only break a direct
 * dependency between the two, so that is all there is to check.
 */
export function checkMove(tasks: readonly Task[], id: string, by: -1 | 1): MoveCheck {
  const from = tasks.findIndex((t) => t.id === id);
  if (from === -1) return { ok: false, message: `${id} is not in the plan` };
  const to = from + by;
  const neighbour = tasks[to];
  if (!neighbour) return { ok: false, message: `${id} is already the ${by < 0 ? "first" : "last"} task` };
  const moved = tasks[from]!;
  const [earlier, later] = by < 0 ? [neighbour, moved] : [moved, neighbour];
  if (later.dependsOn.includes(earlier.id)) {
    return { ok: false, message: `${later.id} depends on ${earlier.id}, so ${earlier.id} stays above it` };
  }
  return { ok: true, toIndex: to };
}

/**
 * Moves a task one step in plan.toml (with its comments), if the dependency
 * order allows; the write is the core's (under the run lock, only if the file
 * did not change meanwhile).
 */
export async function movePlanTask(root: string, expectedText: string, tasks: readonly Task[], id: string, by: -1 | 1): Promise<{ ok: true } | { ok: false; message: string }> {
  const check = checkMove(tasks, id, by);
  if (!check.ok) return check;
  return moveTaskOnDisk(root, expectedText, id, check.toIndex);
}

/** A token count as the table shows it: 850, 1.2k, 32k. */
export function shortTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  return `${Math.floor(n / 1000)}k`;
}
