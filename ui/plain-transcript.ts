// Plain accessible mode's output: the app's frames, as Ink lays them out, told
// to the terminal as a transcript. Each frame is compared with the one before
// and only what changed is printed, as new lines below everything printed so
// far: nothing is redrawn in place and no cursor moves, so a screen reader
// reads each change once and a dumb terminal (TERM=dumb) shows it as it is.
// Every screen, dialog and panel goes through here, so none can forget it;
// the screens only keep out of plain mode what changes on its own — clocks,
// counters, and text as it streams (a model's reply, a verify's output) — as
// a line printed for each would drown the rest: they show what it comes to
// instead (the build's log, ui/build/plain-build-log.ts). This class prints
// what it is given; it never guesses which lines are a stream.
//
// What counts as a change: the lines of the new frame that are not in the
// longest common run of lines with the previous frame (a list that scrolls
// prints only its new rows). Blank lines carry nothing and are not printed,
// nor is a row that only lost the selection marker (the row the cursor left:
// the row it moved to is printed). The last line printed stays open, with no
// newline after it: when the next change only adds characters to it (typing
// into a prompt) just those are written, as a terminal echoes typing.

import { EventEmitter } from "node:events";
import { stripVTControlCharacters } from "node:util";
import { CURSOR } from "./theme.js";

interface Line {
  /** As Ink wrote it, colours kept. */
  raw: string;
  /** What a reader sees: no escapes, no trailing blanks. */
  text: string;
}

/** Escape sequences: CSI, OSC (ended by BEL or ST) and the two-byte ones. */
const ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
const COLOUR = /^\u001b\[[0-9;]*m$/;

/** The line with every escape but a colour (SGR) taken out: the transcript moves no cursor, whatever reaches it. */
function onlyColours(line: string): string {
  return line.replace(ESCAPE, (sequence) => (COLOUR.test(sequence) ? sequence : ""));
}

export class PlainTranscript {
  private shown: string[] = [];
  /** The text of the last line printed, while no newline follows it yet. */
  private open: string | undefined;

  constructor(private readonly write: (text: string) => void) {}

  /** A whole frame as Ink renders it: prints what changed since the last one. */
  frame(frame: string): void {
    // Ink writes nothing but frames in debug mode, and an empty string when it "clears" (resize): not a frame.
    if (frame === "") return;
    const lines: Line[] = frame
      .split("\n")
      .map((line) => ({ raw: onlyColours(line).trimEnd(), text: stripVTControlCharacters(line).trimEnd() }))
      .filter((line) => line.text.trim() !== "");
    const texts = lines.map((l) => l.text);
    const { added, removed } = lineChanges(this.shown, texts);
    this.shown = texts;
    const news = added.map((i) => lines[i]!).filter((l) => !(l.text.startsWith(" ") && removed.has(CURSOR + l.text.slice(1))));
    if (news.length === 0) return;
    const only = news.length === 1 ? news[0]! : undefined;
    if (only && this.open !== undefined && removed.has(this.open) && only.text.length > this.open.length && only.text.startsWith(this.open)) {
      this.write(only.text.slice(this.open.length));
      this.open = only.text;
      return;
    }
    this.write((this.open !== undefined ? "\n" : "") + news.map((l) => l.raw).join("\n"));
    this.open = news.at(-1)!.text;
  }

  /** Forgets what is on screen (the terminal was lent to an editor): the next frame is printed whole. */
  reset(): void {
    this.shown = [];
  }

  /** Ends the open line, so what comes after the app starts on a line of its own. */
  end(): void {
    if (this.open !== undefined) this.write("\n");
    this.open = undefined;
  }
}

/**
 * The indexes of `after`'s lines that are not in the longest common
 * subsequence with `before`, and the texts of `before`'s lines that are not.
 */
export function lineChanges(before: readonly string[], after: readonly string[]): { added: number[]; removed: Set<string> } {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: the longest common subsequence of before[i..] and after[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const added: number[] = [];
  const removed = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      removed.add(before[i++]!);
    } else {
      added.push(j++);
    }
  }
  while (i < n) removed.add(before[i++]!);
  while (j < m) added.push(j++);
  return { added, removed };
}

/**
 * What Ink is given as its stdout in plain mode: the real terminal's size and
 * resize events, and every frame written to the transcript instead of the
 * terminal. Not a TTY to Ink, so it hides no cursor and erases nothing; with
 * Ink's `debug` option it writes each frame whole, which the transcript needs.
 */
export class PlainStdout extends EventEmitter {
  readonly isTTY = false;

  constructor(
    private readonly terminal: NodeJS.WriteStream,
    private readonly transcript: PlainTranscript,
  ) {
    super();
    terminal.on("resize", () => this.emit("resize"));
  }

  get columns(): number {
    return this.terminal.columns;
  }

  get rows(): number {
    return this.terminal.rows;
  }

  write(chunk: unknown, ...rest: unknown[]): boolean {
    this.transcript.frame(typeof chunk === "string" ? chunk : String(chunk));
    const done = rest.find((r): r is () => void => typeof r === "function");
    if (done) queueMicrotask(done);
    return true;
  }
}
