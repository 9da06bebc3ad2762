// The TUI's entry, loaded by the CLI only when stdin and stdout are terminals.
// It decides colour before Ink (and chalk inside it) is loaded: chalk under
// Ink ignores NO_COLOR unless FORCE_COLOR=0 is set first. And Ink, when CI is
// set in the environment, renders only the last frame (is-in-ci, read once
// when Ink loads): someone at a terminal gets the live UI all the same.

export interface RunAppOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --no-color was given. */
  noColor: boolean;
  /** --plain was given (or `[ui] plain = true`): no box drawing, no spinners, linear output. */
  plain?: boolean;
}

export async function runApp(options: RunAppOptions): Promise<number> {
  const noColor = options.noColor || (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== "");
  if (noColor) process.env.FORCE_COLOR = "0";
  const { startApp } = await withoutCiMarkers(() => import("./start-app.js"));
  return startApp(options);
}

const CI_MARKERS = ["CI", "CONTINUOUS_INTEGRATION"] as const;

/** Loads Ink with the CI markers hidden, then puts them back for child processes. */
async function withoutCiMarkers<T>(load: () => Promise<T>): Promise<T> {
  const saved = CI_MARKERS.map((name) => [name, process.env[name]] as const);
  for (const name of CI_MARKERS) delete process.env[name];
  try {
    return await load();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}
