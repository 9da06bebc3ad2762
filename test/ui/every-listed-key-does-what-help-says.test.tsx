// Walks the KEYMAP table on the real app: on every screen, every key the help
// lists reaches a handler that has a use for it there (the shell's or the
// screen's), no key is listed twice on one screen, the footer keeps its way
// out at any width, and keys typed while the project loads are kept.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SCREENS, bindingsFor, footerLine, keyText, type Command, type KeyChord, type ScreenId } from "../../ui/keymap.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { UNIT_TEST_MS } from "../helpers/budget.js";
import { KEY, lockReleased, renderApp, testEnv, tick, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-keys-"));
  await writeCalcProject(dir);
  const finding = { id: "CALC-1", spec: "CALC", file: "specs/calc.smd", line: 1, section: "Behavior", issue: "Division by zero is not specified", suggestion: "Say what divide does when b is 0", severity: "error", status: "open", history: [] };
  await writeFile(join(dir, ".specwright/findings.json"), JSON.stringify({ version: 1, audits: {}, counters: { CALC: 1 }, findings: [finding] }));
});
afterEach(async () => {
  app?.unmount();
  app = undefined;
  await lockReleased(dir);
  await cleanup();
});

/** A port nothing listens on: Ollama is down, so model actions fail fast and say so. */
const DOWN = "http://127.0.0.1:9";

/** The bytes a terminal sends for a key. */
function bytes(k: KeyChord): string {
  if ("ctrl" in k) return String.fromCharCode(k.ctrl.charCodeAt(0) - 96);
  if ("char" in k) return k.char;
  const named: Record<typeof k.name, string> = {
    up: KEY.up, down: KEY.down, right: KEY.right, left: KEY.left, pageup: "\u001b[5~", pagedown: "\u001b[6~",
    home: "\u001b[H", end: "\u001b[F", return: KEY.enter, escape: KEY.escape, tab: "\t", "shift-tab": "\u001b[Z",
  };
  return named[k.name];
}

/** Keys that leave the screen or the app; the shell's own tests cover them. */
const LEAVES: readonly Command[] = ["quit", "interrupt", "screen.next", "screen.previous", "help", "palette"];

describe("the keymap, walked on every screen", () => {
  it.each(SCREENS)("lists no key twice on %s", (screen) => {
    const keys = bindingsFor(screen).flatMap((b) => b.keys.map(keyText));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it.each(SCREENS)("keeps the palette, help and quit keys in %s's footer at 80 columns and at 40", (screen) => {
    for (const width of [79, 39]) {
      const line = footerLine(screen, width);
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line).toContain(": actions");
      expect(line).toContain("? help");
      expect(line).toContain("q quit");
    }
  });

  it.each(SCREENS)(
    "every key listed on %s reaches a handler with a use for it there",
    async (screen: ScreenId) => {
      const events: { screen: ScreenId; command: Command; handled: boolean }[] = [];
      app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen, onCommand: (e) => events.push(e) });
      await app.waitFor((f) => f.includes("? help") && !f.includes("loading the project"), "the screen");
      await tick(200);
      for (const binding of bindingsFor(screen)) {
        if (LEAVES.includes(binding.command) || binding.command.startsWith("screen.")) continue;
        for (const key of binding.keys) {
          const before = events.length;
          await app.press(bytes(key));
          // Wait for the command to land (a screen may be between renders), then close what it opened.
          const until = Date.now() + 5000;
          while (events.length === before && Date.now() < until) await tick(20);
          const got = events.slice(before);
          expect(got, `${keyText(key)} on ${screen}`).toContainEqual({ screen, command: binding.command, handled: true });
          const f = app.frame();
          // Dialogs (a text field, a yes/no question) are drawn in a box.
          if (f.includes("╭")) await app.press(KEY.escape);
          // A started operation (audit, plan, build with Ollama down) ends on its own or on Esc.
          if (/Esc cancels/.test(f.split("\n").at(-3) ?? "")) await app.press(KEY.escape);
          await tick(30);
        }
      }
    },
    UNIT_TEST_MS * 3,
  );

  it("keeps keys typed while the project loads and hands them to the screen once it has", async () => {
    const events: { screen: ScreenId; command: Command; handled: boolean }[] = [];
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "plan", onCommand: (e) => events.push(e) });
    // At once, before the config has loaded, and as one chunk (as fast typing or a terminal multiplexer delivers it):
    // two moves down, then graph.
    await app.press("jjt");
    const f = await app.waitFor((x) => x.includes("T003") && /graph|build order/i.test(x), "the graph after the typed keys");
    expect(events.map((e) => e.command)).toEqual(["cursor.down", "cursor.down", "plan.graph"]);
    expect(f).not.toMatch(/^jjt/m);
  });
});
