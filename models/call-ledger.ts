// What every ModelRun adapter records around one call, the same for Ollama
// and OpenAI-compatible servers: the CallStart it opens with, the stream's
// timeouts and deltas, what a reply stopped at the length limit means, and the
// events and CallRecord a call ends with, failed or answered. The adapters
// keep what differs: the wire, the context checks, the metrics' sources.

import type { CallMetrics, CallRecord, CallRecorder, CallStart, ChatMessage } from "./call-record.js";
import type { TokenCalibration } from "./context-budget.js";
import { estimateMessagesTokens } from "./context-budget.js";
import { fail, ok, type ModelError, type ModelResult } from "./errors.js";
import type { ModelEvent } from "./events.js";
import type { CallReply, CallRequest, ModelRunSettings } from "./model-run.js";

/** A call as the run will send it, before any context check. */
export interface OpenedCall {
  callId: string;
  messages: ChatMessage[];
  /** The estimate before calibration: what calibration and truncation checks compare the server's count with. */
  rawEstimate: number;
  wantsThinking: boolean;
  outputBudget: number;
  /** A fresh CallStart (a resend after a reload gets its own start time and calibrated estimate). */
  start(): CallStart;
}

/** The run's side of a call: who it is and what it plans with when the call (or its resend) starts. */
export interface CallSite {
  readonly model: string;
  readonly host: string;
  /** Read at each start: a reload changes it between a call and its resend. */
  readonly numCtx: number;
}

/** Opens call number `callNumber` of a run: its id, messages, estimate and options, the request's own over the run's. */
export function openCall(
  site: CallSite,
  run: { settings: ModelRunSettings; calibration: TokenCalibration; digest?: string },
  request: CallRequest,
  callNumber: number,
): OpenedCall {
  const { settings, calibration } = run;
  const callId = `${request.caller}#${callNumber}`;
  const messages = request.messages.map((m) => ({ role: m.role, content: m.content }));
  const rawEstimate = estimateMessagesTokens(messages);
  const wantsThinking = request.think ?? settings.think;
  const outputBudget = request.outputBudget ?? settings.outputBudget;
  const start = (): CallStart => ({
    callId,
    caller: request.caller,
    model: site.model,
    ...(run.digest !== undefined ? { digest: run.digest } : {}),
    host: site.host,
    messages,
    options: {
      numCtx: site.numCtx,
      numPredict: outputBudget,
      temperature: settings.temperature,
      keepAlive: settings.keepAlive,
      think: wantsThinking,
      ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
    },
    ...(request.format ? { format: request.format } : {}),
    ...(request.sessionId !== undefined ? { sessionId: request.sessionId } : {}),
    // Calibrated by what the server counted on earlier calls of this run (see TokenCalibration).
    estimatedPromptTokens: calibration.calibrated(rawEstimate),
    startedAt: new Date().toISOString(),
  });
  return { callId, messages, rawEstimate, wantsThinking, outputBudget, start };
}

/**
 * The stream's hooks: a call's own signal, else the run's (a run opened under
 * Ctrl-C's signal stops every call on it), the run's timeouts, and — for a
 * call — each delta to the caller's recorder and to events.
 */
export function streamHooks(
  settings: ModelRunSettings,
  requestSignal: AbortSignal | undefined,
  call?: { start: CallStart; recorder: CallRecorder | undefined; emit: (event: ModelEvent) => void },
) {
  const signal = requestSignal ?? settings.signal;
  return {
    ...(signal ? { signal } : {}),
    firstChunkTimeoutMs: settings.firstChunkTimeoutMs ?? settings.stallTimeoutMs,
    stallTimeoutMs: settings.stallTimeoutMs,
    ...(call
      ? {
          onDelta: (kind: "content" | "thinking", text: string) => {
            call.recorder?.delta(kind, text);
            call.emit({ type: "delta", callId: call.start.callId, caller: call.start.caller, kind, text });
          },
        }
      : {}),
  };
}

/** How the run names its window in a "the context was full" message, and what to do about it. */
export interface WindowWords {
  /** e.g. "the context window (num_ctx 8192)", "the server's context (8192)". */
  window: string;
  hint: string;
}

/**
 * What a reply that stopped at the length limit means: a thinking model that
 * spent the whole budget thinking (ollama #16184), a reply cut by the window
 * (fewer tokens than the budget: with no context shift the window, not only
 * the budget, ends a reply with "length" — runner.go / llama.cpp
 * STOP_TYPE_LIMIT), or a reply cut at the output budget.
 */
export function lengthStopError(
  model: string,
  caller: string,
  reply: { content: string; thinking: string },
  metrics: CallMetrics,
  outputBudget: number,
  words: WindowWords,
): ModelError {
  if (reply.content.trim() === "" && reply.thinking !== "") {
    return {
      kind: "thinking-exhausted",
      caller,
      evalCount: metrics.evalCount,
      thinking: reply.thinking,
      message: `${model} spent the whole output budget (${outputBudget} tokens) thinking for ${caller} and wrote no answer`,
      hint: "raise the role's output budget, or turn thinking off for this role (model.<role> without +think)",
    };
  }
  const windowFull = metrics.evalCount !== undefined && metrics.evalCount < outputBudget;
  return {
    kind: "output-truncated",
    caller,
    evalCount: metrics.evalCount,
    reply: reply.content,
    message: windowFull
      ? `the reply for ${caller} stopped after ${metrics.evalCount} tokens because ${words.window} was full`
      : `the reply for ${caller} was cut off at the output budget (${outputBudget} tokens)`,
    hint: windowFull ? words.hint : "the task asks for more output than the budget allows; split it into smaller tasks",
  };
}

/** Ends a call as failed: the call-failed event, the CallRecord, the error. */
export async function callFailed(
  emit: (event: ModelEvent) => void,
  start: CallStart,
  recorder: CallRecorder | undefined,
  metrics: CallMetrics,
  error: ModelError,
  doneReason?: string,
  truncation?: CallRecord["truncationSuspected"],
): Promise<ModelResult<never>> {
  emit({ type: "call-failed", callId: start.callId, caller: start.caller, error });
  await recorder?.finished({
    ...start,
    outcome: "failed",
    finishedAt: new Date().toISOString(),
    metrics,
    error,
    ...(doneReason ? { doneReason } : {}),
    ...(truncation ? { truncationSuspected: truncation } : {}),
  });
  return fail(error);
}

/** Ends a call as answered: the call-finished event, the CallRecord, the reply. */
export async function callAnswered(
  emit: (event: ModelEvent) => void,
  start: CallStart,
  recorder: CallRecorder | undefined,
  reply: CallReply,
): Promise<ModelResult<CallReply>> {
  const { doneReason, metrics } = reply;
  emit({ type: "call-finished", callId: start.callId, caller: start.caller, doneReason, metrics });
  await recorder?.finished({ ...start, outcome: "ok", finishedAt: new Date().toISOString(), metrics, ...(doneReason ? { doneReason } : {}) });
  return ok(reply);
}
