// The implementation judge's step in the attempt loop: after a task's files
// pass verify, one structured call to the reviewer role (review-prompt.ts)
// that sees the task's refs, the files and its dependencies' interfaces —
// never the build conversation. Each verdict's quote is checked against the
// file; invented ones are discarded and counted. A kept `fail` becomes a fix
// request in the task's own conversation (the attempt loop sends it), at most
// `build.max_review_attempts` times per run of the loop; the fix must pass
// verify again, and is judged again.
//
// A review that cannot be had (nothing to check, a prompt too long for the
// context, a reviewer error or an answer invalid twice) never fails a task
// whose files passed verify: it is recorded and said, and the task goes on.
// Every review leaves review.json in its attempt's trace folder and a record
// in the task's state entry; `why` and the Build screen read them.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelError } from "../../models/errors.js";
import type { ModelRun } from "../../models/model-run.js";
import type { Task } from "../../plans/plan.js";
import type { AttemptTrace, BuildRun, TaskProgress } from "./build-run.js";
import type { ReleaseSlot } from "./model-slots.js";
import { checkVerdicts, reviewMessages, reviewSchema, type DiscardedVerdict, type JudgedItem, type ReviewFindingText, type ReviewMaterial, type Verdict } from "./review-prompt.js";

/** The reviewer as the build uses it (build.review on). */
export interface ReviewSettings {
  /** build.max_review_attempts: fix requests a review may send per run of the loop. */
  maxAttempts: number;
  /** The most tokens one answer may take; sized per review from its items, never above this. */
  maxOutputTokens: number;
}

/** How one review ended. */
export type ReviewOutcome =
  /** No kept fail. */
  | "passed"
  /** Kept fails went back to the task as a fix request. */
  | "fix-requested"
  /** Kept fails, and no review fix attempts left (or the model kept its files): the task is done with them. */
  | "findings-left"
  /** The task's refs hold nothing checkable. */
  | "nothing-to-check"
  /** No verdicts: the review prompt did not fit, the reviewer failed, or its answer was invalid twice. */
  | "not-reviewed";

/** One review as state.json and review.json keep it. */
export interface ReviewRecord {
  attempt: number;
  outcome: ReviewOutcome;
  model?: string;
  items: number;
  pass: number;
  fail: number;
  cannotTell: number;
  /** Verdicts thrown away because their quote was not in the file. */
  discarded: number;
  unanswered: number;
  /** The kept fails: item, file, line, quote and reason. */
  findings: JudgedItem[];
  message?: string;
}

export type ReviewDecision = { go: "done" } | { go: "fix"; findings: ReviewFindingText[] } | { go: "interrupted" };

/** Tokens per item a verdict takes, with the JSON around it; the answer's budget is sized from it. */
const TOKENS_PER_VERDICT = 160;

export class ReviewStep {
  private fixes = 0;
  /** Every review of this run of the loop, in order. */
  readonly records: ReviewRecord[] = [];

  constructor(
    private readonly settings: ReviewSettings,
    private readonly run: BuildRun,
    private readonly task: Task,
    private readonly material: ReviewMaterial | undefined,
    private readonly progress: TaskProgress,
    /** The reviewer role's run on the task's endpoint (the build's own run when both roles name one model). */
    private readonly reviewerRun: () => ModelRun,
    /** A reviewer call failed: the endpoint may be down (the attempt loop decides). */
    private readonly onCallFailed: (error: ModelError) => void = () => undefined,
    /** Counts the calls sent to the task's endpoint (run.json). */
    private readonly onCalls: (calls: number) => void = () => undefined,
    /** The task's session id (X-Session-Id), so a router keeps the review with the task's calls. */
    private readonly sessionId?: string,
  ) {}

  /** The model kept its files after a review fix: the findings stand, and the task is done with them. */
  keptAfterFix(attempt: number): void {
    const last = this.records.at(-1);
    if (last && last.outcome === "fix-requested") {
      this.run.emit({ type: "notice", message: `${this.task.id}: attempt ${attempt} sent the files back unchanged after the review; done with ${last.fail} review finding(s) left (see ${this.run.attemptTrace(this.task.id, last.attempt).shown}/review.json)` });
    }
  }

  /** Judges the files an attempt wrote and verify passed. `slot` takes a model slot for the call. */
  async judge(trace: AttemptTrace, files: ReadonlyMap<string, string>, signal: AbortSignal, slot: () => Promise<ReleaseSlot>): Promise<ReviewDecision> {
    const { run, task } = this;
    const items = this.material?.items ?? [];
    const reviewer = this.reviewerRun();
    if (items.length === 0) {
      await this.finish(trace, { attempt: trace.attempt, outcome: "nothing-to-check", items: 0, pass: 0, fail: 0, cannotTell: 0, discarded: 0, unanswered: 0, findings: [] }, [], []);
      return { go: "done" };
    }
    const fileList = [...files].map(([path, content]) => ({ path, content }));
    const messages = reviewMessages(this.material!, task, fileList);
    const outputBudget = Math.min(this.settings.maxOutputTokens, 256 + TOKENS_PER_VERDICT * items.length);
    const empty = { attempt: trace.attempt, model: reviewer.model, items: items.length, pass: 0, fail: 0, cannotTell: 0, discarded: 0, unanswered: items.length, findings: [] };
    if (!reviewer.fits(messages, outputBudget)) {
      await this.finish(trace, { ...empty, outcome: "not-reviewed", message: `the review prompt does not fit num_ctx ${reviewer.numCtx}; not reviewed` }, [], []);
      return { go: "done" };
    }
    run.emit({ type: "review-started", id: task.id, attempt: trace.attempt, items: items.length, model: reviewer.model });
    let asks = 0;
    const release = await slot();
    let answer;
    try {
      answer = await reviewer.callStructured<{ verdicts: Omit<JudgedItem, "line">[] }>({
        caller: `${task.id}-review`,
        messages,
        ...(this.sessionId !== undefined ? { sessionId: this.sessionId } : {}),
        schema: reviewSchema(items),
        outputBudget,
        signal,
        recorder: () => run.recorder({ attempt: trace.attempt, path: `${trace.path}/review${++asks === 1 ? "" : `-${asks}`}`, shown: trace.shown }),
      });
    } finally {
      release();
    }
    run.summary.modelCalls += asks;
    run.summary.reviews.calls += asks;
    this.onCalls(asks);
    if (!answer.ok) {
      if (answer.error.kind === "aborted" || signal.aborted) return { go: "interrupted" };
      this.onCallFailed(answer.error);
      await this.finish(trace, { ...empty, outcome: "not-reviewed", message: `the reviewer failed: ${answer.error.message}` }, [], []);
      return { go: "done" };
    }
    const metrics = answer.value.reply.metrics;
    this.progress.metrics.push(metrics);
    run.summary.reviews.promptTokens += metrics.promptTokens ?? metrics.promptEvalCount ?? 0;
    run.summary.reviews.cachedPromptTokens += metrics.cachedPromptTokens ?? 0;
    run.summary.reviews.evalTokens += metrics.evalCount ?? 0;

    const checked = checkVerdicts(answer.value.value, items, files);
    const count = (v: Verdict) => checked.kept.filter((k) => k.verdict === v).length;
    const failed = checked.kept.filter((k) => k.verdict === "fail");
    const canFix = failed.length > 0 && this.fixes < this.settings.maxAttempts;
    const record: ReviewRecord = {
      attempt: trace.attempt,
      outcome: failed.length === 0 ? "passed" : canFix ? "fix-requested" : "findings-left",
      model: reviewer.model,
      items: items.length,
      pass: count("pass"),
      fail: failed.length,
      cannotTell: count("cannot-tell"),
      discarded: checked.discarded.length,
      unanswered: checked.unanswered.length,
      findings: failed,
      ...(failed.length > 0 && !canFix ? { message: `no review fix attempts left (max_review_attempts = ${this.settings.maxAttempts}); done with ${failed.length} finding(s)` } : {}),
    };
    run.summary.reviews.discarded += checked.discarded.length;
    await this.finish(trace, record, checked.kept, checked.discarded, { asks, unanswered: checked.unanswered });
    if (!canFix) return { go: "done" };
    this.fixes++;
    const text = new Map(items.map((i) => [i.id, i.text]));
    return { go: "fix", findings: failed.map((f) => ({ item: f.item, text: text.get(f.item) ?? "", file: f.file, quote: f.quote, ...(f.line !== undefined ? { line: f.line } : {}), reason: f.reason })) };
  }

  /** Records a review: review.json in the attempt's folder, the event, the tally. */
  private async finish(trace: AttemptTrace, record: ReviewRecord, verdicts: JudgedItem[], discarded: DiscardedVerdict[], extra: { asks?: number; unanswered?: string[] } = {}): Promise<void> {
    this.records.push(record);
    if (record.outcome === "fix-requested" || record.outcome === "findings-left") this.run.summary.reviews.failed++;
    const file = this.run.traceFile(join(trace.path, "review.json"));
    await mkdir(join(file, ".."), { recursive: true });
    const json = {
      task: this.task.id,
      ...record,
      items: this.material?.items ?? [],
      verdicts,
      discarded,
      unanswered: extra.unanswered ?? [],
      ...(extra.asks !== undefined ? { asks: extra.asks } : {}),
    };
    await writeFile(file, this.run.redact(JSON.stringify(json, null, 2) + "\n"));
    this.run.emit({
      type: "review-finished",
      id: this.task.id,
      attempt: trace.attempt,
      outcome: record.outcome,
      verdicts,
      discarded,
      unanswered: extra.unanswered ?? [],
      ...(record.message !== undefined ? { message: record.message } : {}),
    });
  }
}
