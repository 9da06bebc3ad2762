// The build context for build, compare, status, why, prompt and rollback,
// with its problems printed to stderr the way every command reports them.

import { readBuildContext, type BuildContext } from "../build/load-build-context.js";
import type { LoadedConfig } from "../config/types.js";
import { closest } from "../../grammar/did-you-mean.js";
import type { Plan, Task } from "../../plans/plan.js";
import { UsageError } from "./args.js";
import { openProject, type CommandContext } from "./command-context.js";
import { EXIT } from "./exit-codes.js";
import { SourceLines, formatDiagnostics } from "./report-diagnostics.js";

export type { BuildContext } from "../build/load-build-context.js";

/** The plan's task with this id (any letter case), or the usage error naming the closest id. */
export function planTaskOrUsageError(plan: Plan, id: string): Task | UsageError {
  const task = plan.tasks.find((t) => t.id.toLowerCase() === id.toLowerCase());
  if (task) return task;
  const guess = closest(id, plan.tasks.map((t) => t.id));
  return new UsageError(`no task ${id} in the plan`, guess ? `did you mean ${guess}?` : "`specwright status` lists the tasks");
}

/** Loads everything or prints why it cannot (and returns undefined: exit 1). */
export async function loadBuildContext(ctx: CommandContext, loaded: LoadedConfig): Promise<BuildContext | undefined> {
  const load = await readBuildContext(loaded, ctx.env);
  if (load.ok) return load.context;
  if (load.diagnostics.length > 0) {
    process.stderr.write(formatDiagnostics(load.diagnostics, new SourceLines(loaded.root, load.sources), ctx.err) + "\n");
  }
  process.stderr.write(`specwright: ${load.message}\n`);
  return undefined;
}

/** A project ready to build (or to show what a build would do), or the exit code the command ends with. */
export type OpenedBuild = { ok: true; ctx: CommandContext; loaded: LoadedConfig; build: BuildContext } | { ok: false; exitCode: number };

/** openProject, then the build context: a command that needs the plan and the build state stops with exit 1 when they cannot be read. */
export async function openBuild(values: Parameters<typeof openProject>[0]): Promise<OpenedBuild> {
  const project = await openProject(values);
  if (!project.ok) return project;
  const build = await loadBuildContext(project.ctx, project.loaded);
  return build ? { ...project, build } : { ok: false, exitCode: EXIT.failure };
}
