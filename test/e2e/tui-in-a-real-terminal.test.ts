import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROLES } from "../../src/config/types.js";
import { copyExample } from "../../src/demo/example-project.js";
import { SCRIPTED_DEMO_MODEL } from "../../src/demo/scripted-demo-label.js";
import { startScriptedDemoServer } from "../../src/demo/scripted-ollama-server.js";
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
    // Under the Ollama banner (wrapped whole) the help may scroll: its title then says which lines it shows.
    await term.waitFor((s) => s.includes("Keys on Specs (? closes"), "the help overlay");
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

describe("every screen at 80×24 (tmux)", () => {
  it("keeps each screen's key hints, whole ids and states, and a help that ends with quit", async () => {
    term = await startTmux({
      cwd: dir,
      command: `node ${CLI} demo demo-project`,
      env: { TERM: "xterm-256color", XDG_CONFIG_HOME: join(dir, ".none") },
      width: 80,
      height: 24,
    });
    const hints = (s: string) => {
      const footer = s.trimEnd().split("\n").at(-1) ?? "";
      return footer.includes(": actions") && footer.includes("? help") && footer.includes("q quit");
    };
    await term.waitFor((s) => hints(s) && s.includes("1 Overview"), "the overview with its hints", 2 * STEP_MS);
    await term.send("3");
    await term.send("R");
    // Finding ids whole: `--dismiss` needs them exactly.
    await term.waitFor((s) => hints(s) && /WORDFREQ-1\s+warning/.test(s) && /WORDFREQ-2\s+info/.test(s), "the audit with whole ids", 2 * STEP_MS);
    await term.send("4");
    await term.send("P");
    // The state column is never cut: "pending (to build)" whole.
    await term.waitFor((s) => hints(s) && /T004 .*pending \(to build\)/.test(s), "the plan with whole states", 2 * STEP_MS);
    await term.send("?");
    await term.waitFor((s) => s.includes("Keys on Plan") && s.includes("lines 1–"), "the plan's help, scrollable");
    await term.send("PageDown");
    await term.waitFor((s) => /q\s+quit \(asks while a build runs\)/.test(s), "the help's last key");
    await term.send("Escape");
    await term.waitFor((s) => !s.includes("Keys on Plan"), "the help closed");
    await term.send("5");
    await term.send("b");
    const built = await term.waitFor((s) => hints(s) && /4 built, 0 up to date/.test(s), "the build summary", 3 * STEP_MS);
    // Speed from the model's own counts (the scripted server streams at 200 tok/s), never a burst figure.
    const rate = Number(/([\d.]+) tok\/s avg/.exec(built)?.[1]);
    expect(rate).toBeGreaterThan(150);
    expect(rate).toBeLessThan(260);
    expect(built).not.toMatch(/loading specwright-demo/);
    await term.send("6");
    await term.waitFor((s) => hints(s) && s.includes("[6 Traces]") && s.includes("5 calls"), "the traces");
    await term.send("Enter");
    await term.waitFor((s) => /tasks\/T002\/attempt-1\s+verify failed/.test(s), "the failed attempt named as such");
    await term.send(["Down", "Enter"]);
    // The call view says how the attempt ended too, and its header gives way by whole parts, never mid-word.
    const call = await term.waitFor((s) => s.includes("[response]") && s.includes("tasks/T002/attempt-1 "), "the failed attempt's call view");
    const head = call.split("\n").find((l) => l.includes("[response]"))!;
    expect(head).toMatch(/^tasks\/T002\/attempt-1 verify failed +prompt +\[response\] +verify\.log +meta$/);
    await term.send("Escape");
    await term.waitFor((s) => !s.includes("[response]"), "the call list again");
    await term.send("7");
    await term.waitFor((s) => hints(s) && s.includes("[7 Models]") && s.includes("specwright-demo:scripted"), "the models");
    await term.send("Enter");
    await term.waitFor((s) => s.includes("not changed: the demo's models are set by SPECWRIGHT_MODEL"), "the demo's models not written");
    await term.send(":");
    await term.waitFor((s) => s.includes("Actions (") && s.includes("not now:"), "the palette with reasons");
    await term.send("Escape");
    await term.waitFor((s) => !s.includes("Actions ("), "the palette closed");
    await term.send("q");
    const end = await term.waitFor((s) => s.includes("[exit "), "the demo to exit");
    expect(end).toContain("[exit 0]");
    const toml = await execa("grep", ["-c", "specwright-demo:scripted", join(dir, "demo-project", "specwright.toml")], { reject: false });
    expect(String(toml.stdout).trim()).toBe("0");
  }, 10 * STEP_MS);
});

describe("plain accessible mode (tmux)", () => {
  it("--plain: no box drawing, no spinner glyphs, the normal screen, prompts answered by typed keys", async () => {
    term = await startTmux({
      cwd: dir,
      command: `node ${CLI} --plain`,
      env: { TERM: "xterm-256color", OLLAMA_HOST: "http://127.0.0.1:9", XDG_CONFIG_HOME: join(dir, ".none") },
      width: 80,
      height: 24,
    });
    // A transcript: what was printed, scrollback included (the footer was printed before the later lines).
    const screen = await term.waitForHistory((s) => s.includes("? help") && s.includes("specs/greeter.smd") && s.includes("not reachable"), "the overview in plain mode");
    expect(screen).not.toMatch(/[─│╭╮╰╯✓✗›◐◆▶…]/);
    expect(screen).toMatch(/\+ specs\/greeter\.smd/);
    const flags = await execa("tmux", ["-S", join(dir, ".tmux.sock"), "display", "-p", "-t", "sw", "#{alternate_on}"]);
    expect(String(flags.stdout).trim()).toBe("0");
    await term.send("2");
    await term.send("n");
    // A text prompt without a box, answered by typing: the typing continues the prompt's line.
    await term.waitForHistory((s) => s.includes("New spec name"), "the new-spec prompt");
    await term.send("notes", { literal: true });
    const typed = await term.waitForHistory((s) => /^> notes$/m.test(s), "the name typed on the prompt's line");
    expect(typed).not.toMatch(/[╭╮╰╯│]/);
    await term.send("Enter");
    await term.waitForHistory((s) => s.includes("specs/notes.smd"), "the new spec listed");
    await term.send("q");
    const end = await term.waitFor((s) => s.includes("[exit "), "the app to exit");
    expect(end).toContain("[exit 0]");
  });
});

/** Everything the app wrote to the pane, as raw bytes (tmux pipe-pane), once `test` holds for it. */
async function rawOutput(file: string, test: (raw: string) => boolean, what: string, timeoutMs = STEP_MS): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const raw = existsSync(file) ? await readFile(file, "utf8") : "";
    if (test(raw)) return raw;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; output so far:\n${raw.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("plain mode is a transcript (tmux, TERM=dumb)", () => {
  it("--plain prints every change as new lines: no escape sequence at all, a build's progress line after line", async () => {
    await copyExample(join(dir, "wordfreq"));
    const server = await startScriptedDemoServer({ tokensPerSecond: 1000 });
    try {
      const models = Object.fromEntries(ROLES.map((role) => [`SPECWRIGHT_MODEL_${role.toUpperCase()}`, SCRIPTED_DEMO_MODEL]));
      const raw = join(dir, "raw.log");
      term = await startTmux({
        cwd: dir,
        // The app starts once its output is captured (the file `go`), so the capture holds every byte it wrote.
        command: `while [ ! -e go ]; do sleep 0.05; done; node ${CLI} --plain -C wordfreq`,
        env: { TERM: "dumb", OLLAMA_HOST: server.url, SPECWRIGHT_MODEL: SCRIPTED_DEMO_MODEL, ...models, XDG_CONFIG_HOME: join(dir, ".none") },
        width: 80,
        height: 24,
      });
      await execa("tmux", ["-S", join(dir, ".tmux.sock"), "pipe-pane", "-o", "-t", "sw", `cat >> ${raw}`]);
      await writeFile(join(dir, "go"), "");
      await rawOutput(raw, (r) => r.includes("? help") && r.includes("Ollama +"), "the overview");
      await term.send("4");
      await term.send("P");
      await rawOutput(raw, (r) => /wrote \.specwright\/plan\.toml: 4 tasks/.test(r), "the plan", 2 * STEP_MS);
      await term.send("5");
      await term.send("b");
      await rawOutput(raw, (r) => /4 built, 0 up to date/.test(r), "the build summary", 3 * STEP_MS);
      // The ask panel without its box; what is typed continues the field's line.
      await term.send(">");
      await rawOutput(raw, (r) => r.includes("your words change the spec"), "the ask panel");
      await term.send("hello", { literal: true });
      await rawOutput(raw, (r) => r.includes("> hello"), "the typed words");
      await term.send("Escape");
      await term.send("q");
      await term.waitFor((s) => s.includes("[exit "), "the app to exit");
      const bytes = await readFile(raw, "utf8");
      // No cursor movement, no erase, no colour either (TERM=dumb): not one escape, no carriage return without its newline.
      expect(bytes).not.toContain("\u001b");
      expect(bytes).not.toMatch(/\r(?!\n)/);
      expect(bytes).not.toMatch(/[╭╮╰╯│]/);
      expect(bytes).not.toMatch(/\r\n> hel?l?\r\n/);
      const lines = bytes.split("\r\n");
      const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
      // The build's progress as successive lines: each task's rows in the order things happened, then the summary.
      for (const id of ["T001", "T002", "T003", "T004"]) {
        const rows = lines.filter((l) => new RegExp(`^. . ${id} `).test(l));
        expect(rows.length, `${id}'s rows`).toBeGreaterThanOrEqual(2);
        expect(rows.at(-1)).toMatch(/done/);
      }
      expect(at(/^. \+ T001 .* done/)).toBeLessThan(at(/^. \+ T004 .* done/));
      expect(at(/^. \+ T004 .* done/)).toBeLessThan(at(/4 built, 0 up to date/));
      // Never the replies' code as it streams (src/demo/wordfreq-replies.ts): a screen reader would read every line of it.
      expect(lines.filter((l) => /export function (countWords|topWords|main)\b|^```/.test(l))).toEqual([]);
      expect(lines.some((l) => /^T00\d verify ok: /.test(l))).toBe(true);
      // Nothing is printed twice in a row: each line is a change.
      for (let i = 1; i < lines.length; i++) if (lines[i] !== "") expect(lines[i], `line ${i}`).not.toBe(lines[i - 1]);
      // The header counts up as tasks finish and has no running clock while the build runs.
      const headers = lines.filter((l) => /^build \S+ · \d\/4 built/.test(l));
      const counts = headers.map((l) => Number(/(\d)\/4/.exec(l)![1]));
      expect(counts).toEqual([...counts].sort());
      expect(counts.at(-1)).toBe(4);
      // (The finished header, with its average, says how long the build took.)
      expect(headers.filter((l) => !l.endsWith("tok/s avg") && / \d+s\b/.test(l))).toEqual([]);
      expect(String((await execa("tmux", ["-S", join(dir, ".tmux.sock"), "display", "-p", "-t", "sw", "#{alternate_on}"])).stdout).trim()).toBe("0");
    } finally {
      await server.close();
    }
  }, 8 * STEP_MS);
});
