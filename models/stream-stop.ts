// The one stop rule of a streamed call, the same for Ollama's /api/chat and an
// OpenAI-compatible /v1/chat/completions: the call's own controller, aborted
// by the caller's signal (Ctrl-C), by the first-chunk timeout before anything
// arrives and by the stall timeout between chunks (re-armed per chunk), and by
// cleanup once the stream is done with. Why it stopped is read back from the
// signal's reason, so a timeout is not mistaken for Ctrl-C or a network error.

import { aborted, timedOut, type ModelError } from "./errors.js";

type Phase = "before-first-chunk" | "mid-stream";

/** Why we aborted our own controller; read back from `signal.reason`. */
class StopReason {
  constructor(
    readonly kind: "caller" | "timeout" | "cleanup",
    readonly afterMs = 0,
    readonly phase: Phase = "before-first-chunk",
  ) {}
}

export class StreamStop {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort = () => this.controller.abort(new StopReason("caller"));

  constructor(private readonly callerSignal: AbortSignal | undefined) {
    callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
  }

  /** The signal the request runs under. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timeout: `ms` from now the request is aborted as timed out in `phase`. */
  arm(ms: number, phase: Phase): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new StopReason("timeout", ms, phase)), ms);
  }

  /** Stops the timer and stops listening to the caller; with `abort`, ends the request (a body left unread). */
  release(abort: boolean): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
    if (abort && !this.controller.signal.aborted) this.controller.abort(new StopReason("cleanup"));
  }

  /** The error our own abort stands for (Ctrl-C or a timeout), or undefined when the failure was not ours. */
  stoppedError(): ModelError | undefined {
    const reason: unknown = this.controller.signal.reason;
    if (!this.controller.signal.aborted || !(reason instanceof StopReason)) return undefined;
    if (reason.kind === "caller") return aborted();
    if (reason.kind === "timeout") return timedOut(reason.afterMs, reason.phase);
    return undefined;
  }
}
