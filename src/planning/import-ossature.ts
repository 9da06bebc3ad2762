// `specwright plan --import-ossature`: reads an Ossature project's
// .ossature/plan.toml, converts it (plans/ossature-plan.ts) against the
// project's specs, context dir and output dir, and writes .specwright/plan.toml
// under the run lock. The converted specs count as planned, so a later
// `specwright plan` re-plans only specs that change after the import.

import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../../grammar/diagnostic.js";
import { dataModelsOf, examplesOf } from "../../grammar/ast.js";
import { OSSATURE_PLAN_FILE, importOssaturePlan, ossaturePlanOutputs, type ImportSpec, type ImportSummary } from "../../plans/ossature-plan.js";
import { PLAN_FILE, type Plan } from "../../plans/plan.js";
import { serializePlan } from "../../plans/serialize-plan.js";
import type { LoadedConfig } from "../config/types.js";
import { withRunLock } from "../lock.js";
import { specIndexOf, type ProjectSpecs, type SpecGroup } from "../specs/project-specs.js";
import { readState, writeState } from "../state/state-file.js";
import { contextInventory } from "./context-inventory.js";
import { readPlanFile, writePlanFile } from "./plan-file.js";
import { specPlanHash } from "./run-planner.js";

export type OssatureImportResult =
  /** The project has no .ossature/plan.toml. */
  | { kind: "missing" }
  /** .specwright/plan.toml exists and the caller did not allow replacing it. */
  | { kind: "plan-exists" }
  /** The Ossature plan could not be converted (it does not parse); nothing was written. */
  | { kind: "unconverted"; source: string; diagnostics: Diagnostic[] }
  /** The lock is held, or state.json cannot be read; nothing was written. */
  | { kind: "not-started"; message: string; hint?: string }
  | { kind: "imported"; plan: Plan; text: string; source: string; diagnostics: Diagnostic[]; summary: ImportSummary };

export interface OssatureImportInput {
  loaded: LoadedConfig;
  /** The project's validated specs (refs are translated against them). */
  specs: ProjectSpecs;
  /** Replace an existing .specwright/plan.toml (the caller has asked). */
  replace: boolean;
}

export async function importOssatureProjectPlan(input: OssatureImportInput): Promise<OssatureImportResult> {
  const { loaded, specs } = input;
  const root = loaded.root;
  let source: string;
  try {
    source = await readFile(join(root, OSSATURE_PLAN_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    throw error;
  }
  if (!input.replace && (await readPlanFile(root)).kind === "loaded") return { kind: "plan-exists" };

  const contextDir = loaded.config.project.contextDir;
  const prefix = contextDir === "." ? "" : `${contextDir.replace(/\/+$/, "")}/`;
  const contextFiles = (await contextInventory(root, contextDir)).map((f) => f.path.slice(prefix.length));
  const outputDir = join(root, loaded.config.output.dir);
  const existingOutputs = new Set<string>();
  for (const path of ossaturePlanOutputs(source)) {
    if (await isFile(join(outputDir, path))) existingOutputs.add(path);
  }
  const converted = importOssaturePlan(source, { specs: specs.groups.map(importSpecOf), contextDir, contextFiles, existingOutputs });
  if (!converted.plan) return { kind: "unconverted", source, diagnostics: converted.diagnostics };

  const plan = converted.plan;
  const text = serializePlan(plan);
  // State is read under the lock: another run may be saving it.
  const written = await withRunLock(root, "specwright plan --import-ossature", async () => {
    const stateLoad = await readState(root);
    if (!stateLoad.ok) return stateLoad.problem;
    const state = stateLoad.state;
    await writePlanFile(root, text);
    const now = new Date().toISOString();
    const planned = new Set(plan.tasks.map((t) => t.spec));
    for (const g of specs.groups) if (planned.has(g.id)) state.planned[g.id] = { hash: specPlanHash(g), plannedAt: now, by: "ossature-import" };
    await writeState(root, state);
    return undefined;
  });
  if (written.ok && written.value !== undefined) return { kind: "not-started", message: written.value };
  if (!written.ok) return { kind: "not-started", message: written.message, hint: written.hint };
  return { kind: "imported", plan, text, source, diagnostics: converted.diagnostics, summary: converted.summary };
}

/**
 * What to tell a person whose project has an Ossature plan but no specwright
 * plan yet, or undefined when that is not the case.
 */
export async function ossaturePlanHint(root: string): Promise<string | undefined> {
  if (!(await isFile(join(root, OSSATURE_PLAN_FILE))) || (await isFile(join(root, PLAN_FILE)))) return undefined;
  return `this project has an Ossature plan (${OSSATURE_PLAN_FILE}): \`specwright plan --import-ossature\` turns it into ${PLAN_FILE}, keeping its tasks`;
}

/** What the import needs to know of a spec: its index, and the names Ossature refers to that specwright refs do not. */
export function importSpecOf(group: SpecGroup): ImportSpec {
  return {
    ...specIndexOf(group),
    examples: examplesOf(group.smd.ast).map((e) => e.name),
    dataModels: group.amds.flatMap((a) => dataModelsOf(a.ast).map((m) => m.name)),
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
