// `specwright rollback <task>`: revert the task's latest commit in the output
// repository and mark the task for rebuilding.

import { join } from "node:path";
import { setTaskRecord, taskRecord } from "../../build/build-state.js";
import { hashFile } from "../../build/freshness.js";
import { prepareOutputRepo } from "../../git/git-output.js";
import { rollbackTask } from "../../git/git-rollback.js";
import { acquireRunLock } from "../../lock.js";
import { writeState } from "../../state/state-file.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { loadBuildContext } from "../build-context.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("rollback", args, {}, 1, (p) => {
      if (p.positionals.length === 0) throw new UsageError("`specwright rollback` needs a task id", "e.g. `specwright rollback T003`");
  });
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  if (!loaded.config.build.git) {
    process.stderr.write("specwright: rollback reverts a task's git commit, and build.git is off in this project\n");
    return EXIT.failure;
  }
  const b = await loadBuildContext(ctx, loaded);
  if (!b) return EXIT.failure;
  const task = b.plan.tasks.find((t) => t.id.toLowerCase() === parsed.positionals[0]!.toLowerCase());
  if (!task) return reportUsageError(new UsageError(`no task ${parsed.positionals[0]} in the plan`, "`specwright status` lists the tasks"));

  const lock = await acquireRunLock(b.root, { command: `specwright rollback ${task.id}` });
  if (!lock.ok) {
    process.stderr.write(`specwright: ${lock.message}\n  hint: ${lock.hint}\n`);
    return EXIT.failure;
  }
  try {
    const repo = await prepareOutputRepo(b.outputDir, b.root);
    if (!repo.ok) {
      process.stderr.write(`specwright: ${repo.message}\n  hint: ${repo.hint}\n`);
      return EXIT.failure;
    }
    const result = await rollbackTask(repo.repo, task.id);
    if (!result.ok) {
      process.stderr.write(`specwright: ${result.message}\n  hint: ${result.hint}\n`);
      return EXIT.failure;
    }
    // What is on disk now is what specwright's history holds: record it, so it is not taken for a hand edit.
    const outputs: Record<string, string> = {};
    for (const path of [...task.outputs, ...task.edits]) {
      const h = await hashFile(join(b.outputDir, path));
      if (h !== undefined) outputs[path] = h;
    }
    const previous = taskRecord(b.state, task.id);
    setTaskRecord(b.state, task.id, { status: "rolled-back", outputs, ...(previous?.trace ? { trace: previous.trace } : {}) });
    await writeState(b.root, b.state);
    const files = result.files.map((f) => `${f.path} (${f.change})`).join(", ");
    process.stdout.write(ctx.json ? JSON.stringify({ task: task.id, revertSha: result.revertSha, files: result.files }) + "\n" : `${task.id}: reverted ${result.revertedSha.slice(0, 8)} with ${result.revertSha.slice(0, 8)}; ${files}\nthe next build rebuilds ${task.id}\n`);
    return EXIT.ok;
  } finally {
    await lock.lock.release();
  }
}
