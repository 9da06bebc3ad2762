// The TUI's entry, loaded by the CLI only when stdin and stdout are terminals.
// It decides colour before Ink (and chalk inside it) is loaded: chalk under
// Ink ignores NO_COLOR unless FORCE_COLOR=0 is set first.

export interface RunAppOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --no-color was given. */
  noColor: boolean;
}

export async function runApp(options: RunAppOptions): Promise<number> {
  const noColor = options.noColor || (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== "");
  if (noColor) process.env.FORCE_COLOR = "0";
  const { startApp } = await import("./start-app.js");
  return startApp(options);
}
