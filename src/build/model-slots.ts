// Who may call the model now, and where. A build sends at most as many calls
// at once as its endpoints have slots (fewer when `build.parallel` says so);
// slots are handed out by priority
// rather than arrival: a fix attempt continues a conversation whose prefix the
// server still has cached, so it goes before any task's first attempt, and
// first attempts go in plan order.
//
// With several endpoints (`[[model.endpoints]]`), a task is placed where its
// first slot comes from (the endpoint with the most free slots), and every
// later call of the task (re-asks, fixes, its review) waits for a slot there:
// the server that read the conversation holds its prefix in cache. The engine
// sees only SlotScheduler; each task gets a TaskPlacement over the build's
// one EndpointSlots.

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

/** `free` slots of one endpoint, granted lowest rank first; equal ranks in arrival order. */
export class ModelSlots implements SlotScheduler {
  private readonly pool: EndpointSlots;

  constructor(free: number) {
    this.pool = new EndpointSlots([free]);
  }

  async acquire(rank: number): Promise<ReleaseSlot> {
    return (await this.pool.acquireOn([0], rank)).release;
  }
}

/** A slot and the endpoint (index) it belongs to. */
export interface GrantedSlot {
  endpoint: number;
  release: ReleaseSlot;
}

interface Waiter {
  rank: number;
  /** Endpoints the waiter may be given a slot on (one, once its task is placed). */
  on: readonly number[];
  grant(slot: GrantedSlot): void;
}

/**
 * At most `calls` model calls out at once over every EndpointSlots that
 * shares it: a build's own `build.parallel`, or one `build.parallel` over the
 * side-by-side runs of a comparison (each run has its own endpoints and
 * slots, but the machine and its servers are one). Room freed by any sharer's
 * call goes to the lowest-ranked waiter of all sharers that may use it.
 */
export class CallLimit {
  private out = 0;
  private calls: number;
  private readonly sharers = new Set<EndpointSlots>();

  /** At most `calls` (at least 1) at once; no cap when left out. */
  constructor(calls = Infinity) {
    this.calls = Math.max(1, calls);
  }

  get room(): boolean {
    return this.out < this.calls;
  }

  /** A new cap (at least 1); waiters it makes room for are let out. */
  resize(calls: number): void {
    this.calls = Math.max(1, calls);
    this.dispatch();
  }

  join(slots: EndpointSlots): void {
    this.sharers.add(slots);
  }

  taken(): void {
    this.out += 1;
  }

  released(): void {
    this.out -= 1;
  }

  /** Grants room to waiters, lowest rank first over every sharer, while any of them can take it. */
  dispatch(): void {
    for (;;) {
      let next: EndpointSlots | undefined;
      let rank = Infinity;
      for (const s of this.sharers) {
        const r = s.nextRank();
        if (r !== undefined && (next === undefined || r < rank)) [next, rank] = [s, r];
      }
      if (next === undefined) return;
      next.grantNext();
    }
  }
}

/**
 * The slots of every endpoint of a build, with one queue across them: a freed
 * slot goes to the lowest-ranked waiter that may use it. With a limit
 * (`build.parallel` set over several endpoints), no more calls than that are
 * out at once whatever the endpoints have free, and a call that ends frees
 * room for a waiter on any endpoint. An endpoint marked down hands out no
 * more real slots: its waiters are woken at once (granted on it) so their
 * tasks see it is down and move. `share` adds a limit other builds count
 * against too (CallLimit).
 */
export class EndpointSlots {
  private readonly free: number[];
  private readonly isDown: boolean[];
  /** Tasks placed on each endpoint and not finished: they will call it again (fixes, reviews). */
  private readonly resident: number[];
  private readonly waiting: Waiter[] = [];
  /**
   * The limits every real slot counts against until released (down endpoints' too):
   * this build's own (build.parallel), then any shared one.
   */
  private readonly limits: CallLimit[] = [new CallLimit()];

  constructor(slots: readonly number[]) {
    if (slots.length === 0) throw new Error("EndpointSlots needs at least one endpoint");
    this.free = slots.map((n) => Math.max(1, n));
    this.isDown = slots.map(() => false);
    this.resident = slots.map(() => 0);
    this.limits[0]!.join(this);
  }

  /** At most `calls` slots out at once over all endpoints (build.parallel); the endpoints' own slots still bound each. */
  limit(calls: number): void {
    this.limits[0]!.resize(calls);
  }

  /** Counts every call against `limit` as well, which other builds share (compare's side-by-side runs). */
  share(limit: CallLimit): void {
    if (this.limits.includes(limit)) return;
    this.limits.push(limit);
    limit.join(this);
  }

  /** A task was placed on the endpoint (+1) or left it (-1). */
  residents(endpoint: number, change: 1 | -1): void {
    this.resident[endpoint]! += change;
  }

  get size(): number {
    return this.free.length;
  }

  down(endpoint: number): boolean {
    return this.isDown[endpoint] === true;
  }

  /** Endpoints still up, in config order. */
  up(): number[] {
    return this.free.map((_, i) => i).filter((i) => !this.isDown[i]);
  }

  /**
   * A slot on one of `on` (endpoint indexes): at once where one is free (and
   * the limit leaves room), else when one is released to this rank. Among
   * free ones, the endpoint with the fewest unfinished tasks placed on it (a
   * task verifying there comes back for its fix, and a newcomer would evict
   * its cached prompt), then the most free slots: independent tasks spread.
   * On endpoints that are all down it resolves at once, on the first of them:
   * the caller checks `down()`.
   */
  async acquireOn(on: readonly number[], rank: number): Promise<GrantedSlot> {
    if (on.length === 0) throw new Error("acquireOn needs at least one endpoint");
    const live = on.filter((i) => !this.isDown[i]);
    if (live.length === 0) return { endpoint: on[0]!, release: () => undefined };
    // Nobody waiting could take a slot now (dispatch keeps it so), so taking one here jumps no queue.
    const best = this.pick(live);
    if (best !== undefined) return { endpoint: best, release: this.take(best) };
    return new Promise<GrantedSlot>((grant) => {
      const at = this.waiting.findIndex((w) => w.rank > rank);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { rank, on: live, grant });
    });
  }

  /** No more slots on this endpoint; waiters that can only use it are woken to find it down. */
  markDown(endpoint: number): void {
    if (this.isDown[endpoint]) return;
    this.isDown[endpoint] = true;
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i]!;
      if (!w.on.includes(endpoint)) {
        i++;
        continue;
      }
      const rest = w.on.filter((e) => !this.isDown[e]);
      if (rest.length > 0) {
        this.waiting[i] = { ...w, on: rest };
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      w.grant({ endpoint, release: () => undefined });
    }
  }

  /** The endpoint of `on` a call should take a slot on now, or undefined when none has one (or the limit is reached). */
  private pick(on: readonly number[]): number | undefined {
    if (!this.limits.every((l) => l.room)) return undefined;
    let best: number | undefined;
    const better = (i: number, j: number) => this.resident[i]! - this.free[i]! < this.resident[j]! - this.free[j]!;
    for (const i of on) if (!this.isDown[i] && this.free[i]! > 0 && (best === undefined || better(i, best))) best = i;
    return best;
  }

  private take(endpoint: number): ReleaseSlot {
    this.free[endpoint]! -= 1;
    for (const l of this.limits) l.taken();
    return this.releaser(endpoint);
  }

  /** The rank of the first waiter a slot could be granted to now, or undefined when none (for CallLimit). */
  nextRank(): number | undefined {
    return this.waiting.find((w) => this.pick(w.on) !== undefined)?.rank;
  }

  /** Grants a slot to the first waiter that can be given one; false when none can. */
  grantNext(): boolean {
    const at = this.waiting.findIndex((w) => this.pick(w.on) !== undefined);
    if (at === -1) return false;
    const [w] = this.waiting.splice(at, 1);
    const endpoint = this.pick(w!.on)!;
    w!.grant({ endpoint, release: this.take(endpoint) });
    return true;
  }

  private releaser(endpoint: number): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const l of this.limits) l.released();
      if (!this.isDown[endpoint]) this.free[endpoint]! += 1;
      // A shared limit first: its room goes to the lowest rank over every sharer, this build's waiters
      // included; then this build's own limit, for a slot freed on its endpoint with no shared room at stake.
      for (const l of [...this.limits].reverse()) l.dispatch();
    };
  }
}

/**
 * Where one task runs. Its first slot places it (on any endpoint still up);
 * every later slot comes from the same endpoint, so its conversation stays
 * where it is cached. After its endpoint goes down, `unplace` lets the next
 * slot place it anew.
 */
export class TaskPlacement implements SlotScheduler {
  private placed: number | undefined;

  constructor(private readonly slots: EndpointSlots) {}

  /** The endpoint the task is on, once its first slot was granted. */
  get endpoint(): number | undefined {
    return this.placed;
  }

  /** True when the task's endpoint went down: its next call must not be sent there. */
  lost(): boolean {
    return this.placed !== undefined && this.slots.down(this.placed);
  }

  async acquire(rank: number): Promise<ReleaseSlot> {
    const on = this.placed === undefined ? this.slots.up() : [this.placed];
    // Every endpoint down: any index will do, the caller finds it down.
    const granted = await this.slots.acquireOn(on.length > 0 ? on : [0], rank);
    if (this.placed === undefined) this.slots.residents(granted.endpoint, 1);
    this.placed = granted.endpoint;
    return granted.release;
  }

  /** Its endpoint is down: the next slot places the task anew. */
  unplace(): void {
    if (this.placed !== undefined) this.slots.residents(this.placed, -1);
    this.placed = undefined;
  }

  /** The task is over: it will not call its endpoint again. */
  leave(): void {
    this.unplace();
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
