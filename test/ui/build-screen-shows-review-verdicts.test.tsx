import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, ARITH_V2, CLI, TEST_RIGHT, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { answer, cannotTell, withReviews } from "../helpers/review-script.js";
import { lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake?.close();
  await cleanup();
});

describe("the build screen with the implementation judge", () => {
  it("shows the review's verdicts with their quotes, the review fix attempt, and a discarded quote", async () => {
    const failDivide = answer([
      { item: "requirements/add", verdict: "pass", file: "calc/arith.py", quote: "return a + b", reason: "adds" },
      { item: "requirements/divide", verdict: "fail", file: "calc/arith.py", quote: "return a / b", reason: "not made a float" },
      { item: "components/Arith/contracts/1", verdict: "pass", file: "calc/arith.py", quote: "raise ValueError", reason: "invented" },
    ]);
    const passDivide = answer([{ item: "requirements/divide", verdict: "pass", file: "calc/arith.py", quote: "return float(a) / b", reason: "a float" }]);
    fake = await startFakeOllama({
      defaultReply: withReviews(
        { T001: [{ content: ARITH, chunkDelayMs: 2 }, { content: ARITH_V2, chunkDelayMs: 2 }], T002: [TEST_RIGHT], T003: [CLI] },
        { T001: [{ ...failDivide, chunkDelayMs: 10 }, passDivide], T002: [answer([cannotTell("requirements/add")])], T003: [answer([])] },
      ),
    });
    app = renderApp({ cwd: dir, env: { ...testEnv(dir, fake.url), SPECWRIGHT_BUILD_REVIEW: "on" }, screen: "build" });
    await app.waitFor((f) => f.includes("No build in this session yet"), "the idle build screen");
    await app.press("b");
    await app.waitFor((f) => f.includes("3 built, 0 up to date"), "the build summary");
    const seen = app.history();
    expect(seen).toMatch(/T001 Arithmetic · attempt 1 · reviewing/);
    expect(seen).toContain("attempt 1 review: 1 pass, 1 fail, 3 unanswered, 1 discarded; fix requested");
    expect(seen).toContain("fail requirements/divide — calc/arith.py:8 `return a / b` — not made a float");
    expect(seen).toContain("pass requirements/add — calc/arith.py:4 `return a + b` — adds");
    expect(seen).toContain("discarded pass components/Arith/contracts/1: the quote is not in calc/arith.py");
    expect(seen).toMatch(/T001 Arithmetic · attempt 2 \(review-fix\)/);
    for (const frame of app.frames()) expect(frame.split("\n").length).toBeLessThan(24);
  });
});
