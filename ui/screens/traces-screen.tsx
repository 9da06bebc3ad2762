// Traces: runs → calls (task attempts and other model calls) → one call's
// prompt, response, verify log and meta, scrollable; or a diff of two calls'
// response or verify log (m marks one, d compares the selected one with it,
// or with the task's previous attempt). Opening a trace from the build screen
// jumps straight to the attempt.

import { Box, Text } from "ink";
import { useCallback, useEffect, useState } from "react";
import { callOutcome, listCalls, listRuns, type CallSummary, type RunSummary } from "../../src/traces/read-traces.js";
import { diffHunks } from "../../src/text/line-diff.js";
import { useActions, useProject, useScreenCommands, useScreenSelection, useTraceTarget } from "../app-context.js";
import { partsOf, readCallTexts, type CallTexts } from "../data/trace-files.js";
import { cell, plural, wrapLines } from "../format.js";
import { CURSOR, inColor, theme } from "../theme.js";
import { DIFF_PARTS, previousAttempt, tracesReducer, type CallPart, type DiffPart, type TracesLocation } from "../traces/traces-state.js";
import { useLiveReducer } from "../use-live-reducer.js";
import { useLoader } from "../use-loader.js";
import { useReportView } from "../report/report-view.js";
import { DiffView, hunkRows, layoutDiffRows, type DiffRow } from "../widgets/diff-view.js";
import type { ScreenProps } from "./screen-props.js";

const PART_TITLES = { prompt: "prompt", response: "response", verify: "verify.log", meta: "meta" } as const;

export function TracesScreen({ active, height, width }: ScreenProps) {
  const { loaded } = useProject();
  const actions = useActions();
  const root = loaded?.root;
  const target = useTraceTarget();
  // Keys can arrive faster than frames (↓ then Enter in one read): handlers act on the live location, not this render's.
  const [at, dispatch, liveAt] = useLiveReducer(tracesReducer, () => ({ level: "runs", cursor: 0 }) as TracesLocation);

  useEffect(() => {
    if (target) dispatch(target.path ? { type: "jump", runId: target.runId, path: target.path } : { type: "jump", runId: target.runId });
  }, [target, dispatch]);

  const loadRuns = useCallback(async () => (root ? (await listRuns(root)).reverse() : []), [root]);
  const [runs, reloadRuns] = useLoader<RunSummary[]>(root ? loadRuns : undefined, [root, active && at.level === "runs"]);
  const runId = at.level === "runs" ? undefined : at.runId;
  const loadCalls = useCallback(async () => (root && runId ? listCalls(root, runId) : []), [root, runId]);
  const [calls] = useLoader<CallSummary[]>(root && runId ? loadCalls : undefined, [root, runId]);

  const path = at.level === "call" ? at.path : undefined;
  const loadCall = useCallback(async () => (root && runId && path ? readCallTexts(root, runId, path) : undefined), [root, runId, path]);
  const [call] = useLoader<CallTexts | undefined>(root && runId && path ? loadCall : undefined, [root, runId, path, active]);

  const left = at.level === "diff" ? at.left : undefined;
  const right = at.level === "diff" ? at.right : undefined;
  const loadPair = useCallback(
    async () => (root && runId && left && right ? Promise.all([readCallTexts(root, runId, left), readCallTexts(root, runId, right)]) : undefined),
    [root, runId, left, right],
  );
  const [pair] = useLoader<[CallTexts | undefined, CallTexts | undefined] | undefined>(root && runId && left && right ? loadPair : undefined, [root, runId, left, right]);

  // R shows the report over every build run (and the latest retro) in place of the browser; R or Esc goes back to where it was.
  const [showReport, setShowReport] = useState(false);
  const report = useReportView({ shown: showReport, height, width, onBack: () => setShowReport(false) });

  const bodyRows = Math.max(1, height - 2);
  const lines = at.level === "call" ? wrapLines(call.value?.[at.part] ?? "", width - 1) : [];
  const diffRows = at.level === "diff" && pair.value ? layoutDiffRows(attemptDiffRows(pair.value, at.part), width) : [];
  /** How many places the cursor (or scroll) has at a location: the list's rows, or the text's scroll positions. */
  const countAt = (place: TracesLocation) =>
    place.level === "runs"
      ? runs.value?.length ?? 0
      : place.level === "calls"
        ? calls.value?.length ?? 0
        : place.level === "call"
          ? Math.max(1, lines.length - bodyRows + 1)
          : Math.max(1, diffRows.length - bodyRows + 1);

  // The run (or call) selected or open: a request about a trace carries its folder.
  useScreenSelection("traces", () => {
    if (showReport) return report.selection();
    const run = at.level === "runs" ? runs.value?.[at.cursor]?.id : at.runId;
    if (!run) return undefined;
    const call = at.level === "calls" ? calls.value?.[at.cursor]?.path : at.level === "call" ? at.path : undefined;
    return { trace: [".specwright", "runs", run, ...(call ? [call] : [])].join("/") };
  });

  /** The shown call's tabs: from its texts once read, from the call list's summary until then. */
  const shownParts = (at: TracesLocation): CallPart[] => partsOf(call.value, at.level === "call" ? calls.value?.find((c) => c.path === at.path) : undefined);

  useScreenCommands("traces", (command) => {
    const at = liveAt();
    const count = countAt(at);
    if (command === "traces.report") {
      setShowReport((shown) => !shown);
      return true;
    }
    if (showReport) return report.handle(command);
    switch (command) {
      case "cursor.up":
        dispatch({ type: "move", by: -1, count });
        return true;
      case "cursor.down":
        dispatch({ type: "move", by: 1, count });
        return true;
      case "page.up":
        dispatch({ type: "move", by: -bodyRows, count });
        return true;
      case "page.down":
        dispatch({ type: "move", by: bodyRows, count });
        return true;
      case "cursor.first":
        dispatch({ type: "to", edge: "first", count });
        return true;
      case "cursor.last":
        dispatch({ type: "to", edge: "last", count });
        return true;
      case "open":
        if (at.level === "runs") {
          const run = runs.value?.[at.cursor];
          if (run) dispatch({ type: "open-run", runId: run.id });
        } else if (at.level === "calls") {
          const c = calls.value?.[at.cursor];
          if (c) dispatch({ type: "open-call", path: c.path });
        }
        return true;
      case "traces.next-tab":
        dispatch({ type: "part", by: 1, parts: shownParts(at) });
        return true;
      case "traces.previous-tab":
        dispatch({ type: "part", by: -1, parts: shownParts(at) });
        return true;
      case "traces.mark":
        if (at.level === "calls") {
          const c = calls.value?.[at.cursor];
          if (c) {
            dispatch({ type: "mark", path: c.path });
            actions.flash(at.marked === c.path ? `${c.path} unmarked` : `${c.path} marked · select another call and press d to compare`);
          }
        }
        return true;
      case "traces.diff":
        if (at.level === "calls") {
          const list = calls.value ?? [];
          const c = list[at.cursor];
          if (!c) return true;
          const other = at.marked && at.marked !== c.path ? at.marked : previousAttempt(c.path, list.map((x) => x.path));
          if (other) dispatch({ type: "open-diff", left: other, right: c.path });
          else actions.flash("m marks a call to compare with; without a mark, d compares an attempt with the task's previous one");
        }
        return true;
      case "back":
        dispatch({ type: "back" });
        return true;
      case "reload":
        reloadRuns();
        return true;
      default:
        return false;
    }
  }, (command) => {
    const at = liveAt();
    // The report scrolls and moves between its sections (← →); calls are opened, marked and diffed from the runs.
    if (showReport) return report.why(command);
    switch (command) {
      case "traces.retro-ask":
      case "traces.retro-new":
        return "on the report's Retro section (R, then ←)";
      case "open":
        return at.level === "runs" || at.level === "calls" ? undefined : "this is a call already; Esc goes back to the list";
      case "traces.next-tab":
      case "traces.previous-tab":
        return at.level === "call" || at.level === "diff" ? undefined : "open a call first (Enter)";
      case "traces.mark":
      case "traces.diff":
        return at.level === "calls" ? undefined : at.level === "runs" ? "open a run first (Enter), then select a call" : "go back to the call list (Esc)";
      default:
        return undefined;
    }
  });

  if (!root) return <Text dimColor>loading the project…</Text>;
  if (showReport) return report.view;

  if (at.level === "runs") {
    const list = runs.value ?? [];
    if (list.length === 0) return <Text dimColor>{runs.state === "loading" ? "reading runs…" : "No runs recorded yet: audit, plan and build record every model call here."}</Text>;
    const first = window(at.cursor, list.length, bodyRows);
    return (
      <Box flexDirection="column">
        <Text bold>Runs (newest first) · Enter opens</Text>
        {list.slice(first, first + bodyRows).map((r, i) => (
          <Text key={r.id} wrap="truncate-end">
            {first + i === at.cursor ? CURSOR : " "} {r.id.padEnd(34)} {cell(r.command, 8)} {cell(plural(r.calls, "call"), 10)}
            {r.failed > 0 ? <Text color={theme.error}>{r.failed} failed </Text> : null}
            {r.unfinished > 0 ? <Text color={theme.warning}>{r.unfinished} unfinished </Text> : null}
            {!r.finishedAt ? <Text dimColor>(did not finish)</Text> : null}
          </Text>
        ))}
      </Box>
    );
  }

  if (at.level === "calls") {
    const list = calls.value ?? [];
    const first = window(at.cursor, list.length, bodyRows);
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate-end">
          {at.runId} · Enter opens a call · m marks · d diffs · Esc back
        </Text>
        {list.length === 0 ? <Text dimColor>{calls.state === "loading" ? "reading calls…" : "This run made no model calls."}</Text> : null}
        {list.slice(first, first + bodyRows).map((c, i) => {
          const m = c.meta;
          const outcome = callOutcome(c);
          const tone = outcomeTone(outcome);
          const metrics = m?.metrics;
          return (
            <Text key={c.path} wrap="truncate-end">
              {first + i === at.cursor ? CURSOR : " "}
              {at.marked === c.path ? "*" : " "}
              {c.path.padEnd(28)} <Text {...inColor(tone)}>{cell(outcome, 13)}</Text>
              <Text dimColor>
                {metrics?.evalCount !== undefined ? ` ${metrics.evalCount} tokens` : ""}
                {metrics?.tokensPerSecond !== undefined ? ` ${metrics.tokensPerSecond.toFixed(1)} tok/s` : ""}
                {m?.model ? ` ${m.model}` : ""}
              </Text>
            </Text>
          );
        })}
      </Box>
    );
  }

  if (at.level === "diff") {
    const head = `${at.left} → ${at.right} ${partTabs(DIFF_PARTS, at.part)}`;
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          <Text bold>
            {at.left} → {at.right}
          </Text>{" "}
          {partTabs(DIFF_PARTS, at.part)}
          {head.length + PART_HINT.length <= width ? <Text dimColor>{PART_HINT}</Text> : null}
        </Text>
        {!pair.value ? <Text dimColor>reading both calls…</Text> : <DiffView rows={attemptDiffRows(pair.value, at.part)} scroll={at.scroll} height={bodyRows + 1} width={width} />}
      </Box>
    );
  }

  const text = call.value?.[at.part];
  // What became of the call, in the words of the call list and `specwright traces` (an attempt whose verify failed is not "ok").
  const summary = calls.value?.find((c) => c.path === at.path);
  const outcome = summary ? callOutcome(summary) : undefined;
  const tabs = partTabs(partsOf(call.value, summary), at.part);
  const head = `${at.path}${outcome ? ` ${outcome}` : ""} ${tabs}`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{at.path}</Text>
        {outcome ? <Text {...inColor(outcomeTone(outcome))}> {outcome}</Text> : null} {tabs}
        {head.length + PART_HINT.length <= width ? <Text dimColor>{PART_HINT}</Text> : null}
      </Text>
      {text === undefined ? (
        <Text dimColor>{call.state === "loading" ? "reading…" : `no ${PART_TITLES[at.part]} recorded for this call`}</Text>
      ) : (
        lines.slice(at.scroll, at.scroll + bodyRows).map((line, i) => <Text key={i}>{line === "" ? " " : line}</Text>)
      )}
      {text !== undefined && lines.length > bodyRows ? (
        <Text dimColor>
          lines {at.scroll + 1}–{Math.min(lines.length, at.scroll + bodyRows)} of {lines.length}
        </Text>
      ) : null}
    </Box>
  );
}

/** Two calls' part as diff rows, or a note when there is nothing to compare. */
function attemptDiffRows([a, b]: [CallTexts | undefined, CallTexts | undefined], part: DiffPart): DiffRow[] {
  const before = a?.[part];
  const after = b?.[part];
  if (before === undefined && after === undefined) return [{ kind: "note", text: `neither call recorded a ${PART_TITLES[part]}` }];
  const hunks = diffHunks(before ?? "", after ?? "");
  const missing = before === undefined ? "the first call has none; all of it is new" : after === undefined ? "the second call has none" : undefined;
  if (hunks.length === 0) return [{ kind: "note", text: `the ${PART_TITLES[part]} is the same in both calls` }];
  return [...(missing ? [{ kind: "note" as const, text: missing }] : []), ...hunkRows(hunks)];
}

/** The reminder after a call's part tabs; the footer has → too, so it goes whole rather than cut. */
const PART_HINT = " ←→ part · Esc back";

/** A call's parts as tabs, the shown one in brackets: "prompt  [response]  meta". */
function partTabs(parts: readonly (keyof typeof PART_TITLES)[], shown: keyof typeof PART_TITLES): string {
  return parts.map((p) => (p === shown ? `[${PART_TITLES[p]}]` : ` ${PART_TITLES[p]} `)).join(" ");
}

/** A call's outcome coloured as what it is: a failure (of the call or of its verify), unfinished, or fine. */
function outcomeTone(outcome: string): string | undefined {
  return outcome.startsWith("failed") || outcome.startsWith("verify ") ? theme.error : outcome === "in-progress" ? theme.warning : undefined;
}

/** The first row to show so the cursor stays visible. */
function window(cursor: number, count: number, rows: number): number {
  return Math.max(0, Math.min(cursor - Math.floor(rows / 2), count - rows));
}
