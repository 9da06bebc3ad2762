// The app's hold on the terminal: it draws on the alternate screen, so what
// the user printed before (the demo's validate output, their shell history)
// is there again, untouched, after quitting; and it never erases the
// terminal's scrollback. Ink clears the whole terminal with
// `ESC[2J ESC[3J ESC[H` when its last frame was as tall as the terminal (every
// time the window shrinks); `ESC[3J` erases the scrollback, and tmux erases
// the pane's history with it even from the alternate screen (tried with
// tmux 3.4: 50 lines of history, `ESC[?1049h ESC[3J ESC[?1049l`, history 0).
// So that one sequence is taken out of everything the app writes.

/** Erase Saved Lines (xterm): the scrollback. */
export const ERASE_SCROLLBACK = "\u001b[3J";
export const ENTER_ALTERNATE_SCREEN = "\u001b[?1049h";
export const LEAVE_ALTERNATE_SCREEN = "\u001b[?1049l";
const CLEAR_SCREEN_HOME = "\u001b[2J\u001b[H";
const HIDE_CURSOR = "\u001b[?25l";
const SHOW_CURSOR = "\u001b[?25h";

/**
 * Plain mode's marks: what a screen reader reads aloud or a dumb terminal can
 * show, for the symbols the screens draw with (one table, applied to all the
 * app writes, so no screen can forget one).
 */
const PLAIN_MARKS: Record<string, string> = {
  // One column each, so every line keeps the width the layout gave it.
  "✓": "+",
  "✗": "x",
  "›": ">",
  "◐": "*",
  "◆": "*",
  "▶": ">",
  "‖": "|",
  "…": "~",
  "─": "-",
  "│": "|",
  "├": "|",
  "└": "`",
  "┌": "+",
  "┐": "+",
  "┘": "+",
  "┼": "+",
  "┬": "+",
  "┴": "+",
  "╭": "+",
  "╮": "+",
  "╰": "+",
  "╯": "+",
  "←": "<",
  "→": ">",
  "↑": "^",
  "↓": "v",
};
const PLAIN_MARK = new RegExp(`[${Object.keys(PLAIN_MARKS).join("")}]`, "g");

/** The text with the drawing symbols replaced by plain ASCII. */
export function inPlainMarks(chunk: string): string {
  return chunk.replace(PLAIN_MARK, (c) => PLAIN_MARKS[c] ?? c);
}

/** The text with every scrollback erase removed; everything else as it was. */
export function withoutScrollbackErase(chunk: string): string {
  return chunk.includes(ERASE_SCROLLBACK) ? chunk.split(ERASE_SCROLLBACK).join("") : chunk;
}

export interface TerminalScreen {
  /** Gives the terminal to another program (an editor): normal screen, cursor shown. */
  release(): void;
  /** Takes it back: alternate screen, cleared, cursor hidden; the app then draws its frame again. */
  reclaim(): void;
  /** Restores the terminal as it was before the app: normal screen, the original write. */
  restore(): void;
}

/**
 * Switches `stream` to the alternate screen (unless `alternate` is false, as in
 * plain mode) and filters the scrollback erase out of its writes until restore().
 */
export function holdTerminal(stream: NodeJS.WriteStream, options: { alternate: boolean; plain?: boolean }): TerminalScreen {
  const originalWrite = stream.write;
  const write = (text: string) => originalWrite.call(stream, text);
  // Node's write has several overloads; only the chunk is touched.
  stream.write = function filtered(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const next = typeof chunk === "string" ? (options.plain ? inPlainMarks(withoutScrollbackErase(chunk)) : withoutScrollbackErase(chunk)) : chunk;
    return (originalWrite as (...args: unknown[]) => boolean).call(this, next, ...rest);
  } as typeof stream.write;
  if (options.alternate) write(ENTER_ALTERNATE_SCREEN + CLEAR_SCREEN_HOME);
  let restored = false;
  // Plain mode writes no escape at all (a dumb terminal would print it): the app never hides the cursor there.
  const cursor = (escape: string) => (options.plain ? "" : escape);
  return {
    release() {
      write((options.alternate ? LEAVE_ALTERNATE_SCREEN : "") + cursor(SHOW_CURSOR));
    },
    reclaim() {
      // Plain mode keeps what is on the normal screen; the app prints below it.
      write((options.alternate ? ENTER_ALTERNATE_SCREEN + CLEAR_SCREEN_HOME : "") + cursor(HIDE_CURSOR));
    },
    restore() {
      if (restored) return;
      restored = true;
      stream.write = originalWrite;
      write((options.alternate ? LEAVE_ALTERNATE_SCREEN : "") + cursor(SHOW_CURSOR));
    },
  };
}
