// `specwright ask "<words>"`: a spec change from a person's words. The words
// go into .specwright/intent.jsonl before anything else can fail; the editor
// model proposes spec edits (or asks questions); the proposal is shown as a
// diff with its impact on the plan and kept pending, or applied with --yes.
// --accept/--reject decide a pending proposal later (--hunks for some of it),
// --retry answers an entry again, --thread refines or answers an earlier one.
// --edit opens the proposal in $VISUAL/$EDITOR first. Once a proposal is
// applied, a focused audit of the changed parts offers follow-up edits as a
// pending entry in the same thread (unless --no-audit or audit.after_ask=off).

import type { LoadedConfig } from "../../config/types.js";
import { acceptProposal, rejectProposal, type DecideResult } from "../../intent/decide.js";
import { acceptEditedProposal, editorOf, runEditor, writeEditableProposal } from "../../intent/edit-proposal.js";
import { appliedChangeOf, auditAppliedChange, auditsAfterAccept, type FocusedAuditEvent, type FocusedAuditResult } from "../../intent/focused-audit.js";
import { specSnapshot } from "../../intent/review.js";
import { describeImpact } from "../../intent/impact.js";
import { logRequest, parseIntentId, readIntentLog, type IntentContext, type IntentEntry } from "../../intent/intent-log.js";
import { intentAuthor } from "../../intent/author.js";
import { answerIntent, type AnswerResult, type AskEvent } from "../../intent/run-ask.js";
import type { ProposalReview } from "../../intent/review.js";
import { secretLookalikes } from "../../intent/secret-look.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { openProject, type CommandContext } from "../command-context.js";
import { EXIT, modelExitCode } from "../exit-codes.js";
import { formatModelEvent, writeProgress } from "../progress.js";

const OPTIONS = {
  retry: { type: "string" },
  accept: { type: "string" },
  reject: { type: "string" },
  hunks: { type: "string" },
  edit: { type: "boolean" },
  audit: { type: "string" },
  "no-audit": { type: "boolean" },
  reason: { type: "string" },
  thread: { type: "string" },
  at: { type: "string" },
  yes: { type: "boolean", short: "y" },
  model: { type: "string" },
} as const;

/**
 * `origin`: where the words came from, as the intent log records it (`retro
 * --ask` passes its retro and recommendation, and the tasks it names).
 */
export async function run(args: string[], origin: Pick<IntentContext, "source" | "tasks"> = { source: "cli ask" }): Promise<number> {
  const parsed = parseCommand("ask", args, OPTIONS, 1, (p) => {
    const v = p.values;
    const modes = [v.retry, v.accept, v.reject, v.audit].filter((x) => x !== undefined).length;
    if (modes > 1) throw new UsageError("--retry, --accept, --reject and --audit take one entry per command", "run them one after another");
    if (modes === 1 && p.positionals.length > 0) throw new UsageError("words go with a new request, not with --retry/--accept/--reject/--audit", `to refine an entry: specwright ask --thread I-0001 "…"`);
    if (v.audit !== undefined && v["no-audit"] === true) throw new UsageError("--audit and --no-audit exclude each other", `e.g. specwright ask --audit I-0001`);
    if (v.hunks !== undefined && v.accept === undefined) throw new UsageError("--hunks goes with --accept", "e.g. specwright ask --accept I-0001 --hunks 1,3");
    if (v.edit === true && v.accept === undefined) throw new UsageError("--edit goes with --accept", "e.g. specwright ask --accept I-0001 --edit");
    if (v.hunks !== undefined && !/^\d+(\s*,\s*\d+)*$/.test(v.hunks)) throw new UsageError("--hunks takes hunk numbers separated by commas", "e.g. --hunks 1,3");
    for (const id of [v.retry, v.accept, v.reject, v.thread, v.audit]) {
      if (id !== undefined && parseIntentId(id) === undefined) throw new UsageError(`'${id}' is not an intent id`, "ids look like I-0007");
    }
    if (v.at !== undefined && parseAt(v.at) === undefined) throw new UsageError(`--at takes SPEC#anchor or a spec file path[:line], not '${v.at}'`, "e.g. --at WORDFREQ#top or --at specs/wordfreq.smd:12");
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const project = await openProject(v);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;

  const audit = v["no-audit"] !== true && loaded.config.audit.afterAsk;
  if (v.accept !== undefined) {
    const id = parseIntentId(v.accept)!;
    const hunks = v.hunks?.split(",").map((n) => Number(n.trim()));
    if (v.edit === true) return editAndAccept(ctx, loaded, id, hunks, audit);
    return decideAndAudit(ctx, loaded, await acceptProposal(loaded, id, hunks ? { hunks } : {}), audit);
  }
  if (v.audit !== undefined) return auditAgain(ctx, loaded, parseIntentId(v.audit)!);
  if (v.reject !== undefined) return printDecision(ctx, await rejectProposal(loaded.root, parseIntentId(v.reject)!, v.reason));

  let entry: IntentEntry;
  if (v.retry !== undefined) {
    const id = parseIntentId(v.retry)!;
    const log = await readIntentLog(loaded.root);
    if (!log.ok) return fail(log.problem, log.hint);
    const found = log.entries.find((e) => e.id === id);
    if (!found) return fail(`no intent entry ${id}`, "`specwright intent` lists them");
    if (found.status === "accepted" || found.status === "edited") return fail(`${id} is already ${found.status}`, `to change it further: specwright ask --thread ${id} "…"`);
    entry = found;
  } else {
    const words = await requestWords(parsed.positionals[0]);
    if (words === undefined) return reportUsageError(new UsageError("`specwright ask` needs your words", `e.g. specwright ask "--top should default to 20", or pipe them in with specwright ask -`));
    const thread = v.thread !== undefined ? parseIntentId(v.thread) : undefined;
    if (thread !== undefined) {
      const log = await readIntentLog(loaded.root);
      if (log.ok && !log.entries.some((e) => e.id === thread)) return fail(`no intent entry ${thread} to follow up`, "`specwright intent` lists them");
    }
    const context: IntentContext = { source: origin.source, ...(v.at !== undefined ? parseAt(v.at)! : {}), ...(origin.tasks && origin.tasks.length > 0 ? { tasks: origin.tasks } : {}) };
    const request = await logRequest(loaded.root, { author: await intentAuthor(loaded.root, ctx.env), kind: "ask", words, context, ...(thread ? { thread } : {}) });
    process.stderr.write(`${request.id}: logged in .specwright/intent.jsonl\n`);
    const secrets = secretLookalikes(words, ctx.env);
    if (secrets.length > 0) {
      process.stderr.write(`${ctx.err.yellow("warning")}: the request looks like it holds ${secrets.join(", ")}; the intent log keeps words as typed (traces are redacted) — remove it from .specwright/intent.jsonl before committing\n`);
    }
    entry = { id: request.id, request, status: "unanswered", built: [], events: [request] };
  }
  return answerAndReport(ctx, loaded, entry, { yes: v.yes === true, audit });
}

/** Answers an entry, prints the outcome, accepts with `yes` (then audits the change when `audit`); the exit code. Shared with `new --draft`. */
export async function answerAndReport(ctx: CommandContext, loaded: LoadedConfig, entry: IntentEntry, how: { yes: boolean; audit: boolean }, draft?: { file: string; id: string }): Promise<number> {
  const { yes } = how;
  const result = await answerIntent({
    loaded,
    env: ctx.env,
    entry,
    assume: yes,
    ...(draft ? { draft } : {}),
    onEvent: (e) => writeProgress(formatAskEvent(e, ctx)),
    onModelEvent: (e) => writeProgress(formatModelEvent(e, ctx.err)),
    onNotice: (m) => process.stderr.write(`${m}\n`),
  });
  return reportAnswer(ctx, loaded, result, how);
}

async function reportAnswer(ctx: CommandContext, loaded: LoadedConfig, result: AnswerResult, how: { yes: boolean; audit: boolean }): Promise<number> {
  const { yes } = how;
  switch (result.kind) {
    case "unanswered":
      if (ctx.json) process.stdout.write(JSON.stringify({ id: result.id, status: "unanswered", message: result.message }) + "\n");
      process.stderr.write(`specwright: ${result.id} not answered: ${result.message}\n  hint: ${result.hint}\n${result.traceDir ? `  trace: ${result.traceDir}\n` : ""}`);
      if (result.interrupted) return EXIT.interrupted;
      return result.error ? modelExitCode(result.error) : EXIT.failure;
    case "refused":
      if (ctx.json) process.stdout.write(JSON.stringify({ id: result.id, status: "refused", message: result.message, problems: result.problems }) + "\n");
      process.stderr.write(`specwright: ${result.id} ${result.message}\n${result.problems.map((p) => `  ${p}\n`).join("")}  hint: nothing was written; rephrase and \`specwright ask --retry ${result.id}\`, or edit the spec yourself\n  trace: ${result.traceDir}\n`);
      return EXIT.failure;
    case "questions":
      if (ctx.json) process.stdout.write(JSON.stringify({ id: result.id, status: "questions", questions: result.questions, assumptions: result.assumptions }) + "\n");
      else {
        const lines = [`${result.id}: the editor needs answers before it changes the specs:`, ...result.questions.map((q, i) => `  ${i + 1}. ${q}`)];
        if (result.assumptions.length > 0) lines.push("It would assume:", ...result.assumptions.map((a) => `  - ${a}`));
        lines.push(`Answer with \`specwright ask --thread ${result.id} "…"\`, or run again with --yes to record the assumptions as [inferred].`);
        process.stdout.write(lines.join("\n") + "\n");
      }
      return EXIT.failure;
    case "proposal": {
      if (!yes) {
        printReview(ctx, result.review, "pending");
        if (!ctx.json) {
          process.stdout.write(
            `\n${result.id}: proposal pending (${result.calls} model call${result.calls === 1 ? "" : "s"}). Accept: specwright ask --accept ${result.id} [--hunks 1,2]; reject: specwright ask --reject ${result.id}\n`,
          );
        }
        return EXIT.ok;
      }
      if (!ctx.json) printReview(ctx, result.review, "pending");
      return decideAndAudit(ctx, loaded, await acceptProposal(loaded, result.id), how.audit);
    }
  }
}

function printReview(ctx: CommandContext, review: ProposalReview, status: string): void {
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ id: review.id, status, diff: review.diff, hunks: review.hunks.map((h) => ({ number: h.number, file: h.file })), edits: review.edits, impact: review.impact }) + "\n");
    return;
  }
  const colored = review.diff
    .split("\n")
    .map((l) => (l.startsWith("+") && !l.startsWith("+++") ? ctx.out.green(l) : l.startsWith("-") && !l.startsWith("---") ? ctx.out.red(l) : l.startsWith("@@") ? ctx.out.dim(l) : l))
    .join("\n");
  process.stdout.write(colored);
  process.stdout.write(`\nImpact (no model):\n${describeImpact(review.impact).map((l) => `  ${l}`).join("\n")}\n`);
}

/**
 * `ask --accept ID --edit`: the proposal's texts open in $VISUAL/$EDITOR; what
 * is saved must validate to be applied (else nothing changes and the edited
 * copy is kept), then the change is audited like any accept.
 */
async function editAndAccept(ctx: CommandContext, loaded: LoadedConfig, id: string, hunks: number[] | undefined, audit: boolean): Promise<number> {
  const editor = editorOf(ctx.env);
  if (editor === undefined) {
    return reportUsageError(new UsageError("--edit needs an editor: neither $VISUAL nor $EDITOR is set", `e.g. EDITOR=nano specwright ask --accept ${id} --edit`));
  }
  const editable = await writeEditableProposal(loaded, id, hunks);
  if (!editable.ok) return printDecision(ctx, editable);
  process.stderr.write(`${id}: opening ${editable.editable.files.map((f) => f.file).join(", ")} in ${editor}; what you save is applied if the specs validate\n`);
  const ran = runEditor(editor, editable.editable.files.map((f) => f.path));
  if (!ran.ok) return printDecision(ctx, { ok: false, message: `${ran.message}; nothing applied`, hint: `the proposal is still pending; your text is in ${editable.editable.dir}` });
  const result = await acceptEditedProposal(loaded, editable.editable);
  if (result.ok && result.unchanged && !ctx.json) process.stderr.write(`${id}: saved as proposed\n`);
  return decideAndAudit(ctx, loaded, result, audit);
}

/** Prints a decision; after an applied one (not a follow-up's), runs and prints the focused audit of the change. */
async function decideAndAudit(ctx: CommandContext, loaded: LoadedConfig, result: DecideResult, audit: boolean): Promise<number> {
  if (!result.ok || result.decision === "rejected" || !result.review || !audit || !auditsAfterAccept(result.request?.kind ?? "ask")) return printDecision(ctx, result);
  if (!ctx.json) printDecision(ctx, result);
  const audited = await auditAppliedChange({
    loaded,
    env: ctx.env,
    id: result.id,
    words: result.request?.words ?? "",
    applied: result.review,
    ...(result.proposal?.promptTokens !== undefined ? { askPromptTokens: result.proposal.promptTokens } : {}),
    onEvent: (e) => writeProgress(formatAuditEvent(e, ctx)),
    onModelEvent: (e) => writeProgress(formatModelEvent(e, ctx.err)),
    onNotice: (m) => process.stderr.write(`${m}\n`),
  });
  if (ctx.json) printDecision(ctx, result, auditJson(audited));
  else printAudit(ctx, audited);
  return audited.kind === "failed" && audited.interrupted ? EXIT.interrupted : EXIT.ok;
}

/** `ask --audit ID`: the focused audit of an applied entry's change, run (again) by hand. */
async function auditAgain(ctx: CommandContext, loaded: LoadedConfig, id: string): Promise<number> {
  const log = await readIntentLog(loaded.root);
  if (!log.ok) return fail(log.problem, log.hint);
  const entry = log.entries.find((e) => e.id === id);
  if (!entry) return fail(`no intent entry ${id}`, "`specwright intent` lists them");
  const applied = appliedChangeOf(entry, (await specSnapshot(loaded)).sources);
  if (!applied.ok) return fail(applied.message, applied.hint);
  const audited = await auditAppliedChange({
    loaded,
    env: ctx.env,
    id,
    words: entry.request.words,
    applied: applied.applied,
    ...(entry.proposal?.promptTokens !== undefined ? { askPromptTokens: entry.proposal.promptTokens } : {}),
    onEvent: (e) => writeProgress(formatAuditEvent(e, ctx)),
    onModelEvent: (e) => writeProgress(formatModelEvent(e, ctx.err)),
    onNotice: (m) => process.stderr.write(`${m}\n`),
  });
  if (ctx.json) process.stdout.write(JSON.stringify({ id, audit: auditJson(audited) }) + "\n");
  else printAudit(ctx, audited);
  if (audited.kind !== "failed") return EXIT.ok;
  return audited.interrupted ? EXIT.interrupted : audited.error ? modelExitCode(audited.error) : EXIT.failure;
}

function auditJson(a: FocusedAuditResult): Record<string, unknown> {
  switch (a.kind) {
    case "skipped":
      return { status: "skipped", reason: a.reason };
    case "failed":
      return { status: "failed", message: a.message, interrupted: a.interrupted };
    case "audited":
      return {
        status: a.findings.length === 0 ? "clean" : "findings",
        findings: a.findings,
        calls: a.calls,
        promptTokens: a.promptTokens,
        ...(a.followUp ? { followUp: { id: a.followUp.id, diff: a.followUp.review.diff, hunks: a.followUp.review.hunks.map((h) => ({ number: h.number, file: h.file })), impact: a.followUp.review.impact } } : {}),
      };
  }
}

function printAudit(ctx: CommandContext, a: FocusedAuditResult): void {
  switch (a.kind) {
    case "skipped":
      process.stderr.write(ctx.err.dim(`${a.id}: no focused audit: ${a.reason}\n`));
      return;
    case "failed":
      process.stderr.write(`specwright: ${a.id}'s focused audit did not finish: ${a.message}\n  hint: ${a.hint}; check it later: specwright ask --audit ${a.id}\n${a.traceDir ? `  trace: ${a.traceDir}\n` : ""}`);
      return;
    case "audited": {
      if (a.findings.length === 0) {
        process.stdout.write(`Focused audit of ${a.id}'s change: no problems found (${a.calls} model call${a.calls === 1 ? "" : "s"})\n`);
        return;
      }
      const lines = [`Focused audit of ${a.id}'s change: ${a.findings.length} finding${a.findings.length === 1 ? "" : "s"}`];
      for (const f of a.findings) {
        const sev = f.severity === "error" ? ctx.out.red(f.severity) : f.severity === "warning" ? ctx.out.yellow(f.severity) : f.severity;
        lines.push(`  ${sev} ${f.file}:${f.line} (${f.section}): ${f.issue}`, `    suggestion: ${f.suggestion}${f.edit ? "" : " (no edit offered: the fix needs text outside the changed parts)"}`);
      }
      process.stdout.write(lines.join("\n") + "\n");
      if (a.followUp) {
        process.stdout.write(`\nFollow-up ${a.followUp.id} (same thread, pending; every edit marked [inferred]):\n`);
        printReview(ctx, a.followUp.review, "pending");
        process.stdout.write(`\nAccept: specwright ask --accept ${a.followUp.id} [--hunks 1,2] [--edit]; reject: specwright ask --reject ${a.followUp.id}\n`);
      }
      return;
    }
  }
}

function formatAuditEvent(event: FocusedAuditEvent, ctx: CommandContext): string | undefined {
  return ctx.err.dim(`${event.id}: checking the change with ${event.model} (~${event.promptTokens} prompt tokens; ${event.parts.map((p) => `${p.file}:${p.from}-${p.to}`).join(", ")})`);
}

function printDecision(ctx: CommandContext, result: DecideResult | { ok: false; message: string; hint: string; usage?: boolean; stale?: boolean }, audit?: Record<string, unknown>): number {
  if (!result.ok) {
    if (ctx.json) process.stdout.write(JSON.stringify({ ok: false, message: result.message, stale: result.stale === true }) + "\n");
    process.stderr.write(`specwright: ${result.message}\n  hint: ${result.hint}\n`);
    return result.usage ? EXIT.usage : EXIT.failure;
  }
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ id: result.id, status: result.decision, ...(result.review ? { files: result.review.files.map((f) => f.file), tasks: result.review.impact.tasks.map((t) => t.id), changed: result.review.impact.changed } : {}), ...(result.hunks ? { hunks: result.hunks } : {}), ...(audit ? { audit } : {}) }) + "\n");
    return EXIT.ok;
  }
  if (result.decision === "rejected") {
    process.stdout.write(`${result.id}: rejected; the words stay in the log\n`);
    return EXIT.ok;
  }
  const r = result.review!;
  const tasks = r.impact.tasks.map((t) => t.id);
  process.stdout.write(
    `${result.id}: ${result.decision}${result.hunks ? ` (hunks ${result.hunks.join(", ")})` : ""}: wrote ${r.files.map((f) => f.file).join(", ")}; ${
      r.impact.planned ? (tasks.length > 0 ? `the next build rebuilds ${tasks.join(", ")}` : "no task rebuilds") : "no plan yet"
    }\n`,
  );
  return EXIT.ok;
}

function formatAskEvent(event: AskEvent, ctx: CommandContext): string | undefined {
  switch (event.type) {
    case "asking":
      return ctx.err.dim(`${event.id}: asking ${event.model} (~${event.promptTokens} prompt tokens, ${event.included.length} spec file${event.included.length === 1 ? "" : "s"}${event.leftOut.length > 0 ? `; left out to fit: ${event.leftOut.join(", ")}` : ""})`);
    case "re-asking":
      return `${event.id}: ${ctx.err.yellow("the edits did not apply")}, asking once more with: ${event.problems[0] ?? ""}`;
  }
}

function fail(message: string, hint: string): number {
  process.stderr.write(`specwright: ${message}\n  hint: ${hint}\n`);
  return EXIT.failure;
}

/** The words: the argument, or stdin for `-` (a pasted trace keeps its lines). Undefined when empty. */
async function requestWords(arg: string | undefined): Promise<string | undefined> {
  let words = arg;
  if (arg === "-" || (arg === undefined && !process.stdin.isTTY)) words = await readStdin();
  return words !== undefined && words.trim() !== "" ? words : undefined;
}

/** `SPEC#anchor`, `SPEC`, or `path[:line]` → the context of the request. */
export function parseAt(at: string): Partial<IntentContext> | undefined {
  const anchor = /^([A-Za-z][A-Za-z0-9_-]*)(?:#([A-Za-z0-9_.-]+))?$/.exec(at);
  if (anchor && !/\.(smd|amd|vmd)$/.test(at)) return { spec: anchor[1]!, ...(anchor[2] ? { anchor: anchor[2] } : {}) };
  const file = /^(.+\.(?:smd|amd|vmd))(?::(\d+))?$/.exec(at);
  if (file) return { file: file[1]!.replace(/^\.\//, ""), ...(file[2] ? { line: Number(file[2]) } : {}) };
  return undefined;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}
