// The git step of a comparison's model run: each finished task is one commit
// in the run's own scratch repository (…/run-<k>/output/.git), exactly as a
// build commits in output/, so the commit's cost is in the run's wall time and
// a person can `git log` what each model wrote. Unlike the project's
// committer it links no intents (the project's intent log is not written)
// and says nothing about the repository: a scratch folder is ours.

import type { OutputCommitter } from "../build/build-input.js";
import { commitTask, prepareOutputRepo, unstagePaths } from "../git/git-output.js";

export async function scratchCommitter(outputDir: string): Promise<{ ok: true; committer: OutputCommitter } | { ok: false; message: string; hint: string }> {
  // The scratch folder is both the output and its "project": it is never the top of the project's repository.
  const prepared = await prepareOutputRepo(outputDir, outputDir);
  if (!prepared.ok) return { ok: false, message: prepared.message, hint: prepared.hint };
  const repo = prepared.repo;
  return {
    ok: true,
    committer: {
      async commit(task, files, trace) {
        const result = await commitTask(repo, { taskId: task.id, title: task.title, files, refs: task.refs, tracePath: trace });
        if (!result.ok) return { ok: false, message: result.message };
        return result.outcome === "committed" ? { ok: true, sha: result.sha } : { ok: true };
      },
      async unstage(files) {
        const result = await unstagePaths(repo, files);
        return result.ok ? { ok: true } : { ok: false, message: result.message };
      },
    },
  };
}
