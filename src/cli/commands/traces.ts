// `specwright traces [run] [task|call] [attempt]`: lists runs, lists the calls
// of a run, prints one recorded call (meta summary, prompt, response). A run
// is named by its id, a unique prefix of it, or "last".

import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseCallPath } from "../../traces/layout.js";
import { callOutcome, listCalls, listRuns, readCall, resolveRun, type CallFiles, type CallSummary } from "../../traces/read-traces.js";
import { runsDir } from "../../traces/run-folder.js";
import { parseCommand } from "../args.js";
import { openProject, type CommandContext } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { formatTable } from "../table.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("traces", args, {}, 3);
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded: { root } } = project;
  const [runArg, callArg, attemptArg] = parsed.positionals;

  if (runArg === undefined) return printRuns(ctx, root);
  const resolved = await resolveRun(root, runArg);
  if (!resolved.ok) return fail(`${resolved.message} in ${runsDir(root)}`, "`specwright traces` lists the runs");
  const runId = resolved.id;
  const calls = await listCalls(root, runId);
  if (callArg === undefined) return printCalls(ctx, runId, calls);

  const target = locate(root, runId, calls, callArg, attemptArg);
  if (!target.ok) return fail(target.message, `\`specwright traces ${runId}\` lists its calls`);
  if (target.paths.length > 1) return printCalls(ctx, runId, calls.filter((c) => target.paths.includes(c.path)));
  const call = await readCall(root, runId, target.paths[0]!);
  if (!call) return fail(`nothing recorded in ${runId}/${target.paths[0]}`, "the run may have been interrupted before the call started");
  return printCall(ctx, runId, call);
}

/** Finds the call folder(s) a user means by "T003", "T003 2", "audit", "audit-1" or a full path. */
function locate(
  root: string,
  runId: string,
  calls: readonly CallSummary[],
  callArg: string,
  attemptArg: string | undefined,
): { ok: true; paths: string[] } | { ok: false; message: string } {
  const runDir = join(runsDir(root), runId);
  if (callArg.includes("/")) {
    // Only the layout's own shapes: a path argument must not walk out of the run folder.
    const path = callArg.replace(/\/+$/, "");
    return parseCallPath(path) && existsSync(join(runDir, path)) ? { ok: true, paths: [path] } : { ok: false, message: `no call ${callArg} in run ${runId}` };
  }
  const attempts = calls.filter((c) => c.path.startsWith(`tasks/${callArg}/`));
  if (attempts.length > 0) {
    if (attemptArg === undefined) return { ok: true, paths: attempts.length === 1 ? [attempts[0]!.path] : attempts.map((c) => c.path) };
    const n = attemptArg.replace(/^attempt-/, "");
    const path = `tasks/${callArg}/attempt-${n}`;
    return attempts.some((c) => c.path === path)
      ? { ok: true, paths: [path] }
      : { ok: false, message: `task ${callArg} has no attempt ${n} in run ${runId} (attempts: ${attempts.map((c) => c.path.split("-").pop()).join(", ")})` };
  }
  if (attemptArg !== undefined) return { ok: false, message: `no task ${callArg} in run ${runId}` };
  const exact = calls.find((c) => c.path === `calls/${callArg}`);
  if (exact) return { ok: true, paths: [exact.path] };
  // "audit" names every audit call of the run, "audit-WORDFREQ" those of one spec.
  const byCaller = calls.filter((c) => new RegExp(`^calls/${escapeRegExp(callArg)}-(.+-)?\\d+$`).test(c.path));
  if (byCaller.length > 0) return { ok: true, paths: byCaller.map((c) => c.path) };
  return { ok: false, message: `no task or call '${callArg}' in run ${runId}` };
}

async function printRuns(ctx: CommandContext, root: string): Promise<number> {
  const runs = await listRuns(root);
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ runsDir: runsDir(root), runs }, null, 2) + "\n");
    return EXIT.ok;
  }
  if (runs.length === 0) {
    process.stdout.write(`No runs recorded yet in ${runsDir(root)}\n`);
    return EXIT.ok;
  }
  const rows = runs.map((r) => [r.id, r.scriptedDemo ? `${r.command} (scripted demo)` : r.command, String(r.calls), String(r.failed), String(r.unfinished), duration(r.startedAt, r.finishedAt)]);
  process.stdout.write(formatTable(["RUN", "COMMAND", "CALLS", "FAILED", "UNFINISHED", "DURATION"], rows) + "\n");
  return EXIT.ok;
}

function printCalls(ctx: CommandContext, runId: string, calls: readonly CallSummary[]): number {
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ run: runId, calls }, null, 2) + "\n");
    return EXIT.ok;
  }
  if (calls.length === 0) {
    process.stdout.write(`Run ${runId} recorded no model calls\n`);
    return EXIT.ok;
  }
  const rows = calls.map((c) => [
    c.path,
    callOutcome(c),
    c.meta?.model ?? "?",
    String(c.meta?.metrics?.promptTokens ?? c.meta?.metrics?.promptEvalCount ?? c.meta?.estimatedPromptTokens ?? "?"),
    String(c.meta?.metrics?.evalCount ?? "?"),
    c.meta?.metrics ? seconds(c.meta.metrics.wallMs) : "?",
  ]);
  process.stdout.write(`Run ${runId}\n` + formatTable(["CALL", "OUTCOME", "MODEL", "PROMPT", "OUTPUT", "TIME"], rows) + "\n");
  return EXIT.ok;
}

function printCall(ctx: CommandContext, runId: string, call: CallFiles): number {
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ run: runId, ...call }, null, 2) + "\n");
    return EXIT.ok;
  }
  const meta = call.meta;
  const m = meta?.metrics;
  const lines = [ctx.out.bold(`${runId}/${call.path}`), `outcome   ${callOutcome(call)}`];
  if (meta?.error) lines.push(`error     ${meta.error.message}`, `hint      ${meta.error.hint}`);
  if (meta) lines.push(`model     ${meta.model}${meta.digest ? ` (${meta.digest.slice(0, 12)})` : ""} · num_ctx ${meta.options.numCtx}`);
  if (m) {
    const parts = [
      // promptTokens is the whole prompt whatever the server's version counts; a server that
      // counted only the uncached part (Ollama 0.30.0) without saying what it cached shows that part.
      `prompt ${m.promptTokens ?? m.promptEvalCount ?? "?"} tokens${m.promptTokens === undefined && m.promptEvalCount !== undefined ? " (evaluated anew)" : ""} (estimated ${m.estimatedPromptTokens}${m.cachedPromptTokens !== undefined ? `, ${m.cachedPromptTokens} cached` : ""})`,
      `output ${m.evalCount ?? "?"} tokens`,
      ...(m.tokensPerSecond !== undefined ? [`${m.tokensPerSecond.toFixed(1)} tokens/s`] : []),
      `wall ${seconds(m.wallMs)}`,
      ...(m.timeToFirstTokenMs !== undefined ? [`first token ${seconds(m.timeToFirstTokenMs)}`] : []),
    ];
    lines.push(`metrics   ${parts.join(" · ")}`);
  }
  lines.push("", ctx.out.dim("──── prompt.md ────"), call.prompt ?? "(missing)");
  if (call.thinking) lines.push(ctx.out.dim("──── thinking.md ────"), call.thinking);
  lines.push(ctx.out.dim("──── response.md ────"), call.response ?? "(missing)");
  if (call.verifyLog !== undefined) lines.push(ctx.out.dim("──── verify.log ────"), call.verifyLog.replace(/\n$/, ""));
  else if (call.path.startsWith("tasks/") && meta?.outcome === "ok") lines.push(ctx.out.dim("(no verify.log: the verify commands did not run for this attempt)"));
  if (meta?.outcome === "in-progress") lines.push(ctx.out.yellow("(the call never finished: the run was interrupted or crashed; the reply above is partial)"));
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}

function duration(start: string | undefined, end: string | undefined): string {
  if (!start) return "?";
  if (!end) return "unfinished";
  return seconds(Date.parse(end) - Date.parse(start));
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function fail(message: string, hint: string): number {
  process.stderr.write(`specwright: ${message} — hint: ${hint}\n`);
  return EXIT.failure;
}
