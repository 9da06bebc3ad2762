// The ask panel: opened by one key from any screen. An input line (a
// multi-line paste is fine) → the words are logged, the editor model answers →
// the proposal as a diff with numbered hunks and its impact → accept all,
// accept the chosen hunks, reject, or refine it with a follow-up. Everything
// goes through the core (src/intent); the panel only shows and asks.

import { Box, Text } from "ink";
import type { KeyFlags } from "../keymap.js";
import { useEffect, useReducer, useRef } from "react";
import type { LoadedConfig } from "../../src/config/types.js";
import { intentAuthor } from "../../src/intent/author.js";
import { acceptProposal, rejectProposal } from "../../src/intent/decide.js";
import { describeImpact } from "../../src/intent/impact.js";
import { logRequest, type IntentContext } from "../../src/intent/intent-log.js";
import { answerIntent } from "../../src/intent/run-ask.js";
import { usePlain } from "../plain-mode.js";
import { theme } from "../theme.js";
import { DiffView, layoutDiffRows, type DiffRow } from "../widgets/diff-view.js";
import { askKey, askPanelReducer, initialAskPhase, type AskPhase, type AskProposalView } from "./ask-panel-state.js";

/** Takes one key press as Ink reports it. */
export type AskKeyHandler = (input: string, key: KeyFlags) => void;

export interface AskPanelProps {
  /** The project's config; undefined while the shell still loads it (typing works, sending waits). */
  loaded: LoadedConfig | undefined;
  env: NodeJS.ProcessEnv;
  /** Where the panel was opened from (the screen, and what was selected there). */
  context: IntentContext;
  width: number;
  height: number;
  onClose(): void;
  /** The shell hands the panel its keys (and those typed before it mounted) through this. */
  registerKeys(handler: AskKeyHandler | undefined): void;
}

export function AskPanel({ loaded, env, context, width, height, onClose, registerKeys }: AskPanelProps) {
  const plain = usePlain();
  const [phase, dispatch] = useReducer(askPanelReducer, undefined, initialAskPhase);
  // Keys can arrive before the next render (a paste, a fast typist): read the latest phase.
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  const controller = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => controller.current?.abort(new Error("closed")), []);

  const submit = async (words: string, thread: string | undefined) => {
    if (!loaded) {
      dispatch({ type: "message", tone: "error", text: "the project is still loading; press Esc and ask again in a moment" });
      return;
    }
    dispatch({ type: "asking", startedAt: Date.now() });
    const request = await logRequest(loaded.root, { author: await intentAuthor(loaded.root, env), kind: "ask", words, context, ...(thread ? { thread } : {}) });
    dispatch({ type: "logged", id: request.id });
    const abort = new AbortController();
    controller.current = abort;
    const result = await answerIntent({
      loaded,
      env,
      entry: { id: request.id, request, status: "unanswered", built: [], events: [request] },
      assume: false,
      signal: abort.signal,
      onEvent: () => undefined,
      onModelEvent: (e) => {
        if (e.type === "delta") dispatch({ type: "token" });
      },
      onNotice: () => undefined,
    });
    controller.current = undefined;
    switch (result.kind) {
      case "proposal": {
        const proposal: AskProposalView = { id: result.id, hunks: result.review.hunks, impact: describeImpact(result.review.impact), calls: result.calls };
        dispatch({ type: "proposal", proposal });
        return;
      }
      case "questions":
        dispatch({ type: "questions", id: result.id, questions: result.questions, assumptions: result.assumptions });
        return;
      case "refused":
        dispatch({ type: "message", tone: "error", text: `${result.id} ${result.message}\n${result.problems.join("\n")}\nNothing was written; the words are in the log (specwright ask --retry ${result.id}).` });
        return;
      case "unanswered":
        dispatch({ type: "message", tone: "error", text: `${result.id} not answered: ${result.message}\n${result.hint}` });
        return;
    }
  };

  const decide = async (id: string, how: { hunks: number[] | "all" } | "reject") => {
    if (!loaded) return;
    const result = how === "reject" ? await rejectProposal(loaded.root, id, undefined) : await acceptProposal(loaded, id, how.hunks === "all" ? {} : { hunks: how.hunks });
    if (!result.ok) {
      dispatch({ type: "message", tone: "error", text: `${result.message}\n${result.hint}` });
      return;
    }
    if (result.decision === "rejected") {
      dispatch({ type: "message", tone: "ok", text: `${id} rejected; the words stay in the log.` });
      return;
    }
    const r = result.review!;
    const tasks = r.impact.tasks.map((t) => t.id);
    dispatch({
      type: "message",
      tone: "ok",
      text: `${id} ${result.decision}${result.hunks ? ` (hunks ${result.hunks.join(", ")})` : ""}: wrote ${r.files.map((f) => f.file).join(", ")}.\n${r.impact.planned ? (tasks.length > 0 ? `The next build rebuilds ${tasks.join(", ")}.` : "No task rebuilds.") : "No plan yet."}`,
    });
  };

  const onKey: AskKeyHandler = (input, key) => {
    const current = phaseRef.current;
    const effect = askKey(current, { input, key });
    if (!effect) return;
    switch (effect.do) {
      case "dispatch":
        dispatch(effect.action);
        phaseRef.current = askPanelReducer(current, effect.action);
        return;
      case "close":
        onClose();
        return;
      case "cancel":
        controller.current?.abort(new Error("cancelled"));
        return;
      case "submit":
        if (current.kind === "input") void submit(current.text, current.thread);
        return;
      case "apply":
        if (current.kind === "review") void decide(current.proposal.id, { hunks: effect.hunks });
        return;
      case "reject":
        if (current.kind === "review") void decide(current.proposal.id, "reject");
        return;
      case "answer":
        if (current.kind === "questions") dispatch({ type: "follow-up", thread: current.id });
        return;
    }
  };
  const latestKey = useRef(onKey);
  latestKey.current = onKey;
  useEffect(() => {
    registerKeys((input, key) => latestKey.current(input, key));
    return () => registerKeys(undefined);
  }, [registerKeys]);

  const boxWidth = Math.min(width, 100);
  // Plain mode: no box (its sides would be reprinted with every line that changes).
  return plain ? (
    <Box flexDirection="column" width={boxWidth} height={height}>
      <PhaseView phase={phase} width={boxWidth} height={height} />
    </Box>
  ) : (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={boxWidth} height={height}>
      <PhaseView phase={phase} width={boxWidth - 4} height={height - 2} />
    </Box>
  );
}

function PhaseView({ phase, width, height }: { phase: AskPhase; width: number; height: number }) {
  const plain = usePlain();
  switch (phase.kind) {
    case "input": {
      const lines = phase.text.split("\n");
      const shown = lines.slice(-Math.max(1, height - 3));
      const hint = (
        <Text dimColor wrap="truncate-end">
          Enter sends · Ctrl-J new line · a paste keeps its lines · Esc closes
        </Text>
      );
      return (
        <>
          <Text bold wrap="truncate-end">
            {phase.thread ? `Follow up ${phase.thread}` : "Ask"} — your words change the spec, never the code
          </Text>
          {/* Plain mode: the line typed into comes last and the terminal's cursor is its cursor, so typing continues it (plain-transcript.ts). */}
          {plain ? hint : null}
          {shown.map((line, i) => (
            <Text key={i} wrap="truncate-start">
              {i === 0 && shown.length === lines.length ? "> " : "  "}
              {line}
              {i === shown.length - 1 && !plain ? <Text inverse> </Text> : null}
            </Text>
          ))}
          {plain ? null : hint}
        </>
      );
    }
    case "asking":
      return (
        <>
          <Text bold>{phase.id ?? "…"}: logged; asking the editor model (drafter)</Text>
          <Text>
            <Text color={theme.accent}>◐ </Text>
            {/* A count that changes with every token would be a new line each time in plain mode. */}
            {plain ? "receiving the answer" : `${phase.tokens} token${phase.tokens === 1 ? "" : "s"} received`} · Esc cancels (the words stay in the log)
          </Text>
        </>
      );
    case "questions":
      return (
        <>
          <Text bold>{phase.id}: the editor needs answers first</Text>
          {phase.questions.map((q, i) => (
            <Text key={`q${i}`} wrap="wrap">
              {i + 1}. {q}
            </Text>
          ))}
          {phase.assumptions.length > 0 ? <Text dimColor>It would assume: {phase.assumptions.join("; ")}</Text> : null}
          <Text dimColor>a answer (same thread) · Esc later (specwright ask --thread {phase.id})</Text>
        </>
      );
    case "message":
      return (
        <>
          {phase.text.split("\n").map((line, i) => (
            <Text key={i} {...(i === 0 ? { color: phase.tone === "ok" ? theme.ok : theme.error } : {})} wrap="wrap">
              {i === 0 ? (phase.tone === "ok" ? "✓ " : "✗ ") : ""}
              {line}
            </Text>
          ))}
          <Text dimColor>Enter or Esc closes</Text>
        </>
      );
    case "review":
      return <ReviewView phase={phase} width={width} height={height} />;
  }
}

function ReviewView({ phase, width, height }: { phase: Extract<AskPhase, { kind: "review" }>; width: number; height: number }) {
  const { proposal } = phase;
  const rows: DiffRow[] = [];
  let file: string | undefined;
  let cursorRow = 0;
  proposal.hunks.forEach((h, i) => {
    if (h.file !== file) {
      file = h.file;
      rows.push({ kind: "note", text: `${h.file}` });
    }
    if (i === phase.cursor) cursorRow = rows.length;
    const on = phase.accepted.includes(h.number);
    rows.push({ kind: "hunk", text: `${i === phase.cursor ? "›" : " "} [${on ? "✓" : " "}] hunk ${h.number} @@ -${h.hunk.oldStart},${h.hunk.oldLines} +${h.hunk.newStart},${h.hunk.newLines} @@` });
    for (const l of h.hunk.lines) rows.push({ kind: l.kind, text: l.text });
  });
  const impact = proposal.impact.slice(0, 4);
  const diffHeight = Math.max(3, height - impact.length - 3);
  // Keep the selected hunk's header in view, then the person's own scrolling.
  const headerLine = layoutDiffRows(rows.slice(0, cursorRow), width).length;
  const scroll = Math.max(0, headerLine + phase.scroll);
  return (
    <>
      <Text bold wrap="truncate-end">
        {proposal.id}: proposal · {proposal.hunks.length} hunk{proposal.hunks.length === 1 ? "" : "s"}, {phase.accepted.length} chosen · {proposal.calls} model call{proposal.calls === 1 ? "" : "s"}
      </Text>
      <DiffView rows={rows} scroll={scroll} height={diffHeight} width={width} />
      {impact.map((line, i) => (
        <Text key={i} color={line.startsWith("breaks") ? theme.error : theme.info} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        ↑↓ hunk · space pick · Enter apply · a all · n reject · f refine · Esc later
      </Text>
    </>
  );
}
