// The build's git step: one commit per finished task in the output dir's
// repository (prepared once per build), with the task's trailers.

import type { Task } from "../../plans/plan.js";
import type { OutputCommitter } from "../build/build-input.js";
import { commitTask, prepareOutputRepo } from "./git-output.js";

export type CommitterResult = { ok: true; committer: OutputCommitter } | { ok: false; message: string; hint: string };

export async function gitCommitter(outputDir: string, projectRoot: string, notice: (message: string) => void): Promise<CommitterResult> {
  const prepared = await prepareOutputRepo(outputDir, projectRoot);
  if (!prepared.ok) return { ok: false, message: prepared.message, hint: prepared.hint };
  const repo = prepared.repo;
  for (const n of repo.notices) notice(n.hint ? `${n.message} (${n.hint})` : n.message);
  return {
    ok: true,
    committer: {
      async commit(task: Task, files: string[], trace: string) {
        const result = await commitTask(repo, { taskId: task.id, title: task.title, files, refs: task.refs, tracePath: trace });
        if (!result.ok) return { ok: false, message: result.message };
        return result.outcome === "committed" ? { ok: true, sha: result.sha } : { ok: true };
      },
    },
  };
}
