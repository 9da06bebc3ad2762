import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { KEY, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama | undefined;
let app: AppHarness | undefined;

const TOML = `# calc — hand-written
[project]
name = "calc"

[output]
dir = "output"
language = "python"

[model]
default = "qwen2.5-coder:14b"   # the everyday model
# planner = "qwen2.5-coder:32b"
build = "qwen2.5-coder:14b"     # code writer
temperature = 0.2

[build]
max_fix_attempts = 2
`;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
  await writeFile(join(dir, "specwright.toml"), TOML);
  fake = await startFakeOllama({ models: [{ name: "qwen2.5-coder:14b" }, { name: "qwen3:8b", parameterSize: "8.2B" }, { name: "llama3.2:3b" }] });
});
afterEach(async () => {
  app?.unmount();
  await fake?.close();
  await cleanup();
});

const row = (role: string) => ["default", "audit", "planner", "build", "fixer", "reviewer", "drafter"].indexOf(role);

describe("the models screen", () => {
  it("switches a role's model by rewriting only that value in specwright.toml, comments kept", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake!.url), screen: "models" });
    const listed = await app.waitFor((f) => f.includes("qwen3:8b") && f.includes("8.2B"), "the installed models");
    // The server line: what `specwright doctor` checks in full.
    expect(listed).toContain("Ollama 0.33.0 · refuses over-long prompts");
    await app.press(...Array<string>(row("build")).fill(KEY.down), KEY.enter);
    // Picking starts on the role's current model; the list is sorted by name.
    await app.waitFor((f) => f.includes("Pick the model for build") && /› qwen2\.5-coder:14b/.test(f), "the picker on the current model");
    await app.press(KEY.down, KEY.enter);
    await app.waitFor((f) => f.includes("build → qwen3:8b in specwright.toml"), "the write");
    expect(await readFile(join(dir, "specwright.toml"), "utf8")).toBe(TOML.replace('build = "qwen2.5-coder:14b"     # code writer', 'build = "qwen3:8b"     # code writer'));
    // The config is read again: the role shows its new model, from the file's line.
    await app.waitFor((f) => /› build\s+qwen3:8b ✓ specwright\.toml:12/.test(f), "the role's new model");
    await app.press("1");
    await app.waitFor((f) => /build\s+qwen3:8b/.test(f) && f.includes("Ollama ✓"), "the overview showing the change");
  });

  it("adds a role that was not set after the table's last key, and Esc picks nothing", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, fake!.url), screen: "models" });
    await app.waitFor((f) => f.includes("llama3.2:3b"), "the installed models");
    await app.press(...Array<string>(row("planner")).fill(KEY.down), KEY.enter);
    await app.waitFor((f) => f.includes("Pick the model for planner"), "the picker");
    await app.press(KEY.escape);
    await app.waitFor((f) => f.includes("Roles · Enter picks"), "the picker closed");
    expect(await readFile(join(dir, "specwright.toml"), "utf8")).toBe(TOML);
    await app.press(KEY.enter);
    await app.waitFor((f) => f.includes("Pick the model for planner"), "the picker again");
    // llama3.2:3b sorts first.
    await app.press(KEY.up, KEY.up, KEY.enter);
    await app.waitFor((f) => f.includes("planner → llama3.2:3b"), "the write");
    expect(await readFile(join(dir, "specwright.toml"), "utf8")).toBe(TOML.replace("temperature = 0.2\n", 'temperature = 0.2\nplanner = "llama3.2:3b"\n'));
  });
});
