// Two of the three consumers of build events (the TUI is the third): the
// plain reporter (progress lines on stderr, the summary on stdout) and the
// JSON-lines reporter (one event per line on stdout).

import { ignoredPathLines, reviewSummary, verdictLine, type BuildEvent, type BuildSummary } from "../build/build-events.js";
import type { TaskPlanState } from "../build/task-state.js";
import { describeEnd } from "../build/verify-log.js";
import { formatModelEvent } from "./progress.js";
import type { Palette } from "./style.js";

export type BuildReporter = (event: BuildEvent) => void;

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s`;
}

function rate(tokens: number, ms: number): string {
  return ms > 0 ? `${(tokens / (ms / 1000)).toFixed(1)} tok/s` : "-";
}

export function jsonReporter(): BuildReporter {
  return (event) => process.stdout.write(JSON.stringify(event) + "\n");
}

export function plainReporter(style: Palette): BuildReporter {
  const err = (line: string) => process.stderr.write(line + "\n");
  return (event) => {
    switch (event.type) {
      case "build-started": {
        const count = (k: TaskPlanState["kind"]) => event.tasks.filter((t) => t.state.kind === k).length;
        err(`build ${event.runId}: ${count("pending") + count("manual")} to build, ${count("up-to-date")} up to date${count("skipped") ? `, ${count("skipped")} skipped` : ""}`);
        return;
      }
      case "setup-started":
        err(`setup: ${event.commands.join(" && ")}`);
        return;
      case "setup-finished":
        err(event.ok ? "setup: ok" : style.red(`setup failed: ${event.results.at(-1) ? describeEnd(event.results.at(-1)!) : ""}`));
        return;
      case "task-up-to-date":
        err(style.dim(`${event.id} up to date`));
        return;
      case "task-started":
        err(`${style.bold(event.id)} ${event.title} — building (${event.reasons.join("; ")})`);
        return;
      case "attempt-started":
        if (event.attempt > 1) err(`${event.id} attempt ${event.attempt} (${event.kind})${event.endpoint ? style.dim(` on ${event.endpoint}`) : ""}`);
        else if (event.endpoint) err(style.dim(`  ${event.id} on ${event.endpoint}`));
        return;
      case "endpoint-down":
        err(style.yellow(`endpoint ${event.endpoint} is down for the rest of this run: ${event.reason}`));
        if (event.task && event.nextAttempt !== undefined) err(`  ${event.task} starts again from its first prompt on another endpoint (attempt ${event.nextAttempt}); nothing of the failed attempt was written`);
        err(style.dim(`  ${event.left} endpoint${event.left === 1 ? "" : "s"} left`));
        return;
      case "model": {
        const line = formatModelEvent(event.event, style);
        if (line !== undefined && event.event.type !== "call-started") err(`  ${line}`);
        return;
      }
      case "reply-malformed":
        err(`  ${event.id}: ${style.yellow("malformed reply")}: ${event.problem}`);
        return;
      case "files-written":
        if (event.written.length > 0) err(`  ${event.id} wrote ${event.written.join(", ")}`);
        for (const line of ignoredPathLines(event)) err(`  ${event.id}: ${style.yellow(line)}`);
        return;
      case "verify-started":
      case "verify-output":
        return;
      case "verify-finished":
        err(`  ${event.id} verify: ${event.result.command} … ${event.result.exitCode === 0 ? style.green("ok") : style.red(describeEnd(event.result))} (${seconds(event.result.durationMs)})`);
        return;
      case "attempt-failed":
        err(`  ${event.id}: ${event.reason}`);
        return;
      case "review-started":
        err(style.dim(`  ${event.id} review: ${event.items} item${event.items === 1 ? "" : "s"} (${event.model})`));
        return;
      case "review-finished": {
        const line = `  ${event.id} ${reviewSummary(event)}`;
        err(event.outcome === "fix-requested" || event.outcome === "findings-left" ? style.yellow(line) : line);
        for (const v of event.verdicts.filter((x) => x.verdict === "fail")) err(`    ${verdictLine(v)}`);
        for (const d of event.discarded) err(style.dim(`    discarded ${d.verdict} ${d.item}: ${d.why}`));
        return;
      }
      case "committed":
        return;
      case "notice":
        err(event.message);
        return;
      case "task-finished": {
        if (event.outcome === "done") {
          err(`${style.green("✓")} ${event.id} done in ${seconds(event.durationMs)}, ${event.attempts} attempt${event.attempts === 1 ? "" : "s"}, ${event.evalTokens} tokens at ${rate(event.evalTokens, event.evalMs)}`);
        } else if (event.outcome === "failed") {
          err(`${style.red("✗")} ${event.id} failed after ${event.attempts} attempt${event.attempts === 1 ? "" : "s"}: ${event.message ?? ""}${event.trace ? `\n  trace: ${event.trace}` : ""}`);
        } else if (event.outcome === "blocked") {
          err(style.dim(`- ${event.id} not built: ${event.message ?? "blocked"}`));
        } else if (event.outcome === "interrupted") {
          err(style.yellow(`- ${event.id} interrupted; the next build resumes it`));
        }
        return;
      }
      case "build-finished":
        process.stdout.write(formatSummary(event.summary, style) + "\n");
        return;
    }
  };
}

export function formatSummary(s: BuildSummary, style: Palette): string {
  const parts = [
    s.done.length ? style.green(`${s.done.length} built`) : "0 built",
    `${s.upToDate.length} up to date`,
    ...(s.failed.length ? [style.red(`${s.failed.length} failed (${s.failed.join(", ")})`)] : []),
    ...(s.blocked.length ? [`${s.blocked.length} blocked (${s.blocked.join(", ")})`] : []),
    ...(s.interrupted.length ? [style.yellow(`${s.interrupted.length} interrupted`)] : []),
    ...(s.skipped.length ? [`${s.skipped.length} skipped`] : []),
  ];
  const cache = s.promptTokens > 0 && s.cachedPromptTokens > 0 ? `, ${Math.round((100 * s.cachedPromptTokens) / s.promptTokens)}% of prompt tokens from cache` : "";
  const lines = [
    parts.join(", "),
    `${s.modelCalls} model call${s.modelCalls === 1 ? "" : "s"}, ${s.verifyRuns} verify run${s.verifyRuns === 1 ? "" : "s"}, ${s.evalTokens} tokens generated at ${rate(s.evalTokens, s.evalMs)}${cache}, ${seconds(s.durationMs)} in all`,
    `trace: ${s.traceDir}`,
  ];
  for (const e of s.endpoints ?? []) {
    const state = e.state === "up" ? "up" : style.yellow(`${e.state}: ${e.reason ?? ""}`);
    lines.push(`endpoint ${e.endpoint}: ${e.calls} call${e.calls === 1 ? "" : "s"}, tasks ${e.tasks.join(" ") || "none"}, ${state}`);
  }
  if (s.modelUnavailable) lines.push(style.red(s.modelUnavailable));
  return lines.join("\n");
}
