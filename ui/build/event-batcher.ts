// Collects events and hands them over at most every `intervalMs` (100 ms:
// about ten renders a second), so a model streaming hundreds of tokens a
// second never floods React with one render per token.

export interface EventBatcher<E> {
  push(event: E): void;
  /** Hands over what is queued now (at the end of a build). */
  drain(): void;
  /** Drops the timer; nothing queued is handed over after this. */
  stop(): void;
}

export function createEventBatcher<E>(flush: (events: E[]) => void, intervalMs = 100): EventBatcher<E> {
  let queue: E[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hand = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const events = queue;
    queue = [];
    flush(events);
  };
  return {
    push(event) {
      queue.push(event);
      timer ??= setTimeout(hand, intervalMs);
    },
    drain: hand,
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      queue = [];
    },
  };
}
