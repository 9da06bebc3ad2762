import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { join } from "node:path";
import { STEP_MS } from "../helpers/budget.js";
import { CLI, runCli, tempDir } from "../helpers/cli.js";
import { startTmux, type TmuxSession } from "../helpers/tmux.js";

let dir: string;
let cleanup: () => Promise<void>;
let term: TmuxSession | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await runCli(["init", "."], { cwd: dir });
});
afterEach(async () => {
  await term?.kill();
  await cleanup();
});

describe("the TUI in a real terminal (tmux)", () => {
  it("opens on the overview, switches screens, quits on a double Ctrl-C and restores the terminal", async () => {
    term = await startTmux({
      cwd: dir,
      command: `node ${CLI}`,
      env: { TERM: "xterm-256color", OLLAMA_HOST: "http://127.0.0.1:9", XDG_CONFIG_HOME: join(dir, ".none") },
      width: 80,
      height: 24,
    });
    await term.waitFor((s) => s.includes("? help") && s.includes("specs/greeter.smd") && s.includes("1 Overview"), "the overview with full tab titles at 80 columns");
    await term.send("2");
    await term.waitFor((s) => s.includes("[2 Specs]") && s.includes("specs/greeter.smd"), "the specs screen");
    await term.send("?");
    await term.waitFor((s) => s.includes("Keys on Specs (? closes)"), "the help overlay");
    await term.send("Escape");
    // An Escape followed at once by Ctrl-C can reach the app as one Alt-chord: wait for the overlay to go.
    await term.waitFor((s) => !s.includes("Keys on Specs"), "the help overlay to close");
    await term.send("C-c");
    await term.waitFor((s) => /press Ctrl-C again within 3 s to quit/.test(s), "the first Ctrl-C hint");
    // The notice goes with its window, and the next Ctrl-C counts as a first one again.
    await term.waitFor((s) => !/again within 3 s/.test(s), "the notice to expire");
    await term.send("C-c");
    await term.waitFor((s) => /press Ctrl-C again within 3 s to quit/.test(s), "the hint again");
    expect(await term.alive()).toBe(true);
    await term.send("C-c");
    const end = await term.waitFor((s) => s.includes("[exit "), "the app to exit");
    // Quitting with Ctrl-C is an interrupt, as for every command (README: exit codes).
    expect(end).toContain("[exit 130]");
    // Restored: the cursor is visible again and the alternate screen is off.
    const flags = await execa("tmux", ["-S", join(dir, ".tmux.sock"), "display", "-p", "-t", "sw", "#{cursor_flag} #{alternate_on}"]);
    expect(String(flags.stdout).trim()).toBe("1 0");
  });
});

describe("the TUI respects the terminal (tmux)", () => {
  it("draws its frame again when $EDITOR exits, and resizing never erases the scrollback, also after quitting", async () => {
    const tmuxCmd = (...args: string[]) => execa("tmux", ["-S", join(dir, ".tmux.sock"), ...args]);
    term = await startTmux({
      cwd: dir,
      // What the user printed before starting the app must still be there afterwards.
      command: `seq 1 40 | sed s/^/HISTORY-/; node ${CLI}`,
      env: { TERM: "xterm-256color", EDITOR: "true", OLLAMA_HOST: "http://127.0.0.1:9", XDG_CONFIG_HOME: join(dir, ".none") },
      width: 80,
      height: 24,
    });
    await term.waitFor((s) => s.includes("? help") && s.includes("specs/greeter.smd"), "the overview");
    await term.send("2");
    await term.waitFor((s) => s.includes("[2 Specs]") && s.includes("e opens it in true"), "the specs screen");
    await term.send("e");
    // The editor (`true`) exits at once; no key is pressed after it, yet the whole frame is back.
    await term.waitFor((s) => s.includes("[2 Specs]") && s.includes("› ✓ specs/greeter.amd") && s.includes("? help"), "the frame after the editor");
    await tmuxCmd("resize-window", "-t", "sw", "-x", "70", "-y", "18");
    await term.waitFor((s) => s.includes("[2 Spec]") && s.includes("? help"), "the frame redrawn at 70×18");
    await tmuxCmd("resize-window", "-t", "sw", "-x", "80", "-y", "24");
    await term.waitFor((s) => s.includes("[2 Specs]") && s.includes("? help"), "the frame redrawn at 80×24");
    await term.send("q");
    await term.waitFor((s) => s.includes("[exit 0]"), "the app to exit");
    const history = await tmuxCmd("capture-pane", "-p", "-t", "sw", "-S", "-100");
    const lines = String(history.stdout).split("\n").filter((l) => l.startsWith("HISTORY-"));
    expect(lines).toHaveLength(40);
  });
});

describe("the demo in a real terminal (tmux)", () => {
  it("audits and plans, then builds in the TUI, browses a trace, quits and restores the terminal", async () => {
    term = await startTmux({
      cwd: dir,
      command: `node ${CLI} demo demo-project`,
      env: { TERM: "xterm-256color", XDG_CONFIG_HOME: join(dir, ".none") },
      width: 100,
      height: 30,
    });
    // Labelled on every screen as what it is: prepared replies, not a model.
    await term.waitFor((s) => s.includes("? help") && s.includes("scripted demo (not a model)"), "the TUI after validation, labelled", 2 * STEP_MS);
    await term.send("3");
    await term.waitFor((s) => s.includes("[3 Audit]"), "the audit screen");
    await term.send("R");
    await term.waitFor((s) => /apostroph/i.test(s), "the audit's findings", 2 * STEP_MS);
    await term.send("4");
    await term.waitFor((s) => s.includes("[4 Plan]"), "the plan screen");
    await term.send("P");
    await term.waitFor((s) => s.includes("T004"), "the planned tasks", 2 * STEP_MS);
    await term.send("5");
    await term.waitFor((s) => s.includes("[5 Build]") && s.includes("scripted demo (not a model)"), "the build screen, still labelled");
    await term.send("b");
    await term.waitFor((s) => /4 built, 0 up to date/.test(s), "the build summary", 3 * STEP_MS);
    await term.send("6");
    await term.waitFor((s) => s.includes("[6 Traces]") && /build/.test(s), "the run list");
    await term.send("Enter");
    await term.waitFor((s) => s.includes("tasks/T002/attempt-2"), "the calls of the build run");
    await term.send("Enter");
    await term.waitFor((s) => s.includes("[response]") || s.includes("[prompt]"), "a call's trace");
    await term.send("Escape");
    await term.waitFor((s) => !s.includes("[response]") && !s.includes("[prompt]"), "the call list again");
    await term.send("Escape");
    await term.waitFor((s) => !s.includes("tasks/T002/attempt-2"), "the run list again");
    await term.send("q");
    const end = await term.waitFor((s) => s.includes("[exit "), "the demo to exit");
    expect(end).toContain("[exit 0]");
    const flags = await execa("tmux", ["-S", join(dir, ".tmux.sock"), "display", "-p", "-t", "sw", "#{cursor_flag} #{alternate_on}"]);
    expect(String(flags.stdout).trim()).toBe("1 0");
  }, 10 * STEP_MS);
});
