// The shell: tab bar, the active screen, dialogs, the status line and the
// footer. One useInput turns keys into commands through the keymap; the shell
// handles its own (screens, help, Esc, Ctrl-C, quit) and hands the rest to the
// active screen. Screens stay mounted once visited, so a build keeps running
// while you look at traces.

import { Box, Text, useApp, useInput } from "ink";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from "react";
import { hasErrors } from "../grammar/diagnostic.js";
import { loadConfig } from "../src/config/load.js";
import { INTERRUPT_WINDOW_MS, appReducer, initialAppState } from "./app-state.js";
import { ActionsContext, CommandRegistryContext, ProjectContext, TraceTargetContext, type AppActions, type CommandHandler, type ProjectState, type TraceTarget } from "./app-context.js";
import { probeOllama, type OllamaStatus } from "./data/ollama-status.js";
import { OllamaContext } from "./data/ollama-context.js";
import { SCREENS, resolveKey, type Command, type ScreenId } from "./keymap.js";
import { AuditScreen } from "./screens/audit-screen.js";
import { BuildScreen } from "./screens/build-screen.js";
import { ModelsScreen } from "./screens/models-screen.js";
import { OverviewScreen } from "./screens/overview-screen.js";
import { PlanScreen } from "./screens/plan-screen.js";
import { SpecsScreen } from "./screens/specs-screen.js";
import { TracesScreen } from "./screens/traces-screen.js";
import { theme } from "./theme.js";
import { formatElapsed, useNow } from "./use-now.js";
import { useTerminalSize } from "./use-terminal-size.js";
import { ConfirmDialog } from "./widgets/confirm-dialog.js";
import { Footer } from "./widgets/footer.js";
import { HelpOverlay } from "./widgets/help-overlay.js";
import { useInitOffer } from "./init-offer.js";
import { TabBar } from "./widgets/tab-bar.js";
import { textInputAction, textInputReducer, textInputState, type TextInputState } from "./widgets/text-input-state.js";
import { scriptedDemoLabel } from "../src/demo/scripted-demo-label.js";
import { TextPrompt } from "./widgets/text-prompt.js";
import { AskPanel, type AskKeyHandler } from "./intent/ask-panel.js";

export interface AppProps {
  /** Where specwright was started; the project is found from here like every command does. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The screen to open on (Overview unless a test or a flag says otherwise). */
  initialScreen?: ScreenId;
  /** The clock, for the double Ctrl-C window. */
  now?: () => number;
  /** Hands the terminal to another program and takes it back (see run-app). Without it, editing is unavailable. */
  suspend?: (run: () => void) => void;
  /** Told the exit code when the app quits: 0 for `q`, 130 for a double Ctrl-C. */
  onExit?: (code: number) => void;
}

type Modal =
  | { kind: "prompt"; label: string; hint: string | undefined; field: TextInputState; resolve: (value: string | undefined) => void }
  | { kind: "confirm"; title: string; lines: string[]; resolve: (yes: boolean) => void };

interface Operation {
  label: string;
  startedAt: number;
  controller: AbortController;
}

export function App({ cwd, env, initialScreen, now = Date.now, suspend, onExit }: AppProps) {
  const { exit } = useApp();
  const size = useTerminalSize();
  const [state, dispatch] = useReducer(appReducer, initialScreen, initialAppState);
  const [project, setProject] = useState<ProjectState>({ cwd, env, loaded: undefined, configDiagnostics: [], configBroken: false });
  const [ollama, setOllama] = useState<OllamaStatus | undefined>(undefined);
  const [modals, setModalsState] = useState<Modal[]>([]);
  // Keys can arrive faster than React re-renders (a paste, a loaded machine):
  // input handling reads and updates this ref, never a render's stale copy.
  const modalsRef = useRef<Modal[]>([]);
  const setModals = (update: (list: Modal[]) => Modal[]) => {
    modalsRef.current = update(modalsRef.current);
    setModalsState(modalsRef.current);
  };
  const [operation, setOperation] = useState<Operation | undefined>(undefined);
  const operationRef = useRef<Operation | undefined>(undefined);
  const [traceTarget, setTraceTarget] = useState<TraceTarget | undefined>(undefined);
  // The ask panel (one key from any screen) owns the keys while it is open.
  const [askFrom, setAskFromState] = useState<ScreenId | undefined>(undefined);
  const askFromRef = useRef<ScreenId | undefined>(undefined);
  // Keys reach the panel through the shell: those typed before it mounted (right after `>`) wait here.
  const askKeys = useRef<{ handler?: AskKeyHandler; queued: Parameters<AskKeyHandler>[] }>({ queued: [] });
  const setAskFrom = (screen: ScreenId | undefined) => {
    askFromRef.current = screen;
    if (screen === undefined) askKeys.current = { queued: [] };
    setAskFromState(screen);
  };
  const registerAskKeys = useCallback((handler: AskKeyHandler | undefined) => {
    askKeys.current.handler = handler;
    if (!handler) return;
    const queued = askKeys.current.queued;
    askKeys.current.queued = [];
    for (const args of queued) handler(...args);
  }, []);
  const registry = useMemo(() => new Map<ScreenId, CommandHandler>(), []);
  const tick = useNow(operation !== undefined, 1000);

  const loadProject = useCallback(async () => {
    const { loaded, diagnostics } = await loadConfig({ cwd, env, flags: {} });
    setProject({ cwd, env, loaded, configDiagnostics: diagnostics, configBroken: hasErrors(diagnostics) });
    setOllama({ state: "checking", host: loaded.config.model.host });
    setOllama(await probeOllama(loaded.config));
  }, [cwd, env]);

  useEffect(() => {
    void loadProject();
  }, [loadProject]);

  // Unmounting (quit, or a test ending) stops the running operation; it finishes its own cleanup.
  useEffect(() => () => operationRef.current?.controller.abort(new Error("quit")), []);

  useEffect(() => {
    if (!state.exiting) return;
    operationRef.current?.controller.abort(new Error("quit"));
    onExit?.(state.exitCode);
    exit();
  }, [state.exiting, state.exitCode, exit, onExit]);

  // The "press Ctrl-C again" notice lasts as long as the window it speaks of.
  useEffect(() => {
    const armedAt = state.interruptArmedAt;
    if (armedAt === undefined) return;
    const timer = setTimeout(() => dispatch({ type: "interrupt-expired", armedAt }), INTERRUPT_WINDOW_MS);
    return () => clearTimeout(timer);
  }, [state.interruptArmedAt]);

  const pushModal = (modal: Modal) => setModals((list) => [...list, modal]);
  const popModal = () => setModals((list) => list.slice(1));

  const actions = useMemo<AppActions>(
    () => ({
      prompt: (label, initial = "", hint) =>
        new Promise((resolve) => pushModal({ kind: "prompt", label, hint, field: textInputState(initial), resolve })),
      confirm: (title, lines = []) => new Promise((resolve) => pushModal({ kind: "confirm", title, lines, resolve })),
      async run(label, work) {
        if (operationRef.current) {
          dispatch({ type: "flash", message: `${operationRef.current.label} is running; Esc cancels it` });
          return undefined;
        }
        const op: Operation = { label, startedAt: Date.now(), controller: new AbortController() };
        operationRef.current = op;
        setOperation(op);
        try {
          return await work(op.controller.signal);
        } finally {
          operationRef.current = undefined;
          setOperation(undefined);
        }
      },
      flash: (message) => dispatch({ type: "flash", message }),
      show: (screen) => dispatch({ type: "show", screen }),
      openTrace(target) {
        setTraceTarget({ ...target });
        dispatch({ type: "show", screen: "traces" });
      },
      suspend(run) {
        if (!suspend) {
          dispatch({ type: "flash", message: "this terminal cannot be handed to an editor" });
          return;
        }
        suspend(run);
      },
    }),
    [suspend],
  );

  useInitOffer(project, actions, loadProject);

  const cancelOperation = (): string | undefined => {
    const op = operationRef.current;
    if (!op || op.controller.signal.aborted) return undefined;
    op.controller.abort(new Error("cancelled"));
    return op.label;
  };

  const shellCommand = (command: Command): boolean => {
    if (command.startsWith("screen.") && command !== "screen.next" && command !== "screen.previous") {
      dispatch({ type: "show", screen: command.slice("screen.".length) as ScreenId });
      return true;
    }
    switch (command) {
      case "screen.next":
        dispatch({ type: "step", by: 1 });
        return true;
      case "screen.previous":
        dispatch({ type: "step", by: -1 });
        return true;
      case "help":
        dispatch({ type: "toggle-help" });
        return true;
      case "intent.ask":
        if (project.configBroken) {
          dispatch({ type: "flash", message: "asking needs a working specwright.toml; fix its errors first" });
          return true;
        }
        if (state.help) dispatch({ type: "close-help" });
        setAskFrom(state.screen);
        return true;
      case "cancel": {
        if (state.help) {
          dispatch({ type: "close-help" });
          return true;
        }
        const cancelled = cancelOperation();
        if (cancelled) {
          dispatch({ type: "flash", message: `cancelling ${cancelled}…` });
          return true;
        }
        registry.get(state.screen)?.("back");
        return true;
      }
      case "quit":
        if (operationRef.current) {
          const label = operationRef.current.label;
          void actions.confirm(`${label} is running. Stop it and quit?`).then((yes) => {
            if (yes) dispatch({ type: "exit" });
          });
        } else dispatch({ type: "exit" });
        return true;
      default:
        return false;
    }
  };

  useInput((input, key) => {
    const press = { input, key };
    // Ctrl-C works everywhere, dialogs included.
    if (key.ctrl && input === "c") {
      const cancelled = cancelOperation();
      const modal = modalsRef.current[0];
      if (modal) {
        popModal();
        if (modal.kind === "prompt") modal.resolve(undefined);
        else modal.resolve(false);
      }
      if (askFromRef.current) setAskFrom(undefined);
      dispatch({ type: "interrupt", now: now(), cancelled });
      return;
    }
    if (askFromRef.current) {
      const handler = askKeys.current.handler;
      if (handler) handler(input, key);
      else askKeys.current.queued.push([input, key]);
      return;
    }
    const modal = modalsRef.current[0];
    if (modal?.kind === "prompt") {
      const action = textInputAction(press);
      if (action === "submit" || action === "cancel") {
        popModal();
        modal.resolve(action === "submit" ? modal.field.value : undefined);
      } else if (action) {
        setModals((list) => [{ ...modal, field: textInputReducer(modal.field, action) }, ...list.slice(1)]);
      }
      return;
    }
    if (modal?.kind === "confirm") {
      if (input === "y" || input === "Y" || input === "n" || input === "N" || key.escape || key.return) {
        popModal();
        modal.resolve(input === "y" || input === "Y");
      }
      return;
    }
    const command = resolveKey(press, state.screen);
    if (!command) return;
    if (state.flash && command !== "interrupt") dispatch({ type: "flash", message: undefined });
    if (state.help && command !== "help" && command !== "cancel" && !command.startsWith("screen.") && command !== "quit") return;
    if (shellCommand(command)) return;
    registry.get(state.screen)?.(command);
  });

  // Chrome: tab bar, optional banner, status line, footer; Ink needs its last line free.
  const banner = bannerLines(project, ollama);
  const bodyHeight = Math.max(3, size.rows - 4 - banner.length);
  const modal = modals[0];
  const busy: ScreenId[] = operation?.label.startsWith("build") ? ["build"] : [];

  return (
    <ProjectContext.Provider value={project}>
      <ActionsContext.Provider value={actions}>
        <OllamaContext.Provider value={{ status: ollama, reprobe: loadProject }}>
          <TraceTargetContext.Provider value={traceTarget}>
            <CommandRegistryContext.Provider value={registry}>
              <Box flexDirection="column" width={size.columns}>
                <TabBar active={state.screen} busy={busy} width={size.columns} />
                {banner}
                <Box flexDirection="column" height={bodyHeight} overflow="hidden">
                  {askFrom && !modal ? (
                    <AskPanel loaded={project.loaded} env={env} context={{ source: `tui ${askFrom}` }} width={size.columns} height={bodyHeight} onClose={() => setAskFrom(undefined)} registerKeys={registerAskKeys} />
                  ) : null}
                  {modal ? (
                    modal.kind === "prompt" ? (
                      <TextPrompt label={modal.label} state={modal.field} {...(modal.hint ? { hint: modal.hint } : {})} width={size.columns} />
                    ) : (
                      <ConfirmDialog title={modal.title} lines={modal.lines} width={size.columns} />
                    )
                  ) : null}
                  {state.help && !modal ? <HelpOverlay screen={state.screen} height={bodyHeight} width={size.columns} /> : null}
                  {SCREENS.filter((s) => state.visited.includes(s)).map((screen) => (
                    <Box key={screen} display={screen === state.screen && !state.help && !modal && !askFrom ? "flex" : "none"} flexDirection="column">
                      {renderScreen(screen, screen === state.screen, bodyHeight, size.columns)}
                    </Box>
                  ))}
                </Box>
                <StatusLine operation={operation} flash={state.flash} now={tick} />
                <Footer screen={state.screen} width={size.columns} />
              </Box>
            </CommandRegistryContext.Provider>
          </TraceTargetContext.Provider>
        </OllamaContext.Provider>
      </ActionsContext.Provider>
    </ProjectContext.Provider>
  );
}

function renderScreen(screen: ScreenId, active: boolean, height: number, width: number): ReactNode {
  const props = { active, height, width };
  switch (screen) {
    case "overview":
      return <OverviewScreen {...props} />;
    case "specs":
      return <SpecsScreen {...props} />;
    case "audit":
      return <AuditScreen {...props} />;
    case "plan":
      return <PlanScreen {...props} />;
    case "build":
      return <BuildScreen {...props} />;
    case "traces":
      return <TracesScreen {...props} />;
    case "models":
      return <ModelsScreen {...props} />;
  }
}

function StatusLine({ operation, flash, now }: { operation: Operation | undefined; flash: string | undefined; now: number }) {
  if (operation) {
    const elapsed = formatElapsed(Math.max(0, now - operation.startedAt));
    return (
      <Text wrap="truncate-end">
        <Text color={theme.accent}>◐ </Text>
        {operation.label} · {elapsed} · Esc cancels{flash ? ` · ${flash}` : ""}
      </Text>
    );
  }
  return <Text wrap="truncate-end">{flash ?? " "}</Text>;
}

/** The scripted-demo label, config errors and an unreachable Ollama, each with what to do about it. */
function bannerLines(project: ProjectState, ollama: OllamaStatus | undefined): ReactNode[] {
  const lines: ReactNode[] = [];
  // Never let the demo's prepared replies pass for a model's work.
  const demo = project.loaded ? scriptedDemoLabel(project.loaded.config) : undefined;
  if (demo) {
    lines.push(
      <Text key="demo" color={theme.accent} bold wrap="truncate-end">
        ◆ {demo}
      </Text>,
    );
  }
  if (project.configBroken) {
    const first = project.configDiagnostics.find((d) => d.severity === "error");
    lines.push(
      <Text key="config" color={theme.error} wrap="truncate-end">
        ✗ config: {first ? `${first.file}:${first.line}: ${first.message}` : "errors"} — fix specwright.toml
      </Text>,
    );
  }
  if (ollama?.state === "down") {
    lines.push(
      <Text key="ollama" color={theme.warning} wrap="truncate-end">
        ! Ollama: {ollama.message}
      </Text>,
      <Text key="ollama-hint" wrap="truncate-end">
        {"  "}fix: {ollama.hint} — local screens keep working; r on Overview checks again
      </Text>,
    );
  }
  return lines;
}
