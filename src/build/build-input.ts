// What the build engine is given: the plan and state, its limits, and the
// callbacks that connect it to the world (the model, git, the trace folder,
// events, questions). The engine does no I/O that is not reachable from here,
// apart from the output dir it writes and verifies in.

import type { TaskCases } from "./cases-step.js";
import type { ChatMessage } from "../../models/call-record.js";
import type { ModelError, ModelFault } from "../../models/errors.js";
import type { EndpointPool } from "./endpoint-pool.js";
import type { TaskSelection } from "../../plans/graph.js";
import type { ProjectLayout } from "../../plans/output-path.js";
import type { Plan, Task } from "../../plans/plan.js";
import type { StateFile } from "../state/state-file.js";
import type { TraceRun } from "../traces/trace-run.js";
import type { BuildControl } from "./build-control.js";
import type { BuildAnswer, BuildEvent, BuildQuestion, BuildSummary } from "./build-events.js";
import type { CutReply, VerifyFailureText } from "./task-prompt.js";
import type { ReviewFindingText, ReviewMaterial } from "./review-prompt.js";

/** What a task's prompt and key are, given its dependencies' outputs. */
export interface PreparedTask {
  messages: ChatMessage[];
  /** outputs then edits: the files the reply must hold. */
  expected: string[];
  /** The key with the model digest recorded at the task's last build (see prepare-task.ts). */
  key: string;
  components: Record<string, string>;
  /** The key with another model digest: what a successful build records. */
  keyFor(digest: string): { key: string; components: Record<string, string> };
  estimatedTokens: number;
  /** Set when the task cannot be prompted (a ref that no longer resolves). */
  problem?: string;
  /** What the implementation judge sees besides the files (review-prompt.ts). */
  review?: ReviewMaterial;
}

/** Per dependency task id: path → sha256 of the files it last wrote. */
export type DependencyOutputs = Record<string, Record<string, string>>;

/**
 * The texts of the messages after a task's first prompt (task-prompt.ts).
 * Each continues a conversation (`previous` plus a reply and a request) or,
 * in its fresh form, appends the request to the first prompt alone.
 */
export interface TaskMessages {
  /** A fix attempt: the reply that failed verify and the failure. */
  fix(previous: ChatMessage[], reply: string, failure: VerifyFailureText): ChatMessage[];
  freshFix(first: ChatMessage[], failure: VerifyFailureText): ChatMessage[];
  /** A fix after the judge's review: the reply that was reviewed and the items it failed. */
  reviewFix(previous: ChatMessage[], reply: string, findings: readonly ReviewFindingText[], attempt: number): ChatMessage[];
  freshReviewFix(first: ChatMessage[], findings: readonly ReviewFindingText[], attempt: number): ChatMessage[];
  /** A re-ask: the malformed reply and the parser's problem. */
  reask(previous: ChatMessage[], reply: string, problem: string): ChatMessage[];
  freshReask(first: ChatMessage[], problem: string): ChatMessage[];
  /** After a reply cut at the output limit: its complete part, and the request for the files still missing. */
  pieces(previous: ChatMessage[], completePart: string, cut: CutReply): ChatMessage[];
  freshPieces(first: ChatMessage[], cut: CutReply): ChatMessage[];
  /** Tokens a fix request can add besides the reply it follows; the run's context is sized with it. */
  readonly fixRequestTokens: number;
}

/** The output repository as the build uses it (git-committer.ts). */
export interface OutputCommitter {
  /** Commits the task's files; `sha` is the commit that holds them (absent: none does, e.g. all ignored). */
  commit(task: Task, files: string[], trace: string): Promise<{ ok: true; sha?: string } | { ok: false; message: string }>;
  /** Takes the files out of the index (back to HEAD), leaving them on disk. */
  unstage(files: string[]): Promise<{ ok: true } | { ok: false; message: string }>;
}

export interface BuildEngineInput {
  /** Where the run's state, case records and trace paths live: the project, or a comparison's scratch folder. */
  root: string;
  /** Where a copy task's sources are read from (default `root`): the project, when `root` is a scratch folder. */
  sourceRoot?: string;
  /** Absolute output dir. */
  outputDir: string;
  /** Where the project's own files are: no task may write them. */
  layout: ProjectLayout;
  plan: Plan;
  state: StateFile;
  selection: TaskSelection;
  force: boolean;
  /** Model calls at once (build.parallel). */
  parallel: number;
  /** The most tokens one reply may have (num_predict); a reply that reaches it is cut off. */
  outputBudget: number;
  /**
   * Let another task generate while a task's verify runs (default true). With
   * false, a task keeps its model slot through verify into its fix attempts.
   */
  overlapVerify?: boolean;
  maxFixAttempts: number;
  /**
   * The implementation judge (build.review on): the reviewer role's run is
   * opened on every endpoint with the build's, before anything is written.
   */
  review?: {
    maxAttempts: number;
    maxOutputTokens: number;
  };
  verifyTimeoutMs: number;
  setup: string[];
  prepare(task: Task, dependencies: DependencyOutputs): Promise<PreparedTask>;
  /** The verification cases each task runs after its verify commands pass (cases-step.ts). */
  cases?: TaskCases;
  messages: TaskMessages;
  /**
   * Opens the build's model (and reviewer) on every endpoint that serves it,
   * once the engine knows the largest conversation it will send: the pool of
   * those that opened, or why none did.
   */
  openModel(largestPromptTokens: number): Promise<{ ok: true; pool: EndpointPool } | { ok: false; error: ModelError }>;
  /** Opens the output repository for task commits (build.git on); called only when a commit may be made. */
  openCommitter?(): Promise<{ ok: true; committer: OutputCommitter } | { ok: false; message: string; hint?: string }>;
  /** Creates the run's trace folder, once the run is sure to start. */
  openTrace(): Promise<TraceRun>;
  signal: AbortSignal;
  onEvent(event: BuildEvent): void;
  decide(question: BuildQuestion): Promise<BuildAnswer>;
  saveState(state: StateFile): Promise<void>;
  /** Pause, skip and retry from a person (the TUI). Absent: the build runs through, as headless builds do. */
  control?: BuildControl;
}

/**
 * How a build ended. A build that could not start (the model is not there,
 * the output repository cannot be used) wrote no run folder, ran no git and
 * built nothing: it is a problem to report, never a summary of zero tasks.
 */
export type BuildOutcome =
  | { started: true; summary: BuildSummary }
  /** `fault`: why the model run could not be opened, which decides the exit code. */
  | { started: false; reason: "model"; fault: ModelFault; message: string; hint: string }
  | { started: false; reason: "output-repository"; message: string; hint?: string };
