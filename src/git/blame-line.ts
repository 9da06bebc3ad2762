// Which commit of the output repository last changed a file or one line of
// it, with the trailers specwright wrote there (Spec-Task, Intent). For
// `specwright blame`; a directory that is no repository, or a file git does
// not track, is an answer (undefined), not an error.

import { access } from "node:fs/promises";
import { literalPathspec, openGit, runGit } from "./git-command.js";
import { INTENT_TRAILER, SPEC_TASK_TRAILER } from "./task-commit-message.js";

export interface BlamedCommit {
  sha: string;
  subject: string;
  author: string;
  date: string;
  /** Spec-Task trailer values. */
  tasks: string[];
  /** Intent trailer values, split at commas. */
  intents: string[];
}

const SEP = "\u001f";

/** The commit that last changed `line` of `path` (relative to `dir`), or the file when no line is given. */
export async function blameOutputLine(dir: string, path: string, line?: number): Promise<BlamedCommit | undefined> {
  // simple-git refuses a base dir that does not exist (the output was never built).
  if (!(await access(dir).then(() => true, () => false))) return undefined;
  const git = openGit(dir);
  // The output dir is its own repository, or sits inside the project's.
  if (!(await runGit(git, ["rev-parse", "--show-toplevel"])).ok) return undefined;
  let sha: string | undefined;
  if (line !== undefined) {
    const blame = await runGit(git, ["blame", "--porcelain", "-L", `${line},${line}`, "--", path]);
    if (!blame.ok) return undefined;
    sha = /^([0-9a-f]{40})/.exec(blame.stdout)?.[1];
    if (sha === undefined || /^0+$/.test(sha)) return undefined;
  } else {
    const log = await runGit(git, ["log", "-1", "--format=%H", "--", literalPathspec(path)]);
    if (!log.ok || log.stdout.trim() === "") return undefined;
    sha = log.stdout.trim();
  }
  const format = ["%H", "%s", "%an <%ae>", "%cI", `%(trailers:key=${SPEC_TASK_TRAILER},valueonly,separator=%x2C)`, `%(trailers:key=${INTENT_TRAILER},valueonly,separator=%x2C)`].join(SEP);
  const show = await runGit(git, ["show", "-s", `--format=${format}`, sha]);
  if (!show.ok) return undefined;
  const [full, subject, author, date, tasks, intents] = show.stdout.replace(/\n$/, "").split(SEP);
  const list = (v: string | undefined) => (v ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");
  return { sha: full ?? sha, subject: subject ?? "", author: author ?? "", date: date ?? "", tasks: list(tasks), intents: list(intents) };
}
