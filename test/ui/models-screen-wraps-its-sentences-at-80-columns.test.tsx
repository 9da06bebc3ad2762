// At 80×24 the Models screen cut its server line ("Ollama 0.0.0-specwright-
// scripted-demo · version unknown: over-long prompts are …"), a long model's
// pull command and the role rows' sources. They wrap now; the installed list
// scrolls in the rows left, the picked model always in view.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { startScriptedDemoServer, type ScriptedDemoServer } from "../../src/demo/scripted-ollama-server.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { KEY, renderApp, testEnv, type AppHarness } from "./render-app.js";

const LONG = "hf.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF:Q4_K_M";
// `default` is on line 9, `planner` on line 10.
const TOML = `[project]\nname = "calc"\n\n[output]\ndir = "output"\nlanguage = "python"\n\n[model]\ndefault = "${LONG}"\nplanner = "qwen3:8b"\n`;

let dir: string;
let cleanup: () => Promise<void>;
let demo: ScriptedDemoServer | undefined;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
  await writeFile(join(dir, "specwright.toml"), TOML);
});
afterEach(async () => {
  app?.unmount();
  await demo?.close();
  await fake?.close();
  await cleanup();
});

/** Every line within 80 columns and the frame within 24 rows; the frame's text with line breaks as single spaces. */
function checked(frame: string): string {
  const lines = frame.split("\n");
  expect(lines.length, frame).toBeLessThanOrEqual(24);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  return frame.replace(/\s+/g, " ");
}

describe("the Models screen at 80×24", () => {
  it("wraps the server's 'version unknown' line, the role rows and the pull commands instead of cutting them", async () => {
    // The scripted demo's server reports a version that is no release: "0.0.0-specwright-scripted-demo".
    demo = await startScriptedDemoServer({ tokensPerSecond: 0 });
    app = renderApp({ cwd: dir, env: testEnv(dir, demo.url), screen: "models", columns: 80 });
    const frame = await app.waitFor((f) => f.includes("specwright-demo:scripted") && f.includes("measures it"), "the server line and the installed model");
    expect(frame.split("\n").filter((l) => l.trimEnd().endsWith("…")), frame).toEqual([]);
    const text = checked(frame);
    expect(text).toContain("Ollama 0.0.0-specwright-scripted-demo · version unknown: over-long prompts are checked after the call · `specwright doctor` measures it");
    expect(text).toContain(`› default ${LONG} ✗ specwright.toml:9`);
    expect(text).toContain("planner qwen3:8b ✗ specwright.toml:10");
    // One pull command per missing model, not one per role.
    expect(text).toContain(`✗ not installed — ollama pull ${LONG}`);
    expect(text).toContain("✗ not installed — ollama pull qwen3:8b");
    expect(text.split(`ollama pull ${LONG}`)).toHaveLength(2);
  });

  it("keeps the picked model in view when the wrapped rows leave the installed list a few rows", async () => {
    const names = [LONG, "qwen3:8b", ...Array.from({ length: 10 }, (_, i) => `qwen2.5-coder:${i + 1}b`), "yi-coder:9b"];
    fake = await startFakeOllama({ models: names.map((name) => ({ name })) });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "models", columns: 80 });
    let frame = await app.waitFor((f) => f.includes("INSTALLED"), "the installed models");
    let text = checked(frame);
    expect(text).toContain(`› default ${LONG} ✓ specwright.toml:9`);
    expect(text).toContain(`build ${LONG} ✓ (default)`);
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes("Pick the model for default"), "the picker");
    await app.press(...Array<string>(names.length).fill(KEY.down));
    frame = await app.waitFor((f) => /› yi-coder:9b/.test(f), "the last installed model picked and in view");
    text = checked(frame);
    expect(text).toContain("Ollama 0.33.0 · refuses over-long prompts · `specwright doctor` measures speed and the prefix cache");
  });

  it("wraps why Ollama is not reachable at a long host URL", async () => {
    // A closed port behind a reverse proxy's path: refused at once.
    const host = "http://127.0.0.1:9/ollama/behind/a/reverse-proxy/on/the-gpu-workstation";
    app = renderApp({ cwd: dir, env: testEnv(dir, host), screen: "models", columns: 80 });
    const frame = await app.waitFor((f) => f.includes("where it listens"), "the reason");
    expect(checked(frame)).toContain(`Ollama is not reachable at ${host}: start it with \`ollama serve\`, or set model.host in specwright.toml / OLLAMA_HOST to where it listens`);
  });
});
