// Who may call the model now. A build sends at most `build.parallel` calls at
// once; slots are handed out by priority rather than arrival: a fix attempt
// continues a conversation whose prefix Ollama still has cached, so it goes
// before any task's first attempt, and first attempts go in plan order.
//
// The seam: the engine only sees SlotScheduler. Today one ModelSlots serves
// the whole build (one Ollama); a build that talks to several endpoints gets
// one scheduler per endpoint, and a task asks the one its model lives on.

/** Gives the slot back; calling it twice is harmless. */
export type ReleaseSlot = () => void;

/** A source of model-call slots. */
export interface SlotScheduler {
  /** Resolves once a slot is free for a call of this rank (lower goes first). */
  acquire(rank: number): Promise<ReleaseSlot>;
}

/** First attempts wait behind every fix attempt (ranked by attempt number), in plan order. */
export const FIRST_ATTEMPT_RANK = 1_000_000;

/** The rank of a task's first attempt: after every fix, in plan order. */
export function firstAttemptRank(planIndex: number): number {
  return FIRST_ATTEMPT_RANK + planIndex;
}

/** The rank of a fix or re-ask: its attempt number, so older conversations go first. */
export function continuationRank(attempt: number): number {
  return attempt;
}

/** `free` slots, granted lowest rank first; equal ranks in arrival order. */
export class ModelSlots implements SlotScheduler {
  private readonly waiting: { rank: number; grant: () => void }[] = [];

  constructor(private free: number) {}

  async acquire(rank: number): Promise<ReleaseSlot> {
    if (this.free > 0) this.free--;
    else
      await new Promise<void>((grant) => {
        const at = this.waiting.findIndex((w) => w.rank > rank);
        this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { rank, grant });
      });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.free++;
    };
  }
}

/**
 * A slot reserved for a task's first attempt when the task is scheduled (so
 * first attempts queue in plan order), then either taken by the attempt or
 * dropped unused (the task turned out up to date, manual, or blocked).
 */
export class SlotTicket {
  private taken = false;

  constructor(readonly slot: Promise<ReleaseSlot>) {}

  /** True the first time: the caller then awaits `slot` and owns its release. */
  take(): boolean {
    if (this.taken) return false;
    this.taken = true;
    return true;
  }

  /** Releases the slot if nobody took it. */
  drop(): void {
    if (this.taken) return;
    this.taken = true;
    void this.slot.then((release) => release());
  }
}
