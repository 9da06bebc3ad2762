// build.parallel over [[model.endpoints]]: a limit on the calls out at once
// across every endpoint, under which fixes still go first and still wait for
// their own endpoint, and a call on an endpoint that went down keeps its room
// until it ends.

import { describe, expect, it } from "vitest";
import { EndpointSlots, TaskPlacement, continuationRank, firstAttemptRank, type ReleaseSlot } from "../../src/build/model-slots.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Acquires and records when the slot was granted. */
function watch(p: Promise<ReleaseSlot>): { granted: () => boolean; slot: Promise<ReleaseSlot> } {
  let granted = false;
  const slot = p.then((r) => ((granted = true), r));
  return { granted: () => granted, slot };
}

describe("build.parallel as a limit over the endpoints' slots", () => {
  it("lets no more calls out than the limit though the endpoints have slots free, and spreads those it lets out", async () => {
    const slots = new EndpointSlots([4, 4]);
    slots.limit(3);
    const tasks = Array.from({ length: 6 }, () => new TaskPlacement(slots));
    const calls = tasks.map((t, i) => watch(t.acquire(firstAttemptRank(i))));
    await tick();
    expect(calls.map((c) => c.granted())).toEqual([true, true, true, false, false, false]);
    expect(tasks.slice(0, 3).map((t) => t.endpoint)).toEqual([0, 1, 0]);
    // One call ends: exactly one more goes out, the next in plan order.
    (await calls[1]!.slot)();
    await tick();
    expect(calls.map((c) => c.granted())).toEqual([true, true, true, true, false, false]);
  });

  it("gives room freed on one endpoint to a fix waiting for another, before any first attempt", async () => {
    const slots = new EndpointSlots([2, 2]);
    slots.limit(1);
    const fixer = new TaskPlacement(slots);
    (await fixer.acquire(firstAttemptRank(0)))();
    expect(fixer.endpoint).toBe(0);
    // A second task now holds the only call the limit allows, on the other endpoint.
    const holder = new TaskPlacement(slots);
    const held = await holder.acquire(firstAttemptRank(1));
    expect(holder.endpoint).toBe(1);
    const order: string[] = [];
    const first = new TaskPlacement(slots).acquire(firstAttemptRank(2)).then((r) => (order.push("first"), r));
    const fix = fixer.acquire(continuationRank(2)).then((r) => (order.push("fix"), r));
    await tick();
    expect(order).toEqual([]);
    held();
    (await fix)();
    (await first)();
    expect(order).toEqual(["fix", "first"]);
    // The fix went back to the endpoint of its first attempt, though the freed slot was on the other.
    expect(fixer.endpoint).toBe(0);
  });

  it("counts a call on an endpoint that went down until it ends, then lets the next one out", async () => {
    const slots = new EndpointSlots([1, 1]);
    slots.limit(1);
    const a = new TaskPlacement(slots);
    const release = await a.acquire(firstAttemptRank(0));
    slots.markDown(0);
    const next = watch(new TaskPlacement(slots).acquire(firstAttemptRank(1)));
    await tick();
    expect(next.granted()).toBe(false);
    release();
    await tick();
    expect(next.granted()).toBe(true);
  });

  it("without a limit, every endpoint slot is used", async () => {
    const slots = new EndpointSlots([2, 2]);
    const calls = Array.from({ length: 5 }, (_, i) => watch(new TaskPlacement(slots).acquire(firstAttemptRank(i))));
    await tick();
    expect(calls.map((c) => c.granted())).toEqual([true, true, true, true, false]);
  });
});
