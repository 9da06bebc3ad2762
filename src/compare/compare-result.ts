// What `specwright compare` records and shows: one result document per
// comparison (.specwright/compare/<id>/result.json, schema in docs/compare.md),
// each model's runs with every settled task, and the per-model figures the
// table prints (with --runs K, their spread). Pure: the runner fills the
// document in as tasks settle; this file only types it and sums it up.

import { sortedSummary, type Spread } from "./spread.js";

export const COMPARE_SCHEMA = 1;

/** How one task ended in one model run. Interrupted tasks are not recorded: they are built again on resume. */
export interface CompareTaskRecord {
  outcome: "done" | "failed" | "blocked";
  /** Model attempts (implement, fixes, re-asks); 0 for a blocked task. */
  attempts: number;
  promptTokens: number;
  cachedPromptTokens: number;
  evalTokens: number;
  evalMs: number;
  /** Client-side time of the task's model calls. */
  modelMs: number;
  /** From the task's start to its end, verify and cases included. */
  durationMs: number;
  /** The engine's one-line reason for a failure or a block. */
  message?: string;
}

export type CompareRunStatus = "pending" | "partial" | "done" | "could-not-start";

export interface CompareRun {
  /** 1-based. */
  run: number;
  seed: number;
  status: CompareRunStatus;
  /** Scratch folder of this run, relative to the project: output/, .specwright/state.json and its traces. */
  dir: string;
  /** Wall time of the run's build segments, up to the last task each settled (an interrupted task's time is not counted). */
  wallMs: number;
  /** Client-side time in model calls and model loads: the part of wallMs the model took. */
  modelMs: number;
  /** Time the verify commands (and build.setup) ran: the project's own part of wallMs. */
  verifyMs: number;
  /** Model loads (a reload per segment: one model after another on one endpoint). */
  loads: number;
  /** Trace run ids of the build segments (in the run's .specwright/runs/). */
  traceRuns: string[];
  tasks: Record<string, CompareTaskRecord>;
  /** Why the run could not start, or why it stopped (the model went away). */
  message?: string;
}

export interface CompareModel {
  model: string;
  /** Folder under the comparison's folder. */
  folder: string;
  digest?: string;
  quantization?: string;
  parameterSize?: string;
  sizeBytes?: number;
  runs: CompareRun[];
}

export interface CompareDocument {
  schema: typeof COMPARE_SCHEMA;
  id: string;
  createdAt: string;
  updatedAt: string;
  /** The endpoint every model ran on, one after another (with [[model.endpoints]], their URLs). */
  host: string;
  /** Set when the models ran side by side, each only on its own endpoints (the last start's placement). */
  sideBySide?: { model: string; endpoints: string[] }[];
  /** What every model was given: the same tasks, prompts' inputs, verify commands, cases and fix budget. */
  inputs: {
    /** sha256 over plan.toml, the specs, the context files and the build settings below. */
    hash: string;
    tasks: string[];
    only: string[];
    maxFixAttempts: number;
    review: boolean;
    temperature: number;
    runs: number;
  };
  models: CompareModel[];
}

/** One model's figures over its finished runs: the table's row. */
export interface CompareRow {
  model: string;
  runs: number;
  /** Runs not finished yet (interrupted or pending). */
  unfinished: number;
  firstTry: Spread;
  afterFixes: Spread;
  failed: Spread;
  attempts: Spread;
  tokens: Spread;
  wallMs: Spread;
  /** Generated tokens per second of generation, per run. */
  tokensPerSecond: Spread;
}

/** One run's counts: tasks passed first try, after fixes, failed (a blocked task counts as failed). */
export function runFigures(run: CompareRun): { firstTry: number; afterFixes: number; failed: number; attempts: number; tokens: number; evalTokens: number; evalMs: number } {
  const tasks = Object.values(run.tasks);
  return {
    firstTry: tasks.filter((t) => t.outcome === "done" && t.attempts === 1).length,
    afterFixes: tasks.filter((t) => t.outcome === "done" && t.attempts > 1).length,
    failed: tasks.filter((t) => t.outcome !== "done").length,
    attempts: tasks.reduce((s, t) => s + t.attempts, 0),
    tokens: tasks.reduce((s, t) => s + t.promptTokens + t.evalTokens, 0),
    evalTokens: tasks.reduce((s, t) => s + t.evalTokens, 0),
    evalMs: tasks.reduce((s, t) => s + t.evalMs, 0),
  };
}

/** The table's rows: each model over its finished runs. */
export function compareRows(doc: CompareDocument): CompareRow[] {
  return doc.models.map((m) => {
    const finished = m.runs.filter((r) => r.status === "done");
    const figures = finished.map((r) => ({ run: r, f: runFigures(r) }));
    const of = (pick: (x: { run: CompareRun; f: ReturnType<typeof runFigures> }) => number | undefined) =>
      sortedSummary(figures.map(pick).filter((v): v is number => v !== undefined));
    return {
      model: m.model,
      runs: finished.length,
      unfinished: m.runs.length - finished.length,
      firstTry: of((x) => x.f.firstTry),
      afterFixes: of((x) => x.f.afterFixes),
      failed: of((x) => x.f.failed),
      attempts: of((x) => x.f.attempts),
      tokens: of((x) => x.f.tokens),
      wallMs: of((x) => x.run.wallMs),
      tokensPerSecond: of((x) => (x.f.evalMs > 0 ? x.f.evalTokens / (x.f.evalMs / 1000) : undefined)),
    };
  });
}

/** True when every run of every model is done: nothing left to resume. */
export function compareFinished(doc: CompareDocument): boolean {
  return doc.models.every((m) => m.runs.every((r) => r.status === "done"));
}
