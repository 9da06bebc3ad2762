// What every model-using command (audit, plan, build) opens first: a trace run
// folder and an abort signal wired to SIGINT/SIGTERM. The first signal
// aborts the work (streams close, verify groups die); the command then exits
// 130 after writing what it has. A second signal exits at once.

import { appendFile } from "node:fs/promises";
import type { SpecwrightConfig } from "./config/types.js";
import { TraceRun } from "./traces/trace-run.js";

export interface RunScope {
  trace: TraceRun;
  signal: AbortSignal;
  /** True once SIGINT or SIGTERM arrived. */
  interrupted(): boolean;
  /** Appends a line to the run's notes.log (redacted). */
  note(text: string): void;
  /** Writes run.json's summary and removes the signal handlers. */
  close(summary: Record<string, unknown>): Promise<void>;
}

export async function openRunScope(options: {
  root: string;
  command: string;
  config: SpecwrightConfig;
  env: NodeJS.ProcessEnv;
  info?: Record<string, unknown>;
}): Promise<RunScope> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(130);
    process.stderr.write(`\n${name === "SIGINT" ? "interrupted" : "terminated"} — stopping; press Ctrl-C again to quit at once\n`);
    controller.abort(new Error(name));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const { run } = await TraceRun.open({
    projectRoot: options.root,
    command: options.command,
    env: options.env,
    keepRuns: options.config.traces.keepRuns,
    info: options.info ?? {},
  });
  let notes = Promise.resolve();
  return {
    trace: run,
    signal: controller.signal,
    interrupted: () => signals > 0,
    note(text) {
      notes = notes.then(() => appendFile(run.path("notes.log"), run.redact(text) + "\n")).catch(() => undefined);
    },
    async close(summary) {
      await notes;
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await run.finish({ ...summary, interrupted: signals > 0 });
    },
  };
}
