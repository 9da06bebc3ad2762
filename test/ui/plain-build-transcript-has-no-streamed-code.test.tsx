import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, routedReplies, writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { PlainTranscript } from "../../ui/plain-transcript.js";
import { lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-plain-"));
  await writeCalcProject(dir);
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake?.close();
  await cleanup();
});

/** The transcript plain mode prints for these frames: each frame as Ink wrote it (debug mode), through the real PlainTranscript. */
function transcriptOf(frames: readonly string[]): string[] {
  let out = "";
  const t = new PlainTranscript((text) => (out += text));
  for (const f of frames) t.frame(f);
  t.end();
  return out.split("\n");
}

/** The code inside a reply's fence (its first line names the file, which the transcript may well name). */
const codeLines = (reply: string) => reply.split("\n").slice(2, -2).filter((l) => l.trim().length > 3);

describe("plain mode's transcript of a build", () => {
  it("tells each task's start, verify and end, and never a line of the streamed code", async () => {
    const slow = (content: string) => ({ content, chunkDelayMs: 2 });
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [slow(ARITH)], T002: [slow(TEST_WRONG), slow(TEST_RIGHT)], T003: [slow(CLI)] }) });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "build", plain: true });
    await app.waitFor((f) => f.includes("No build in this session yet"), "the idle build screen");
    await app.press("b");
    await app.waitFor((f) => f.includes("3 built, 0 up to date"), "the build summary");
    const lines = transcriptOf(app.frames());
    for (const reply of [ARITH, TEST_WRONG, TEST_RIGHT, CLI]) {
      for (const code of codeLines(reply)) expect(lines.filter((l) => l.includes(code.trim())), code).toEqual([]);
    }
    // The failing verify, with the lines of its output that say why, then the fix attempt; each result once.
    expect(lines.filter((l) => l.startsWith("T002 verify failed (exit 1"))).toHaveLength(1);
    expect(lines).toContain("  FAILED (failures=1)");
    expect(lines).toContain("T002 attempt 2 (fix)");
    for (const ok of ["T001 verify ok: python3 -m py_compile calc/arith.py", "T002 verify ok: python3 -m unittest", "T003 verify ok: python3 -m py_compile calc/cli.py"]) {
      expect(lines.filter((l) => l.startsWith(ok)), ok).toHaveLength(1);
    }
    for (const id of ["T001", "T002", "T003"]) {
      expect(lines.some((l) => new RegExp(`${id} .*generating`).test(l)), `${id} started`).toBe(true);
      expect(lines.some((l) => new RegExp(`${id} .*verifying`).test(l)), `${id} verified`).toBe(true);
      expect(lines.some((l) => new RegExp(`${id} .*done`).test(l)), `${id} done`).toBe(true);
    }
  });
});
