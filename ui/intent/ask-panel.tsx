// The ask panel: opened by one key from any screen. An input line (a
// multi-line paste is fine) → the words are logged, the editor model answers →
// the proposal as a diff with numbered hunks and its impact → accept all,
// accept the chosen hunks, edit them in $EDITOR, reject, or refine it with a
// follow-up. Once applied, the audit role checks the changed parts and its
// fixes come back here as a follow-up proposal in the same thread. Everything
// goes through the core (src/intent); the panel only shows and asks.

import { Box, Text } from "ink";
import type { KeyFlags } from "../keymap.js";
import { useEffect, useReducer, useRef } from "react";
import type { LoadedConfig } from "../../src/config/types.js";
import { intentAuthor } from "../../src/intent/author.js";
import { acceptProposal, rejectProposal, type DecideResult } from "../../src/intent/decide.js";
import { acceptEditedProposal, editorOf, runEditor, writeEditableProposal } from "../../src/intent/edit-proposal.js";
import { auditAppliedChange, auditsAfterAccept } from "../../src/intent/focused-audit.js";
import { describeImpact } from "../../src/intent/impact.js";
import { logRequest, type IntentContext } from "../../src/intent/intent-log.js";
import { answerIntent } from "../../src/intent/run-ask.js";
import { wrapHanging, wrapProse } from "../format.js";
import { usePacedCount, usePlain, type PacedCount } from "../plain-mode.js";
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
  /** Draft a new spec at this file from the words (Specs' draft action), instead of changing the specs. */
  draft?: { file: string; id: string };
  /** Words already in the input line (a retro's recommendation), sent with Enter or changed first. */
  words?: string;
  /** Hands the terminal to the editor and takes it back (the shell's suspend). */
  suspend(run: () => void): void;
  width: number;
  height: number;
  onClose(): void;
  /** The shell hands the panel its keys (and those typed before it mounted) through this. */
  registerKeys(handler: AskKeyHandler | undefined): void;
}

export function AskPanel({ loaded, env, context, draft, words, suspend, width, height, onClose, registerKeys }: AskPanelProps) {
  const [phase, dispatch] = useReducer(askPanelReducer, words, initialAskPhase);
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
    const request = await logRequest(loaded.root, {
      author: await intentAuthor(loaded.root, env),
      kind: draft && !thread ? "draft" : "ask",
      words,
      // A draft is about the file it creates, whatever was selected when it was started.
      context: draft && !thread ? { source: context.source, file: draft.file } : context,
      ...(thread ? { thread } : {}),
    });
    dispatch({ type: "logged", id: request.id });
    const abort = new AbortController();
    controller.current = abort;
    const result = await answerIntent({
      loaded,
      env,
      entry: { id: request.id, request, status: "unanswered", built: [], events: [request] },
      assume: false,
      ...(draft && !thread ? { draft } : {}),
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
    if (how === "reject") {
      const result = await rejectProposal(loaded.root, id, undefined);
      dispatch(result.ok ? { type: "message", tone: "ok", text: `${id} rejected; the words stay in the log.` } : { type: "message", tone: "error", text: `${result.message}\n${result.hint}` });
      return;
    }
    await applied(await acceptProposal(loaded, id, how.hunks === "all" ? {} : { hunks: how.hunks }));
  };

  /** `e`: the picked hunks open in $EDITOR (the terminal is handed over); what is saved is applied if the specs validate. */
  const edit = async (id: string, hunks: number[] | "all") => {
    if (!loaded) return;
    const editor = editorOf(env);
    if (!editor) {
      dispatch({ type: "message", tone: "error", text: `no editor: set $VISUAL or $EDITOR (then e edits ${id} again)\nThe proposal is still pending (specwright ask --accept ${id} --edit).` });
      return;
    }
    const editable = await writeEditableProposal(loaded, id, hunks === "all" ? undefined : hunks);
    if (!editable.ok) {
      dispatch({ type: "message", tone: "error", text: `${editable.message}\n${editable.hint}` });
      return;
    }
    let ran: ReturnType<typeof runEditor> | undefined;
    suspend(() => {
      ran = runEditor(editor, editable.editable.files.map((f) => f.path));
    });
    if (!ran) {
      dispatch({ type: "message", tone: "error", text: `this terminal cannot be handed to an editor; ${id} is still pending (specwright ask --accept ${id} --edit)` });
      return;
    }
    if (!ran.ok) {
      dispatch({ type: "message", tone: "error", text: `${ran.message}; nothing applied.\n${id} is still pending; your text is in ${editable.editable.dir}` });
      return;
    }
    await applied(await acceptEditedProposal(loaded, editable.editable));
  };

  /** After an accept: what was written, then (unless it was a follow-up's) the focused audit of the change. */
  const applied = async (result: DecideResult) => {
    if (!loaded) return;
    if (!result.ok) {
      dispatch({ type: "message", tone: "error", text: `${result.message}\n${result.hint}` });
      return;
    }
    const r = result.review!;
    const tasks = r.impact.tasks.map((t) => t.id);
    const summary = `${result.id} ${result.decision}${result.hunks ? ` (hunks ${result.hunks.join(", ")})` : ""}: wrote ${r.files.map((f) => f.file).join(", ")}.\n${r.impact.planned ? (tasks.length > 0 ? `The next build rebuilds ${tasks.join(", ")}.` : "No task rebuilds.") : "No plan yet."}`;
    if (!loaded.config.audit.afterAsk || !auditsAfterAccept(result.request?.kind ?? "ask")) {
      dispatch({ type: "message", tone: "ok", text: summary });
      return;
    }
    dispatch({ type: "auditing", id: result.id, applied: summary });
    const abort = new AbortController();
    controller.current = abort;
    const audit = await auditAppliedChange({
      loaded,
      env,
      id: result.id,
      words: result.request?.words ?? "",
      applied: r,
      ...(result.proposal?.promptTokens !== undefined ? { askPromptTokens: result.proposal.promptTokens } : {}),
      signal: abort.signal,
      onEvent: () => undefined,
      onModelEvent: (e) => {
        if (e.type === "delta") dispatch({ type: "token" });
      },
      onNotice: () => undefined,
    });
    controller.current = undefined;
    switch (audit.kind) {
      case "skipped":
        dispatch({ type: "message", tone: "ok", text: `${summary}\nNo focused audit: ${audit.reason}.` });
        return;
      case "failed":
        dispatch({ type: "message", tone: "ok", text: `${summary}\nThe focused audit did not finish: ${audit.message} (${audit.hint}); specwright ask --audit ${audit.id} checks it later.` });
        return;
      case "audited": {
        if (audit.followUp) {
          const f = audit.followUp;
          dispatch({ type: "proposal", proposal: { id: f.id, hunks: f.review.hunks, impact: describeImpact(f.review.impact), calls: audit.calls, followUpOf: { id: result.id, applied: summary, findings: audit.findings } } });
          return;
        }
        const found = audit.findings.map((x) => `${x.severity} ${x.file}:${x.line}: ${x.issue} — ${x.suggestion}`);
        dispatch({ type: "message", tone: "ok", text: `${summary}\n${found.length === 0 ? "Focused audit: no problems found in the changed parts." : `Focused audit found (no edit offered; the fix needs text outside the changed parts):\n${found.join("\n")}`}` });
        return;
      }
    }
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
      case "edit":
        if (current.kind === "review") void edit(current.proposal.id, effect.hunks);
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

  const plain = usePlain();
  // Plain mode: the count of the answer's tokens once a period, not with every token.
  const paced = usePacedCount(phase.kind === "asking" ? `ask ${phase.startedAt}` : phase.kind === "auditing" ? `audit ${phase.id}` : undefined, phase.kind === "asking" || phase.kind === "auditing" ? phase.tokens : 0);
  const boxWidth = Math.min(width, 100);
  // Plain mode draws no box around dialogs (docs/tui.md); the room it frees goes to the text.
  return (
    <Box flexDirection="column" {...(plain ? {} : { borderStyle: "round" as const, borderColor: theme.accent })} paddingX={1} width={boxWidth} height={height}>
      <PhaseView phase={phase} width={boxWidth - (plain ? 2 : 4)} height={height - (plain ? 0 : 2)} about={aboutText(context, draft)} origin={originText(context)} plain={plain} paced={paced} />
    </Box>
  );
}

/** What the request is about, as the input's title says it: the selection it carries, or the spec to draft. */
function aboutText(context: IntentContext, draft: { file: string; id: string } | undefined): string {
  if (draft) return `draft ${draft.file} (${draft.id})`;
  const parts = [
    context.task && `task ${context.task}`,
    context.finding && `finding ${context.finding}`,
    !context.task && !context.finding && context.file ? `${context.file}${context.line ? `:${context.line}` : ""}` : undefined,
    context.spec && !context.file && !context.task && !context.finding ? `${context.spec}${context.anchor ? `#${context.anchor}` : ""}` : undefined,
    context.trace && !context.task ? `trace ${context.trace}` : undefined,
  ].filter(Boolean);
  return parts.join(", ");
}

/**
 * The input as lines no wider than `width`, broken after a space where one is
 * in reach (else inside the word): every character kept, so the end of the
 * last line is where typing goes on.
 */
export function wrapInput(text: string, width: number): string[] {
  const w = Math.max(10, width);
  return text.split("\n").flatMap((line) => {
    const out: string[] = [];
    let rest = line;
    while (rest.length > w) {
      const space = rest.lastIndexOf(" ", w - 1);
      const cut = space > 0 ? space + 1 : w;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    out.push(rest);
    return out;
  });
}

/** Plain mode's progress: the paced count (a new line once a period), or `waiting` until the first period ends. */
function pacedText(paced: PacedCount | undefined, waiting: string): string {
  return paced ? `${paced.count} token${paced.count === 1 ? "" : "s"} received after ${paced.seconds} s` : waiting;
}

/** Where words put in the input line came from (a retro's recommendation), said above them; undefined for the person's own. */
function originText(context: IntentContext): string | undefined {
  return context.source.startsWith("retro ") ? `from ${context.source}: send it as it is (Enter) or change it first` : undefined;
}

function PhaseView({ phase, width, height, about, origin, plain, paced }: { phase: AskPhase; width: number; height: number; about: string; origin: string | undefined; plain: boolean; paced: PacedCount | undefined }) {
  switch (phase.kind) {
    case "input": {
      // Long words wrap (a recommendation is a paragraph); the end, where typing goes on, stays in view.
      const lines = wrapInput(phase.text, width - 2);
      const originLines = origin && !phase.thread ? wrapProse(origin, width) : [];
      const shown = lines.slice(-Math.max(1, height - originLines.length - (about !== "" && !phase.thread ? 4 : 3)));
      const hint = (
        <Text dimColor wrap="truncate-end">
          Enter sends · Ctrl-J new line · a paste keeps its lines · Esc closes
        </Text>
      );
      return (
        <>
          <Text bold wrap="truncate-end">
            {phase.thread ? `Follow up ${phase.thread}` : about.startsWith("draft ") ? "Draft a spec" : "Ask"} — your words change the spec, never the code
          </Text>
          {about !== "" && !phase.thread ? (
            <Text dimColor wrap="truncate-end">
              about: {about}
            </Text>
          ) : null}
          {originLines.map((line, i) => (
            <Text key={`o${i}`} color={theme.info}>
              {line}
            </Text>
          ))}
          {/* Plain mode: the line typed into comes last and the terminal's cursor is its cursor, so typing continues it (plain-transcript.ts). */}
          {plain ? hint : null}
          {shown.map((line, i) => (
            <Text key={i} wrap="truncate-end">
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
            {plain ? null : <Text color={theme.accent}>◐ </Text>}
            {/* A count that changes with every token would be a new line each time in plain mode. */}
            {plain ? pacedText(paced, "receiving the answer") : `${phase.tokens} token${phase.tokens === 1 ? "" : "s"} received`} · Esc cancels (the words stay in the log)
          </Text>
        </>
      );
    case "auditing":
      return (
        <>
          {phase.applied.split("\n").map((line, i) => (
            <Text key={i} {...(i === 0 ? { color: theme.ok } : {})} wrap="wrap">
              {i === 0 ? "✓ " : ""}
              {line}
            </Text>
          ))}
          <Text>
            {plain ? null : <Text color={theme.accent}>◐ </Text>}
            checking the changed parts (audit model){plain ? (paced ? ` · ${pacedText(paced, "")}` : "") : ` · ${phase.tokens} token${phase.tokens === 1 ? "" : "s"}`} · Esc skips (the change stays)
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
  const impact = impactRows(proposal.impact, width, height);
  const follow = proposal.followUpOf;
  // A follow-up says what was applied and what the audit found, above its diff.
  const findings = follow ? follow.findings.slice(0, 3).map((f) => `${f.severity} ${f.file}:${f.line}: ${f.issue}${f.edit ? "" : " (no edit)"}`) : [];
  const diffHeight = Math.max(3, height - impact.length - 3 - (follow ? 1 + findings.length : 0));
  // Keep the selected hunk's header in view, then the person's own scrolling.
  const headerLine = layoutDiffRows(rows.slice(0, cursorRow), width).length;
  const scroll = Math.max(0, headerLine + phase.scroll);
  return (
    <>
      {follow ? (
        <Text color={theme.ok} wrap="truncate-end">
          ✓ {follow.applied.split("\n")[0]}
        </Text>
      ) : null}
      {findings.map((f, i) => (
        <Text key={`f${i}`} color={f.startsWith("error") ? theme.error : theme.warning} wrap="truncate-end">
          {f}
        </Text>
      ))}
      <Text bold wrap="truncate-end">
        {proposal.id}: {follow ? `follow-up to ${follow.id} from the focused audit` : "proposal"} · {proposal.hunks.length} hunk{proposal.hunks.length === 1 ? "" : "s"}, {phase.accepted.length} chosen · {proposal.calls} model call{proposal.calls === 1 ? "" : "s"}
      </Text>
      <DiffView rows={rows} scroll={scroll} height={diffHeight} width={width} />
      {impact.map((row, i) => (
        <Text key={i} {...(row.tone === "muted" ? { dimColor: true } : { color: theme[row.tone] })} wrap="truncate-end">
          {row.text}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        Space pick · Enter apply · a all · e edit · n reject · f refine · Esc later
      </Text>
    </>
  );
}

/** One screen row of a proposal's impact. */
export interface ImpactRow {
  text: string;
  tone: "error" | "warning" | "info" | "muted";
}

/**
 * The impact lines as rows no wider than `width`, wrapped under their label
 * (`rebuilds: `), never cut. A `misses:` line (a task the request named that
 * the change does not reach) is the one a person must not miss: it always
 * shows; the others, in order, fill the rest of about a third of the panel
 * (two rows at least), and a last row says how many did not fit.
 */
export function impactRows(lines: readonly string[], width: number, height: number): ImpactRow[] {
  const toneOf = (line: string): ImpactRow["tone"] => (line.startsWith("breaks") ? "error" : line.startsWith("misses") ? "warning" : "info");
  const wrapped = lines.map((line) => ({ tone: toneOf(line), rows: wrapHanging(line, width, " ".repeat(10)) }));
  const misses = wrapped.filter((l) => l.tone === "warning").reduce((n, l) => n + l.rows.length, 0);
  // What changes and the first rebuild keep two rows however long the misses are.
  let room = Math.max(2, Math.max(4, Math.floor(height / 3)) - misses);
  const shown = wrapped.map((l) => {
    if (l.tone === "warning") return true;
    if (l.rows.length > room) {
      room = 0;
      return false;
    }
    room -= l.rows.length;
    return true;
  });
  const rows: ImpactRow[] = wrapped.flatMap((l, i) => (shown[i] ? l.rows.map((text) => ({ text, tone: l.tone })) : []));
  const hidden = shown.filter((s) => !s).length;
  if (hidden > 0) rows.push({ text: `… ${hidden} more impact line${hidden === 1 ? "" : "s"}`, tone: "muted" });
  return rows;
}
