// Steering a running build: pause after the tasks that are running, skip a
// task (queued: never started; running: aborted and counted as skipped), and
// whether a failed task may be offered for a retry. The TUI holds a
// BuildController and passes it to the engine; headless builds pass nothing
// and behave as they always did.

/** What the engine asks about a person's wishes while it schedules. */
export interface BuildControl {
  /** True while no new task should start; tasks already working finish. */
  paused(): boolean;
  /** Resolves when the build is resumed, or when `signal` aborts; at once when not paused. */
  waitWhilePaused(signal: AbortSignal): Promise<void>;
  /** True when the person skipped `id` in this run. */
  skipped(id: string): boolean;
  /** Calls `abort` when `id` is skipped while it runs; returns the unsubscribe. */
  onSkip(id: string, abort: () => void): () => void;
  /** Ask `retry-failed` through `decide` before a task is given up as failed. */
  readonly askRetry: boolean;
}

/** The control a UI drives: pause, resume and skip are plain method calls. */
export class BuildController implements BuildControl {
  readonly askRetry: boolean;
  private isPaused = false;
  private readonly skips = new Set<string>();
  private resumers: (() => void)[] = [];
  private readonly skipListeners = new Map<string, Set<() => void>>();

  constructor(options: { askRetry?: boolean } = {}) {
    this.askRetry = options.askRetry ?? true;
  }

  paused(): boolean {
    return this.isPaused;
  }

  skipped(id: string): boolean {
    return this.skips.has(id);
  }

  /** Stops starting new tasks; the running ones finish. */
  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    const waiting = this.resumers;
    this.resumers = [];
    for (const resume of waiting) resume();
  }

  /** Skips `id` in this run: a queued task never starts, a running one is aborted. */
  skip(id: string): void {
    this.skips.add(id);
    for (const abort of this.skipListeners.get(id) ?? []) abort();
  }

  waitWhilePaused(signal: AbortSignal): Promise<void> {
    if (!this.isPaused || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        this.resumers = this.resumers.filter((r) => r !== done);
        resolve();
      };
      this.resumers.push(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  onSkip(id: string, abort: () => void): () => void {
    const listeners = this.skipListeners.get(id) ?? new Set<() => void>();
    listeners.add(abort);
    this.skipListeners.set(id, listeners);
    return () => {
      listeners.delete(abort);
    };
  }
}
