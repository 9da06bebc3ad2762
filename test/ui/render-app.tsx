// A tiny harness for UI tests: renders the real app on a project dir with
// ink-testing-library, writes keys, and waits for frames.

import { render } from "ink-testing-library";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { App, type AppProps } from "../../ui/app.js";
import { STEP_MS } from "../helpers/budget.js";
import type { ScreenId } from "../../ui/keymap.js";

export const KEY = {
  up: "\u001b[A",
  down: "\u001b[B",
  right: "\u001b[C",
  left: "\u001b[D",
  enter: "\r",
  escape: "\u001b",
  ctrlC: "\u0003",
  backspace: "\u007f",
} as const;

export interface AppHarness {
  frame(): string;
  /** Every frame rendered so far, joined: for things that were on screen only for a moment. */
  history(): string;
  frames(): string[];
  press(...keys: string[]): Promise<void>;
  waitFor(test: (frame: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

export function testEnv(dir: string, ollamaUrl: string): NodeJS.ProcessEnv {
  // The blind judge is off unless a test turns it on, as in runCli (helpers/cli.ts).
  const env: NodeJS.ProcessEnv = { SPECWRIGHT_BUILD_REVIEW: "off", SPECWRIGHT_AUDIT_AFTER_ASK: "off", ...process.env, OLLAMA_HOST: ollamaUrl, XDG_CONFIG_HOME: join(dir, ".no-user-config"), NO_COLOR: "1" };
  delete env.SPECWRIGHT_MODEL;
  delete env.EDITOR;
  delete env.VISUAL;
  return env;
}

/** Waits until no run holds the project's lock (a stopped build finishes writing first). */
export async function lockReleased(dir: string, timeoutMs = STEP_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (existsSync(join(dir, ".specwright/lock")) && Date.now() < until) await tick(50);
}

export const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

export function renderApp(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  screen?: ScreenId;
  now?: () => number;
  onExit?: (code: number) => void;
  onCommand?: AppProps["onCommand"];
  plain?: boolean;
  /** The terminal's width (ink-testing-library's is 100). */
  columns?: number;
  /** Hands the "terminal" to an editor: the test's stands in for run-app's (which also releases the real terminal). */
  suspend?: AppProps["suspend"];
}): AppHarness {
  const r = render(
    <App
      cwd={options.cwd}
      env={options.env}
      {...(options.screen ? { initialScreen: options.screen } : {})}
      {...(options.now ? { now: options.now } : {})}
      {...(options.onExit ? { onExit: options.onExit } : {})}
      {...(options.onCommand ? { onCommand: options.onCommand } : {})}
      {...(options.plain ? { plain: true } : {})}
      {...(options.suspend ? { suspend: options.suspend } : {})}
    />,
  );
  if (options.columns !== undefined) {
    const columns = options.columns;
    // As a terminal resized to that width: Ink and the app read stdout.columns again on "resize".
    Object.defineProperty(r.stdout, "columns", { get: () => columns });
    r.stdout.emit("resize");
  }
  const frame = () => r.lastFrame() ?? "";
  return {
    frame,
    history: () => r.frames.join("\n"),
    frames: () => [...r.frames],
    async press(...keys) {
      for (const key of keys) {
        r.stdin.write(key);
        // A lone Esc is held for a moment by Ink's parser (it may start a sequence).
        await tick(key === KEY.escape ? 60 : 30);
      }
    },
    async waitFor(test, what, timeoutMs = STEP_MS) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (test(f)) return f;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
        await tick(25);
      }
    },
    unmount: () => r.unmount(),
  };
}
