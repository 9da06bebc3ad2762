// The project at a glance, read from disk: each spec file with its validation
// state, open findings by severity, plan progress from the task statuses, the
// last build's summary from its run.json, and the model per role. The TUI's
// Overview shows it, and `specwright` prints it when there is no terminal.
// Needs no model; a part that cannot be read says why instead of failing the rest.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { readFindings } from "../audit/findings-file.js";
import type { FindingSeverity } from "../audit/findings.js";
import type { BuildSummary } from "../build/build-events.js";
import { readBuildContext } from "../build/load-build-context.js";
import type { TaskState } from "../build/task-state.js";
import { staleSummary, taskStatuses, type StaleSummary, type TaskStatusRow } from "../build/task-status.js";
import { ROLES, roleModel, type LoadedConfig, type Role } from "../config/types.js";
import { ossaturePlanHint } from "../planning/import-ossature.js";
import { readPlanFile } from "../planning/plan-file.js";
import { loadProjectSpecs } from "../specs/project-specs.js";
import { RUN_FILE } from "../traces/trace-run.js";
import { listRunIds, runsDir } from "../traces/run-folder.js";

export interface SpecFileState {
  file: string;
  errors: number;
  warnings: number;
}

export type PlanProgress =
  /** No .specwright/plan.toml; `ossature` when the project has an Ossature plan to import. */
  | { kind: "missing"; ossature: boolean }
  | { kind: "blocked"; message: string; diagnostics: Diagnostic[]; sources: [string, string][]; tasks: number }
  | { kind: "ok"; tasks: number; counts: Partial<Record<TaskState, number>>; stale: number; rows: TaskStatusRow[]; staleReason?: StaleSummary };

export interface LastBuild {
  runId: string;
  finished: boolean;
  interrupted: boolean;
  summary: BuildSummary | undefined;
}

export interface OverviewData {
  projectName: string;
  specs: SpecFileState[];
  specDiagnostics: Diagnostic[];
  specSources: [string, string][];
  findings: { ok: true; open: Record<FindingSeverity, number>; settled: number } | { ok: false; problem: string };
  plan: PlanProgress;
  lastBuild: LastBuild | undefined;
  roles: { role: Role; model: string }[];
}

/** Reads everything the overview needs; never throws for a project's own problems (they become values). */
export async function loadOverview(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<OverviewData> {
  const root = loaded.root;
  const specs = await loadProjectSpecs(loaded);
  const specFiles = specs.sources.map((s) => ({
    file: s.file,
    errors: specs.diagnostics.filter((d) => d.file === s.file && d.severity === "error").length,
    warnings: specs.diagnostics.filter((d) => d.file === s.file && d.severity === "warning").length,
  }));

  const findingsLoad = await readFindings(root);
  const findings: OverviewData["findings"] = findingsLoad.ok
    ? {
        ok: true,
        open: {
          error: findingsLoad.file.findings.filter((f) => f.status === "open" && f.severity === "error").length,
          warning: findingsLoad.file.findings.filter((f) => f.status === "open" && f.severity === "warning").length,
          info: findingsLoad.file.findings.filter((f) => f.status === "open" && f.severity === "info").length,
        },
        settled: findingsLoad.file.findings.filter((f) => f.status !== "open").length,
      }
    : { ok: false, problem: findingsLoad.problem };

  return {
    projectName: loaded.config.project.name,
    specs: specFiles,
    specDiagnostics: specs.diagnostics,
    specSources: specs.sources.map((s) => [s.file, s.text]),
    findings,
    plan: await planProgress(loaded, env),
    lastBuild: await lastBuild(root),
    roles: ROLES.map((role) => ({ role, model: roleModel(loaded.config, role).model })),
  };
}

async function planProgress(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<PlanProgress> {
  const planLoad = await readPlanFile(loaded.root);
  if (planLoad.kind === "missing") return { kind: "missing", ossature: (await ossaturePlanHint(loaded.root)) !== undefined };
  const context = await readBuildContext(loaded, env);
  if (!context.ok) return { kind: "blocked", message: context.message, diagnostics: context.diagnostics, sources: context.sources, tasks: planLoad.kind === "loaded" ? (planLoad.plan?.tasks.length ?? 0) : 0 };
  const rows = await taskStatuses(context.context);
  const counts: Partial<Record<TaskState, number>> = {};
  for (const row of rows) counts[row.state] = (counts[row.state] ?? 0) + 1;
  const staleReason = staleSummary(rows);
  return { kind: "ok", tasks: rows.length, counts, stale: rows.filter((r) => !r.upToDate).length, rows, ...(staleReason ? { staleReason } : {}) };
}

/** The newest build run, finished or not. */
export async function lastBuild(root: string): Promise<LastBuild | undefined> {
  const ids = (await listRunIds(root)).filter((id) => /Z-build(-\d+)?$/.test(id));
  const runId = ids.at(-1);
  if (!runId) return undefined;
  let info: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(await readFile(join(runsDir(root), runId, RUN_FILE), "utf8"));
    if (typeof value === "object" && value !== null) info = value as Record<string, unknown>;
  } catch {
    // A torn run.json (a crash while writing it) reads as an unfinished run.
  }
  const summary = info["summary"];
  return {
    runId,
    finished: typeof info["finishedAt"] === "string",
    interrupted: info["interrupted"] === true,
    summary: isSummary(summary) ? summary : undefined,
  };
}

function isSummary(value: unknown): value is BuildSummary {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v["done"]) && Array.isArray(v["failed"]) && Array.isArray(v["upToDate"]) && typeof v["durationMs"] === "number";
}
