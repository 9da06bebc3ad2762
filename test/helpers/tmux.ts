// Drives a real terminal for end-to-end UI tests: a detached tmux session of
// a fixed size running a command, keys sent with send-keys, the screen read
// with capture-pane. Each session gets its own socket so tests never touch a
// user's tmux server.

import { execa } from "execa";
import { join } from "node:path";
import { STEP_MS } from "./budget.js";

export interface TmuxSession {
  /** The visible screen as plain text (no escapes). */
  screen(): Promise<string>;
  /** The scrollback and the screen (up to 2000 lines): what an app that prints as it goes (plain mode) has printed. */
  history(): Promise<string>;
  /** tmux key names ("Enter", "Escape", "C-c", "Down") or literal text with { literal: true }. */
  send(keys: string | string[], options?: { literal?: boolean }): Promise<void>;
  waitFor(test: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** As waitFor, over history(). */
  waitForHistory(test: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** True while the command runs in the pane. */
  alive(): Promise<boolean>;
  kill(): Promise<void>;
}

export async function startTmux(options: { cwd: string; command: string; env?: Record<string, string>; width?: number; height?: number }): Promise<TmuxSession> {
  const socket = join(options.cwd, ".tmux.sock");
  const name = "sw";
  const tmux = (...args: string[]) => execa("tmux", ["-S", socket, ...args], { cwd: options.cwd, reject: false });
  // The blind judge is off unless a test turns it on, as in runCli (helpers/cli.ts).
  const exports = Object.entries({ SPECWRIGHT_BUILD_REVIEW: "off", SPECWRIGHT_AUDIT_AFTER_ASK: "off", ...options.env })
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'; `)
    .join("");
  // `remain-on-exit` keeps the pane after the command ends, so its last screen can be read.
  const started = await tmux(
    "new-session", "-d", "-s", name, "-x", String(options.width ?? 100), "-y", String(options.height ?? 30),
    // \$? reaches the inner sh as $?: unescaped, the outer shell would expand it first (always 0).
    "-c", options.cwd,
    `sh -c "${exports.replace(/"/g, '\\"')}${options.command.replace(/"/g, '\\"')}; echo '[exit '\\$?']'; sleep 600"`,
  );
  if (started.exitCode !== 0) throw new Error(`tmux failed: ${started.stderr}`);
  const session: TmuxSession = {
    async screen() {
      const r = await tmux("capture-pane", "-p", "-t", name);
      return String(r.stdout);
    },
    async history() {
      const r = await tmux("capture-pane", "-p", "-t", name, "-S", "-2000");
      return String(r.stdout);
    },
    async send(keys, sendOptions = {}) {
      const list = Array.isArray(keys) ? keys : [keys];
      await tmux("send-keys", "-t", name, ...(sendOptions.literal ? ["-l"] : []), ...list);
    },
    waitFor(test, what, timeoutMs = STEP_MS) {
      return waitUntil(() => session.screen(), test, what, timeoutMs);
    },
    waitForHistory(test, what, timeoutMs = STEP_MS) {
      return waitUntil(() => session.history(), test, what, timeoutMs);
    },
    async alive() {
      return !(await session.screen()).includes("[exit ");
    },
    async kill() {
      await tmux("kill-server");
    },
  };
  return session;
}

async function waitUntil(read: () => Promise<string>, test: (text: string) => boolean, what: string, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await read();
    if (test(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${s.split("\n").slice(-60).join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
