// The prepared fixer edits for the demo's findings, through the real audit
// command: applied, marked [inferred], and the re-audit agrees they are settled.
// (The TUI's "ask for a fix" gets the same reply.)

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { startScriptedDemoServer, type ScriptedDemoServer } from "../../src/demo/scripted-ollama-server.js";
import { SCRIPTED_DEMO_MODEL } from "../../src/demo/scripted-demo-label.js";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
let server: ScriptedDemoServer;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await cp(join(REPO_ROOT, "examples/wordfreq"), dir, { recursive: true });
  server = await startScriptedDemoServer({ tokensPerSecond: 0 });
});
afterEach(async () => {
  await server.close();
  await cleanup();
});

describe("the demo's audit with --fix all", () => {
  it("applies the prepared edits for both findings and the re-audit no longer reports them", async () => {
    const r = await runCli(["audit", "--fix", "all"], { cwd: dir, env: { OLLAMA_HOST: server.url, SPECWRIGHT_MODEL: SCRIPTED_DEMO_MODEL } });
    expect(r.exitCode, r.stderr).toBe(0);
    const spec = await readFile(join(dir, "specs/wordfreq.smd"), "utf8");
    expect(spec).toMatch(/\[inferred\]/);
    expect(spec).toContain("an apostrophe between two letters belongs to the word");
    const findings = JSON.parse(await readFile(join(dir, ".specwright/findings.json"), "utf8")) as { findings: { id: string; status: string }[] };
    expect(findings.findings.map((f) => [f.id, f.status])).toEqual([
      ["WORDFREQ-1", "fixed"],
      ["WORDFREQ-2", "fixed"],
    ]);
    expect(spec).toContain("Input is read as UTF-8.");
    expect((await runCli(["validate"], { cwd: dir })).exitCode).toBe(0);
  });
});
