// Mounts the app on the real terminal and waits until it exits, with the
// app's exit code (0 for `q`, 130 for a double Ctrl-C). Ctrl-C is the app's
// to handle (once cancels, twice within 3 s quits); Ink restores raw mode and
// the cursor when it unmounts. The app draws on the alternate screen and
// never erases the scrollback (terminal-screen.ts). An editor gets the
// terminal through `suspend`: the normal screen in cooked mode, and when it
// exits the app takes the screen back and draws its whole frame again.

import { render, type Instance } from "ink";
import { App } from "./app.js";
import type { RunAppOptions } from "./run-app.js";
import { holdTerminal } from "./terminal-screen.js";

export async function startApp(options: RunAppOptions): Promise<number> {
  let instance: Instance | undefined;
  const terminal = holdTerminal(process.stdout, { alternate: !options.plain });
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
      // Ink's record of what is on screen is emptied; the app then writes its frame in full.
      instance?.clear();
    }
  };
  let code = 0;
  try {
    instance = render(
      <App cwd={options.cwd} env={options.env} plain={options.plain === true} suspend={suspend} onExit={(c) => (code = c)} />,
      { exitOnCtrlC: false },
    );
    await instance.waitUntilExit();
  } finally {
    terminal.restore();
    process.off("exit", restoreOnExit);
  }
  return code;
}
