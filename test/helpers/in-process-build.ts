// A build run inside the test process, wired as the TUI wires it
// (runProjectBuild), so a test can answer the engine's questions and watch
// its events. The context is read when this is called; the build runs later.

import { join } from "node:path";
import type { BuildAnswer, BuildEvent, BuildQuestion } from "../../src/build/build-events.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { runProjectBuild, type ProjectBuildResult } from "../../src/build/run-project-build.js";
import { loadConfig } from "../../src/config/load.js";

/** Keeps hand edits and retries nothing, as a headless build does. */
export const headless = async (q: BuildQuestion): Promise<BuildAnswer> => (q.kind === "overwrite-hand-edit" ? { kind: q.kind, overwrite: false } : { kind: q.kind, retry: false });

export async function inProcessBuild(dir: string, ollamaUrl: string): Promise<{ run(options?: { decide?: (q: BuildQuestion) => Promise<BuildAnswer>; onEvent?: (e: BuildEvent) => void }): Promise<ProjectBuildResult & { ok: true }> }> {
  // The blind judge is off unless a test turns it on, as in runCli (helpers/cli.ts).
  const env = { SPECWRIGHT_BUILD_REVIEW: "off", ...process.env, OLLAMA_HOST: ollamaUrl, XDG_CONFIG_HOME: join(dir, ".none") };
  const { loaded } = await loadConfig({ cwd: dir, env, flags: {} });
  const context = await readBuildContext(loaded, env);
  if (!context.ok) throw new Error(context.message);
  return {
    async run(options = {}) {
      const result = await runProjectBuild({
        loaded,
        context: context.context,
        selection: { kind: "all" },
        force: false,
        env,
        onEvent: options.onEvent ?? (() => undefined),
        decide: options.decide ?? headless,
      });
      if (!result.ok) throw new Error(result.message);
      return result;
    },
  };
}
