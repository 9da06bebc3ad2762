// The build context for status, why, rollback and build, with its problems
// printed to stderr the way every command reports them.

import { readBuildContext, type BuildContext } from "../build/load-build-context.js";
import type { LoadedConfig } from "../config/types.js";
import { closest } from "../../grammar/did-you-mean.js";
import type { Plan, Task } from "../../plans/plan.js";
import { UsageError } from "./args.js";
import type { CommandContext } from "./command-context.js";
import { SourceLines, formatDiagnostics } from "./report-diagnostics.js";

export type { BuildContext } from "../build/load-build-context.js";

/** Loads everything or prints why it cannot (and returns undefined: exit 1). */
/** The plan's task with this id (any letter case), or the usage error naming the closest id. */
export function planTaskOrUsageError(plan: Plan, id: string): Task | UsageError {
  const task = plan.tasks.find((t) => t.id.toLowerCase() === id.toLowerCase());
  if (task) return task;
  const guess = closest(id, plan.tasks.map((t) => t.id));
  return new UsageError(`no task ${id} in the plan`, guess ? `did you mean ${guess}?` : "`specwright status` lists the tasks");
}

export async function loadBuildContext(ctx: CommandContext, loaded: LoadedConfig): Promise<BuildContext | undefined> {
  const load = await readBuildContext(loaded, ctx.env);
  if (load.ok) return load.context;
  if (load.diagnostics.length > 0) {
    process.stderr.write(formatDiagnostics(load.diagnostics, new SourceLines(loaded.root, load.sources), ctx.err) + "\n");
  }
  process.stderr.write(`specwright: ${load.message}\n`);
  return undefined;
}
