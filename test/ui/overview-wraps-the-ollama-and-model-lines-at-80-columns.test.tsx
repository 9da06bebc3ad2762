// At 80×24 the Overview cut "Ollama ✓ http://127.0.0.1:… · 1 model · version
// 0.0.0-specwright-scripted-d…" and, for a long model name, the pull command
// that installs it. Both wrap now, under their label.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startScriptedDemoServer, type ScriptedDemoServer } from "../../src/demo/scripted-ollama-server.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { renderApp, testEnv, type AppHarness } from "./render-app.js";

const LONG = "hf.co/bartowski/Qwen2.5-Coder-14B-Instruct-GGUF:Q4_K_M";

let dir: string;
let cleanup: () => Promise<void>;
let server: ScriptedDemoServer | undefined;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
  await writeFile(join(dir, "specwright.toml"), `[project]\nname = "calc"\n\n[output]\ndir = "output"\nlanguage = "python"\n\n[model]\ndefault = "${LONG}"\nplanner = "qwen3:8b"\n`);
  // The scripted demo's server: a real server whose version string is long ("0.0.0-specwright-scripted-demo").
  server = await startScriptedDemoServer({ tokensPerSecond: 0 });
});
afterEach(async () => {
  app?.unmount();
  await server?.close();
  await cleanup();
});

describe("the Overview at 80×24", () => {
  it("wraps the Ollama line and a long model's pull command, no line wider than 80, within 24 rows", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, server!.url), screen: "overview", columns: 80 });
    const frame = await app.waitFor((f) => f.includes("Ollama ✓") && f.includes("not installed"), "Ollama's line and the models");
    const lines = frame.split("\n");
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines.filter((l) => l.trimEnd().endsWith("…")), frame).toEqual([]);
    const text = frame.replace(/\s+/g, " ");
    expect(text).toContain(`Ollama ✓ ${server!.url} · 1 model · version 0.0.0-specwright-scripted-demo`);
    expect(text).toContain(`audit, build, fixer, reviewer, drafter ${LONG} ✗ not installed — ollama pull ${LONG}`);
    expect(text).toContain("planner qwen3:8b ✗ not installed — ollama pull qwen3:8b");
  });

  it("gives the spec list's rows to the model lines when they do not all fit, and never draws one row over another", async () => {
    const toml = `[project]\nname = "calc"\n\n[output]\ndir = "output"\nlanguage = "python"\n\n[model]\ndefault = "${LONG}"\nplanner = "${LONG}-planner"\nbuild = "${LONG}-build"\nfixer = "${LONG}-fixer"\n`;
    await writeFile(join(dir, "specwright.toml"), toml);
    const smd = await readFile(join(dir, "specs/calc.smd"), "utf8");
    for (let i = 0; i < 8; i++) await writeFile(join(dir, `specs/copy-${i}.smd`), smd);
    app = renderApp({ cwd: dir, env: testEnv(dir, server!.url), screen: "overview", columns: 80 });
    const frame = await app.waitFor((f) => f.includes("Ollama ✓") && f.includes("fixer"), "Ollama's line and the models");
    const lines = frame.split("\n");
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // Each block on rows of its own: the spec list is down to its count, every model group has its line.
    expect(lines.filter((l) => /^Specs 10 files: /.test(l)), frame).toHaveLength(1);
    expect(lines, frame).toContain("  … 10 more on the Specs screen (2)");
    expect(lines, frame).toContain("Models");
    for (const role of ["audit, reviewer, drafter", "planner", "build", "fixer"]) expect(lines.some((l) => l.startsWith(`  ${role}`)), `${role}\n${frame}`).toBe(true);
    expect(frame.replace(/\s+/g, " ")).toContain(`✗ not installed — ollama pull ${LONG}-planner`);
  });
});
