// One CallLimit shared by the slots of two builds (compare's side-by-side
// runs): no more calls out at once over both than the limit, though each has
// slots free; room freed by either goes to the lowest-ranked waiter of both
// (a fix before any first attempt, then plan order); each build's own limit
// and slots still bound it.

import { describe, expect, it } from "vitest";
import { CallLimit, EndpointSlots, TaskPlacement, continuationRank, firstAttemptRank, type ReleaseSlot } from "../../src/build/model-slots.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

function watch(p: Promise<ReleaseSlot>): { granted: () => boolean; slot: Promise<ReleaseSlot> } {
  let granted = false;
  const slot = p.then((r) => ((granted = true), r));
  return { granted: () => granted, slot };
}

/** Two builds' slots (two slots each) sharing one limit of `calls`. */
function twoBuilds(calls: number): [EndpointSlots, EndpointSlots] {
  const shared = new CallLimit(calls);
  const pools = [new EndpointSlots([2]), new EndpointSlots([2])] as [EndpointSlots, EndpointSlots];
  for (const p of pools) p.share(shared);
  return pools;
}

describe("a call limit shared by two builds", () => {
  it("lets no more calls out over both than the limit, and a call that ends lets one more out in either", async () => {
    const [a, b] = twoBuilds(2);
    const first = [watch(new TaskPlacement(a).acquire(firstAttemptRank(0))), watch(new TaskPlacement(a).acquire(firstAttemptRank(1)))];
    const other = watch(new TaskPlacement(b).acquire(firstAttemptRank(0)));
    await tick();
    expect(first.map((c) => c.granted())).toEqual([true, true]);
    // b has both its slots free, but the two calls out are the limit.
    expect(other.granted()).toBe(false);
    (await first[0]!.slot)();
    await tick();
    expect(other.granted()).toBe(true);
  });

  it("gives freed room to the lowest rank over both builds: the other build's fix before this one's next task", async () => {
    const [a, b] = twoBuilds(1);
    const fixer = new TaskPlacement(b);
    (await fixer.acquire(firstAttemptRank(0)))();
    const held = await new TaskPlacement(a).acquire(firstAttemptRank(0));
    const order: string[] = [];
    const next = new TaskPlacement(a).acquire(firstAttemptRank(1)).then((r) => (order.push("a's next task"), r));
    const fix = fixer.acquire(continuationRank(2)).then((r) => (order.push("b's fix"), r));
    await tick();
    expect(order).toEqual([]);
    held();
    (await fix)();
    (await next)();
    expect(order).toEqual(["b's fix", "a's next task"]);
  });

  it("still keeps each build to its own limit and slots under a looser shared one", async () => {
    const [a, b] = twoBuilds(10);
    a.limit(1);
    const calls = [0, 1].map((i) => watch(new TaskPlacement(a).acquire(firstAttemptRank(i))));
    const bCalls = [0, 1, 2].map((i) => watch(new TaskPlacement(b).acquire(firstAttemptRank(i))));
    await tick();
    expect(calls.map((c) => c.granted())).toEqual([true, false]);
    // b has two slots: its third call waits for one of them, not for the shared limit.
    expect(bCalls.map((c) => c.granted())).toEqual([true, true, false]);
  });
});
