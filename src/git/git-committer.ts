// The build's git step: one commit per finished task in the output dir's
// repository (prepared once per build), with the task's trailers; and taking
// an interrupted commit's files out of the index when it will not be finished.

import type { Task } from "../../plans/plan.js";
import type { OutputCommitter } from "../build/build-input.js";
import { commitTask, prepareOutputRepo, unstagePaths } from "./git-output.js";
import { listSpecCommits, openOutputGit } from "./output-repo.js";
import { intentsRebuilding, recordRebuilt } from "../intent/intent-links.js";

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
        const intents = await intentsRebuilding(projectRoot, task.id);
        const result = await commitTask(repo, { taskId: task.id, title: task.title, files, refs: task.refs, tracePath: trace, intents });
        if (!result.ok) return { ok: false, message: result.message };
        if (result.outcome === "committed") {
          if (intents.length > 0) await recordRebuilt(projectRoot, intents, task.id, result.sha);
          return { ok: true, sha: result.sha };
        }
        // Nothing differs from HEAD: the files are as a commit of the task left them (a
        // rebuild with the same output, or a commit a killed build's git finished alone).
        const history = await listSpecCommits(openOutputGit(repo), task.id);
        const newest = Array.isArray(history) ? history.find((c) => c.tasks.includes(task.id)) : undefined;
        if (newest && intents.length > 0) await recordRebuilt(projectRoot, intents, task.id, newest.sha);
        return newest ? { ok: true, sha: newest.sha } : { ok: true };
      },
      async unstage(files: string[]) {
        const result = await unstagePaths(repo, files);
        return result.ok ? { ok: true } : { ok: false, message: result.message };
      },
    },
  };
}
