// The shell: tab bar, the active screen, dialogs, the status line and the
// footer. One useInput turns keys into commands through the keymap; the shell
// handles its own (screens, help, Esc, Ctrl-C, quit) and hands the rest to the
// active screen. Screens stay mounted once visited, so a build keeps running
// while you look at traces.

import { Box, Text, useApp, useInput, useStdout } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useLiveReducer } from "./use-live-reducer.js";
import { hasErrors } from "../grammar/diagnostic.js";
import { loadConfig } from "../src/config/load.js";
import { INTERRUPT_WINDOW_MS, appReducer, initialAppState } from "./app-state.js";
import { ActionsContext, AvailabilityChangedContext, CommandRegistryContext, ProjectContext, SelectionRegistryContext, TraceTargetContext, type AppActions, type AskOptions, type ProjectState, type ScreenCommands, type ScreenSelection, type TraceTarget } from "./app-context.js";
import { probeOllama, type OllamaStatus } from "./data/ollama-status.js";
import { OllamaContext } from "./data/ollama-context.js";
import { SCREENS, resolveKey, type Command, type KeyFlags, type ScreenId } from "./keymap.js";
import { paletteEntries, searchPalette, type PaletteEntry } from "./palette/palette-entries.js";
import { PlainContext } from "./plain-mode.js";
import { inTuiTerms } from "./tui-terms.js";
import { CommandPalette } from "./widgets/command-palette.js";
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
import { StyledLines, type LineStyle } from "./widgets/styled-lines.js";
import { cutStyled, wrapStyled, type Styled } from "./format.js";
import { Footer } from "./widgets/footer.js";
import { HelpOverlay, helpMaxScroll } from "./widgets/help-overlay.js";
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
  /** Plain accessible mode: no box drawing, no spinners, linear output. */
  plain?: boolean;
  /** Told the exit code when the app quits: 0 for `q`, 130 for a double Ctrl-C. */
  onExit?: (code: number) => void;
  /** Told every command a key resolved to, and whether the shell or the screen had a use for it (tests walk the keymap with it). */
  onCommand?: (event: { screen: ScreenId; command: Command; handled: boolean }) => void;
}

/** Where the ask panel was opened: the screen, its selection, and a spec to draft (Specs' draft action). */
interface AskFrom extends AskOptions {
  screen: ScreenId;
  selection: ScreenSelection;
}

type Modal =
  | { kind: "prompt"; label: string; hint: string | undefined; field: TextInputState; resolve: (value: string | undefined) => void }
  | { kind: "confirm"; title: string; lines: string[]; resolve: (yes: boolean) => void }
  | { kind: "palette"; query: TextInputState; selected: number };

interface Operation {
  label: string;
  startedAt: number;
  controller: AbortController;
  /** Esc or Ctrl-C asked it to stop; shown until it has stopped, then gone with it. */
  cancelling: boolean;
  /** Paused by the person: no spinner, no clock. */
  paused: boolean;
}

export function App({ cwd, env, initialScreen, now = Date.now, suspend, plain = false, onExit, onCommand }: AppProps) {
  const { exit } = useApp();
  const { write: writeAboveFrame } = useStdout();
  const size = useTerminalSize();
  // Keys can arrive before React re-renders (the help opened by the key just before): handlers read the live state.
  const [state, dispatch, liveState] = useLiveReducer(appReducer, () => initialAppState(initialScreen));
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
  // The ask panel (one key from any screen) owns the keys while it is open; it
  // knows the screen it was opened from and what was selected there.
  const [askFrom, setAskFromState] = useState<AskFrom | undefined>(undefined);
  const askFromRef = useRef<AskFrom | undefined>(undefined);
  // Keys reach the panel through the shell: those typed before it mounted (right after `>`) wait here.
  const askKeys = useRef<{ handler?: AskKeyHandler | undefined; queued: Parameters<AskKeyHandler>[] }>({ queued: [] });
  const setAskFrom = (from: AskFrom | undefined) => {
    askFromRef.current = from;
    if (from === undefined) askKeys.current = { queued: [] };
    setAskFromState(from);
  };
  const registerAskKeys = useCallback((handler: AskKeyHandler | undefined) => {
    askKeys.current.handler = handler;
    if (!handler) return;
    const queued = askKeys.current.queued;
    askKeys.current.queued = [];
    for (const args of queued) handler(...args);
  }, []);
  const registry = useMemo(() => new Map<ScreenId, ScreenCommands>(), []);
  // A screen's available commands changed: draw the footer again (it asks the registry).
  const [, setAvailability] = useState(0);
  const availabilityChanged = useCallback(() => setAvailability((n) => n + 1), []);
  const selections = useMemo(() => new Map<ScreenId, () => ScreenSelection | undefined>(), []);
  // Plain mode runs no timer: the status line says what runs, not a ticking clock.
  const tick = useNow(operation !== undefined && !plain, 1000);
  const [helpScroll, setHelpScroll] = useState(0);

  const loadProject = useCallback(async () => {
    const { loaded, diagnostics } = await loadConfig({ cwd, env, flags: {} });
    setProject({ cwd, env, loaded, configDiagnostics: diagnostics, configBroken: hasErrors(diagnostics) });
    setOllama({ state: "checking", host: loaded.config.model.host });
    setOllama(await probeOllama(loaded.config));
  }, [cwd, env]);

  useEffect(() => {
    void loadProject();
  }, [loadProject]);

  // Keys for a screen that cannot take them yet (the project still loading, or the
  // screen just opened and not yet registered) wait here, in order, and are
  // handed over after the render that makes the screen ready (child effects
  // run before this one, so its handler is registered by then).
  const loadedRef = useRef(false);
  const waiting = useRef<{ screen: ScreenId; command: Command }[]>([]);
  const [, setWaitingCount] = useState(0);
  // Runs after every render on purpose: a render is what makes a waiting key's screen ready;
  // it re-renders only while keys still wait for a screen that is not registered yet.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => {
    loadedRef.current = project.loaded !== undefined;
    if (!loadedRef.current || waiting.current.length === 0) return;
    while (waiting.current.length > 0 && registry.has(waiting.current[0]!.screen)) {
      const { screen, command } = waiting.current.shift()!;
      const handled = registry.get(screen)?.handle(command) ?? false;
      onCommand?.({ screen, command, handled });
    }
    if (waiting.current.length > 0) setWaitingCount(waiting.current.length);
  });

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
  }, [state.interruptArmedAt, dispatch]);

  const pushModal = useCallback((modal: Modal) => setModals((list) => [...list, modal]), []);
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
        const op: Operation = { label, startedAt: Date.now(), controller: new AbortController(), cancelling: false, paused: false };
        operationRef.current = op;
        setOperation(op);
        try {
          return await work(op.controller.signal);
        } finally {
          operationRef.current = undefined;
          setOperation(undefined);
        }
      },
      operationPaused(paused) {
        const op = operationRef.current;
        if (!op || op.paused === paused) return;
        op.paused = paused;
        setOperation({ ...op });
      },
      flash: (message) => dispatch({ type: "flash", message: inTuiTerms(message) }),
      show: (screen) => dispatch({ type: "show", screen }),
      openTrace(target) {
        setTraceTarget({ ...target });
        dispatch({ type: "show", screen: "traces" });
      },
      ask: (options = {}) => openAskRef.current(options),
      suspend(run) {
        if (!suspend) {
          dispatch({ type: "flash", message: "this terminal cannot be handed to an editor" });
          return;
        }
        suspend(run);
        // Writing through Ink (even nothing) makes it draw its last frame again in full:
        // without this the screen stays blank after the editor until the frame changes.
        writeAboveFrame("");
      },
    }),
    [pushModal, suspend, writeAboveFrame, dispatch],
  );

  useInitOffer(project, actions, loadProject);

  /** Opens the ask panel from the shown screen, with what is selected there. */
  function openAsk(options: AskOptions): void {
    const state = liveState();
    if (project.configBroken) {
      dispatch({ type: "flash", message: "asking needs a working specwright.toml; fix its errors first" });
      return;
    }
    if (state.help) dispatch({ type: "close-help" });
    setAskFrom({ screen: state.screen, selection: selections.get(state.screen)?.() ?? {}, ...options });
  }
  const openAskRef = useRef(openAsk);
  openAskRef.current = openAsk;

  const cancelOperation = (): string | undefined => {
    const op = operationRef.current;
    if (!op || op.controller.signal.aborted) return undefined;
    op.controller.abort(new Error("cancelled"));
    op.cancelling = true;
    setOperation({ ...op });
    return op.label;
  };

  const shellCommand = (command: Command): boolean => {
    const state = liveState();
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
        setHelpScroll(0);
        dispatch({ type: "toggle-help" });
        return true;
      case "intent.ask":
        openAsk({});
        return true;
      case "palette":
        // Every screen is mounted so each can say whether its actions can run now.
        dispatch({ type: "visit", screens: [...SCREENS] });
        if (state.help) dispatch({ type: "close-help" });
        setModals((list) => [...list, { kind: "palette", query: textInputState(""), selected: 0 }]);
        return true;
      case "cancel": {
        if (state.help) {
          dispatch({ type: "close-help" });
          return true;
        }
        // The status line says "cancelling" for as long as the operation takes to stop, and no longer.
        if (cancelOperation()) return true;
        registry.get(state.screen)?.handle("back");
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

  // Chrome: tab bar, optional banner, status line, footer; Ink needs its last line free.
  const banner = bannerLines(project, ollama, plain, size.columns, size.rows);
  const bodyHeight = Math.max(3, size.rows - 4 - banner.length);

  const onKey = (input: string, key: KeyFlags): void => {
    const state = liveState();
    const press = { input, key };
    // Ctrl-C works everywhere, dialogs included.
    if (key.ctrl && input === "c") {
      const cancelled = cancelOperation();
      const modal = modalsRef.current[0];
      if (modal) {
        popModal();
        if (modal.kind === "prompt") modal.resolve(undefined);
        else if (modal.kind === "confirm") modal.resolve(false);
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
    if (modal?.kind === "palette") {
      const found = searchPalette(paletteEntries(state.screen), modal.query.value);
      if (key.upArrow || key.downArrow || key.pageUp || key.pageDown) {
        const by = key.upArrow ? -1 : key.downArrow ? 1 : key.pageUp ? -10 : 10;
        setModals((list) => [{ ...modal, selected: Math.max(0, Math.min(found.length - 1, modal.selected + by)) }, ...list.slice(1)]);
        return;
      }
      const action = textInputAction(press);
      if (action === "cancel") popModal();
      else if (action === "submit") {
        const entry = found[modal.selected];
        if (!entry) return;
        const why = paletteWhy(entry);
        if (why) {
          dispatch({ type: "flash", message: `${entry.description}: not now — ${why}` });
          return;
        }
        popModal();
        runPaletteEntry(entry);
      } else if (action) {
        setModals((list) => [{ ...modal, query: textInputReducer(modal.query, action), selected: 0 }, ...list.slice(1)]);
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
    if (state.help && !modal) {
      // The help scrolls when it is taller than the screen, on every screen (the screen's list keys wait).
      const by = key.upArrow || input === "k" ? -1 : key.downArrow || input === "j" ? 1 : key.pageUp ? -bodyHeight : key.pageDown || input === " " ? bodyHeight : 0;
      if (by !== 0) {
        setHelpScroll((at) => Math.max(0, Math.min(helpMaxScroll(state.screen, size.columns, bodyHeight), at + by)));
        return;
      }
    }
    const command = resolveKey(press, state.screen);
    if (!command) return;
    if (state.flash && command !== "interrupt") dispatch({ type: "flash", message: undefined });
    if (state.help) {
      if (command !== "help" && command !== "cancel" && !command.startsWith("screen.") && command !== "quit" && command !== "palette") return;
    }
    if (shellCommand(command)) {
      onCommand?.({ screen: state.screen, command, handled: true });
      return;
    }
    if (!loadedRef.current || !registry.has(state.screen) || waiting.current.length > 0) {
      waiting.current.push({ screen: state.screen, command });
      setWaitingCount((n) => n + 1);
      return;
    }
    const handled = registry.get(state.screen)?.handle(command) ?? false;
    onCommand?.({ screen: state.screen, command, handled });
  };

  useInput((input, key) => {
    // Keys typed faster than they are read arrive as one string ("3R"): outside a text field each is a key of its own.
    const typing = modalsRef.current[0]?.kind === "prompt" || modalsRef.current[0]?.kind === "palette";
    if (!typing && input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e]+$/.test(input)) {
      for (const ch of input) onKey(ch, { shift: ch !== ch.toLowerCase() });
      return;
    }
    onKey(input, key);
  });

  /** Why a palette entry cannot run now: its screen's reason (shell actions always can). */
  function paletteWhy(entry: PaletteEntry): string | undefined {
    if (entry.where === "" ) return undefined;
    return registry.get(entry.screen)?.why(entry.command);
  }

  function runPaletteEntry(entry: PaletteEntry): void {
    const state = liveState();
    if (shellCommand(entry.command)) return;
    if (entry.screen !== state.screen) dispatch({ type: "show", screen: entry.screen });
    const handled = registry.get(entry.screen)?.handle(entry.command) ?? false;
    onCommand?.({ screen: entry.screen, command: entry.command, handled });
  }

  const modal = modals[0];
  const busy: ScreenId[] = operation?.label.startsWith("build") ? ["build"] : [];

  return (
    <PlainContext.Provider value={plain}>
    <ProjectContext.Provider value={project}>
      <ActionsContext.Provider value={actions}>
        <OllamaContext.Provider value={{ status: ollama, reprobe: loadProject }}>
          <TraceTargetContext.Provider value={traceTarget}>
            <CommandRegistryContext.Provider value={registry}>
            <AvailabilityChangedContext.Provider value={availabilityChanged}>
            <SelectionRegistryContext.Provider value={selections}>
              <Box flexDirection="column" width={size.columns}>
                <TabBar active={state.screen} busy={busy} width={size.columns} />
                <StyledLines lines={banner} />
                <Box flexDirection="column" height={bodyHeight} overflow="hidden">
                  {askFrom && !modal ? (
                    <AskPanel
                      loaded={project.loaded}
                      env={env}
                      context={askFrom.start?.context ?? { source: `tui ${askFrom.screen}`, ...askFrom.selection }}
                      {...(askFrom.start ? { words: askFrom.start.words } : {})}
                      {...(askFrom.draft ? { draft: askFrom.draft } : {})}
                      width={size.columns}
                      height={bodyHeight}
                      onClose={() => setAskFrom(undefined)}
                      registerKeys={registerAskKeys}
                      suspend={actions.suspend}
                    />
                  ) : null}
                  {modal?.kind === "prompt" ? (
                    <TextPrompt label={modal.label} state={modal.field} {...(modal.hint ? { hint: modal.hint } : {})} width={size.columns} />
                  ) : null}
                  {modal?.kind === "confirm" ? <ConfirmDialog title={modal.title} lines={modal.lines} width={size.columns} height={bodyHeight} /> : null}
                  {modal?.kind === "palette" ? (
                    <CommandPalette
                      query={modal.query}
                      entries={searchPalette(paletteEntries(state.screen), modal.query.value)}
                      selected={modal.selected}
                      disabled={paletteWhy}
                      width={size.columns}
                      height={bodyHeight}
                    />
                  ) : null}
                  {state.help && !modal ? <HelpOverlay screen={state.screen} height={bodyHeight} width={size.columns} scroll={helpScroll} /> : null}
                  {SCREENS.filter((s) => state.visited.includes(s)).map((screen) => (
                    <Box key={screen} display={screen === state.screen && !state.help && !modal && !askFrom ? "flex" : "none"} flexDirection="column">
                      {renderScreen(screen, screen === state.screen, bodyHeight, size.columns)}
                    </Box>
                  ))}
                </Box>
                <StatusLine operation={operation} flash={state.flash} now={tick} plain={plain} />
                <Footer screen={state.screen} width={size.columns} available={(command) => registry.get(state.screen)?.why(command) === undefined} />
              </Box>
            </SelectionRegistryContext.Provider>
            </AvailabilityChangedContext.Provider>
            </CommandRegistryContext.Provider>
          </TraceTargetContext.Provider>
        </OllamaContext.Provider>
      </ActionsContext.Provider>
    </ProjectContext.Provider>
    </PlainContext.Provider>
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

function StatusLine({ operation, flash, now, plain }: { operation: Operation | undefined; flash: string | undefined; now: number; plain: boolean }) {
  const extra = flash ? ` · ${flash}` : "";
  if (operation?.cancelling) {
    return <Text wrap="truncate-end">cancelling {operation.label}…{extra}</Text>;
  }
  if (operation?.paused) {
    return <Text wrap="truncate-end">{operation.label} paused · p resumes · Esc stops{extra}</Text>;
  }
  if (operation && plain) {
    return <Text wrap="truncate-end">{operation.label} running · Esc cancels{extra}</Text>;
  }
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

/**
 * The scripted-demo label, config errors and an unreachable Ollama, each with
 * what to do about it: wrapped at the width (run-on lines indented), so the
 * body is given the rows they leave. When they would take more than a third of
 * the rows, each is cut to one row with " …" (the screen below keeps its rows).
 */
function bannerLines(project: ProjectState, ollama: OllamaStatus | undefined, plain: boolean, width: number, rows: number): Styled<LineStyle>[][] {
  const entries: { parts: Styled<LineStyle>[]; indent: string }[] = [];
  // Never let the demo's prepared replies pass for a model's work.
  const demo = project.loaded ? scriptedDemoLabel(project.loaded.config) : undefined;
  if (demo) entries.push({ parts: [{ text: `${plain ? "" : "◆ "}${demo}`, style: { color: theme.accent, bold: true } }], indent: "  " });
  if (project.configBroken) {
    const first = project.configDiagnostics.find((d) => d.severity === "error");
    const text = `${plain ? "error: " : "✗ "}config: ${first ? `${first.file}:${first.line}: ${first.message}` : "errors"} — fix specwright.toml`;
    entries.push({ parts: [{ text, style: { color: theme.error } }], indent: "  " });
  }
  if (ollama?.state === "down") {
    entries.push(
      // "Ollama: Ollama is not reachable…" says its name twice, and at 80 columns the second costs a row.
      { parts: [{ text: `${plain ? "warning: " : "! "}${ollama.message.startsWith("Ollama ") ? "" : "Ollama: "}${ollama.message}`, style: { color: theme.warning } }], indent: "  " },
      { parts: [{ text: `  fix: ${ollama.hint} — local screens keep working; r on Overview checks again`, style: {} }], indent: "       " },
    );
  }
  const wrapped = entries.flatMap((e) => wrapStyled(e.parts, width, e.indent));
  return wrapped.length <= Math.max(entries.length, Math.floor(rows / 3)) ? wrapped : entries.map((e) => cutStyled(e.parts, width, { dimColor: true }));
}
