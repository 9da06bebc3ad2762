import { describe, expect, it } from "vitest";
import { EndpointSlots, TaskPlacement, continuationRank, firstAttemptRank } from "../../src/build/model-slots.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("slots across endpoints", () => {
  it("spreads independent first attempts over the endpoints with free slots", async () => {
    const slots = new EndpointSlots([1, 1]);
    const a = new TaskPlacement(slots);
    const b = new TaskPlacement(slots);
    await a.acquire(firstAttemptRank(0));
    await b.acquire(firstAttemptRank(1));
    expect([a.endpoint, b.endpoint]).toEqual([0, 1]);
  });

  it("places a new task away from an endpoint whose unfinished task will come back for its fix", async () => {
    const slots = new EndpointSlots([1, 1]);
    const verifying = new TaskPlacement(slots);
    (await verifying.acquire(firstAttemptRank(0)))();
    expect(verifying.endpoint).toBe(0);
    const next = new TaskPlacement(slots);
    await next.acquire(firstAttemptRank(1));
    expect(next.endpoint).toBe(1);
    verifying.leave();
    const third = new TaskPlacement(slots);
    await third.acquire(firstAttemptRank(2));
    expect(third.endpoint).toBe(0);
  });

  it("places on the endpoint with the most free slots", async () => {
    const slots = new EndpointSlots([1, 3]);
    const a = new TaskPlacement(slots);
    await a.acquire(firstAttemptRank(0));
    expect(a.endpoint).toBe(1);
  });

  it("keeps a placed task's later calls on its endpoint, even when another endpoint is free", async () => {
    const slots = new EndpointSlots([1, 1]);
    const task = new TaskPlacement(slots);
    const first = await task.acquire(firstAttemptRank(0));
    expect(task.endpoint).toBe(0);
    first();
    // Endpoint 0 is busy with another call; endpoint 1 is free: the fix still waits for endpoint 0.
    const busy = await slots.acquireOn([0], firstAttemptRank(1));
    const otherRelease = busy.release;
    let fixGranted = false;
    const fix = task.acquire(continuationRank(2)).then((release) => {
      fixGranted = true;
      return release;
    });
    await tick();
    expect(fixGranted).toBe(false);
    otherRelease();
    (await fix)();
    expect(task.endpoint).toBe(0);
  });

  it("gives a freed slot to the waiting fix before a waiting first attempt that may go anywhere", async () => {
    const slots = new EndpointSlots([1]);
    const placed = new TaskPlacement(slots);
    const holder = await placed.acquire(firstAttemptRank(0));
    const log: string[] = [];
    const newTask = new TaskPlacement(slots).acquire(firstAttemptRank(1)).then((r) => (log.push("first"), r()));
    const fix = placed.acquire(continuationRank(2)).then((r) => (log.push("fix"), r()));
    holder();
    await Promise.all([newTask, fix]);
    expect(log).toEqual(["fix", "first"]);
  });

  it("wakes the tasks waiting on an endpoint that goes down, and places new tasks only on those still up", async () => {
    const slots = new EndpointSlots([1, 1]);
    const a = new TaskPlacement(slots);
    await a.acquire(firstAttemptRank(0));
    const b = new TaskPlacement(slots);
    const bRelease = await b.acquire(firstAttemptRank(1));
    expect(b.endpoint).toBe(1);
    // Both endpoints are busy: c waits for whichever frees first.
    const c = new TaskPlacement(slots);
    const waitingC = c.acquire(firstAttemptRank(2));
    slots.markDown(0);
    expect(a.lost()).toBe(true);
    // c could go to either: it keeps waiting for endpoint 1.
    let cGranted = false;
    void waitingC.then(() => (cGranted = true));
    await tick();
    expect(cGranted).toBe(false);
    bRelease();
    (await waitingC)();
    expect(c.endpoint).toBe(1);
    a.unplace();
    (await a.acquire(firstAttemptRank(0)))();
    expect(a.endpoint).toBe(1);
    expect(slots.up()).toEqual([1]);
  });

  it("grants a pinned waiter at once when its endpoint goes down, so it can move", async () => {
    const slots = new EndpointSlots([1, 1]);
    const a = new TaskPlacement(slots);
    await a.acquire(firstAttemptRank(0));
    const pinned = a.acquire(continuationRank(2));
    slots.markDown(0);
    const release = await pinned;
    release();
    expect(a.lost()).toBe(true);
  });
});
