// Answering an intent entry: the request is already in the log (the caller
// logged it before anything could fail); this opens the run (lock, trace),
// asks the editor model (role drafter) with the budgeted spec context, checks
// the edits in memory, gives the model its problems once when they do not
// apply or break validation, and records the outcome as a later event of the
// same entry: a pending proposal, questions, a refusal, or "unanswered" (model
// down, Ctrl-C, lock held) for `ask --retry`. Writes no spec file.

import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { CallRecorder, ChatMessage } from "../../models/call-record.js";
import type { ModelError } from "../../models/errors.js";
import type { ModelEvent } from "../../models/events.js";
import type { LoadedConfig } from "../config/types.js";
import { ModelSession } from "../model-session.js";
import { openRunScope } from "../run-scope.js";
import { redactModelEvents } from "../traces/redact-model-events.js";
import { ASK_OUTPUT_BUDGET, ASK_SCHEMA, askPrompt, askRetryMessage, type AskReply } from "./ask-prompt.js";
import { readFindings } from "../audit/findings-file.js";
import { describeSelection } from "./ask-context.js";
import { logEvent, readIntentLog, type IntentEdit, type IntentEntry } from "./intent-log.js";
import { namedTasksOf } from "./impact.js";
import { checkProposal, cleanSpecPath, fileChanges } from "./proposal.js";
import { currentPlan, reviewOf, specSnapshot, type ProposalReview } from "./review.js";

/** How many earlier requests the editor sees verbatim. */
export const RECENT_ENTRIES = 5;

export type AskEvent =
  | { type: "asking"; id: string; model: string; promptTokens: number; included: string[]; leftOut: string[] }
  | { type: "re-asking"; id: string; problems: string[] };

export type AnswerResult =
  | { kind: "unanswered"; id: string; message: string; hint: string; error?: ModelError; interrupted: boolean; traceDir?: string }
  | { kind: "refused"; id: string; message: string; problems: string[]; traceDir: string; calls: number }
  | { kind: "questions"; id: string; questions: string[]; assumptions: string[]; traceDir: string; calls: number }
  | { kind: "proposal"; id: string; review: ProposalReview; traceDir: string; calls: number; leftOut: string[] };

export interface AnswerInput {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  entry: IntentEntry;
  /** Record the model's assumptions as [inferred] bullets instead of stopping at its questions (`--yes`). */
  assume: boolean;
  /** `new --draft`: the file the new spec goes to, and its id. */
  draft?: { file: string; id: string };
  onEvent(event: AskEvent): void;
  onModelEvent(event: ModelEvent): void;
  onNotice(message: string): void;
  signal?: AbortSignal;
  now?: () => string;
}

const noRecorder: CallRecorder = { started: async () => undefined, delta: () => undefined, finished: async () => undefined };

export async function answerIntent(input: AnswerInput): Promise<AnswerResult> {
  const { loaded, entry } = input;
  const root = loaded.root;
  const now = input.now ?? (() => new Date().toISOString());
  const id = entry.id;
  const unanswered = async (message: string, hint: string, extra: { error?: ModelError; interrupted?: boolean; traceDir?: string } = {}): Promise<AnswerResult> => {
    await logEvent(root, { event: "unanswered", id, at: now(), reason: message });
    return { kind: "unanswered", id, message, hint, interrupted: extra.interrupted ?? false, ...(extra.error ? { error: extra.error } : {}), ...(extra.traceDir ? { traceDir: extra.traceDir } : {}) };
  };

  const snapshot = await specSnapshot(loaded);
  if (snapshot.errors.length > 0) {
    return unanswered(`the specs have errors (${snapshot.errors[0]}); a change is applied only to specs that validate`, `fix them (\`specwright validate\`), then \`specwright ask --retry ${id}\``);
  }
  const log = await readIntentLog(root);
  const entries = log.ok ? log.entries : [];
  const thread = entry.request.thread ? entries.find((e) => e.id === entry.request.thread) : undefined;
  const recent = entries.filter((e) => e.id !== id && e.id !== thread?.id && e.request.kind !== "confirm" && e.request.kind !== "reject-inferred").slice(-RECENT_ENTRIES);
  const findings = entry.request.context.finding ? await readFindings(root) : undefined;
  const selection = describeSelection({ context: entry.request.context, groups: snapshot.groups, plan: await currentPlan(root), findings: findings?.ok ? findings.file : undefined });
  const promptInput = {
    words: entry.request.words,
    // The selection's spec (a task's, a finding's) ranks first for the context budget; the log keeps the context as given.
    context: selection.spec ? { ...entry.request.context, spec: selection.spec } : entry.request.context,
    selection: selection.lines,
    ...(thread ? { thread } : {}),
    recent,
    groups: snapshot.groups,
    ...(input.draft ? { draft: input.draft } : {}),
  };
  const whole = askPrompt(promptInput);

  const opened = await openRunScope({
    root,
    command: "ask",
    config: loaded.config,
    env: input.env,
    info: { intent: id },
    ...(input.signal ? { signal: input.signal } : {}),
    onInterrupt: input.onNotice,
  });
  if (!opened.ok) return unanswered(`not answered: ${opened.message}`, `${opened.hint}; then \`specwright ask --retry ${id}\``);
  if (opened.notice) input.onNotice(opened.notice);
  const scope = opened.scope;
  const traceDir = scope.trace.dir;
  const session = new ModelSession(loaded.config, redactModelEvents(scope.trace.secrets, input.onModelEvent), scope.signal);
  session.plan([{ role: "drafter", largestPromptTokens: estimateMessagesTokens(whole.messages), outputBudget: ASK_OUTPUT_BUDGET }]);
  let calls = 0;
  const close = (ok: boolean) => scope.close({ intent: id, calls, ok });
  const modelDown = async (error: ModelError) => {
    await close(false);
    const interrupted = scope.interrupted();
    return unanswered(interrupted ? "interrupted before the answer came" : error.message, `${interrupted ? "" : `${error.hint}; then `}\`specwright ask --retry ${id}\` answers it (the words are kept)`, { error, interrupted, traceDir });
  };

  const run = await session.run("drafter");
  if (!run.ok) return modelDown(run.error);
  const model = run.value;
  const prompt = askPrompt(promptInput, (messages) => model.fits(messages, ASK_OUTPUT_BUDGET));
  if (prompt.included.length === 0 && snapshot.groups.length > 0) {
    await close(false);
    return unanswered(
      `not even the spec the request is about fits ${model.model}'s context of ${model.numCtx} tokens with room for the answer (left out: ${prompt.leftOut.join(", ")})`,
      `raise model.num_ctx (or use "auto" with a model whose context is larger), then \`specwright ask --retry ${id}\``,
      { traceDir },
    );
  }
  input.onEvent({ type: "asking", id, model: model.model, promptTokens: estimateMessagesTokens(prompt.messages), included: prompt.included, leftOut: prompt.leftOut });
  if (prompt.leftOut.length > 0) scope.note(`${id}: left out to fit num_ctx ${model.numCtx}: ${prompt.leftOut.join(", ")}`);

  const caller = `ask-${id}`;
  const ask = async (messages: ChatMessage[]) => {
    const reply = await model.callStructured<AskReply>({
      caller,
      messages,
      schema: ASK_SCHEMA,
      outputBudget: ASK_OUTPUT_BUDGET,
      recorder: () => scope.trace.nextCallRecorder(caller) ?? noRecorder,
    });
    calls += reply.ok ? reply.value.asks : 1;
    return reply;
  };
  const check = (reply: AskReply) => {
    const edits: IntentEdit[] = reply.edits.map((e) => ({ file: cleanSpecPath(e.file), search: e.search, replace: e.replace, kind: e.kind, reason: e.reason }));
    const assumptionsFile = assumptionsTarget(edits, snapshot.groups, entry, input.draft);
    const assumed = input.assume && reply.questions.length > 0 && (reply.assumptions ?? []).length > 0 && assumptionsFile !== undefined;
    const checked =
      reply.questions.length > 0 && !input.assume
        ? undefined
        : checkProposal({
            sources: snapshot.sources,
            specDir: loaded.config.project.specDir,
            edits,
            ...(assumed ? { assumptions: { file: assumptionsFile!, items: reply.assumptions ?? [] } } : {}),
          });
    return { edits, checked, assumed, assumptionsFile };
  };

  let reply = await ask(prompt.messages);
  if (!reply.ok) return modelDown(reply.error);
  let answer = check(reply.value.value);
  if (answer.checked && !answer.checked.ok && !answer.checked.refused) {
    input.onEvent({ type: "re-asking", id, problems: answer.checked.problems });
    scope.note(`${id}: edits did not apply; asking once more: ${answer.checked.problems.join("; ")}`);
    const retry = await ask([...prompt.messages, { role: "assistant", content: reply.value.reply.content }, askRetryMessage(answer.checked.problems)]);
    if (!retry.ok) return modelDown(retry.error);
    reply = retry;
    answer = check(reply.value.value);
  }
  const value = reply.value.value;
  const proposalEvent = {
    event: "proposal" as const,
    id,
    at: now(),
    model: model.model,
    trace: traceDir,
    edits: answer.edits,
    questions: value.questions,
    assumptions: value.assumptions ?? [],
    ...(answer.assumed ? { assumed: true, assumptionsFile: answer.assumptionsFile! } : {}),
    files: answer.checked?.ok ? fileChanges(answer.checked.files) : [],
    calls,
    leftOut: prompt.leftOut,
    // What the run's context was sized for (the whole prompt, before the budget cut anything).
    promptTokens: estimateMessagesTokens(whole.messages),
  };
  if (!answer.checked) {
    await logEvent(root, proposalEvent);
    await close(true);
    return { kind: "questions", id, questions: value.questions, assumptions: value.assumptions ?? [], traceDir, calls };
  }
  if (!answer.checked.ok) {
    const message = answer.checked.refused ? `refused: ${answer.checked.problems.join("; ")}` : "the proposal still does not apply to valid specs after one more ask";
    await logEvent(root, { event: "refused", id, at: now(), reason: message, diagnostics: answer.checked.problems });
    scope.note(`${id}: ${message}: ${answer.checked.problems.join("; ")}`);
    await close(false);
    return { kind: "refused", id, message, problems: answer.checked.problems, traceDir, calls };
  }
  await logEvent(root, proposalEvent);
  await close(true);
  const plan = await currentPlan(root);
  const review = reviewOf({ id, edits: answer.edits, files: answer.checked.files, hunks: answer.checked.hunks, snapshot, plan, loaded, named: namedTasksOf(entry.request.context) });
  return { kind: "proposal", id, review, traceDir, calls, leftOut: prompt.leftOut };
}

/** Where assumptions go: the draft, the selected spec's SMD, or the SMD of the first edited spec. */
function assumptionsTarget(edits: readonly IntentEdit[], groups: readonly { id: string; smd: { file: string }; amds: { file: string }[]; vmds: { file: string }[] }[], entry: IntentEntry, draft: { file: string } | undefined): string | undefined {
  if (draft) return draft.file;
  const selected = groups.find((g) => g.id.toLowerCase() === entry.request.context.spec?.toLowerCase());
  if (selected) return selected.smd.file;
  for (const e of edits) {
    if (e.file.endsWith(".smd")) return e.file;
    const g = groups.find((x) => [x.smd, ...x.amds, ...x.vmds].some((f) => f.file === e.file));
    if (g) return g.smd.file;
  }
  return groups[0]?.smd.file;
}
