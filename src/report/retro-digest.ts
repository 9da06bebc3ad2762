// The budgeted digest a retrospective sends to the model: for each of the
// last N tasks built, its refs' anchors, how its builds went, its distinct
// failures (the normalised error line, and a short excerpt of the newest) and
// the reviewer's kept findings — never a whole trace. When the digest would
// exceed its budget it loses detail first (shorter excerpts, then none), then
// the oldest tasks. Pure: records and plan in, text out.

import { estimateTokens } from "../../models/token-estimate.js";
import { describeOutcome } from "./build-report.js";
import type { RunRecord, TaskRunRecord } from "./run-records.js";

export interface PlannedTaskInfo {
  title: string;
  spec: string;
  refs: readonly string[];
}

export interface RetroDigest {
  text: string;
  /** The tasks in the digest, newest first. */
  tasks: string[];
  tokens: number;
  /** Tasks among the last N that did not fit the budget. */
  leftOut: string[];
  /** The excerpt length used (0: no excerpts). */
  excerptChars: number;
}

/** Excerpt lengths tried in order until the digest fits. */
const EXCERPT_STEPS = [600, 240, 0] as const;

export function retroDigest(runs: readonly RunRecord[], plan: ReadonlyMap<string, PlannedTaskInfo>, options: { last: number; budgetTokens: number }): RetroDigest {
  const ordered = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  // The last N distinct tasks, by their newest build.
  const history = new Map<string, TaskRunRecord[]>();
  for (const run of ordered) {
    for (const t of [...run.tasks].reverse()) {
      const list = history.get(t.task);
      if (list) list.push(t);
      else if (history.size < options.last) history.set(t.task, [t]);
    }
  }
  const tasks = [...history.keys()];
  for (const excerptChars of EXCERPT_STEPS) {
    const blocks = tasks.map((task) => taskBlock(task, history.get(task)!, plan.get(task), excerptChars));
    const text = blocks.join("\n\n");
    const tokens = estimateTokens(text);
    if (tokens <= options.budgetTokens) return { text, tasks, tokens, leftOut: [], excerptChars };
  }
  // Even without excerpts it is too long: keep the newest tasks that fit.
  const blocks: string[] = [];
  let tokens = 0;
  const kept: string[] = [];
  for (const task of tasks) {
    const block = taskBlock(task, history.get(task)!, plan.get(task), 0);
    const cost = estimateTokens(block) + 1;
    if (tokens + cost > options.budgetTokens) break;
    blocks.push(block);
    kept.push(task);
    tokens += cost;
  }
  const text = blocks.join("\n\n");
  return { text, tasks: kept, tokens: estimateTokens(text), leftOut: tasks.slice(kept.length), excerptChars: 0 };
}

/** One task's part of the digest; `builds` newest first. */
function taskBlock(task: string, builds: readonly TaskRunRecord[], info: PlannedTaskInfo | undefined, excerptChars: number): string {
  const newest = builds[0]!;
  const settled = builds.filter((b) => b.outcome === "passed" || b.outcome === "failed");
  const neededFixes = settled.filter((b) => b.attempts.length > 1 || b.outcome === "failed").length;
  const lines = [`## ${task}${info ? ` ${info.title} (spec ${info.spec})` : " (no longer in the plan)"}`];
  if (info) lines.push(`refs: ${info.refs.length > 0 ? info.refs.join(", ") : "(none)"}`);
  lines.push(`builds: ${builds.length} · needed fixes in ${neededFixes} of ${settled.length} · newest: ${describeOutcome(newest)}`);
  const failures = new Map<string, { command: string; headline: string; count: number; excerpt: string }>();
  for (const b of builds) {
    for (const a of b.attempts) {
      if (a.failure) {
        const seen = failures.get(a.failure.fingerprint);
        if (seen) seen.count++;
        // builds are newest first: the first excerpt seen is the newest.
        else failures.set(a.failure.fingerprint, { command: a.failure.command, headline: a.failure.headline, count: 1, excerpt: a.failure.excerpt });
      } else if (a.call === "failed" && a.errorKind !== undefined) {
        const key = `model:${a.errorKind}`;
        const seen = failures.get(key);
        if (seen) seen.count++;
        else failures.set(key, { command: "(model call)", headline: `${a.errorKind}: ${a.errorMessage ?? ""}`.slice(0, 200), count: 1, excerpt: "" });
      }
    }
  }
  const top = [...failures.values()].sort((a, b) => b.count - a.count).slice(0, 3);
  if (top.length > 0) {
    lines.push("failures:");
    for (const f of top) {
      lines.push(`- ${f.count}× \`${f.command}\`: ${f.headline}`);
      const excerpt = excerptChars > 0 && f.excerpt !== "" ? tail(f.excerpt, excerptChars) : "";
      if (excerpt !== "") lines.push(...excerpt.split("\n").map((l) => `    ${l}`));
    }
  }
  const findings = builds.flatMap((b) => b.attempts.flatMap((a) => a.review?.findings ?? []));
  if (findings.length > 0) {
    const unique = [...new Map(findings.map((f) => [`${f.item}\0${f.reason}`, f])).values()].slice(0, 3);
    lines.push(`review findings: ${unique.map((f) => `${f.item}: ${f.reason}`).join("; ")}`);
  }
  return lines.join("\n");
}

function tail(text: string, chars: number): string {
  return text.length <= chars ? text : "…" + text.slice(text.length - chars + 1);
}
