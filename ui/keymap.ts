// The one table of key bindings. Key handling, the footer hints and the `?`
// help overlay all read it, so a key that works is a key that is shown.
// Pure: no Ink here, only the shape of Ink's key events.

/** The screens, in tab order; the number key of a screen is its index + 1. */
export const SCREENS = ["overview", "specs", "audit", "plan", "build", "traces", "models"] as const;
export type ScreenId = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<ScreenId, string> = {
  overview: "Overview",
  specs: "Specs",
  audit: "Audit",
  plan: "Plan",
  build: "Build",
  traces: "Traces",
  models: "Models",
};

/** The part of Ink's `Key` the keymap looks at. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

/** One key press as Ink reports it. */
export interface KeyPress {
  input: string;
  key: KeyFlags;
}

type NamedKey = "up" | "down" | "left" | "right" | "pageup" | "pagedown" | "home" | "end" | "return" | "escape" | "tab" | "shift-tab";

/** A key: a named key, a printable character, or Ctrl with a letter. */
export type KeyChord = { name: NamedKey } | { char: string } | { ctrl: string };

export type Command =
  | `screen.${ScreenId}`
  | "screen.next"
  | "screen.previous"
  | "help"
  | "cancel"
  | "interrupt"
  | "quit"
  | "cursor.up"
  | "cursor.down"
  | "page.up"
  | "page.down"
  | "cursor.first"
  | "cursor.last"
  | "open"
  | "back"
  | "reload"
  | "build.start"
  | "build.force"
  | "build.trace"
  | "build.pause"
  | "build.skip"
  | "build.retry"
  | "build.only"
  | "specs.new"
  | "specs.confirm"
  | "models.pick"
  | "overview.init"
  | "plan.skip"
  | "plan.manual"
  | "plan.notes"
  | "plan.verify"
  | "traces.next-tab"
  | "traces.previous-tab"
  | "audit.dismiss"
  | "audit.accept"
  | "audit.reopen"
  | "audit.run"
  | "audit.fix"
  | "audit.apply"
  | "audit.edit"
  | "audit.reject"
  | "audit.undo"
  | "plan.generate"
  | "plan.architecture"
  | "plan.replan"
  | "plan.move-up"
  | "plan.move-down"
  | "plan.graph"
  | "traces.mark"
  | "traces.diff"
  | "traces.report"
  | "specs.edit";

/** Where a binding applies: everywhere, or on one screen. */
export type BindingScope = "global" | ScreenId;

export interface Binding {
  command: Command;
  keys: KeyChord[];
  /** How the key is written in the footer and the help overlay. */
  label: string;
  description: string;
  scope: BindingScope;
  /** Shown in the footer (the help overlay shows every binding). */
  footer: boolean;
}

const named = (name: NamedKey): KeyChord => ({ name });
const char = (c: string): KeyChord => ({ char: c });

const screenBindings: Binding[] = SCREENS.map((screen, i) => ({
  command: `screen.${screen}` as const,
  keys: [char(String(i + 1))],
  label: String(i + 1),
  description: `show ${SCREEN_TITLES[screen]}`,
  scope: "global" as const,
  footer: false,
}));

/** Screen bindings come first: a screen's meaning of a key wins over a global one. */
export const KEYMAP: readonly Binding[] = [
  // Build
  { command: "build.start", keys: [char("b")], label: "b", description: "start a build (resumes where the last one stopped)", scope: "build", footer: true },
  { command: "build.force", keys: [char("F")], label: "F", description: "rebuild every task, even up-to-date ones", scope: "build", footer: false },
  { command: "build.trace", keys: [char("t")], label: "t", description: "open the selected task's trace (Enter too)", scope: "build", footer: false },
  { command: "build.pause", keys: [char("p")], label: "p", description: "pause after the running task (p again resumes)", scope: "build", footer: true },
  { command: "build.skip", keys: [char("s")], label: "s", description: "skip the selected task in this build (a running one is stopped)", scope: "build", footer: true },
  { command: "build.retry", keys: [char("r")], label: "r", description: "retry the selected failed task (builds it and what depends on it)", scope: "build", footer: true },
  { command: "build.only", keys: [char("o")], label: "o", description: "build only the selected task and what depends on it", scope: "build", footer: false },
  // Plan
  { command: "plan.skip", keys: [char("s")], label: "s", description: "toggle skip for the selected task", scope: "plan", footer: true },
  { command: "plan.manual", keys: [char("m")], label: "m", description: "toggle manual (you write the files) for the selected task", scope: "plan", footer: true },
  { command: "plan.notes", keys: [char("n")], label: "n", description: "edit the selected task's notes", scope: "plan", footer: true },
  { command: "plan.verify", keys: [char("v")], label: "v", description: "edit the selected task's verify commands (separated by ' ;; ')", scope: "plan", footer: true },
  { command: "plan.move-up", keys: [char("K")], label: "K", description: "move the selected task up (not above a task it depends on)", scope: "plan", footer: false },
  { command: "plan.move-down", keys: [char("J")], label: "J", description: "move the selected task down (not below a task that depends on it)", scope: "plan", footer: false },
  { command: "plan.generate", keys: [char("P")], label: "P", description: "plan the specs that changed with the planner model", scope: "plan", footer: true },
  { command: "plan.architecture", keys: [char("A")], label: "A", description: "plan the changed specs from their architecture, without a model", scope: "plan", footer: false },
  { command: "plan.graph", keys: [char("t")], label: "t", description: "show the task graph (build order, what each task needs) or the table again", scope: "plan", footer: true },
  { command: "plan.replan", keys: [char("X")], label: "X", description: "re-plan every spec from scratch with the planner (asks first)", scope: "plan", footer: false },
  // Traces
  { command: "traces.next-tab", keys: [named("right"), named("tab")], label: "→", description: "next part of the call (prompt, response, verify log, meta)", scope: "traces", footer: true },
  { command: "traces.previous-tab", keys: [named("left"), named("shift-tab")], label: "←", description: "previous part of the call", scope: "traces", footer: false },
  { command: "traces.mark", keys: [char("m")], label: "m", description: "mark the selected call to compare with another", scope: "traces", footer: true },
  { command: "traces.diff", keys: [char("d")], label: "d", description: "diff the selected call against the marked one (or the task's previous attempt)", scope: "traces", footer: true },
  { command: "traces.report", keys: [char("R")], label: "R", description: "show the report over every build run (tasks, failures, models, runs, hints); R again goes back", scope: "traces", footer: true },
  // Audit
  { command: "audit.dismiss", keys: [char("d")], label: "d", description: "dismiss the selected finding with a reason", scope: "audit", footer: true },
  { command: "audit.accept", keys: [char("a")], label: "a", description: "accept the selected finding (it stays as a known limitation)", scope: "audit", footer: true },
  { command: "audit.reopen", keys: [char("o")], label: "o", description: "reopen the selected finding", scope: "audit", footer: false },
  { command: "audit.run", keys: [char("R")], label: "R", description: "run the audit (specs unchanged since the last audit are not asked again)", scope: "audit", footer: true },
  { command: "audit.fix", keys: [char("f")], label: "f", description: "ask the fixer model for a fix to the selected finding, shown as a diff", scope: "audit", footer: true },
  { command: "audit.apply", keys: [char("y")], label: "y", description: "apply the proposed fix (new text marked [inferred])", scope: "audit", footer: false },
  { command: "audit.edit", keys: [char("e")], label: "e", description: "edit the proposed replacement text, then apply it", scope: "audit", footer: false },
  { command: "audit.reject", keys: [char("n")], label: "n", description: "reject the proposed fix (the spec stays as it is)", scope: "audit", footer: false },
  { command: "audit.undo", keys: [char("u")], label: "u", description: "undo the selected finding's applied fix", scope: "audit", footer: false },
  // Specs
  { command: "specs.edit", keys: [char("e")], label: "e", description: "open the selected spec in $EDITOR", scope: "specs", footer: true },
  { command: "specs.new", keys: [char("n")], label: "n", description: "new spec from a template (name, name.amd or name.vmd)", scope: "specs", footer: true },
  { command: "specs.confirm", keys: [char("c")], label: "c", description: "confirm the selected [inferred] item (removes its marker)", scope: "specs", footer: true },
  // Models
  { command: "models.pick", keys: [named("return")], label: "Enter", description: "pick the model for the selected role from the installed ones", scope: "models", footer: true },
  // Overview
  { command: "overview.init", keys: [char("i")], label: "i", description: "create a specwright project here (same files as `specwright init`)", scope: "overview", footer: false },
  // Lists, everywhere
  { command: "cursor.up", keys: [named("up"), char("k")], label: "↑↓", description: "move the selection / scroll", scope: "global", footer: true },
  { command: "cursor.down", keys: [named("down"), char("j")], label: "↓", description: "move the selection down", scope: "global", footer: false },
  { command: "page.up", keys: [named("pageup")], label: "PgUp", description: "scroll a page up", scope: "global", footer: false },
  { command: "page.down", keys: [named("pagedown"), char(" ")], label: "PgDn", description: "scroll a page down", scope: "global", footer: false },
  { command: "cursor.first", keys: [named("home"), char("g")], label: "g", description: "go to the top", scope: "global", footer: false },
  { command: "cursor.last", keys: [named("end"), char("G")], label: "G", description: "go to the bottom", scope: "global", footer: false },
  { command: "open", keys: [named("return")], label: "Enter", description: "open the selected item", scope: "global", footer: true },
  { command: "reload", keys: [char("r")], label: "r", description: "reload from disk", scope: "global", footer: false },
  // The shell
  ...screenBindings,
  { command: "screen.next", keys: [named("tab")], label: "Tab", description: "next screen", scope: "global", footer: false },
  { command: "screen.previous", keys: [named("shift-tab")], label: "S-Tab", description: "previous screen", scope: "global", footer: false },
  { command: "cancel", keys: [named("escape")], label: "Esc", description: "cancel the running operation, close a dialog, or go back", scope: "global", footer: true },
  { command: "help", keys: [char("?")], label: "?", description: "show or hide this help", scope: "global", footer: true },
  { command: "interrupt", keys: [{ ctrl: "c" }], label: "^C", description: "cancel; press twice to quit", scope: "global", footer: false },
  { command: "quit", keys: [char("q")], label: "q", description: "quit (asks while a build runs)", scope: "global", footer: true },
];

function matches(chord: KeyChord, press: KeyPress): boolean {
  const { input, key } = press;
  if ("ctrl" in chord) return key.ctrl === true && input.toLowerCase() === chord.ctrl;
  if ("char" in chord) return !key.ctrl && !key.meta && input === chord.char;
  switch (chord.name) {
    case "up":
      return key.upArrow === true;
    case "down":
      return key.downArrow === true;
    case "left":
      return key.leftArrow === true;
    case "right":
      return key.rightArrow === true;
    case "pageup":
      return key.pageUp === true;
    case "pagedown":
      return key.pageDown === true;
    case "home":
      return key.home === true;
    case "end":
      return key.end === true;
    case "return":
      return key.return === true;
    case "escape":
      return key.escape === true;
    case "tab":
      return key.tab === true && !key.shift;
    case "shift-tab":
      return key.tab === true && key.shift === true;
  }
}

/** The command a key press means on `screen`: the screen's own binding first, then a global one. */
export function resolveKey(press: KeyPress, screen: ScreenId, keymap: readonly Binding[] = KEYMAP): Command | undefined {
  const scoped = keymap.find((b) => b.scope === screen && b.keys.some((k) => matches(k, press)));
  if (scoped) return scoped.command;
  return keymap.find((b) => b.scope === "global" && b.keys.some((k) => matches(k, press)))?.command;
}

/** The bindings to list for a screen: its own, then the global ones. */
export function bindingsFor(screen: ScreenId, keymap: readonly Binding[] = KEYMAP): Binding[] {
  return [...keymap.filter((b) => b.scope === screen), ...keymap.filter((b) => b.scope === "global")];
}

/** The footer: the screen's bindings marked for it, as "key description" pairs. */
export function footerHints(screen: ScreenId, keymap: readonly Binding[] = KEYMAP): { label: string; text: string }[] {
  return bindingsFor(screen, keymap)
    .filter((b) => b.footer)
    .map((b) => ({ label: b.label, text: shortDescription(b) }));
}

function shortDescription(b: Binding): string {
  const short: Partial<Record<Command, string>> = {
    "cursor.up": "move",
    open: "open",
    cancel: "cancel/back",
    help: "help",
    quit: "quit",
    "build.start": "build",
    "build.force": "rebuild all",
    "build.trace": "trace",
    "build.pause": "pause",
    "build.skip": "skip",
    "build.retry": "retry",
    "specs.new": "new",
    "specs.confirm": "confirm",
    "models.pick": "pick model",
    "plan.skip": "skip",
    "plan.manual": "manual",
    "plan.notes": "notes",
    "plan.verify": "verify",
    "traces.next-tab": "part",
    "audit.dismiss": "dismiss",
    "audit.accept": "accept",
    "audit.reopen": "reopen",
    "audit.run": "audit",
    "audit.fix": "fix",
    "plan.generate": "plan",
    "plan.graph": "graph",
    "traces.mark": "mark",
    "traces.diff": "diff",
    "traces.report": "report",
    "specs.edit": "edit",
  };
  return short[b.command] ?? b.description;
}
