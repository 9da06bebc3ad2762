// Traces: runs → calls (task attempts and other model calls) → one call's
// prompt, response, verify log and meta, scrollable. Opening a trace from the
// build screen jumps straight to the attempt.

import { Box, Text } from "ink";
import { useCallback, useEffect, useReducer } from "react";
import { listCalls, listRuns, type CallSummary, type RunSummary } from "../../src/traces/read-traces.js";
import { useProject, useScreenCommands, useTraceTarget } from "../app-context.js";
import { readCallTexts, type CallTexts } from "../data/trace-files.js";
import { cell, wrapLines } from "../format.js";
import { CURSOR, theme } from "../theme.js";
import { CALL_PARTS, tracesReducer, type TracesLocation } from "../traces/traces-state.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

const PART_TITLES = { prompt: "prompt", response: "response", verify: "verify.log", meta: "meta" } as const;

export function TracesScreen({ active, height, width }: ScreenProps) {
  const { loaded } = useProject();
  const root = loaded?.root;
  const target = useTraceTarget();
  const [at, dispatch] = useReducer(tracesReducer, { level: "runs", cursor: 0 } as TracesLocation);

  useEffect(() => {
    if (target) dispatch(target.path ? { type: "jump", runId: target.runId, path: target.path } : { type: "jump", runId: target.runId });
  }, [target]);

  const loadRuns = useCallback(async () => (root ? (await listRuns(root)).reverse() : []), [root]);
  const [runs, reloadRuns] = useLoader<RunSummary[]>(root ? loadRuns : undefined, [root, active && at.level === "runs"]);
  const runId = at.level === "runs" ? undefined : at.runId;
  const loadCalls = useCallback(async () => (root && runId ? listCalls(root, runId) : []), [root, runId]);
  const [calls] = useLoader<CallSummary[]>(root && runId ? loadCalls : undefined, [root, runId]);
  const path = at.level === "call" ? at.path : undefined;
  const loadCall = useCallback(async () => (root && runId && path ? readCallTexts(root, runId, path) : undefined), [root, runId, path]);
  const [call] = useLoader<CallTexts | undefined>(root && runId && path ? loadCall : undefined, [root, runId, path, active]);

  const bodyRows = Math.max(1, height - 2);
  const lines = at.level === "call" ? wrapLines(call.value?.[at.part] ?? "", width - 1) : [];
  const count = at.level === "runs" ? runs.value?.length ?? 0 : at.level === "calls" ? calls.value?.length ?? 0 : Math.max(1, lines.length - bodyRows + 1);

  useScreenCommands("traces", (command) => {
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
        dispatch({ type: "part", by: 1 });
        return true;
      case "traces.previous-tab":
        dispatch({ type: "part", by: -1 });
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
  });

  if (!root) return <Text dimColor>loading the project…</Text>;

  if (at.level === "runs") {
    const list = runs.value ?? [];
    if (list.length === 0) return <Text dimColor>{runs.state === "loading" ? "reading runs…" : "No runs recorded yet: audit, plan and build record every model call here."}</Text>;
    const first = window(at.cursor, list.length, bodyRows);
    return (
      <Box flexDirection="column">
        <Text bold>Runs (newest first) · Enter opens</Text>
        {list.slice(first, first + bodyRows).map((r, i) => (
          <Text key={r.id} wrap="truncate-end">
            {first + i === at.cursor ? CURSOR : " "} {cell(r.id, 34)} {cell(r.command, 8)} {cell(`${r.calls} calls`, 10)}
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
          {at.runId} · Enter opens a call · Esc back
        </Text>
        {list.length === 0 ? <Text dimColor>{calls.state === "loading" ? "reading calls…" : "This run made no model calls."}</Text> : null}
        {list.slice(first, first + bodyRows).map((c, i) => {
          const m = c.meta;
          const outcome = m?.outcome ?? "unknown";
          const tone = outcome === "failed" ? theme.error : outcome === "in-progress" ? theme.warning : undefined;
          const metrics = m?.metrics;
          return (
            <Text key={c.path} wrap="truncate-end">
              {first + i === at.cursor ? CURSOR : " "} {cell(c.path, 28)} <Text color={tone}>{cell(outcome, 12)}</Text>
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

  const text = call.value?.[at.part];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{at.path}</Text>{" "}
        {CALL_PARTS.map((p) => (p === at.part ? `[${PART_TITLES[p]}]` : ` ${PART_TITLES[p]} `)).join(" ")}
        <Text dimColor> ←→ part · Esc back</Text>
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

/** The first row to show so the cursor stays visible. */
function window(cursor: number, count: number, rows: number): number {
  return Math.max(0, Math.min(cursor - Math.floor(rows / 2), count - rows));
}
