// Mounts the app on the real terminal and waits until it exits, with the
// app's exit code (0 for `q`, 130 for a double Ctrl-C). Ctrl-C is the app's
// to handle (once cancels, twice within 3 s quits); Ink restores raw mode and
// the cursor when it unmounts. The app draws on the alternate screen and
// never erases the scrollback (terminal-screen.ts). An editor gets the
// terminal through `suspend`: the normal screen in cooked mode, and when it
// exits the app takes the screen back and draws its whole frame again.
// Plain mode draws no frame in place: Ink renders to a transcript that prints
// each change as new lines (plain-transcript.ts).

import { render, type Instance } from "ink";
import { App } from "./app.js";
import type { RunAppOptions } from "./run-app.js";
import { holdTerminal } from "./terminal-screen.js";
import { PlainStdout, PlainTranscript } from "./plain-transcript.js";
import { loadConfig } from "../src/config/load.js";

export async function startApp(options: RunAppOptions): Promise<number> {
  let instance: Instance | undefined;
  // `--plain` or `[ui] plain = true` (a broken config leaves it off; the app shows the errors).
  const plain = options.plain === true || (await loadConfig({ cwd: options.cwd, env: options.env, flags: {} })).loaded.config.ui.plain;
  const terminal = holdTerminal(process.stdout, { alternate: !plain, plain });
  // Written through process.stdout, so the terminal hold's plain marks apply to it.
  const transcript = plain ? new PlainTranscript((text) => process.stdout.write(text)) : undefined;
  const restoreOnExit = () => terminal.restore();
  process.once("exit", restoreOnExit);
  const suspend = (run: () => void) => {
    const stdin = process.stdin;
    instance?.clear();
    terminal.release();
    if (stdin.isTTY) stdin.setRawMode(false);
    try {
      run();
    } finally {
      if (stdin.isTTY) stdin.setRawMode(true);
      terminal.reclaim();
      // The editor's screen is below what was printed: the app prints its screen whole again.
      transcript?.reset();
      // Ink's record of what is on screen is emptied; the app then writes its frame in full.
      instance?.clear();
    }
  };
  let code = 0;
  try {
    instance = render(
      <App cwd={options.cwd} env={options.env} plain={plain} suspend={suspend} onExit={(c) => (code = c)} />,
      transcript
        ? // debug: every frame written whole and at once, no log-update; PlainStdout stands in for the terminal.
          { exitOnCtrlC: false, debug: true, patchConsole: false, stdout: new PlainStdout(process.stdout, transcript) as unknown as NodeJS.WriteStream }
        : { exitOnCtrlC: false },
    );
    await instance.waitUntilExit();
  } finally {
    transcript?.end();
    terminal.restore();
    process.off("exit", restoreOnExit);
  }
  return code;
}
