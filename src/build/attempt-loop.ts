// The fix loop: one task's attempts, from its first prompt through re-asks
// and fix attempts, until its files pass verify or a stop rule ends it. Each
// attempt gets a model slot, calls the model, writes the reply's files safely,
// and runs the task's verify commands; a failure becomes the next prompt.
//
// The stop rules (FixLoopRules) are pure and decide, after each step, whether
// another attempt can help: a malformed reply is re-asked once; a reply that
// lacks a declared file, a fix that changed nothing, a failure identical to
// the previous one, and running out of fix attempts all stop the loop.

import { runTaskCases } from "./cases-step.js";
import { isModelUnavailable, type ModelError } from "../../models/errors.js";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelRun } from "../../models/model-run.js";
import type { ChatMessage } from "../../models/call-record.js";
import type { Task } from "../../plans/plan.js";
import type { BuildControl } from "./build-control.js";
import { filesWrittenEvent, type BuildAnswer, type BuildQuestion } from "./build-events.js";
import type { OutputCommitter, PreparedTask, TaskMessages } from "./build-input.js";
import { firstThatFits, type ConversationForm } from "./attempt-messages.js";
import type { AttemptTrace, BuildRun, TaskProgress, VerifiedRecord } from "./build-run.js";
import { lastWrittenHashes, taskRecord } from "./build-state.js";
import { completeVerified } from "./commit-step.js";
import { continuationRank, firstAttemptRank, type ReleaseSlot, type SlotTicket, type TaskPlacement } from "./model-slots.js";
import type { EndpointPool } from "./endpoint-pool.js";
import { canonicalPath } from "../../plans/output-path.js";
import { parseReply, type ReplyFile } from "./reply-protocol.js";
import { ReviewStep, type ReviewSettings } from "./review-step.js";
import { safeWrite, type FileToWrite } from "./safe-write.js";
import type { TaskOutcome } from "./task-state.js";
import { classifyVerifyFailure, errorFingerprint } from "./verify-failure.js";
import type { VerifyCommandResult } from "./verify-runner.js";

/** What the next attempt is. */
export type { AttemptKind } from "./build-events.js";
import type { AttemptKind } from "./build-events.js";

/** A stop rule ended the loop with this message. */
export interface Stop {
  stop: string;
  /** A retry from scratch could help, so a person may be offered one. */
  askable: boolean;
  /** Not a failure: after a review fix the model sent back the files that passed verify; they stand. */
  keptAfterReview?: true;
}

/**
 * The stop rules of one run of the loop. A retry from scratch (a person's
 * "try again") starts a fresh set.
 */
export class FixLoopRules {
  private reasked = false;
  private fruitlessCut = false;
  private fixes = 0;
  private previousFingerprint: string | undefined;
  private previousFiles: ReadonlyMap<string, string> | undefined;

  constructor(private readonly maxFixAttempts: number) {}

  /** A reply the protocol could not read: re-asked once, then the task fails. */
  malformed(problem: string): Stop | { go: "re-ask" } {
    if (this.reasked) return { stop: `the reply was malformed twice: ${problem}`, askable: true };
    this.reasked = true;
    return { go: "re-ask" };
  }

  /**
   * A reply cut off at the output limit that completed `completed` new files:
   * ask for the rest; when none came complete, ask for one file at a time, and
   * stop when even that brings nothing (a single file longer than one reply).
   */
  cutOff(completed: number, remaining: readonly string[], limit: number): Stop | { go: "pieces"; asked: readonly string[] } {
    if (completed > 0) {
      this.fruitlessCut = false;
      return { go: "pieces", asked: remaining };
    }
    if (this.fruitlessCut) {
      return { stop: `the reply was cut off at the output limit (${limit} tokens) again without a complete file: ${remaining[0]!} does not fit one reply — split the task into smaller files`, askable: false };
    }
    this.fruitlessCut = true;
    return { go: "pieces", asked: remaining.slice(0, 1) };
  }

  /**
   * After the reply's files are written: a declared file missing from the
   * reply ends the loop (the fix prompt could only repeat the request), and so
   * does a fix whose files are byte for byte the previous attempt's.
   */
  written(missing: readonly string[], files: ReadonlyMap<string, string>, afterReview = false): Stop | undefined {
    if (missing.length > 0) {
      return { stop: `the reply did not include ${missing.join(", ")}; the task declares ${missing.length === 1 ? "it" : "them"}`, askable: true };
    }
    const previous = this.previousFiles;
    this.previousFiles = files;
    if (previous && [...files].every(([path, content]) => previous.get(path) === content)) {
      // After a review fix, the same files are the ones that passed verify: the model stands by them.
      if (afterReview) return { stop: "the review fix changed nothing: the model kept the files that passed verify", askable: false, keptAfterReview: true };
      return { stop: "the fix attempt changed nothing; stopping the fix loop", askable: true };
    }
    return undefined;
  }

  /**
   * After verify failed on `failed` (the last command run): a command that is
   * broken on its own is a plan problem; the same error as the previous
   * attempt, or no fix attempts left, stops the loop; otherwise fix. `reason`
   * says how the attempt failed, when it was the code's fault.
   */
  verifyFailed(failed: VerifyCommandResult): (Stop & { reason?: string }) | { go: "fix"; reason: string } {
    const failure = classifyVerifyFailure(failed);
    if (failure.kind === "command") {
      return { stop: `verify command \`${failed.command}\` failed on its own (${failure.reason}): a plan problem, not a code problem — fix it in plan.toml`, askable: false };
    }
    const reason = failure.kind === "timeout" ? `\`${failed.command}\` timed out` : `\`${failed.command}\` failed (${failed.exitCode === null ? failed.signal : `exit ${failed.exitCode}`})`;
    return this.fixOrStop(reason, errorFingerprint(failed));
  }

  /** After the task's verification cases failed: always the code's fault (the cases are the person's). */
  casesFailed(failed: VerifyCommandResult): (Stop & { reason?: string }) | { go: "fix"; reason: string } {
    return this.fixOrStop("verification cases failed", errorFingerprint(failed));
  }

  private fixOrStop(reason: string, fingerprint: string): (Stop & { reason?: string }) | { go: "fix"; reason: string } {
    if (fingerprint === this.previousFingerprint) return { stop: `${reason}, with the same error as the previous attempt; stopping the fix loop`, askable: true, reason };
    this.previousFingerprint = fingerprint;
    if (this.fixes >= this.maxFixAttempts) return { stop: `${reason}; no fix attempts left (max_fix_attempts = ${this.maxFixAttempts})`, askable: true, reason };
    this.fixes++;
    return { go: "fix", reason };
  }
}

/** Why a task stopped when a person (or headless policy) would not overwrite its hand-edited files. */
export function handEditsKept(paths: readonly string[]): string {
  return `${paths.join(", ")} changed by hand since specwright wrote ${paths.length === 1 ? "it" : "them"}; not overwritten (rerun with --force to overwrite, or set the task's status to "manual")`;
}

/** How a run of the loop ended. */
export type AttemptsEnd =
  /** The task is settled (done, interrupted, skipped); its task-finished was emitted. */
  | { kind: "settled"; outcome: TaskOutcome }
  /**
   * A failure a retry from scratch could fix (`askable`); finished by the caller.
   * `serverLost`: the task did not fail by its own attempts: no endpoint was left to serve it.
   */
  | { kind: "failed"; attempt: number; trace: string; message: string; askable: boolean; serverLost?: true }
  /** The task's endpoint went down and another is up: start again from the first attempt, numbered from `nextAttempt`. */
  | { kind: "moved"; nextAttempt: number };

export interface AttemptLoopInput {
  run: BuildRun;
  task: Task;
  prepared: PreparedTask;
  progress: TaskProgress;
  /** The build's endpoints, with their model runs. */
  pool: EndpointPool;
  messages: TaskMessages;
  /** Where the task runs: its first slot places it, every later call goes to the same endpoint. */
  placement: TaskPlacement;
  /** The stable session id of the task's calls (`<run>/<task>`), for routers that pin a conversation to a server. */
  sessionId: string;
  /** The slot reserved for the task's first attempt when it was scheduled. */
  ticket: SlotTicket | undefined;
  planIndex: number;
  /** Keep the slot from a task's generation through its verify into its fix (build.overlap_verify = false). */
  holdSlotThroughVerify: boolean;
  maxFixAttempts: number;
  /** The implementation judge after verify passes (build.review on); absent: no review. */
  review: ReviewSettings | undefined;
  /** The output limit of one reply (num_predict), for what a cut reply is told. */
  outputBudget: number;
  /** Overwrite hand-edited files (--force, or the person said yes before the first attempt). */
  force: boolean;
  decide(question: BuildQuestion): Promise<BuildAnswer>;
  committer: OutputCommitter | undefined;
  control: BuildControl | undefined;
  /** The build's signal (Ctrl-C, Esc). */
  signal: AbortSignal;
  /** The build's signal or a person's skip of this task. */
  taskSignal: AbortSignal;
  /** True when the person skipped this task while it ran (and the build itself goes on). */
  skippedWhileRunning(): boolean;
}

/** One run of the attempt loop; `run(first)` numbers attempts from `first` so a retry's trace folders stay apart. */
export class AttemptLoop {
  private readonly rules: FixLoopRules;
  /** The task's first prompt: every later conversation starts with it, so it stays cached. */
  private readonly first: ChatMessage[];
  /** What the next call sends. */
  private messages: ChatMessage[];
  private kind: AttemptKind = "implement";
  /** The files the next reply must hold: all of the task's, or those a cut reply left missing. */
  private asked: readonly string[];
  /** Files that arrived complete in replies cut at the output limit, kept until the rest arrive. */
  private readonly pieces = new Map<string, string>();
  /** The complete parts of those cut replies, in order: with the last reply, what the model wrote. */
  private pieceTexts: string[] = [];
  /** The last reply stopped at the output limit. */
  private cut = false;
  /** Without overlap, the slot kept from the last generation, for the next attempt. */
  private heldSlot: ReleaseSlot | undefined;
  /** The implementation judge of this run of the loop. */
  private readonly review: ReviewStep | undefined;
  /** The number of this run's first attempt. */
  private firstAttempt = 1;

  constructor(private readonly input: AttemptLoopInput) {
    this.rules = new FixLoopRules(input.maxFixAttempts);
    this.review =
      input.review &&
      new ReviewStep(
        input.review,
        input.run,
        input.task,
        input.prepared.review,
        input.progress,
        () => this.endpoint().reviewer ?? this.endpoint().model,
        (error) => {
          const at = this.input.placement.endpoint;
          if (at !== undefined && isModelUnavailable(error)) this.endpointFailed(at, error);
        },
        (calls) => {
          const at = this.input.placement.endpoint;
          if (at !== undefined) this.input.pool.counted(at, calls);
        },
        input.sessionId,
      );
    this.first = input.prepared.messages;
    this.messages = this.first;
    this.asked = input.prepared.expected;
  }

  /** The endpoint the task is placed on (after its first slot). */
  private endpoint() {
    const at = this.input.placement.endpoint;
    if (at === undefined) throw new Error(`${this.input.task.id} has no endpoint before its first model slot`);
    return this.input.pool.at(at);
  }

  /** The build role's run on the task's endpoint. */
  private get model(): ModelRun {
    return this.endpoint().model;
  }

  async run(firstAttempt: number): Promise<AttemptsEnd> {
    this.firstAttempt = firstAttempt;
    try {
      for (let attempt = firstAttempt; ; attempt++) {
        const end = await this.attempt(this.input.run.attemptTrace(this.input.task.id, attempt));
        if (end !== undefined) return end;
      }
    } finally {
      this.heldSlot?.();
    }
  }

  /** One attempt: a model call, its reply read, its files written and verified. Undefined when the loop goes on. */
  private async attempt(trace: AttemptTrace): Promise<AttemptsEnd | undefined> {
    const called = await this.call(trace);
    if (typeof called !== "string") return called;
    const reply = this.read(trace, called);
    if (reply === undefined || "kind" in reply) return reply;
    return this.writeAndVerify(trace, reply);
  }

  /** Takes a slot and calls the model: the reply's text, or how the attempt ended. */
  private async call(trace: AttemptTrace): Promise<string | AttemptsEnd> {
    const { run, task, progress, signal, pool, placement } = this.input;
    const { attempt } = trace;
    const release = await this.takeSlot(attempt);
    if (release === undefined) {
      return { kind: "settled", outcome: run.settleUnstarted(task.id, "skipped", "skipped in this run") };
    }
    if (placement.lost()) {
      // Another task's call found this endpoint down while this one waited: nothing was sent.
      release();
      const lost = pool.at(placement.endpoint!).label;
      if (pool.anyUp()) {
        run.emit({ type: "notice", message: `${task.id}: its endpoint ${lost} is down; starting again from the first attempt on another endpoint (attempt ${attempt})` });
        return { kind: "moved", nextAttempt: attempt };
      }
      run.stopped = true;
      run.summary.modelUnavailable ??= `no endpoint is left: ${lost} is down`;
      return this.failed(trace, `no endpoint is left to serve ${task.id}`, false, true);
    }
    const at = placement.endpoint!;
    const endpoint = pool.at(at);
    if (attempt === this.firstAttempt) pool.placed(at, task.id);
    progress.announce();
    run.emit({ type: "attempt-started", id: task.id, attempt, kind: this.kind, trace: trace.shown, ...(pool.several ? { endpoint: endpoint.label } : {}) });
    let reply;
    try {
      reply = await endpoint.model.call({ caller: task.id, messages: this.messages, recorder: run.recorder(trace), signal: this.input.taskSignal, sessionId: this.input.sessionId });
      // Only calls that reached the model count: one refused as too long was never sent.
      if (reply.ok || reply.error.kind !== "context-overflow" || reply.error.refusedBy === "server") {
        run.summary.modelCalls++;
        pool.counted(at);
      }
    } finally {
      if (this.input.holdSlotThroughVerify) this.heldSlot = release;
      else release();
    }
    if (this.input.skippedWhileRunning()) return this.settle("skipped", attempt, trace.shown, "skipped while it ran");
    if (reply.ok) {
      progress.metrics.push(reply.value.metrics);
      this.cut = reply.value.doneReason === "length";
      return reply.value.content;
    }
    if (reply.error.kind === "output-truncated") {
      this.cut = true;
      return reply.error.reply;
    }
    if (reply.error.kind === "aborted" || signal.aborted) return this.settle("interrupted", attempt, trace.shown, "interrupted");
    if (isModelUnavailable(reply.error)) {
      if (this.endpointFailed(at, reply.error, trace) && pool.anyUp()) {
        await this.noteMove(trace, endpoint.label, reply.error);
        return { kind: "moved", nextAttempt: attempt + 1 };
      }
      run.stopped = true;
      run.summary.modelUnavailable = pool.several ? `no endpoint is left: ${reply.error.message}` : reply.error.message;
      return this.failed(trace, `${reply.error.message} — ${reply.error.hint}`, false, true);
    }
    return this.failed(trace, `${reply.error.message} — ${reply.error.hint}`, !run.stopped);
  }

  /**
   * A call failed in a way that means its endpoint cannot serve (unreachable,
   * dropped mid-stream, 5xx): with several endpoints it is marked down for
   * the rest of the run. True when this task should move (several endpoints).
   */
  private endpointFailed(at: number, error: ModelError, trace?: AttemptTrace): boolean {
    const { pool, run, task } = this.input;
    if (!pool.several) return false;
    const label = pool.at(at).label;
    const first = pool.markDown(at, error.message);
    const moving = trace !== undefined && pool.anyUp();
    if (first) {
      run.emit({ type: "endpoint-down", endpoint: label, reason: error.message, left: pool.upCount(), task: task.id, ...(moving ? { nextAttempt: trace.attempt + 1 } : {}) });
    } else if (moving) {
      // Another task's call already found it down; this one was in flight there too.
      run.emit({ type: "notice", message: `${task.id}: its call to ${label} failed too (the endpoint is down); starting again from the first attempt on another endpoint (attempt ${trace.attempt + 1})` });
    }
    return true;
  }

  /** The trace of the attempt whose endpoint failed says where it was, why, and where the task goes on. */
  private async noteMove(trace: AttemptTrace, endpoint: string, error: ModelError): Promise<void> {
    const { run, task } = this.input;
    const file = run.traceFile(join(trace.path, "endpoint-down.json"));
    await mkdir(join(file, ".."), { recursive: true });
    const note = {
      task: task.id,
      attempt: trace.attempt,
      endpoint,
      reason: error.message,
      kind: error.kind,
      // Nothing of this attempt was written: a call that fails never reaches the write step.
      filesWritten: false,
      next: `attempt ${trace.attempt + 1} starts the task again from its first prompt on another endpoint`,
    };
    await writeFile(file, run.redact(JSON.stringify(note, null, 2) + "\n"));
  }

  /**
   * Reads a reply: its files (with those complete before a cut), or the next
   * request when it was cut or malformed (undefined), or a stop.
   */
  private read(trace: AttemptTrace, text: string): AttemptsEnd | undefined | { files: Map<string, string>; text: string; hadPieces: boolean } {
    const { run, task, prepared } = this.input;
    if (this.cut) {
      const cut = this.cutOff(trace, text);
      if (cut !== "complete") return cut;
    }
    const parsed = parseReply({ reply: text, expected: this.asked });
    if (!parsed.ok) {
      run.emit({ type: "reply-malformed", id: task.id, attempt: trace.attempt, problem: parsed.problem });
      const verdict = this.rules.malformed(parsed.problem);
      if ("stop" in verdict) return this.failed(trace, verdict.stop, verdict.askable);
      this.next("re-ask", [
        ["continued", () => this.input.messages.reask(this.messages, text, parsed.problem)],
        ["latest", () => this.input.messages.reask(this.first, text, parsed.problem)],
        ["fresh", () => this.input.messages.freshReask(this.first, parsed.problem)],
      ]);
      return undefined;
    }
    // The files of this reply, with those that arrived complete before a cut (this reply wins).
    const files = new Map(this.pieces);
    for (const f of parsed.files) files.set(canonicalPath(f.path), f.content);
    const whole = { files, text: [...this.pieceTexts, text].join("\n"), hadPieces: this.pieces.size > 0 };
    this.pieces.clear();
    this.pieceTexts = [];
    this.asked = prepared.expected;
    return whole;
  }

  /** Writes a reply's files and runs verify: done, a stop, or the fix attempt set up (undefined). */
  private async writeAndVerify(trace: AttemptTrace, reply: { files: Map<string, string>; text: string; hadPieces: boolean }): Promise<AttemptsEnd | undefined> {
    const { run, task, prepared, signal } = this.input;
    const { attempt } = trace;
    const written = await this.write([...reply.files].map(([path, content]) => ({ path, content })), attempt);
    if (!written.ok) return this.failed(trace, written.message, false);
    if (written.written.length > 0) run.rebuilt.add(task.id);
    await run.recordWritten(task.id, written.hashes, trace.shown);
    run.emit(filesWrittenEvent(task.id, attempt, written));
    const missing = prepared.expected.filter((p) => !reply.files.has(canonicalPath(p)));
    const stop = this.rules.written(missing, reply.files, this.kind === "review-fix");
    if (stop?.keptAfterReview) {
      this.review?.keptAfterFix(attempt);
      return this.done(trace, written.hashes);
    }
    if (stop) return this.failed(trace, stop.stop, stop.askable);

    const verify = await run.verify(task.id, trace, task.verify, this.input.taskSignal);
    if (this.input.skippedWhileRunning()) return this.settle("skipped", attempt, trace.shown, "skipped while it ran");
    if (verify.aborted || signal.aborted) return this.settle("interrupted", attempt, trace.shown, "interrupted during verify");
    let failed = verify.results.at(-1)!;
    let verdict: ReturnType<FixLoopRules["verifyFailed"]>;
    if (verify.ok) {
      // Verify passed: the cases the task owns run next (a failing one is fixed like a failed verify), then the judge.
      const cases = await runTaskCases(run, task.id, trace, run.casesOf(task.id), this.input.taskSignal);
      if (this.input.skippedWhileRunning()) return this.settle("skipped", attempt, trace.shown, "skipped while it ran");
      if (cases.kind === "interrupted" || signal.aborted) return this.settle("interrupted", attempt, trace.shown, "interrupted during the verification cases");
      if (cases.kind === "passed") return this.reviewed(trace, written.hashes, reply);
      failed = cases.failure;
      verdict = this.rules.casesFailed(failed);
    } else {
      verdict = this.rules.verifyFailed(failed);
    }
    if (verdict.reason !== undefined) run.emit({ type: "attempt-failed", id: task.id, attempt, reason: verdict.reason });
    if ("stop" in verdict) return this.failed(trace, verdict.stop, verdict.askable);
    const failure = { command: failed.command, output: failed.output, attempt };
    this.next("fix", [
      // A reply put together from pieces never stood in the conversation as one: start from the first prompt.
      ...(reply.hadPieces ? [] : [["continued", () => this.input.messages.fix(this.messages, reply.text, failure)] as const]),
      ["latest", () => this.input.messages.fix(this.first, reply.text, failure)],
      ["fresh", () => this.input.messages.freshFix(this.first, failure)],
    ]);
    return undefined;
  }

  /**
   * Verify passed: the implementation judge's turn (review-step.ts). Its kept
   * fails go back into this conversation as a fix request, which must pass
   * verify again; otherwise the task is done.
   */
  private async reviewed(trace: AttemptTrace, hashes: Record<string, string>, reply: { files: Map<string, string>; text: string; hadPieces: boolean }): Promise<AttemptsEnd | undefined> {
    if (this.review === undefined) return this.done(trace, hashes);
    const decision = await this.review.judge(trace, reply.files, this.input.taskSignal, () => this.reviewSlot(trace.attempt));
    if (this.input.skippedWhileRunning()) return this.settle("skipped", trace.attempt, trace.shown, "skipped while it ran");
    if (decision.go === "interrupted" || this.input.signal.aborted) return this.settle("interrupted", trace.attempt, trace.shown, "interrupted during review");
    if (decision.go === "done") return this.done(trace, hashes);
    const { findings } = decision;
    this.input.run.emit({ type: "attempt-failed", id: this.input.task.id, attempt: trace.attempt, reason: `the review failed ${findings.map((f) => f.item).join(", ")}` });
    this.next("review-fix", [
      ...(reply.hadPieces ? [] : [["continued", () => this.input.messages.reviewFix(this.messages, reply.text, findings, trace.attempt)] as const]),
      ["latest", () => this.input.messages.reviewFix(this.first, reply.text, findings, trace.attempt)],
      ["fresh", () => this.input.messages.freshReviewFix(this.first, findings, trace.attempt)],
    ]);
    return undefined;
  }

  /** The slot for a review call: the one held through verify (kept for the fix), or one by the attempt's rank. */
  private async reviewSlot(attempt: number): Promise<ReleaseSlot> {
    const held = this.heldSlot;
    this.heldSlot = undefined;
    const release = held ?? (await this.input.placement.acquire(continuationRank(attempt)));
    return () => {
      if (this.input.holdSlotThroughVerify) this.heldSlot = release;
      else release();
    };
  }

  /**
   * A reply cut off at the output limit. The files it completed are kept, and
   * the next request asks only for the rest — or, when it completed none, for
   * one file at a time; the cut text itself is not sent back whole, since a
   * prompt holding it plus room for the next reply would not fit.
   */
  private cutOff(trace: AttemptTrace, text: string): AttemptsEnd | undefined | "complete" {
    const { run, task, prepared } = this.input;
    const { files, completePart } = salvageCutReply(text, this.asked);
    const fresh = files.filter((f) => !this.pieces.has(canonicalPath(f.path)));
    const remaining = prepared.expected.filter((p) => !this.pieces.has(canonicalPath(p)) && !files.some((f) => canonicalPath(f.path) === canonicalPath(p)));
    // Cut only in what followed the last file: every file is here, so the reply is read as usual.
    if (remaining.length === 0) return "complete";
    for (const f of files) this.pieces.set(canonicalPath(f.path), f.content);
    if (completePart !== "") this.pieceTexts.push(completePart);
    const limit = this.input.outputBudget;
    run.emit({
      type: "reply-malformed",
      id: task.id,
      attempt: trace.attempt,
      problem: `the reply was cut off at the output limit (${limit} tokens) with ${fresh.length === 0 ? "no file" : fresh.map((f) => f.path).join(", ")} complete`,
    });
    const verdict = this.rules.cutOff(fresh.length, remaining, limit);
    if ("stop" in verdict) return this.failed(trace, verdict.stop, verdict.askable);
    const cut = { limit, kept: [...this.pieces.keys()], asked: verdict.asked };
    this.asked = verdict.asked;
    this.next("re-ask", [
      ...(completePart === "" ? [] : [["continued", () => this.input.messages.pieces(this.messages, completePart, cut)] as const]),
      ["fresh", () => this.input.messages.freshPieces(this.first, cut)],
    ]);
    return undefined;
  }

  /** Sets the next attempt: the longest form of its conversation that fits the run's context. */
  private next(kind: AttemptKind, candidates: readonly (readonly [ConversationForm, () => ChatMessage[]])[]): void {
    const chosen = firstThatFits(
      candidates.map(([form, build]) => [form, build] as [ConversationForm, () => ChatMessage[]]),
      (messages) => this.model.fits(messages),
    );
    if (chosen.form !== candidates[0]![0]) {
      const what = chosen.form === "latest" ? "the first prompt and the latest attempt only" : "the first prompt with the request, without the earlier reply";
      this.input.run.emit({ type: "notice", message: `${this.input.task.id}: the whole conversation would not fit num_ctx ${this.model.numCtx}; sending ${what}` });
    }
    this.kind = kind;
    this.messages = chosen.messages;
  }

  /**
   * The model slot for this attempt: the one held from the last generation,
   * the ticket reserved at scheduling, or a new one by rank. Pausing starts
   * nothing new: a task waiting for the model gives its slot back while paused.
   * Undefined when a person skipped the task before it started.
   */
  private async takeSlot(attempt: number): Promise<ReleaseSlot | undefined> {
    const { ticket, placement, control, progress, task, signal } = this.input;
    const rank = this.kind === "implement" ? firstAttemptRank(this.input.planIndex) : continuationRank(attempt);
    let release = this.heldSlot ?? (ticket?.take() ? await ticket.slot : await placement.acquire(rank));
    this.heldSlot = undefined;
    if (!progress.started && control) {
      while (control.paused() && !signal.aborted) {
        release();
        await control.waitWhilePaused(signal);
        release = await placement.acquire(rank);
      }
      if (control.skipped(task.id)) {
        release();
        return undefined;
      }
    }
    return release;
  }

  /** Writes the reply's files; a hand edit in the way is overwritten only if the person says so. */
  private async write(files: FileToWrite[], attempt: number) {
    const { run, task, force } = this.input;
    const write = (forced: boolean, stagingId: string) =>
      safeWrite({ outputDir: run.outputDir, layout: run.layout, files, outputs: task.outputs, edits: task.edits, lastWritten: lastWrittenHashes(run.state), force: forced, stagingId });
    const written = await write(force, `${task.id}-${attempt}`);
    if (written.ok || written.kind !== "conflict") return written;
    const answer = await this.input.decide({ kind: "overwrite-hand-edit", task: task.id, files: written.conflicts.map((c) => ({ path: c.path, message: c.message })) });
    if (answer.kind === "overwrite-hand-edit" && answer.overwrite) return write(true, `${task.id}-${attempt}-force`);
    // The person just said no: asking whether to retry would only ask again.
    return { ok: false as const, message: handEditsKept(written.conflicts.map((c) => c.path)) };
  }

  /** Verify passed: the task is done once its files are committed (when git is on). */
  private async done(trace: AttemptTrace, hashes: Record<string, string>): Promise<AttemptsEnd> {
    const { run, task, prepared, committer } = this.input;
    const model = this.model;
    const built = prepared.keyFor(model.facts.digest ?? "");
    const verified: VerifiedRecord = {
      key: built.key,
      components: built.components,
      outputs: { ...(taskRecord(run.state, task.id)?.outputs ?? {}), ...hashes },
      attempts: trace.attempt,
      trace: trace.shown,
      model: model.model,
      ...(this.review ? { review: this.review.records } : {}),
    };
    const notDone = await completeVerified(run, committer, task, verified, Object.keys(hashes), this.input.signal);
    if (notDone?.interrupted) return this.settle("interrupted", trace.attempt, trace.shown, `verified; its commit was interrupted (${notDone.message}); the next build commits it`);
    if (notDone) return this.failed(trace, `verified, but not committed: ${notDone.message}`, false);
    return this.settle("done", trace.attempt, trace.shown);
  }

  private async settle(outcome: TaskOutcome, attempt: number, trace: string, message?: string): Promise<AttemptsEnd> {
    return { kind: "settled", outcome: await this.input.progress.finish(outcome, attempt, trace, message) };
  }

  private failed(trace: AttemptTrace, message: string, askable: boolean, serverLost?: true): AttemptsEnd {
    return { kind: "failed", attempt: trace.attempt, trace: trace.shown, message, askable, ...(serverLost ? { serverLost } : {}) };
  }
}

/**
 * The files a reply cut at the output limit completed: everything up to the
 * block the cut left open. `completePart` is that prefix of the reply.
 */
export function salvageCutReply(text: string, expected: readonly string[]): { files: ReplyFile[]; completePart: string } {
  const whole = parseReply({ reply: text, expected });
  // Cut in prose after the last block: every file is complete.
  if (whole.ok) return { files: whole.files, completePart: text };
  if (whole.kind !== "unclosed-fence" || whole.line === undefined) return { files: [], completePart: "" };
  const before = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/).slice(0, whole.line - 1).join("\n");
  const part = parseReply({ reply: before, expected });
  return part.ok ? { files: part.files, completePart: before } : { files: [], completePart: "" };
}
