// The plan screen's work that needs the engine: planning the specs (the same
// wiring as `specwright plan`, `--from-architecture` and `--replan`), and the
// build model's context window to compare each task's prompt against.

import { hasErrors } from "../../grammar/diagnostic.js";
import { modelFacts } from "../../models/model-facts.js";
import type { ModelEvent } from "../../models/events.js";
import { PLAN_FILE } from "../../plans/plan.js";
import { roleModel, type LoadedConfig } from "../../src/config/types.js";
import { makePathLookup } from "../../src/fs/path-lookup.js";
import { readPlanFile } from "../../src/planning/plan-file.js";
import { runProjectPlan, type ProjectPlanEvent } from "../../src/planning/run-project-plan.js";
import { runProjectPlanReview } from "../../src/planning/plan-review.js";
import { loadProjectSpecs } from "../../src/specs/project-specs.js";
import { diagnosticLines } from "../format.js";
import type { OllamaStatus } from "./ollama-status.js";

export type PlanHow = "planner" | "architecture" | "replan";

/** Plans the project; returns whether it worked and the lines that say what happened. */
export async function planProject(options: {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  how: PlanHow;
  signal: AbortSignal;
  onEvent(event: ProjectPlanEvent): void;
  onModelEvent(event: ModelEvent): void;
}): Promise<{ ok: boolean; lines: string[] }> {
  const { loaded, how } = options;
  const specs = await loadProjectSpecs(loaded);
  if (hasErrors(specs.diagnostics)) return { ok: false, lines: ["the specs have errors; fix them before planning", ...diagnosticLines(specs.diagnostics, specs.sources.map((s) => [s.file, s.text]))] };
  if (specs.groups.length === 0) return { ok: false, lines: ["no behaviour specs (*.smd) to plan"] };
  const existing = await readPlanFile(loaded.root);
  if (existing.kind === "loaded" && !existing.plan && how !== "replan") return { ok: false, lines: [`${PLAN_FILE} does not parse; fix it, or X re-plans from scratch`] };
  const result = await runProjectPlan({
    loaded,
    env: options.env,
    specs,
    existing,
    replan: how === "replan",
    fromArchitecture: how === "architecture",
    isOnPath: makePathLookup(options.env.PATH),
    onEvent: options.onEvent,
    onModelEvent: options.onModelEvent,
    signal: options.signal,
  });
  switch (result.kind) {
    case "not-started":
      return { ok: false, lines: [result.message, ...(result.hint ? [`hint: ${result.hint}`] : [])] };
    case "up-to-date":
      return { ok: true, lines: ["the plan is up to date: no spec changed since it was planned"] };
    case "planned":
      return { ok: true, lines: [`wrote ${PLAN_FILE}: ${result.plan.tasks.length} task${result.plan.tasks.length === 1 ? "" : "s"}, ${result.calls} model call${result.calls === 1 ? "" : "s"}`] };
    case "invalid":
      return { ok: false, lines: [`the new plan has problems; ${PLAN_FILE} is unchanged`, ...diagnosticLines(result.diagnostics, specs.sources.map((s) => [s.file, s.text]))] };
    case "failed":
      if (result.interrupted) return { ok: false, lines: [`planning cancelled; ${PLAN_FILE} is unchanged`] };
      return { ok: false, lines: [result.error.message, `hint: ${result.error.hint}`, ...diagnosticLines(result.diagnostics, specs.sources.map((s) => [s.file, s.text])), `trace: ${result.traceDir}`, `${PLAN_FILE} is unchanged`] };
  }
}

/**
 * Asks the plan judge (the reviewer role, as `specwright plan --review`) about
 * the plan on disk; its findings are merged into findings.json by the core.
 */
export async function reviewProjectPlan(options: { loaded: LoadedConfig; env: NodeJS.ProcessEnv; signal: AbortSignal; onModelEvent(event: ModelEvent): void }): Promise<{ ok: boolean; lines: string[] }> {
  const existing = await readPlanFile(options.loaded.root);
  if (existing.kind !== "loaded" || !existing.plan) return { ok: false, lines: [`no valid ${PLAN_FILE} to review; P plans the specs first`] };
  const result = await runProjectPlanReview({ loaded: options.loaded, env: options.env, onModelEvent: options.onModelEvent, signal: options.signal });
  if (!result.ok) {
    if (result.interrupted) return { ok: false, lines: ["plan review cancelled; the findings are unchanged"] };
    return { ok: false, lines: [result.message, ...(result.hint ? [`hint: ${result.hint}`] : [])] };
  }
  const open = result.added.length + result.kept.filter((f) => f.status === "open").length;
  return {
    ok: true,
    lines: [`plan review: ${result.added.length} new, ${result.kept.length} seen before, ${result.resolved.length} no longer reported · ${open} open (f lists them)`, `trace: ${result.traceDir}`],
  };
}

/** The build model's context window and where the figure comes from. */
export type ModelContextSize = { tokens: number; from: "model" | "config" } | { tokens: undefined; from: "unknown" };

/**
 * The most tokens a task's prompt and reply can take: the build model's
 * maximum context when Ollama answers, else the configured num_ctx, else unknown.
 */
export async function buildContextSize(loaded: LoadedConfig, ollama: OllamaStatus | undefined): Promise<ModelContextSize> {
  if (ollama?.state === "up") {
    const facts = await modelFacts(ollama.host, roleModel(loaded.config, "build").model);
    if (facts.ok && facts.value.maxContext !== undefined) return { tokens: facts.value.maxContext, from: "model" };
  }
  const numCtx = loaded.config.model.numCtx;
  return typeof numCtx === "number" ? { tokens: numCtx, from: "config" } : { tokens: undefined, from: "unknown" };
}
