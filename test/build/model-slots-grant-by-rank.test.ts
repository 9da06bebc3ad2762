import { describe, expect, it } from "vitest";
import { ModelSlots, SlotTicket, continuationRank, firstAttemptRank } from "../../src/build/model-slots.js";

/** Acquires a slot and logs who got it, in grant order. */
function take(slots: ModelSlots, rank: number, log: number[]) {
  return slots.acquire(rank).then((release) => {
    log.push(rank);
    return release;
  });
}

describe("model slots", () => {
  it("hands out free slots at once", async () => {
    const slots = new ModelSlots(2);
    const log: number[] = [];
    await Promise.all([take(slots, 5, log), take(slots, 9, log)]);
    expect(log).toEqual([5, 9]);
  });

  it("gives a freed slot to a waiting fix attempt before any first attempt, and first attempts in plan order", async () => {
    const slots = new ModelSlots(1);
    const log: number[] = [];
    const holder = await take(slots, firstAttemptRank(0), log);
    // Each waiter gives its slot back as soon as it gets it, so the next in line follows.
    const waiting = [firstAttemptRank(3), firstAttemptRank(1), continuationRank(2)].map((rank) => take(slots, rank, log).then((release) => release()));
    holder();
    await Promise.all(waiting);
    expect(log).toEqual([firstAttemptRank(0), continuationRank(2), firstAttemptRank(1), firstAttemptRank(3)]);
  });

  it("ignores a second release of the same slot", async () => {
    const slots = new ModelSlots(1);
    const release = await slots.acquire(1);
    release();
    release();
    const log: number[] = [];
    const a = await take(slots, 1, log);
    let bGranted = false;
    const b = slots.acquire(2).then((r) => {
      bGranted = true;
      return r;
    });
    await Promise.resolve();
    expect(bGranted).toBe(false);
    a();
    (await b)();
  });

  it("returns a reserved slot nobody took, and keeps one that was taken", async () => {
    const slots = new ModelSlots(1);
    const dropped = new SlotTicket(slots.acquire(firstAttemptRank(0)));
    dropped.drop();
    const next = await slots.acquire(firstAttemptRank(1)); // granted only because the ticket was dropped
    const kept = new SlotTicket(slots.acquire(firstAttemptRank(2)));
    next();
    expect(kept.take()).toBe(true);
    expect(kept.take()).toBe(false);
    const release = await kept.slot;
    kept.drop(); // taken: dropping must not release it a second time behind the taker's back
    let third = false;
    const waiter = slots.acquire(firstAttemptRank(3)).then((r) => {
      third = true;
      return r;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    release();
    (await waiter)();
  });
});
