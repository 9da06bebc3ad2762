// `specwright report` without the printing: which runs, read them, look at the
// prompts of the tasks that needed fixes (only those) for an Example, build
// the report. Shared by the command and the TUI's Report view.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PROMPT_FILE } from "../traces/call-recorder.js";
import { resolveRun } from "../traces/read-traces.js";
import { runsDir } from "../traces/run-folder.js";
import { buildReport, type Report } from "./build-report.js";
import { readBuildRuns, type RunRecord } from "./run-records.js";

export interface ReportRequest {
  /** Run ids, unique prefixes or "last"; empty means every build run. */
  runs?: readonly string[];
  since?: Date;
}

export type ProjectReport = { ok: true; report: Report; records: RunRecord[] } | { ok: false; message: string; hint: string };

export async function reportProject(root: string, request: ReportRequest = {}): Promise<ProjectReport> {
  let ids: string[] | undefined;
  if (request.runs !== undefined && request.runs.length > 0) {
    ids = [];
    for (const arg of request.runs) {
      const resolved = await resolveRun(root, arg);
      if (!resolved.ok) return { ok: false, message: `${resolved.message} in ${runsDir(root)}`, hint: "`specwright traces` lists the runs" };
      if (!/-build(?:-\d+)?$/.test(resolved.id)) return { ok: false, message: `run ${resolved.id} is not a build run`, hint: "the report reads build runs; `specwright traces` lists them" };
      if (!ids.includes(resolved.id)) ids.push(resolved.id);
    }
  }
  const records = await readBuildRuns(root, { ...(ids ? { ids } : {}), ...(request.since ? { since: request.since } : {}) });
  // Whether the refs hold an Example is read from the newest prompt of each task that needed a fix.
  const examples = new Map<string, boolean | undefined>();
  const newestPrompt = new Map<string, string>();
  for (const run of records) for (const t of run.tasks) if (t.attempts.length > 1 || t.outcome === "failed") newestPrompt.set(t.task, join(runsDir(root), run.id, t.attempts[0]!.path, PROMPT_FILE));
  await Promise.all(
    [...newestPrompt].map(async ([task, file]) => {
      const text = await readFile(file, "utf8").catch(() => undefined);
      examples.set(task, text === undefined ? undefined : specPartHasExample(text));
    }),
  );
  return { ok: true, report: buildReport({ runs: records, refsHaveExample: (task) => examples.get(task) }), records };
}

/**
 * True when the prompt's "# Specification …: the parts this task needs" holds
 * an Examples section (task-prompt.ts renders refs there, an Examples section
 * under "## Examples").
 */
export function specPartHasExample(prompt: string): boolean {
  let inPart = false;
  let fence: string | undefined;
  for (const line of prompt.split("\n")) {
    // Headings inside fenced blocks (a shell comment in an example) are not headings.
    const f = /^(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1];
      else if (line.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    if (/^# Specification .*: the parts this task needs$/.test(line)) inPart = true;
    else if (inPart && /^# /.test(line)) return false;
    else if (inPart && /^## Examples\s*$/.test(line)) return true;
  }
  return false;
}
