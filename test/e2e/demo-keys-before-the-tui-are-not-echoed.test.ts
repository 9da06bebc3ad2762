// Keys typed while the demo validates, before its TUI is up, are neither echoed
// into the output nor acted on, and the terminal is given back on every way out
// (the TUI's quit, Ctrl-C during a step). Driven in a real terminal (tmux).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { STEP_MS } from "../helpers/budget.js";
import { CLI, REPO_ROOT, tempDir } from "../helpers/cli.js";
import { startTmux, type TmuxSession } from "../helpers/tmux.js";

let dir: string;
let cleanup: () => Promise<void>;
let term: TmuxSession | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await term?.kill();
  await cleanup();
});

const history = async () => String((await execa("tmux", ["-S", join(dir, ".tmux.sock"), "capture-pane", "-p", "-t", "sw", "-S", "-300"])).stdout);

describe("the demo before its TUI (tmux)", () => {
  it("does not echo keys typed while it validates; the TUI opens as usual and the terminal echoes again after", async () => {
    term = await startTmux({
      cwd: dir,
      // After the demo, the shell reads a line: the terminal must echo it again.
      // \$: expanded by the inner shell, not by the one tmux starts it with.
      command: `node ${CLI} demo demo-project; echo "[demo \\$?]"; read line; echo "read: \\$line"`,
      env: { TERM: "xterm-256color", XDG_CONFIG_HOME: join(dir, ".none") },
      width: 80,
      height: 24,
    });
    await term.waitFor((s) => s.includes("$ specwright validate"), "the validate step", 2 * STEP_MS);
    await term.send("xyzzy", { literal: true });
    await term.waitFor((s) => s.includes("? help") && s.includes("[1 Overview]"), "the TUI", 2 * STEP_MS);
    await term.send("q");
    await term.waitFor((s) => s.includes("[demo 0]"), "the demo to end");
    await term.send("typed after", { literal: true });
    await term.waitFor((s) => s.includes("typed after"), "the echo of a line typed after the demo");
    await term.send("Enter");
    await term.waitFor((s) => s.includes("read: typed after"), "the line read");
    const all = await history();
    expect(all).toContain("specs/wordfreq.smd");
    expect(all).not.toContain("xyzzy");
  }, 6 * STEP_MS);

  it("Ctrl-C while keys are held stops the running step as the terminal would, and gives the terminal back", async () => {
    // The demo's own hold, around a step that would run for a minute (`sleep 60` in place of validate).
    const script = join(dir, "hold.mjs");
    await writeFile(
      script,
      [
        `import { spawn } from "node:child_process";`,
        `import { holdKeys } from ${JSON.stringify(join(REPO_ROOT, "dist/src/cli/held-keys.js"))};`,
        `const keys = holdKeys(process.stdin);`,
        `process.on("SIGINT", () => undefined);`,
        `const child = spawn("sleep", ["60"], { stdio: ["ignore", "inherit", "inherit"] });`,
        `console.log("STEP RUNNING");`,
        `child.on("close", (code, signal) => { keys.release(); console.log("STEP ENDED " + signal); });`,
      ].join("\n"),
    );
    // Ctrl-C reaches the whole foreground group, the pane's shell too: its trap keeps it alive to report.
    term = await startTmux({ cwd: dir, command: `trap 'true' INT; node ${script}; stty -a | tr ' ' '\\n' | grep -x -- '-*echo'`, env: { TERM: "xterm-256color" }, width: 80, height: 24 });
    await term.waitFor((s) => s.includes("STEP RUNNING"), "the step");
    await term.send("abc", { literal: true });
    await term.send("C-c");
    const end = await term.waitFor((s) => s.includes("[exit "), "the script to end");
    expect(end).toContain("STEP ENDED SIGINT");
    expect(end).not.toContain("abc");
    // stty: echo is on again (not "-echo").
    expect(end.split("\n").map((l) => l.trim())).toContain("echo");
  });
});
