// `specwright why <task>`: what changed since the task was last built — which
// ref's text, which dependency output, the model, the verify commands — or
// that nothing did.

import { explainKeyChange } from "../../../plans/task-key.js";
import { dependencyOutputs, taskRecord } from "../../build/build-state.js";
import { outputDrift } from "../../build/freshness.js";
import type { ReviewRecord } from "../../build/review-step.js";
import type { JudgedItem } from "../../build/review-prompt.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { EXIT } from "../exit-codes.js";
import { openBuild, planTaskOrUsageError } from "../build-context.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("why", args, {}, 1, (p) => {
      if (p.positionals.length === 0) throw new UsageError("`specwright why` needs a task id", "e.g. `specwright why T003`; `specwright status` lists the tasks");
  });
  if (typeof parsed === "number") return parsed;
  const project = await openBuild(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, build: b } = project;
  const id = parsed.positionals[0]!;
  const task = planTaskOrUsageError(b.plan, id);
  if (task instanceof UsageError) return reportUsageError(task);
  const record = taskRecord(b.state, task.id);
  const prepared = await b.prepare(task, dependencyOutputs(b.state, task));
  const changes = record?.status === "done" ? explainKeyChange(record.components, prepared.components).map((c) => c.reason) : [];
  const drift = (await outputDrift(task, record, b.outputDir)).map((d) => (d.kind === "missing" ? `${d.path} is missing from the output dir` : `${d.path} was changed by hand since specwright wrote it`));
  const notDone = !record ? ["it was never built"] : record.status === "done" ? [] : [`its last build ${record.status === "failed" ? `failed: ${record.error ?? ""}` : record.status === "rolled-back" ? "was rolled back" : "was interrupted"}`];
  const reasons = [...notDone, ...(prepared.problem ? [prepared.problem] : []), ...changes, ...drift];
  const reviewed = reviewHistory(record?.review);
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ task: task.id, upToDate: reasons.length === 0, reasons, review: reviewed }, null, 2) + "\n");
    return EXIT.ok;
  }
  process.stdout.write(
    reasons.length === 0
      ? `${task.id} ${task.title} is up to date: its prompt, model, verify commands and dependencies' outputs are what it was built with\n`
      : `${task.id} ${task.title} will be built again:\n${reasons.map((r) => `  - ${r}`).join("\n")}\n`,
  );
  if (reviewed.length > 0) process.stdout.write(`Its last build's reviews:\n${reviewed.map((r) => `  - ${r}`).join("\n")}\n`);
  return EXIT.ok;
}

/**
 * The judge's part in the task's last build, one line per review: which
 * attempt a review sent back, for which items, and with what evidence —
 * why that build took more attempts than its verify needed.
 */
function reviewHistory(reviews: readonly ReviewRecord[] | undefined): string[] {
  if (!Array.isArray(reviews)) return [];
  return reviews.map((r) => {
    const findings = (r.findings ?? []).map((f: JudgedItem) => `${f.item} (${f.file}${f.line !== undefined ? `:${f.line}` : ""} \`${f.quote}\`: ${f.reason})`).join("; ");
    const discarded = r.discarded > 0 ? `, ${r.discarded} verdict${r.discarded === 1 ? "" : "s"} discarded (quote not in the file)` : "";
    switch (r.outcome) {
      case "fix-requested":
        return `attempt ${r.attempt} was rebuilt because the review failed ${findings}${discarded}`;
      case "findings-left":
        return `attempt ${r.attempt}: the review failed ${findings}; ${r.message ?? "left as it is"}${discarded}`;
      case "passed":
        return `attempt ${r.attempt}: the review passed (${r.pass} pass, ${r.cannotTell} cannot tell${discarded})`;
      case "nothing-to-check":
        return `attempt ${r.attempt}: nothing in its refs for the review to check`;
      case "not-reviewed":
        return `attempt ${r.attempt}: not reviewed — ${r.message ?? ""}`;
      default:
        return `attempt ${r.attempt}: ${String(r.outcome)}`;
    }
  });
}
