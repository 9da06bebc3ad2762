// At 80×24 the Specs screen's status line ("specs/…/name.smd: 1 error, … · e
// opens it in vi ($EDITOR is unset)") was cut when the spec's path is long,
// and with it what the e key does. It wraps now, and the selected file's
// diagnostics below it wrap their sentences in the rows left.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CALC_SMD } from "../helpers/spec-project.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { closedPortUrl, tempDir } from "../helpers/cli.js";
import { renderApp, testEnv, type AppHarness } from "./render-app.js";

const LONG = "specs/word-frequency-counter-with-unicode-normalisation-and-stop-words.smd";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;
let DOWN: string;

beforeEach(async () => {
  DOWN = await closedPortUrl();
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
  await mkdir(join(dir, "specs"), { recursive: true });
  // The calc spec under a long name, its id changed (two specs cannot share one), and a dependency on a spec that does not exist.
  await writeFile(join(dir, LONG), CALC_SMD.replace("id: CALC", "id: WORDFREQ").replace("depends: []", "depends: [NO-SUCH-SPEC]"));
});
afterEach(async () => {
  app?.unmount();
  await cleanup();
});

/** The frame's text with its line breaks and indents as single spaces: a wrapped sentence reads whole. */
const flat = (frame: string) => frame.split("\n").map((l) => l.trim()).join(" ");

describe("the Specs screen at 80×24", () => {
  it("shows the status line of a spec with a long path whole, and its diagnostics, under the Ollama banner", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "specs", columns: 80 });
    await app.waitFor((f) => f.includes("fix:") && f.includes("calc.smd"), "the spec list under the banner");
    // The list is sorted: calc.amd, calc.smd, then the long one.
    await app.press("j", "j");
    const frame = await app.waitFor((f) => f.includes("opens it in") && /› .*word-frequency/.test(f), "the long spec selected");
    const lines = frame.split("\n");
    expect(lines.length, frame).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const text = flat(frame);
    // One diagnostic, the unknown dependency written above.
    expect(text).toContain(`${LONG}: 1 error, 0 other diagnostics · e opens it in vi ($EDITOR is unset)`);
    expect(text).toContain(`${LONG}:4:11: error: \`WORDFREQ\` depends on unknown spec \`NO-SUCH-SPEC\``);
    expect(text).toContain("hint: no .smd among the inputs has this id");
    // The source excerpt and its caret, one row each.
    expect(lines).toContain("4 | depends: [NO-SUCH-SPEC]");
  });
});
