// The build screen's state, folded from the engine's events: each task's live
// status and attempts, the streamed reply and verify output of the tasks being
// worked on (kept to their last lines, so a long build uses flat memory),
// notices, speed and the summary, and what the person asked of the build
// (pause, skips). A plain reducer; time arrives with actions.

import { ignoredPathLines, reviewSummary, verdictLine, type AttemptKind, type BuildEvent, type BuildSummary } from "../../src/build/build-events.js";
import type { TaskState } from "../../src/build/task-state.js";

/** Lines of reply and verify output kept per task; the screen shows fewer. */
export const KEPT_LINES = 200;

export interface TaskLine {
  id: string;
  title: string;
  state: TaskState;
  /** Current or last attempt (0 before the first). */
  attempt: number;
  attemptKind: AttemptKind | undefined;
  /** The endpoint serving the task, when the build has several (host:port). */
  endpoint?: string;
  /** Why each failed attempt failed, in order. */
  failures: string[];
  /** The final message (why it failed or was blocked). */
  message: string | undefined;
  /** Trace folder of the last attempt, relative to the project root. */
  trace: string | undefined;
  durationMs: number | undefined;
  evalTokens: number;
  evalMs: number;
  /** The judge's last review of the task in this build: its one-line summary and its verdicts with their quotes, fails first. */
  review: { attempt: number; summary: string; lines: { verdict: "pass" | "fail" | "cannot-tell" | "discarded"; text: string }[] } | undefined;
}

export interface LiveOutput {
  /** The reply of the current attempt so far, as lines (the last one may be partial). */
  reply: string[];
  /** The running or last verify command and its output lines. */
  verifyCommand: string | undefined;
  verify: string[];
}

export interface BuildViewState {
  phase: "idle" | "starting" | "running" | "finished";
  runId: string | undefined;
  tasks: TaskLine[];
  /** The task the live region follows: the one most recently started or streaming. */
  focus: string | undefined;
  live: Record<string, LiveOutput>;
  notices: string[];
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /**
   * Generated tokens and generation time of finished calls, as the model
   * reports them (Ollama's eval_count and eval_duration): the only honest
   * speed. Counting streamed chunks against the clock measures how the
   * replies arrive (bursts after a pause give 100 000 tok/s), not the model.
   */
  evalTokens: number;
  evalMs: number;
  /** The speed of the last finished call, from the same counts. */
  lastCallRate: number | undefined;
  /** "loading MODEL (num_ctx N)…" while the server loads the model; gone once it answers. */
  loading: string | undefined;
  summary: BuildSummary | undefined;
  /** Why the build could not start or ended early (lock held, plan errors, model unavailable). */
  problem: string[] | undefined;
  /** Esc was pressed; the engine is stopping. */
  cancelling: boolean;
  /** What is built: every task, or one task and what depends on it. */
  only: string | undefined;
  /** p was pressed: no new task starts until it is pressed again. */
  pauseRequested: boolean;
  /** Tasks the person skipped in this build that the engine has not reported as skipped yet. */
  skipRequested: string[];
}

export type BuildViewAction =
  | { type: "start"; now: number; only?: string }
  | { type: "pause"; paused: boolean }
  | { type: "skip"; id: string }
  | { type: "events"; events: BuildEvent[]; now: number }
  | { type: "cancelling" }
  | { type: "problem"; lines: string[]; now: number }
  | { type: "ended"; now: number };

export function initialBuildView(): BuildViewState {
  return {
    phase: "idle",
    runId: undefined,
    tasks: [],
    focus: undefined,
    live: {},
    notices: [],
    startedAt: undefined,
    finishedAt: undefined,
    evalTokens: 0,
    evalMs: 0,
    lastCallRate: undefined,
    loading: undefined,
    summary: undefined,
    problem: undefined,
    cancelling: false,
    only: undefined,
    pauseRequested: false,
    skipRequested: [],
  };
}

export function buildViewReducer(state: BuildViewState, action: BuildViewAction): BuildViewState {
  switch (action.type) {
    case "start":
      return { ...initialBuildView(), phase: "starting", startedAt: action.now, only: action.only };
    case "pause":
      return state.phase === "running" || state.phase === "starting" ? { ...state, pauseRequested: action.paused } : state;
    case "skip":
      return state.skipRequested.includes(action.id) ? state : { ...state, skipRequested: [...state.skipRequested, action.id] };
    case "cancelling":
      return state.phase === "running" || state.phase === "starting" ? { ...state, cancelling: true } : state;
    case "problem":
      return { ...state, phase: "finished", problem: action.lines, finishedAt: action.now, loading: undefined, pauseRequested: false };
    case "ended":
      return state.phase === "finished" ? { ...state, pauseRequested: false, loading: undefined } : { ...state, phase: "finished", finishedAt: action.now, pauseRequested: false, loading: undefined };
    case "events": {
      // One copy per batch, then mutate the copy: a batch can hold thousands of deltas.
      const next: BuildViewState = { ...state, tasks: state.tasks.map((t) => ({ ...t })), live: { ...state.live }, notices: [...state.notices], skipRequested: [...state.skipRequested] };
      for (const event of action.events) apply(next, event, action.now);
      return next;
    }
  }
}

function liveOf(s: BuildViewState, id: string): LiveOutput {
  const current = s.live[id];
  const copy: LiveOutput = current
    ? { ...current, reply: current.reply.slice(), verify: current.verify.slice() }
    : { reply: [], verifyCommand: undefined, verify: [] };
  s.live[id] = copy;
  return copy;
}

/** Appends streamed text to a list of lines, keeping the last KEPT_LINES. */
export function appendLines(lines: string[], text: string): void {
  const parts = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length === 0) lines.push("");
  lines[lines.length - 1] += parts[0]!;
  for (const part of parts.slice(1)) lines.push(part);
  if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
}

function apply(s: BuildViewState, event: BuildEvent, now: number): void {
  const task = (id: string) => s.tasks.find((t) => t.id === id);
  switch (event.type) {
    case "build-started":
      s.phase = "running";
      s.runId = event.runId;
      s.tasks = event.tasks.map((t) => ({
        id: t.id,
        title: t.title,
        state: t.state.kind,
        attempt: 0,
        attemptKind: undefined,
        review: undefined,
        failures: [],
        message: undefined,
        trace: undefined,
        durationMs: undefined,
        evalTokens: 0,
        evalMs: 0,
      }));
      return;
    case "setup-started":
      s.notices.push(`setup: ${event.commands.join(" && ")}`);
      return;
    case "setup-finished":
      s.notices.push(event.ok ? "setup: ok" : `setup failed: ${event.results.at(-1)?.command ?? ""}`);
      return;
    case "task-up-to-date": {
      const t = task(event.id);
      if (t) t.state = "up-to-date";
      return;
    }
    case "task-started": {
      const t = task(event.id);
      if (t) t.state = "generating";
      s.focus = event.id;
      s.live[event.id] = { reply: [], verifyCommand: undefined, verify: [] };
      return;
    }
    case "attempt-started": {
      const t = task(event.id);
      if (t) {
        t.attempt = event.attempt;
        t.attemptKind = event.kind;
        t.state = "generating";
        t.trace = event.trace;
        if (event.endpoint !== undefined) t.endpoint = event.endpoint.replace(/^https?:\/\//, "");
      }
      const live = liveOf(s, event.id);
      live.reply = [];
      s.focus = event.id;
      return;
    }
    case "model": {
      const m = event.event;
      if (m.type === "delta") {
        s.loading = undefined;
        if (m.kind === "content") appendLines(liveOf(s, event.id).reply, m.text);
      } else if (m.type === "call-finished") {
        s.loading = undefined;
        const tokens = m.metrics.evalCount;
        const ms = m.metrics.evalMs;
        // A server that reports no counts gives no speed rather than a made-up one.
        if (tokens !== undefined && ms !== undefined && tokens > 0 && ms > 0) {
          s.evalTokens += tokens;
          s.evalMs += ms;
          s.lastCallRate = tokens / (ms / 1000);
        }
      } else if (m.type === "model-loading") {
        s.loading = `loading ${m.model} (num_ctx ${m.numCtx})…`;
      } else if (m.type === "call-failed") {
        s.loading = undefined;
        if (m.error.kind !== "aborted") s.notices.push(`${event.id}: ${m.error.message}`);
      }
      return;
    }
    case "reply-malformed":
      s.notices.push(`${event.id}: malformed reply — ${event.problem}`);
      return;
    case "files-written":
      for (const line of ignoredPathLines(event)) s.notices.push(`${event.id}: ${line}`);
      return;
    case "verify-started": {
      const t = task(event.id);
      if (t) t.state = "verifying";
      const live = liveOf(s, event.id);
      live.verifyCommand = event.command;
      live.verify = [];
      return;
    }
    case "verify-output":
      appendLines(liveOf(s, event.id).verify, event.chunk);
      return;
    case "verify-finished":
      return;
    case "attempt-failed": {
      const t = task(event.id);
      if (t) t.failures.push(`attempt ${event.attempt}: ${event.reason}`);
      return;
    }
    case "review-started": {
      const t = task(event.id);
      if (t) t.state = "reviewing";
      return;
    }
    case "review-finished": {
      // The focused task's review block shows every verdict; a task not in focus leaves its outcome in the notices.
      s.notices.push(`${event.id}: ${reviewSummary(event)}`);
      if (s.notices.length > 20) s.notices.splice(0, s.notices.length - 20);
      const t = task(event.id);
      if (!t) return;
      const order = { fail: 0, pass: 1, "cannot-tell": 2 } as const;
      const kept = [...event.verdicts].sort((a, b) => order[a.verdict] - order[b.verdict]);
      t.review = {
        attempt: event.attempt,
        summary: reviewSummary(event),
        lines: [
          ...kept.map((v) => ({ verdict: v.verdict, text: verdictLine(v) })),
          ...event.discarded.map((d) => ({ verdict: "discarded" as const, text: `discarded ${d.verdict} ${d.item}: ${d.why}` })),
        ],
      };
      return;
    }
    case "committed":
      return;
    case "endpoint-down":
      s.notices.push(`endpoint ${event.endpoint} is down: ${event.reason}${event.task && event.nextAttempt !== undefined ? ` — ${event.task} starts again on another endpoint` : ""}`);
      if (s.notices.length > 20) s.notices.splice(0, s.notices.length - 20);
      return;
    case "notice":
      s.notices.push(event.message);
      if (s.notices.length > 20) s.notices.splice(0, s.notices.length - 20);
      return;
    case "task-finished": {
      const t = task(event.id);
      if (event.outcome === "skipped") s.skipRequested = s.skipRequested.filter((id) => id !== event.id);
      if (t) {
        t.state = event.outcome === "skipped" ? "skipped" : event.outcome;
        t.attempt = Math.max(t.attempt, event.attempts);
        t.durationMs = event.durationMs;
        t.evalTokens = event.evalTokens;
        t.evalMs = event.evalMs;
        t.message = event.message;
        if (event.trace) t.trace = event.trace;
      }
      return;
    }
    case "build-finished":
      s.summary = event.summary;
      s.phase = "finished";
      s.pauseRequested = false;
      s.skipRequested = [];
      s.loading = undefined;
      s.finishedAt = now;
      if (event.summary.modelUnavailable) s.problem = [event.summary.modelUnavailable];
      return;
  }
}

/** Tasks this build still has to work on, and an estimate of the time they take from the measured ones. */
export function remainingEstimate(state: BuildViewState): { remaining: number; ms: number | undefined } {
  const remaining = state.tasks.filter((t) => t.state === "pending" || t.state === "generating" || t.state === "verifying" || t.state === "reviewing").length;
  const measured = state.tasks.filter((t) => t.state === "done" && t.durationMs !== undefined);
  if (measured.length === 0) return { remaining, ms: undefined };
  const average = measured.reduce((n, t) => n + t.durationMs!, 0) / measured.length;
  return { remaining, ms: Math.round(average * remaining) };
}

/** Where a pause stands: asked for while tasks still work ("pausing"), or nothing working ("paused"). */
export function pauseState(state: BuildViewState): "none" | "pausing" | "paused" {
  if (!state.pauseRequested || state.phase === "finished" || state.phase === "idle") return "none";
  return state.tasks.some((t) => t.state === "generating" || t.state === "verifying" || t.state === "reviewing") ? "pausing" : "paused";
}

/** Task states r retries: the ones a build left unfinished. */
export const RETRYABLE: readonly string[] = ["failed", "blocked", "interrupted"];

/** Whether a task can still be skipped in this build (it has not finished), and why not. */
export function skippable(state: BuildViewState, id: string): { ok: true } | { ok: false; why: string } {
  if (state.phase !== "running" && state.phase !== "starting") return { ok: false, why: "no build is running; s skips a task of a running build" };
  const task = state.tasks.find((t) => t.id === id);
  if (!task) return { ok: false, why: `${id} is not in this build` };
  if (state.skipRequested.includes(id)) return { ok: false, why: `${id} is already being skipped` };
  if (["pending", "manual", "generating", "verifying", "reviewing"].includes(task.state)) return { ok: true };
  return { ok: false, why: `${id} is ${task.state} in this build; only a queued or running task can be skipped` };
}
