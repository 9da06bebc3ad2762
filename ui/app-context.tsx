// What screens get from the shell, split the gemini-cli way: the project
// (config, environment) as state, and the shell's actions (dialogs, cancellable
// operations, navigation) as a stable object. Screens receive key commands
// through useScreenCommands, never by reading keys themselves.

import { createContext, useContext, useEffect, useLayoutEffect, useRef } from "react";
import type { Diagnostic } from "../grammar/diagnostic.js";
import type { LoadedConfig } from "../src/config/types.js";
import type { IntentContext } from "../src/intent/intent-log.js";
import { bindingsFor, type Command, type ScreenId } from "./keymap.js";

/** The project the app is open in. `loaded` is undefined while the config loads. */
export interface ProjectState {
  cwd: string;
  env: NodeJS.ProcessEnv;
  loaded: LoadedConfig | undefined;
  /** Config diagnostics; errors mean screens that need the config say so. */
  configDiagnostics: Diagnostic[];
  /** True when the config has errors: screens show that instead of working on a config the user did not mean. */
  configBroken: boolean;
}

/** A trace the traces screen should open (set by "open the trace" elsewhere). */
export interface TraceTarget {
  runId: string;
  /** Run-relative call folder, e.g. "tasks/T002/attempt-1". */
  path?: string;
}

export interface AppActions {
  /** Asks for one line of text; resolves to undefined when the person cancels. */
  prompt(label: string, initial?: string, hint?: string): Promise<string | undefined>;
  /** Asks yes or no; Esc and n mean no. */
  confirm(title: string, lines?: string[]): Promise<boolean>;
  /**
   * Runs long work as the app's one cancellable operation: the status line
   * shows it with elapsed time and Esc (or Ctrl-C) aborts its signal.
   * Resolves to undefined without running when another operation is under way.
   */
  run<T>(label: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined>;
  /** The running operation is paused (true) or running again: the status line stops its spinner and clock. */
  operationPaused(paused: boolean): void;
  flash(message: string): void;
  show(screen: ScreenId): void;
  openTrace(target: TraceTarget): void;
  /** Hands the terminal to another program (an editor) and takes it back. */
  suspend(run: () => void): void;
  /** Opens the ask panel from the shown screen, with its selection (`>` does this too). */
  ask(options?: AskOptions): void;
}

/**
 * How the ask panel opens: `draft` makes the request draft a new spec at that
 * file (Specs' draft action); `start` puts words in the input line, with the
 * context they come from in place of the screen's selection (a retro's
 * recommendation: its words, its spec#anchor, and the retro as the source).
 */
export interface AskOptions {
  draft?: { file: string; id: string };
  start?: { words: string; context: IntentContext };
}

export const ProjectContext = createContext<ProjectState | undefined>(undefined);
export const ActionsContext = createContext<AppActions | undefined>(undefined);
export const TraceTargetContext = createContext<TraceTarget | undefined>(undefined);

/** Handles a command; returns false when the screen has no use for it. */
export type CommandHandler = (command: Command) => boolean;
/** Why a command cannot run on the screen right now ("no build is running"), or undefined when it can. */
export type CommandAvailability = (command: Command) => string | undefined;
export interface ScreenCommands {
  handle: CommandHandler;
  why: CommandAvailability;
}
export const CommandRegistryContext = createContext<Map<ScreenId, ScreenCommands> | undefined>(undefined);
/** Called when a screen's set of available commands changes, so the shell redraws the footer that lists them. */
export const AvailabilityChangedContext = createContext<((screen: ScreenId) => void) | undefined>(undefined);

/**
 * What a screen has selected, in the intent log's words: a spec file (and
 * line), a finding, a task, a trace. Asking (`>`) from a screen carries it as
 * the request's context, like `ask --at` does headless.
 */
export type ScreenSelection = Omit<IntentContext, "source">;
export type SelectionRegistry = Map<ScreenId, () => ScreenSelection | undefined>;
export const SelectionRegistryContext = createContext<SelectionRegistry | undefined>(undefined);

/** Tells the shell what the screen has selected now; the latest `select` is always the one read. */
export function useScreenSelection(screen: ScreenId, select: () => ScreenSelection | undefined): void {
  const registry = useContext(SelectionRegistryContext);
  const latest = useRef(select);
  latest.current = select;
  useEffect(() => {
    if (!registry) return;
    registry.set(screen, () => latest.current());
    return () => {
      registry.delete(screen);
    };
  }, [registry, screen]);
}

export function useProject(): ProjectState {
  const value = useContext(ProjectContext);
  if (!value) throw new Error("useProject outside the app");
  return value;
}

export function useActions(): AppActions {
  const value = useContext(ActionsContext);
  if (!value) throw new Error("useActions outside the app");
  return value;
}

export function useTraceTarget(): TraceTarget | undefined {
  return useContext(TraceTargetContext);
}

/**
 * Registers the screen's command handler and why a command cannot run now
 * (the palette greys it out with the reason; the footer leaves it out); the
 * latest of each is always the one called. When what is available changes (a
 * view opened, a list emptied), the shell is told, so the footer follows.
 */
export function useScreenCommands(screen: ScreenId, handler: CommandHandler, why: CommandAvailability = () => undefined): void {
  const registry = useContext(CommandRegistryContext);
  const changed = useContext(AvailabilityChangedContext);
  const latest = useRef({ handler, why });
  latest.current = { handler, why };
  useEffect(() => {
    if (!registry) return;
    registry.set(screen, { handle: (command) => latest.current.handler(command), why: (command) => latest.current.why(command) });
    return () => {
      registry.delete(screen);
    };
  }, [registry, screen]);
  const available = bindingsFor(screen)
    .map((b) => (why(b.command) === undefined ? "1" : "0"))
    .join("");
  // Before the frame is drawn, so the footer never shows a frame behind the screen.
  useLayoutEffect(() => {
    changed?.(screen);
  }, [changed, screen, available]);
}
