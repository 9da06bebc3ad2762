// At 80×24 the banner shown on every screen when Ollama is down cut "! Ollama:
// Ollama is not reachable at http://… — is `ollama serve` running?" and its
// "fix:" line. Both wrap now (the name said once), and the screen below gets
// the rows they leave.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CALC_PLAN, writeCalcProject } from "../helpers/calc-build.js";
import { closedPortUrl, tempDir } from "../helpers/cli.js";
import { renderApp, testEnv, type AppHarness } from "./render-app.js";
import type { ScreenId } from "../../ui/keymap.js";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;
let DOWN: string;

beforeEach(async () => {
  DOWN = await closedPortUrl();
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
  // 30 tasks, more than the Plan screen has rows for: its table must give way to the banner.
  let plan = CALC_PLAN;
  for (let i = 4; i <= 30; i++) {
    const id = `T${String(i).padStart(3, "0")}`;
    plan += `\n[[task]]\nid = "${id}"\nspec = "CALC"\ntitle = "Module ${i}"\noutputs = ["calc/m${i}.py"]\ndepends_on = ["T001"]\nrefs = ["components/Cli"]\nverify = ["python3 -m py_compile calc/m${i}.py"]\nstatus = "auto"\n`;
  }
  await writeFile(join(dir, ".specwright/plan.toml"), plan);
});
afterEach(async () => {
  app?.unmount();
  await cleanup();
});

/** The frame's text with its line breaks and indents as single spaces: a wrapped sentence reads whole. */
const flat = (frame: string) => frame.split("\n").map((l) => l.trim()).join(" ");

describe("the Ollama banner at 80×24", () => {
  // Each screen waits for something of its own that is drawn below the banner.
  const screens: [ScreenId, string][] = [
    ["overview", "calc.smd"],
    ["specs", "specs/calc.smd"],
    ["plan", "plan.toml is valid"],
    ["build", "No build in this session yet"],
  ];
  for (const [screen, mark] of screens) {
    it(`shows the whole reason and fix on the ${screen} screen, which fits in the rows left`, async () => {
      app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen, columns: 80 });
      const frame = await app.waitFor((f) => f.includes("fix:") && f.includes(mark), `the banner and the ${screen} screen`);
      const lines = frame.split("\n");
      expect(lines.length, frame).toBeLessThanOrEqual(24);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
      const text = flat(frame);
      expect(text, frame).toContain(`! Ollama is not reachable at ${DOWN} — is \`ollama serve\` running?`);
      expect(text, frame).toContain(
        "fix: start it with `ollama serve`, or set model.host in specwright.toml / OLLAMA_HOST to where it listens — local screens keep working; r on Overview checks again",
      );
      // 75 columns and the port: the reason on one row, the fix on three (the name Ollama said once, not twice).
      expect(lines[1], frame).toMatch(/^! Ollama is not reachable at .* running\?$/);
      expect(lines[2], frame).toMatch(/^ {2}fix: /);
      // The tab bar stays on the first row and the footer on the last: the body gave up the banner's rows.
      expect(lines[0], frame).toMatch(/Overview/);
      expect(lines.at(-1), frame).toMatch(/\? help/);
    });
  }
});
