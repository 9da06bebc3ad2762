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
  | "specs.draft"
  | "models.pick"
  | "models.compare"
  | "models.mark"
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
  | "plan.review"
  | "plan.findings"
  | "plan.coverage"
  | "plan.dismiss"
  | "plan.accept"
  | "plan.reopen"
  | "traces.mark"
  | "traces.diff"
  | "traces.report"
  | "traces.retro-ask"
  | "traces.retro-new"
  | "specs.edit"
  | "palette"
  | "intent.ask";

/** Where a binding applies: everywhere, or on one screen. */
export type BindingScope = "global" | ScreenId;

export interface Binding {
  command: Command;
  keys: KeyChord[];
  /** How the key is written in the footer and the help overlay. */
  label: string;
  description: string;
  scope: BindingScope;
  /** A global binding that only some screens have a use for lists them; it is neither shown nor sent elsewhere. */
  on?: readonly ScreenId[];
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

/** Screens with a list or text to move through (the Overview has no selection). */
const LISTS: readonly ScreenId[] = ["specs", "audit", "plan", "build", "traces", "models"];

/**
 * Screen bindings come first: a screen's meaning of a key wins over a global
 * one, and the global one is then neither listed nor sent on that screen.
 * No chord appears twice in what one screen lists (a test walks the table).
 */
export const KEYMAP: readonly Binding[] = [
  // Build
  { command: "build.start", keys: [char("b")], label: "b", description: "start a build (resumes where the last one stopped)", scope: "build", footer: true },
  { command: "build.force", keys: [char("F")], label: "F", description: "rebuild every task, even up-to-date ones", scope: "build", footer: false },
  { command: "build.trace", keys: [char("t"), named("return")], label: "t", description: "open the selected task's trace", scope: "build", footer: false },
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
  { command: "plan.review", keys: [char("R")], label: "R", description: "ask the plan judge (the reviewer model) whether the plan covers the specs; its findings are PLAN-n", scope: "plan", footer: false },
  { command: "plan.findings", keys: [char("f")], label: "f", description: "list the plan judge's findings by task (f again or Esc goes back)", scope: "plan", footer: true },
  { command: "plan.coverage", keys: [char("c")], label: "c", description: "show coverage: every spec item, its tasks, what checks it and its last result (c again or Esc goes back)", scope: "plan", footer: true },
  { command: "plan.dismiss", keys: [char("d")], label: "d", description: "dismiss the selected plan finding with a reason (in the table: the selected task's first open one)", scope: "plan", footer: false },
  { command: "plan.accept", keys: [char("a")], label: "a", description: "accept the selected plan finding as a known limitation", scope: "plan", footer: false },
  { command: "plan.reopen", keys: [char("o")], label: "o", description: "reopen the selected plan finding", scope: "plan", footer: false },
  // Traces
  { command: "open", keys: [named("return")], label: "Enter", description: "open the selected run or call (Esc goes back up)", scope: "traces", footer: true },
  { command: "traces.next-tab", keys: [named("right"), named("tab")], label: "→", description: "next part of the call (prompt, response, verify log, meta)", scope: "traces", footer: true },
  { command: "traces.previous-tab", keys: [named("left"), named("shift-tab")], label: "←", description: "previous part of the call", scope: "traces", footer: false },
  { command: "traces.mark", keys: [char("m")], label: "m", description: "mark the selected call to compare with another", scope: "traces", footer: true },
  { command: "traces.diff", keys: [char("d")], label: "d", description: "diff the selected call against the marked one (or the task's previous attempt)", scope: "traces", footer: true },
  { command: "traces.report", keys: [char("R")], label: "R", description: "show the report over every build run (tasks, failures, models, runs, hints, the latest retro); R again goes back", scope: "traces", footer: true },
  { command: "traces.retro-ask", keys: [char("a")], label: "a", description: "ask for the picked retro recommendation: it opens the ask panel with its words and spec part (Enter sends them, or change them first)", scope: "traces", footer: true },
  { command: "traces.retro-new", keys: [char("n")], label: "n", description: "write a new retrospective: one reviewer-model call over the last 20 tasks built (specwright retro)", scope: "traces", footer: true },
  // Audit
  { command: "audit.dismiss", keys: [char("d")], label: "d", description: "dismiss the selected finding with a reason", scope: "audit", footer: true },
  { command: "audit.accept", keys: [char("a")], label: "a", description: "accept the selected finding (it stays as a known limitation)", scope: "audit", footer: true },
  { command: "audit.reopen", keys: [char("o")], label: "o", description: "reopen the selected finding", scope: "audit", footer: false },
  { command: "audit.run", keys: [char("R")], label: "R", description: "run the audit (specs unchanged since the last audit are not asked again)", scope: "audit", footer: true },
  { command: "audit.fix", keys: [char("f")], label: "f", description: "ask the fixer model for a fix to the selected finding, shown as a diff", scope: "audit", footer: true },
  { command: "audit.apply", keys: [char("y"), named("return")], label: "y", description: "apply the proposed fix (new text marked [inferred])", scope: "audit", footer: false },
  { command: "audit.edit", keys: [char("e")], label: "e", description: "edit the proposed replacement text, then apply it", scope: "audit", footer: false },
  { command: "audit.reject", keys: [char("n")], label: "n", description: "reject the proposed fix (the spec stays as it is)", scope: "audit", footer: false },
  { command: "audit.undo", keys: [char("u")], label: "u", description: "undo the selected finding's applied fix", scope: "audit", footer: false },
  // Specs
  { command: "specs.edit", keys: [char("e"), named("return")], label: "e", description: "open the selected spec in $EDITOR", scope: "specs", footer: true },
  { command: "specs.new", keys: [char("n")], label: "n", description: "new spec from a template (name, name.amd or name.vmd)", scope: "specs", footer: true },
  { command: "specs.draft", keys: [char("D")], label: "D", description: "draft a new spec from your words with the drafter model (like `new --draft`), reviewed in the ask panel", scope: "specs", footer: false },
  { command: "specs.confirm", keys: [char("c")], label: "c", description: "confirm the selected [inferred] item (removes its marker; logged as an intent entry)", scope: "specs", footer: true },
  // Models
  { command: "models.pick", keys: [named("return")], label: "Enter", description: "pick the model for the selected role from the installed ones", scope: "models", footer: true },
  { command: "models.compare", keys: [char("c")], label: "c", description: "compare these: mark installed models, Enter builds the plan with each in scratch folders (specwright compare)", scope: "models", footer: true },
  { command: "models.mark", keys: [char(" ")], label: "Space", description: "mark or unmark the selected model for the comparison (on a role: compare its model)", scope: "models", footer: false },
  // Overview
  { command: "overview.init", keys: [char("i")], label: "i", description: "create a specwright project here (same files as `specwright init`)", scope: "overview", footer: false },
  // Lists, where a screen has one
  { command: "cursor.up", keys: [named("up"), char("k")], label: "↑", description: "move the selection up / scroll up", scope: "global", on: LISTS, footer: true },
  { command: "cursor.down", keys: [named("down"), char("j")], label: "↓", description: "move the selection down / scroll down", scope: "global", on: LISTS, footer: false },
  { command: "page.up", keys: [named("pageup")], label: "PgUp", description: "a page up", scope: "global", on: ["audit", "plan", "traces"], footer: false },
  { command: "page.down", keys: [named("pagedown"), char(" ")], label: "PgDn", description: "a page down", scope: "global", on: ["audit", "plan", "traces"], footer: false },
  { command: "cursor.first", keys: [named("home"), char("g")], label: "g", description: "go to the top", scope: "global", on: ["audit", "plan", "traces"], footer: false },
  { command: "cursor.last", keys: [named("end"), char("G")], label: "G", description: "go to the bottom", scope: "global", on: ["audit", "plan", "traces"], footer: false },
  { command: "reload", keys: [char("r")], label: "r", description: "read the screen's files again (the Overview asks Ollama again too)", scope: "global", footer: false },
  // The shell
  ...screenBindings,
  { command: "screen.next", keys: [named("tab")], label: "Tab", description: "next screen", scope: "global", footer: false },
  { command: "screen.previous", keys: [named("shift-tab")], label: "S-Tab", description: "previous screen", scope: "global", footer: false },
  { command: "palette", keys: [char(":"), { ctrl: "p" }], label: ":", description: "command palette: every action of every screen, searchable", scope: "global", footer: true },
  { command: "cancel", keys: [named("escape")], label: "Esc", description: "cancel the running operation, close a dialog, or go back", scope: "global", footer: true },
  { command: "intent.ask", keys: [char(">")], label: ">", description: "ask about the selection: your words become a spec change (diff, then accept, edit or reject per hunk)", scope: "global", footer: true },
  { command: "help", keys: [char("?")], label: "?", description: "show or hide this help", scope: "global", footer: true },
  { command: "interrupt", keys: [{ ctrl: "c" }], label: "^C", description: "cancel; press twice to quit", scope: "global", footer: false },
  { command: "quit", keys: [char("q")], label: "q", description: "quit (asks while a build runs)", scope: "global", footer: true },
];

const NAMED_TEXT: Record<NamedKey, string> = {
  up: "↑",
  down: "↓",
  left: "←",
  right: "→",
  pageup: "PgUp",
  pagedown: "PgDn",
  home: "Home",
  end: "End",
  return: "Enter",
  escape: "Esc",
  tab: "Tab",
  "shift-tab": "S-Tab",
};

/** How one key is written for people: `k`, `Enter`, `^P`, `Space`. */
export function keyText(k: KeyChord): string {
  if ("ctrl" in k) return `^${k.ctrl.toUpperCase()}`;
  if ("char" in k) return k.char === " " ? "Space" : k.char;
  return NAMED_TEXT[k.name];
}

const sameChord = (a: KeyChord, b: KeyChord) => keyText(a) === keyText(b);

/** Whether a binding works on `screen` at all (its scope, and `on` for a global one). */
function appliesTo(b: Binding, screen: ScreenId): boolean {
  return b.scope === screen || (b.scope === "global" && (b.on === undefined || b.on.includes(screen)));
}

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

/** The command a key press means on `screen`: the screen's own binding first, then a global one that applies there. */
export function resolveKey(press: KeyPress, screen: ScreenId, keymap: readonly Binding[] = KEYMAP): Command | undefined {
  const scoped = keymap.find((b) => b.scope === screen && b.keys.some((k) => matches(k, press)));
  if (scoped) return scoped.command;
  return keymap.find((b) => b.scope === "global" && appliesTo(b, screen) && b.keys.some((k) => matches(k, press)))?.command;
}

/**
 * The bindings that work on a screen, as the help lists them: its own, then
 * the global ones that apply there, each with only the keys that still reach
 * it (a global binding whose every key the screen took is left out).
 */
export function bindingsFor(screen: ScreenId, keymap: readonly Binding[] = KEYMAP): Binding[] {
  const own = keymap.filter((b) => b.scope === screen);
  const taken = own.flatMap((b) => b.keys);
  const global = keymap
    .filter((b) => b.scope === "global" && appliesTo(b, screen))
    .map((b) => ({ ...b, keys: b.keys.filter((k) => !taken.some((t) => sameChord(t, k))) }))
    .filter((b) => b.keys.length > 0);
  return [...own, ...global];
}

/** Every key of a binding as the help writes it: "t Enter", "↑ k", "PgDn Space". */
export function keysText(b: Binding): string {
  return b.keys.map(keyText).join(" ");
}

/** Bindings that must stay in the footer at any width: they lead to everything else. */
const ESSENTIAL: readonly Command[] = ["palette", "help", "quit"];

export interface FooterHint {
  label: string;
  text: string;
  /** Never dropped for width. */
  essential: boolean;
}

/** Whether a command can run now on the shown screen; the footer offers only those (and always help, palette, quit). */
export type CommandAvailable = (command: Command) => boolean;

/** The footer: the screen's bindings marked for it that can run now, as "key description" pairs. */
export function footerHints(screen: ScreenId, keymap: readonly Binding[] = KEYMAP, available: CommandAvailable = () => true): FooterHint[] {
  return bindingsFor(screen, keymap)
    .filter((b) => b.footer && (ESSENTIAL.includes(b.command) || available(b.command)))
    .map((b) => ({ label: b.command === "cursor.up" ? "↑↓" : b.label, text: shortDescription(b), essential: ESSENTIAL.includes(b.command) }));
}

/**
 * The footer line for a width. Hints give way in a defined order when they do
 * not fit: the list keys (↑↓, Esc) first, then the screen's own keys from the
 * last; the palette, help and quit keys always stay.
 */
export function footerLine(screen: ScreenId, width: number, keymap: readonly Binding[] = KEYMAP, available: CommandAvailable = () => true): string {
  const hints = footerHints(screen, keymap, available);
  const text = (list: FooterHint[]) => list.map((h) => `${h.label} ${h.text}`).join(" · ");
  const kept = [...hints];
  const giveWay = [
    ...hints.filter((h) => !h.essential && (h.label === "↑↓" || h.label === "Esc")),
    ...hints.filter((h) => !h.essential && h.label !== "↑↓" && h.label !== "Esc").reverse(),
  ];
  for (const hint of giveWay) {
    if (text(kept).length <= width) break;
    kept.splice(kept.indexOf(hint), 1);
  }
  return text(kept);
}

function shortDescription(b: Binding): string {
  const short: Partial<Record<Command, string>> = {
    "cursor.up": "move",
    open: "open",
    palette: "actions",
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
    "specs.draft": "draft",
    "specs.confirm": "confirm",
    "models.pick": "pick model",
    "models.compare": "compare",
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
    "plan.findings": "findings",
    "plan.coverage": "coverage",
    "traces.mark": "mark",
    "traces.diff": "diff",
    "traces.report": "report",
    "traces.retro-ask": "ask",
    "traces.retro-new": "new retro",
    "specs.edit": "edit",
  };
  return short[b.command] ?? b.description;
}
