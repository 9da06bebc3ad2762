// Colours and glyphs of the TUI. Colour is decoration only: every state also
// has a glyph or a word, so NO_COLOR (FORCE_COLOR=0 under Ink) loses nothing.

import type { TaskState } from "../src/build/task-state.js";

export const theme = {
  accent: "cyan",
  ok: "green",
  error: "red",
  warning: "yellow",
  info: "blue",
  muted: "gray",
} as const;

/** The selection marker; inverse video disappears without colour, a marker does not. */
export const CURSOR = "›";

export type Tone = "ok" | "error" | "warning" | "info" | "muted" | "accent" | "plain";

export function toneColor(tone: Tone): string | undefined {
  return tone === "plain" ? undefined : theme[tone];
}

/** Ink's `color` prop for a colour that may be the terminal's own (undefined): then no prop at all, as Ink's types ask. */
export function inColor(color: string | undefined): { color?: string } {
  return color === undefined ? {} : { color };
}

/** Glyph and tone for a task's state, as the build and plan screens show it; undefined: not known yet. */
export function taskStateStyle(state: TaskState | undefined): { glyph: string; tone: Tone } {
  switch (state) {
    case "done":
    case "up-to-date":
      return { glyph: "✓", tone: "ok" };
    case "failed":
      return { glyph: "✗", tone: "error" };
    case "generating":
    case "verifying":
      return { glyph: "▶", tone: "accent" };
    case "blocked":
    case "interrupted":
      return { glyph: "!", tone: "warning" };
    case "skipped":
    case "not-selected":
      return { glyph: "-", tone: "muted" };
    case "manual":
      return { glyph: "✎", tone: "info" };
    case "pending":
    case "rolled-back":
    case undefined:
      return { glyph: "·", tone: "plain" };
  }
}

export function severityTone(severity: string): Tone {
  return severity === "error" ? "error" : severity === "warning" ? "warning" : "info";
}
