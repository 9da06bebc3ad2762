// Mounts the app on the real terminal and waits until it exits, with the
// app's exit code (0 for `q`, 130 for a double Ctrl-C). Ctrl-C is the app's
// to handle (once cancels, twice within 3 s quits); Ink restores raw mode and
// the cursor when it unmounts. An editor gets the terminal through `suspend`.

import { render, type Instance } from "ink";
import { App } from "./app.js";
import type { RunAppOptions } from "./run-app.js";

export async function startApp(options: RunAppOptions): Promise<number> {
  const suspend = (run: () => void) => {
    const stdin = process.stdin;
    // The editor needs a cooked terminal and the whole screen; Ink redraws after.
    instance.clear();
    if (stdin.isTTY) stdin.setRawMode(false);
    try {
      run();
    } finally {
      if (stdin.isTTY) stdin.setRawMode(true);
      instance.clear();
    }
  };
  let code = 0;
  const instance: Instance = render(<App cwd={options.cwd} env={options.env} suspend={suspend} onExit={(c) => (code = c)} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
  return code;
}
