// What every command that writes project state (audit, plan, build) opens
// first: the run lock (a second run in the same project is refused with the
// holder's pid), a trace run folder, and an abort signal wired to SIGINT and
// SIGTERM. The first signal aborts the work (streams close, verify groups
// die); the command then exits 130 after writing what it has. A second
// signal exits at once (the lock is still released by the exit hook).

import { appendFile } from "node:fs/promises";
import type { SpecwrightConfig } from "./config/types.js";
import { scriptedDemoLabel } from "./demo/scripted-demo-label.js";
import { acquireRunLock, releaseRunLockOnExit } from "./lock.js";
import { watchGroups } from "./process-groups.js";
import { TraceRun } from "./traces/trace-run.js";

export interface RunScope {
  trace: TraceRun;
  signal: AbortSignal;
  /** True once SIGINT or SIGTERM arrived, or the caller's signal aborted. */
  interrupted(): boolean;
  /** Appends a line to the run's notes.log (redacted). */
  note(text: string): void;
  /** Writes run.json's summary and removes the signal handlers. */
  close(summary: Record<string, unknown>): Promise<void>;
}

export type RunScopeResult = { ok: true; scope: RunScope; notice?: string } | { ok: false; message: string; hint: string };

export interface RunScopeOptions {
  root: string;
  command: string;
  config: SpecwrightConfig;
  env: NodeJS.ProcessEnv;
  info?: Record<string, unknown>;
  /** Another way to stop the run (the TUI's Esc); it aborts the scope's signal like SIGINT does. */
  signal?: AbortSignal;
  /** Told, in words, that the first SIGINT or SIGTERM is stopping the run: the core never prints. */
  onInterrupt?: (message: string) => void;
}

/**
 * A run that holds the lock and the signal handlers but has no trace folder
 * yet: a build checks that it can start (the model is there) before it writes
 * a run folder or runs git, so a run that cannot start leaves no trace.
 */
export interface LockedRunScope {
  signal: AbortSignal;
  interrupted(): boolean;
  /** Creates the run folder; from then on the run is closed through the returned scope. */
  openTrace(): Promise<RunScope>;
  /** Ends a run that never opened its trace: handlers off, lock released. */
  release(): Promise<void>;
}

export type LockedRunScopeResult = { ok: true; scope: LockedRunScope; notice?: string } | { ok: false; message: string; hint: string };

/** Takes the run lock and the signal handlers, and opens the run folder. */
export async function openRunScope(options: RunScopeOptions): Promise<RunScopeResult> {
  const locked = await lockRunScope(options);
  if (!locked.ok) return locked;
  const scope = await locked.scope.openTrace();
  return locked.notice === undefined ? { ok: true, scope } : { ok: true, scope, notice: locked.notice };
}

/** Takes the run lock and the signal handlers; the run folder comes later (openTrace). */
export async function lockRunScope(options: RunScopeOptions): Promise<LockedRunScopeResult> {
  const locked = await acquireRunLock(options.root, { command: `specwright ${options.command}` });
  if (!locked.ok) return { ok: false, message: locked.message, hint: locked.hint };
  const lock = locked.lock;
  const unhookLock = releaseRunLockOnExit(lock);
  // The lock lists the verify process groups still running, so a run that finds this one dead can end them.
  const unwatchGroups = watchGroups((groups) => void lock.recordGroups(groups));
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(130);
    options.onInterrupt?.(`${name === "SIGINT" ? "interrupted" : "terminated"} — stopping; press Ctrl-C again to quit at once`);
    controller.abort(new Error(name));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const external = options.signal;
  const onExternalAbort = () => controller.abort(external?.reason);
  if (external?.aborted) onExternalAbort();
  else external?.addEventListener("abort", onExternalAbort, { once: true });
  const release = async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    external?.removeEventListener("abort", onExternalAbort);
    unwatchGroups();
    unhookLock();
    await lock.release();
  };
  const openTrace = async (): Promise<RunScope> => {
    const { run } = await TraceRun.open({
      projectRoot: options.root,
      command: options.command,
      env: options.env,
      keepRuns: options.config.traces.keepRuns,
      // A run against the scripted demo says so in run.json, so no trace of it passes for a model's work.
      info: { ...(options.info ?? {}), ...demoInfo(options.config) },
    });
    let notes = Promise.resolve();
    return {
      trace: run,
      signal: controller.signal,
      interrupted: () => controller.signal.aborted,
      note(text) {
        notes = notes.then(() => appendFile(run.path("notes.log"), run.redact(text) + "\n")).catch(() => undefined);
      },
      async close(summary) {
        await notes;
        await run.finish({ ...summary, interrupted: controller.signal.aborted });
        await release();
      },
    };
  };
  const scope: LockedRunScope = { signal: controller.signal, interrupted: () => controller.signal.aborted, openTrace, release };
  return locked.tookOver ? { ok: true, scope, notice: locked.tookOver.message } : { ok: true, scope };
}

function demoInfo(config: SpecwrightConfig): { scriptedDemo?: string } {
  const label = scriptedDemoLabel(config);
  return label === undefined ? {} : { scriptedDemo: label };
}
