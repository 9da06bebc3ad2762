// The command palette's contents: every action of every screen, from the
// keymap table (so the palette, the footer and the help never disagree), and
// the search over them. Pure: the shell supplies whether each action can run
// now (the screen's own reason when it cannot).

import { KEYMAP, SCREENS, SCREEN_TITLES, bindingsFor, keysText, type Binding, type Command, type ScreenId } from "../keymap.js";

/** Moving a selection is not an action to pick from a list; neither are the palette itself and Ctrl-C. */
const NOT_ACTIONS: readonly Command[] = ["cursor.up", "cursor.down", "page.up", "page.down", "cursor.first", "cursor.last", "palette", "interrupt", "cancel", "back"];

export interface PaletteEntry {
  /** The screen the action runs on (the shell shows it first). */
  screen: ScreenId;
  command: Command;
  /** "Build", or "" for the shell's own actions. */
  where: string;
  description: string;
  /** The keys that do the same outside the palette. */
  keys: string;
}

/** Every screen's own actions in tab order, then the shell's (screens, reload on the current screen, help, quit). */
export function paletteEntries(current: ScreenId, keymap: readonly Binding[] = KEYMAP): PaletteEntry[] {
  const own = SCREENS.flatMap((screen) =>
    keymap
      .filter((b) => b.scope === screen && !NOT_ACTIONS.includes(b.command))
      .map((b) => ({ screen, command: b.command, where: SCREEN_TITLES[screen], description: b.description, keys: keysText(b) })),
  );
  const shell = bindingsFor(current, keymap)
    .filter((b) => b.scope === "global" && !NOT_ACTIONS.includes(b.command))
    .map((b) => ({ screen: current, command: b.command, where: b.command === "reload" ? SCREEN_TITLES[current] : "", description: b.description, keys: keysText(b) }));
  return [...own, ...shell];
}

/** The entries whose text holds every word of the query (any order, any case). */
export function searchPalette(entries: readonly PaletteEntry[], query: string): PaletteEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return [...entries];
  return entries.filter((e) => {
    const text = `${e.where} ${e.description} ${e.keys} ${e.command}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
