import { describe, expect, it } from "vitest";
import { BuildController } from "../../src/build/build-control.js";

describe("the build controller", () => {
  it("holds a waiter while paused and lets it go on resume", async () => {
    const c = new BuildController();
    c.pause();
    let released = false;
    const waiting = c.waitWhilePaused(new AbortController().signal).then(() => (released = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(released).toBe(false);
    c.resume();
    await waiting;
    expect(released).toBe(true);
    expect(c.paused()).toBe(false);
  });

  it("lets a waiter go when the build is aborted while paused", async () => {
    const c = new BuildController();
    c.pause();
    const abort = new AbortController();
    const waiting = c.waitWhilePaused(abort.signal);
    abort.abort();
    await waiting;
    expect(c.paused()).toBe(true);
  });

  it("tells the running task it was skipped, and only that task", () => {
    const c = new BuildController();
    const aborted: string[] = [];
    const off1 = c.onSkip("T001", () => aborted.push("T001"));
    c.onSkip("T002", () => aborted.push("T002"));
    c.skip("T002");
    expect(aborted).toEqual(["T002"]);
    expect(c.skipped("T002")).toBe(true);
    expect(c.skipped("T001")).toBe(false);
    off1();
    c.skip("T001");
    expect(aborted).toEqual(["T002"]);
  });
});
