// The suite's time budgets, in one place so they agree: a wait inside a test
// is always shorter than the test, so a slow machine fails with the wait's
// message ("timed out waiting for the build summary; last frame: …"), never
// with a bare vitest timeout. Waits are event-driven (frames, requests,
// files); these are the ceilings for a loaded 2-core machine, not sleeps.

/** One step a test waits for: a frame, a CLI's answer, a build of the calc project. */
export const STEP_MS = 30_000;
/** A unit test (no processes, no builds); the 2 MB parse takes 4–5 s when the machine is loaded. */
export const UNIT_TEST_MS = 20_000;
/** An end-to-end test: a few steps in a row. */
export const E2E_TEST_MS = 4 * STEP_MS;
