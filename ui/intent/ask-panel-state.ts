// The ask panel as a reducer: an input line that takes a multi-line paste,
// then the editor's answer — a proposal reviewed hunk by hunk, questions, or
// a message — and the keys of each phase. Pure: no Ink, no I/O.

import type { KeyPress } from "../keymap.js";
import type { FocusedFinding } from "../../src/intent/intent-log.js";
import type { NumberedHunk } from "../../src/intent/proposal.js";

export interface AskProposalView {
  id: string;
  hunks: NumberedHunk[];
  /** The impact lines (describeImpact). */
  impact: string[];
  calls: number;
  /** A follow-up from the focused audit of this entry's applied change, with the audit's findings. */
  followUpOf?: { id: string; applied: string; findings: FocusedFinding[] };
}

export type AskPhase =
  | { kind: "input"; text: string; thread?: string }
  | { kind: "asking"; id?: string; tokens: number; startedAt: number }
  /** The change is applied (`applied` says what was written); the audit role checks the changed parts. */
  | { kind: "auditing"; id: string; applied: string; tokens: number }
  | { kind: "review"; proposal: AskProposalView; accepted: number[]; cursor: number; scroll: number }
  | { kind: "questions"; id: string; questions: string[]; assumptions: string[] }
  | { kind: "message"; tone: "ok" | "error"; text: string };

export type AskPanelAction =
  | { type: "type"; text: string }
  | { type: "backspace" }
  | { type: "clear" }
  | { type: "asking"; startedAt: number }
  | { type: "auditing"; id: string; applied: string }
  | { type: "logged"; id: string }
  | { type: "token" }
  | { type: "proposal"; proposal: AskProposalView }
  | { type: "questions"; id: string; questions: string[]; assumptions: string[] }
  | { type: "message"; tone: "ok" | "error"; text: string }
  | { type: "follow-up"; thread: string }
  | { type: "cursor"; by: number }
  | { type: "toggle" }
  | { type: "scroll"; by: number };

/** The input line, empty or holding words to send as they are or change first (a retro's recommendation). */
export function initialAskPhase(text = ""): AskPhase {
  return { kind: "input", text: cleanInput(text) };
}

/** Pasted text keeps its lines (a verify error or a stack trace is a normal request); control bytes go. */
function cleanInput(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

export function askPanelReducer(phase: AskPhase, action: AskPanelAction): AskPhase {
  switch (action.type) {
    case "type":
      return phase.kind === "input" ? { ...phase, text: phase.text + cleanInput(action.text) } : phase;
    case "backspace":
      return phase.kind === "input" ? { ...phase, text: [...phase.text].slice(0, -1).join("") } : phase;
    case "clear":
      return phase.kind === "input" ? { ...phase, text: "" } : phase;
    case "asking":
      return { kind: "asking", tokens: 0, startedAt: action.startedAt };
    case "logged":
      return phase.kind === "asking" ? { ...phase, id: action.id } : phase;
    case "auditing":
      return { kind: "auditing", id: action.id, applied: action.applied, tokens: 0 };
    case "token":
      return phase.kind === "asking" || phase.kind === "auditing" ? { ...phase, tokens: phase.tokens + 1 } : phase;
    case "proposal":
      return { kind: "review", proposal: action.proposal, accepted: action.proposal.hunks.map((h) => h.number), cursor: 0, scroll: 0 };
    case "questions":
      return { kind: "questions", id: action.id, questions: action.questions, assumptions: action.assumptions };
    case "message":
      return { kind: "message", tone: action.tone, text: action.text };
    case "follow-up":
      return { kind: "input", text: "", thread: action.thread };
    case "cursor": {
      if (phase.kind !== "review") return phase;
      const last = Math.max(0, phase.proposal.hunks.length - 1);
      return { ...phase, cursor: Math.max(0, Math.min(last, phase.cursor + action.by)) };
    }
    case "toggle": {
      if (phase.kind !== "review") return phase;
      const number = phase.proposal.hunks[phase.cursor]?.number;
      if (number === undefined) return phase;
      const accepted = phase.accepted.includes(number) ? phase.accepted.filter((n) => n !== number) : [...phase.accepted, number].sort((a, b) => a - b);
      return { ...phase, accepted };
    }
    case "scroll":
      return phase.kind === "review" ? { ...phase, scroll: Math.max(0, phase.scroll + action.by) } : phase;
  }
}

/** What the panel does with a key, per phase. */
export type AskKeyEffect =
  | { do: "dispatch"; action: AskPanelAction }
  | { do: "submit" }
  | { do: "close" }
  | { do: "cancel" }
  | { do: "apply"; hunks: number[] | "all" }
  | { do: "reject" }
  | { do: "edit"; hunks: number[] | "all" }
  | { do: "answer" }
  | undefined;

export function askKey(phase: AskPhase, press: KeyPress): AskKeyEffect {
  const { input, key } = press;
  switch (phase.kind) {
    case "input": {
      if (key.escape) return { do: "close" };
      // Enter alone sends; a paste with line breaks arrives as one input and is kept.
      if (key.return) return phase.text.trim() === "" ? undefined : { do: "submit" };
      if (key.backspace || key.delete) return { do: "dispatch", action: { type: "backspace" } };
      if (key.ctrl && input === "u") return { do: "dispatch", action: { type: "clear" } };
      // Ctrl-J types a line break by hand.
      if (key.ctrl && input === "j") return { do: "dispatch", action: { type: "type", text: "\n" } };
      if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return undefined;
      return input === "" ? undefined : { do: "dispatch", action: { type: "type", text: input } };
    }
    case "asking":
    case "auditing":
      return key.escape ? { do: "cancel" } : undefined;
    case "review":
      if (key.escape) return { do: "close" };
      if (key.upArrow || input === "k") return { do: "dispatch", action: { type: "cursor", by: -1 } };
      if (key.downArrow || input === "j") return { do: "dispatch", action: { type: "cursor", by: 1 } };
      if (key.pageDown) return { do: "dispatch", action: { type: "scroll", by: 10 } };
      if (key.pageUp) return { do: "dispatch", action: { type: "scroll", by: -10 } };
      if (input === " ") return { do: "dispatch", action: { type: "toggle" } };
      if (input === "a") return { do: "apply", hunks: "all" };
      if (key.return || input === "y") return phase.accepted.length === 0 ? { do: "reject" } : { do: "apply", hunks: phase.accepted.length === phase.proposal.hunks.length ? "all" : phase.accepted };
      if (input === "n") return { do: "reject" };
      // The picked hunks (all when every one is picked) open in $EDITOR; what is saved is applied if it validates.
      if (input === "e") return phase.accepted.length === 0 ? undefined : { do: "edit", hunks: phase.accepted.length === phase.proposal.hunks.length ? "all" : phase.accepted };
      if (input === "f") return { do: "dispatch", action: { type: "follow-up", thread: phase.proposal.id } };
      return undefined;
    case "questions":
      if (key.escape) return { do: "close" };
      if (input === "a" || key.return) return { do: "answer" };
      return undefined;
    case "message":
      return key.escape || key.return ? { do: "close" } : undefined;
  }
}
