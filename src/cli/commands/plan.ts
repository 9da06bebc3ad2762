// `specwright plan`: turn the specs into .specwright/plan.toml — with the
// planner model (only specs that changed since they were planned), or with
// --from-architecture (no model). --check validates a hand-edited plan.

import { createInterface } from "node:readline/promises";
import { hasErrors, type Diagnostic } from "../../../grammar/diagnostic.js";
import { PLAN_FILE, type Plan, type Task } from "../../../plans/plan.js";
import { makePathLookup } from "../../fs/path-lookup.js";
import { ModelSession } from "../../model-session.js";
import { contextInventory } from "../../planning/context-inventory.js";
import { planFromArchitecture } from "../../planning/from-architecture.js";
import { checkPlan, planText, readPlanFile, writePlanFile, type PlanLoad } from "../../planning/plan-file.js";
import { plannerMessages } from "../../planning/planner-prompt.js";
import { PLANNER_OUTPUT_BUDGET, plannerInputFor, replaceSpecTasks, runPlanner, specPlanHash, tasksFromAnswer, type PlannerEvent } from "../../planning/run-planner.js";
import { estimateMessagesTokens } from "../../../models/context-budget.js";
import { openRunScope } from "../../run-scope.js";
import { loadProjectSpecs, specIndexOf, type ProjectSpecs } from "../../specs/project-specs.js";
import { readState, writeState } from "../../state/state-file.js";
import { UsageError, parseCommand } from "../args.js";
import { commandContext, loadCommandConfig, type CommandContext } from "../command-context.js";
import { EXIT, modelExitCode } from "../exit-codes.js";
import { formatModelEvent, writeProgress } from "../progress.js";
import { SourceLines, countLine, formatDiagnostics } from "../report-diagnostics.js";
import { formatTable } from "../table.js";

const OPTIONS = {
  "from-architecture": { type: "boolean" },
  replan: { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  check: { type: "boolean" },
  model: { type: "string" },
} as const;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("plan", args, OPTIONS, 0, (p) => {
      if (p.values.check && (p.values.replan || p.values["from-architecture"])) {
        throw new UsageError("--check only validates; it does not combine with --replan or --from-architecture", "run `specwright plan --check` on its own");
      }
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const ctx = commandContext(v);
  const outcome = await loadCommandConfig(ctx, { "model.default": v.model });
  if (!outcome.ok) return outcome.exitCode;
  const { loaded } = outcome;
  const root = loaded.root;

  const specs = await loadProjectSpecs(loaded);
  const sources = new SourceLines(root, specs.sources.map((s) => [s.file, s.text]));
  if (hasErrors(specs.diagnostics) || specs.groups.length === 0) {
    if (specs.diagnostics.length > 0) process.stderr.write(formatDiagnostics(specs.diagnostics, sources, ctx.err) + "\n");
    process.stderr.write(
      specs.groups.length === 0 && !hasErrors(specs.diagnostics)
        ? "specwright: no behaviour specs (*.smd) to plan\n"
        : `specwright: the specs have errors (${countLine(specs.diagnostics)}); fix them before planning\n`,
    );
    return EXIT.failure;
  }
  const indexes = specs.groups.map(specIndexOf);
  const isOnPath = makePathLookup(ctx.env.PATH);
  const existing = await readPlanFile(root);

  if (v.check) {
    if (existing.kind === "missing") {
      process.stderr.write(`specwright: there is no ${PLAN_FILE} yet — run \`specwright plan\` (or \`specwright plan --from-architecture\`)\n`);
      return EXIT.failure;
    }
    const diagnostics = checkPlan(existing, indexes, isOnPath);
    return report(ctx, existing.plan, diagnostics, sources, existing.text);
  }

  if (existing.kind === "loaded" && !existing.plan && !v.replan) {
    process.stderr.write(formatDiagnostics(existing.diagnostics, withPlan(sources, existing.text), ctx.err) + "\n");
    process.stderr.write(`specwright: ${PLAN_FILE} does not parse; fix it, or start over with \`specwright plan --replan\`\n`);
    return EXIT.failure;
  }
  if (v.replan && existing.kind === "loaded" && !(await confirmReplan(ctx, v.yes === true))) {
    process.stderr.write("specwright: not re-planned; the plan is unchanged\n");
    return v.yes === true || process.stdin.isTTY ? EXIT.ok : EXIT.usage;
  }

  const stateLoad = await readState(root);
  if (!stateLoad.ok) {
    process.stderr.write(`specwright: ${stateLoad.problem}\n`);
    return EXIT.failure;
  }
  const state = stateLoad.state;
  const before: Plan = v.replan || existing.kind === "missing" || !existing.plan ? { tasks: [] } : existing.plan;
  const known = new Set(specs.groups.map((g) => g.id));
  // Tasks of specs that no longer exist go; specs whose files changed (or never planned) are planned.
  let tasks = before.tasks.filter((t) => known.has(t.spec));
  const changed = new Set(
    specs.groups
      .filter((g) => v.replan || state.planned[g.id]?.hash !== specPlanHash(g) || !tasks.some((t) => t.spec === g.id))
      .map((g) => g.id),
  );
  const by: "planner" | "architecture" = v["from-architecture"] ? "architecture" : "planner";
  let calls = 0;

  if (changed.size === 0 && tasks.length === before.tasks.length) {
    if (!ctx.json) process.stderr.write("plan is up to date: no spec changed since it was planned\n");
    const diagnostics = existing.kind === "loaded" ? checkPlan(existing, indexes, isOnPath) : [];
    return report(ctx, { tasks }, diagnostics, sources, existing.kind === "loaded" ? existing.text : undefined);
  }

  if (v["from-architecture"]) {
    const derived = planFromArchitecture(specs.groups.filter((g) => changed.has(g.id)), nextFree(tasks));
    for (const group of specs.groups.filter((g) => changed.has(g.id) && !derived.needPlanner.includes(g.id))) {
      const previous = tasks.filter((t) => t.spec === group.id);
      const answer = derived.tasks
        .filter((t) => t.spec === group.id)
        .map((t) => ({ key: t.id, title: t.title, description: t.description, outputs: t.outputs, depends_on: t.dependsOn, refs: t.refs, verify: t.verify }));
      tasks = replaceSpecTasks(tasks, group.id, tasksFromAnswer(group.id, answer, previous, tasks));
    }
    for (const id of derived.needPlanner) {
      changed.delete(id);
      process.stderr.write(`${id}: has no architecture spec (.amd) with components — plan it with the planner model (\`specwright plan\`)\n`);
    }
  } else {
    const opened = await openRunScope({ root, command: "plan", config: loaded.config, env: ctx.env, info: { specs: [...changed] } });
    if (!opened.ok) {
      process.stderr.write(`specwright: ${opened.message}\n  hint: ${opened.hint}\n`);
      return EXIT.failure;
    }
    if (opened.notice) process.stderr.write(`${opened.notice}\n`);
    const scope = opened.scope;
    const context = await contextInventory(root, loaded.config.project.contextDir);
    const base = { language: loaded.config.output.language, outputDir: loaded.config.output.dir, context };
    const session = new ModelSession(loaded.config, (e) => writeProgress(formatModelEvent(e, ctx.err)), scope.signal);
    const largest = Math.max(...specs.groups.filter((g) => changed.has(g.id)).map((g) => estimateMessagesTokens(plannerMessages(plannerInputFor(g, tasks, base)))));
    session.plan([{ role: "planner", largestPromptTokens: Math.round(largest * 1.2), outputBudget: PLANNER_OUTPUT_BUDGET }]);
    const result = await runPlanner({
      groups: specs.groups,
      indexes,
      changed,
      existing: { tasks },
      ...base,
      isOnPath,
      session,
      recorder: (caller) => scope.trace.nextCallRecorder(caller),
      onEvent: (e) => writeProgress(formatPlannerEvent(e)),
    });
    calls = result.calls;
    await scope.close({ calls, ok: result.ok });
    tasks = result.plan.tasks;
    if (!result.ok) {
      // Specs planned before the failure are kept; the failed one is not marked planned.
      for (const g of specs.groups) if (changed.has(g.id) && !tasks.some((t) => t.spec === g.id)) changed.delete(g.id);
      if (result.diagnostics.length > 0) {
        process.stderr.write(formatDiagnostics(result.diagnostics, sources, ctx.err) + "\n");
      }
      process.stderr.write(`specwright: ${result.error.message}\n  hint: ${result.error.hint}\n  trace: ${scope.trace.dir}\n`);
      await save(specs, { tasks }, existing, changed, by);
      if (scope.interrupted()) return EXIT.interrupted;
      return modelExitCode(result.error);
    }
  }

  const text = await save(specs, { tasks }, existing, changed, by);
  const after = await readPlanFile(root);
  const diagnostics = after.kind === "loaded" ? checkPlan(after, indexes, isOnPath) : [];
  if (!ctx.json) process.stderr.write(`wrote ${PLAN_FILE} (${tasks.length} task${tasks.length === 1 ? "" : "s"}; ${calls} model call${calls === 1 ? "" : "s"})\n`);
  return report(ctx, { tasks }, diagnostics, sources, text);

  async function save(project: ProjectSpecs, plan: Plan, previous: PlanLoad, planned: Set<string>, how: "planner" | "architecture"): Promise<string> {
    const prior = previous.kind === "loaded" && previous.plan && !v.replan ? previous : undefined;
    const text = planText(prior?.text, prior?.plan, plan);
    await writePlanFile(root, text);
    const now = new Date().toISOString();
    for (const g of project.groups) if (planned.has(g.id)) state.planned[g.id] = { hash: specPlanHash(g), plannedAt: now, by: how };
    for (const id of Object.keys(state.planned)) if (!project.groups.some((g) => g.id === id)) delete state.planned[id];
    await writeState(root, state);
    return text;
  }
}

function nextFree(tasks: readonly Task[]): number {
  return tasks.reduce((max, t) => Math.max(max, Number(/^T(\d+)$/.exec(t.id)?.[1] ?? 0)), 0) + 1;
}

function withPlan(sources: SourceLines, text: string | undefined): SourceLines {
  if (text !== undefined) sources.add(PLAN_FILE, text);
  return sources;
}

async function confirmReplan(ctx: CommandContext, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    process.stderr.write("specwright: --replan discards the current plan (ids, statuses, notes, verify edits); pass --yes to confirm without a terminal\n");
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Discard ${PLAN_FILE} and plan every spec from scratch? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function report(ctx: CommandContext, plan: Plan | undefined, diagnostics: Diagnostic[], sources: SourceLines, text: string | undefined): number {
  const failed = hasErrors(diagnostics);
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ plan: plan ?? null, diagnostics }, null, 2) + "\n");
    return failed ? EXIT.failure : EXIT.ok;
  }
  const out: string[] = [];
  if (diagnostics.length > 0) out.push(formatDiagnostics(diagnostics, withPlan(sources, text), ctx.out), "");
  if (plan && plan.tasks.length > 0) {
    out.push(
      formatTable(
        ["ID", "SPEC", "TITLE", "OUTPUTS", "DEPENDS", "STATUS"],
        plan.tasks.map((t) => [t.id, t.spec, t.title, t.outputs.join(", ") || "-", t.dependsOn.join(", ") || "-", t.status]),
      ),
      "",
    );
  }
  out.push((failed ? ctx.out.red : ctx.out.green)(`${PLAN_FILE}: ${countLine(diagnostics)}`));
  process.stdout.write(out.join("\n") + "\n");
  return failed ? EXIT.failure : EXIT.ok;
}

function formatPlannerEvent(event: PlannerEvent): string {
  switch (event.type) {
    case "plan-spec-unchanged":
      return `${event.spec}: unchanged since it was planned; its tasks stay`;
    case "plan-spec-started":
      return `planning ${event.spec} (~${event.estimatedTokens} prompt tokens)`;
    case "plan-spec-finished":
      return `${event.spec}: ${event.tasks.length} task${event.tasks.length === 1 ? "" : "s"} (${event.kept} kept from the previous plan)`;
  }
}
