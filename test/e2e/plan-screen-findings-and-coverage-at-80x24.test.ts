import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeCalcProject } from "../helpers/calc-build.js";
import { CLI, tempDir } from "../helpers/cli.js";
import { startTmux, type TmuxSession } from "../helpers/tmux.js";

// The Plan screen's plan-judge findings and coverage table in a real 80×24
// terminal: long issue texts are cut at the line's end, never the finding's
// id (a person types it into `audit --dismiss`), nor a coverage row's result
// and place.

let dir: string;
let cleanup: () => Promise<void>;
let term: TmuxSession | undefined;

const LONG = "the verify command of this task only compiles the module, so nothing shows that the command line prints the sum it is asked for";
const finding = (id: string, section: string, issue: string) => ({ id, spec: "plan", file: ".specwright/plan.toml", line: 1, section, issue, suggestion: "run `python3 -m calc.cli 1 2` after compiling", severity: "warning", status: "open", history: [] });

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
  await writeFile(
    join(dir, ".specwright/findings.json"),
    JSON.stringify({ version: 1, audits: {}, counters: { plan: 1207 }, findings: [finding("PLAN-1206", "weak-verify T003", LONG), finding("PLAN-1207", "uncovered requirements/divide", `divide: ${LONG}`)] }),
  );
});
afterEach(async () => {
  await term?.kill();
  await cleanup();
});

describe("the Plan screen at 80×24 (tmux)", () => {
  it("keeps finding ids whole in the review line and the findings list, and the coverage table within 80 columns", async () => {
    term = await startTmux({
      cwd: dir,
      command: `node ${CLI}`,
      env: { TERM: "xterm-256color", OLLAMA_HOST: "http://127.0.0.1:9", XDG_CONFIG_HOME: join(dir, ".none"), NO_COLOR: "1" },
      width: 80,
      height: 24,
    });
    await term.waitFor((s) => s.includes("? help"), "the app");
    await term.send("4");
    await term.waitFor((s) => /T003\s+CLI/.test(s) && s.includes("review: 2 open (f)"), "the plan table with the review count");
    await term.send(["j", "j"]);
    let s = await term.waitFor((x) => x.includes("review: PLAN-1206 weak-verify · d dismiss · a accept: the verify command"), "T003's finding, id first");
    expect(s.split("\n").every((l) => l.length <= 80)).toBe(true);

    await term.send("f");
    s = await term.waitFor((x) => x.includes("Plan review · 2 open of 2 findings"), "the findings view");
    expect(s).toMatch(/› PLAN-1206 T003 weak-verify open the verify command/);
    expect(s).toMatch(/ {2}PLAN-1207 -\s+uncovered\s+open divide: the verify/);
    expect(s).toContain("PLAN-1206 · .specwright/plan.toml:1 § weak-verify T003");
    // The issue is wrapped in full under the list.
    expect(s.replace(/\s+/g, " ")).toContain(LONG);

    await term.send("c");
    s = await term.waitFor((x) => x.includes("Coverage · 3 items"), "the coverage view");
    const rows = s.split("\n").filter((l) => /requirements\/|components\//.test(l) && !l.includes(" — "));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/not run\s+(smd|amd):\d+\s*$/);
    expect(s.split("\n").every((l) => l.length <= 80)).toBe(true);
    await term.send("q");
    await term.waitFor((x) => x.includes("[exit 0]"), "the app to exit");
  });
});
