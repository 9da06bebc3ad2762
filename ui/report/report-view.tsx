// The Report view of the Traces screen: `specwright report` over every build
// run of the project, one section at a time (Tasks, Failures, Models, Runs,
// Hints), scrolled with the list keys; then the latest retrospective (Retro),
// whose recommendations are picked with ↑↓ and sent to the ask panel with a
// (n writes a new one). Loads on open; r reloads.

import { relative } from "node:path";
import { Box, Text } from "ink";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import type { ModelEvent } from "../../models/events.js";
import { reportProject, type ProjectReport } from "../../src/report/project-report.js";
import { readLatestRetro, retroEventLine, runRetro, type LatestRetro } from "../../src/report/retro.js";
import { askStartOf } from "../../src/report/spec-change-request.js";
import { useActions, useProject, type ScreenSelection } from "../app-context.js";
import { createEventBatcher, type EventBatcher } from "../build/event-batcher.js";
import type { Command } from "../keymap.js";
import { applyModelEvent, modelActivityLine, type ModelActivity } from "../model-activity.js";
import { usePacedCount, usePlain } from "../plain-mode.js";
import { theme } from "../theme.js";
import { useLoader, type Loaded } from "../use-loader.js";
import { reportHeadline, reportLines, SECTION_TITLES, type ReportLine } from "./report-lines.js";
import { INITIAL_REPORT_VIEW, reportViewReducer, VIEW_SECTIONS, type ReportViewState } from "./report-view-state.js";
import { retroLines, retroScroll } from "./retro-lines.js";

/** How many tasks a retro started here looks back over (the default of `specwright retro`). */
const RETRO_LAST = 20;

const TITLES = { ...SECTION_TITLES, retro: "Retro" } as const;

export interface ReportViewHandle {
  view: React.ReactElement;
  /** Handles a key's command while the report is shown; false when the report has no use for it. */
  handle(command: Command): boolean;
  /** Why a command cannot run on the report now, or undefined. */
  why(command: Command): string | undefined;
  /** What a request from `>` is about: the picked recommendation's spec part on the Retro section. */
  selection(): ScreenSelection | undefined;
}

export function useReportView({ shown, height, width, onBack }: { shown: boolean; height: number; width: number; onBack(): void }): ReportViewHandle {
  const { loaded, env } = useProject();
  const actions = useActions();
  const root = loaded?.root;
  const [at, dispatch] = useReducer(reportViewReducer, INITIAL_REPORT_VIEW);
  const atRef = useRef(at);
  atRef.current = at;
  const loadReport = useCallback(async () => (root ? reportProject(root) : { ok: false as const, message: "no project", hint: "" }), [root]);
  const [report, reloadReport] = useLoader<ProjectReport>(root && shown ? loadReport : undefined, [root, shown]);
  const loadRetro = useCallback(async () => (root ? readLatestRetro(root) : ({ kind: "none" } as const)), [root]);
  const [retro, reloadRetro] = useLoader<LatestRetro>(root && shown ? loadRetro : undefined, [root, shown]);
  const [activity, setActivity] = useState<ModelActivity | undefined>(undefined);
  const batcher = useRef<EventBatcher<ModelEvent> | undefined>(undefined);
  useEffect(() => () => batcher.current?.stop(), []);

  const bodyRows = Math.max(1, height - 3);
  const requests = retro.value?.kind === "found" ? retro.value.requests : [];
  const sectionLines = (state: ReportViewState): ReportLine[] => {
    if (state.section === "retro") return retro.value ? retroLines(retro.value, state.pick, width - 1).lines : [];
    const value = report.value;
    return value?.ok ? reportLines(value.report, state.section, width - 1) : [];
  };
  const scrollMax = (state: ReportViewState) => Math.max(0, sectionLines(state).length - bodyRows);

  /** a: the ask panel opens with the picked recommendation's words, its spec part and tasks as the context and the retro as the source. */
  const askPicked = () => {
    const request = requests[atRef.current.pick];
    if (!request) return;
    const start = askStartOf(request);
    actions.ask({
      start: { words: start.words, context: { source: start.source, ...(start.spec ? { spec: start.spec } : {}), ...(start.anchor ? { anchor: start.anchor } : {}), ...(start.tasks.length > 0 ? { tasks: start.tasks } : {}) } },
    });
  };

  /** n: a new retrospective as the app's cancellable operation; the section shows it when it is written. */
  const newRetro = () => {
    if (!loaded) return;
    const events = createEventBatcher<ModelEvent>((list) => setActivity((a) => list.reduce(applyModelEvent, a ?? { kind: "idle" })));
    batcher.current?.stop();
    batcher.current = events;
    setActivity({ kind: "idle" });
    void actions
      .run("retro", (signal) =>
        runRetro({
          loaded,
          env,
          last: RETRO_LAST,
          signal,
          onEvent: (e) => actions.flash(retroEventLine(e)),
          onModelEvent: (e) => events.push(e),
        }),
      )
      .then((result) => {
        events.stop();
        setActivity(undefined);
        if (result === undefined) return;
        switch (result.kind) {
          case "written":
            dispatch({ type: "show-retro" });
            reloadRetro();
            actions.flash(`retro written to ${relative(loaded.root, result.file)}: ${result.requests.length} recommendation${result.requests.length === 1 ? "" : "s"}; a asks for the picked one`);
            return;
          case "nothing":
            actions.flash(result.message);
            return;
          case "not-started":
            actions.flash(`${result.message} — ${result.hint}`);
            return;
          case "failed":
            actions.flash(result.interrupted ? "retro cancelled; nothing written" : `retro failed: ${result.error.message} — ${result.error.hint}`);
            return;
        }
      });
  };

  const handle = (command: Command): boolean => {
    const state = atRef.current;
    const max = scrollMax(state);
    const onRetro = state.section === "retro";
    switch (command) {
      case "cursor.up":
      case "cursor.down":
        dispatch(onRetro ? { type: "pick", by: command === "cursor.up" ? -1 : 1, count: requests.length } : { type: "scroll", by: command === "cursor.up" ? -1 : 1, max });
        return true;
      case "page.up":
      case "page.down":
        dispatch(onRetro ? { type: "pick", by: command === "page.up" ? -5 : 5, count: requests.length } : { type: "scroll", by: command === "page.up" ? -bodyRows : bodyRows, max });
        return true;
      case "cursor.first":
      case "cursor.last":
        dispatch(onRetro ? { type: "pick", by: command === "cursor.first" ? -requests.length : requests.length, count: requests.length } : { type: "edge", edge: command === "cursor.first" ? "first" : "last", max });
        return true;
      case "traces.next-tab":
        dispatch({ type: "section", by: 1 });
        return true;
      case "traces.previous-tab":
        dispatch({ type: "section", by: -1 });
        return true;
      case "open":
      case "traces.retro-ask":
        if (onRetro) askPicked();
        return true;
      case "traces.retro-new":
        newRetro();
        return true;
      case "back":
        onBack();
        return true;
      case "reload":
        reloadReport();
        reloadRetro();
        return true;
      default:
        return false;
    }
  };

  const why = (command: Command): string | undefined => {
    const onRetro = atRef.current.section === "retro";
    switch (command) {
      case "traces.mark":
      case "traces.diff":
        return "not on the report; R goes back to the runs";
      case "open":
      case "traces.retro-ask":
        if (!onRetro) return command === "open" ? "not on the report; R goes back to the runs" : "on the Retro section (→ to it): the latest retro's recommendations";
        return requests.length > 0 ? undefined : "no recommendation to ask for: n writes a retrospective";
      case "traces.retro-new":
        return onRetro ? undefined : "on the Retro section (→ to it)";
      default:
        return undefined;
    }
  };

  const selection = (): ScreenSelection | undefined => {
    if (atRef.current.section !== "retro") return undefined;
    const request = requests[atRef.current.pick];
    if (!request) return undefined;
    const start = askStartOf(request);
    return start.spec ? { spec: start.spec, ...(start.anchor ? { anchor: start.anchor } : {}) } : undefined;
  };

  return { view: <ReportView report={report} retro={retro} at={at} activity={activity} height={height} width={width} />, handle, why, selection };
}

interface ReportViewProps {
  report: Loaded<ProjectReport>;
  retro: Loaded<LatestRetro>;
  at: ReportViewState;
  /** The model's state while a retro started here runs. */
  activity: ModelActivity | undefined;
  /** Rows the view may use, header included. */
  height: number;
  width: number;
}

function ReportView({ report, retro, at, activity, height, width }: ReportViewProps) {
  const plain = usePlain();
  const paced = usePacedCount(activity?.kind === "asking" ? activity.callId : undefined, activity?.kind === "asking" ? activity.tokens : 0);
  const value = report.value;
  const bodyRows = Math.max(1, height - 2);
  const header = (
    <Text wrap="truncate-end">
      <Text bold>Report</Text> {VIEW_SECTIONS.map((s) => (s === at.section ? `[${TITLES[s]}]` : ` ${TITLES[s]} `)).join("")}
      <Text dimColor> ←→ · Esc back</Text>
    </Text>
  );
  if (at.section === "retro") {
    const running = activity ? modelActivityLine(activity, plain, paced) ?? "retro: starting…" : undefined;
    if (retro.state === "failed") return <Box flexDirection="column">{header}<Text color={theme.error}>could not read .specwright/retros: {retro.error}</Text></Box>;
    if (!retro.value) return <Box flexDirection="column">{header}<Text dimColor>reading the latest retrospective…</Text></Box>;
    const lines = retroLines(retro.value, at.pick, width - 1);
    const count = lines.starts.length;
    // Below the header: the running retro's line, the lines, and where the pick is when they do not all fit.
    const room = height - 1 - (running ? 1 : 0);
    const overflows = lines.lines.length > room;
    const rows = Math.max(1, room - (overflows ? 1 : 0));
    const scroll = retroScroll(lines, at.pick, rows);
    return (
      <Box flexDirection="column">
        {header}
        {running ? (
          <Text color={theme.accent} wrap="truncate-end">
            {running}
          </Text>
        ) : null}
        <Lines lines={lines.lines.slice(scroll, scroll + rows)} from={scroll} />
        {overflows && count > 0 ? (
          <Text dimColor wrap="truncate-end">
            recommendation {at.pick + 1} of {count} · ↑↓ picks · a asks for it
          </Text>
        ) : null}
      </Box>
    );
  }
  if (report.state === "failed") return <Box flexDirection="column">{header}<Text color={theme.error}>could not read the runs: {report.error}</Text></Box>;
  if (!value) return <Box flexDirection="column">{header}<Text dimColor>reading the build runs…</Text></Box>;
  if (!value.ok) return <Box flexDirection="column">{header}<Text color={theme.error}>{value.message}</Text></Box>;
  const r = value.report;
  if (r.runs.length === 0) return <Box flexDirection="column">{header}<Text dimColor>No build runs recorded yet: a build (5, then b) records one.</Text></Box>;
  const lines = reportLines(r, at.section, width - 1);
  const shown = lines.slice(at.scroll, at.scroll + bodyRows - 1);
  return (
    <Box flexDirection="column">
      {header}
      <Text dimColor wrap="truncate-end">
        {reportHeadline(r, width - 1)}
      </Text>
      <Lines lines={shown} from={at.scroll} />
      {lines.length > bodyRows - 1 ? (
        <Text dimColor>
          lines {at.scroll + 1}–{Math.min(lines.length, at.scroll + bodyRows - 1)} of {lines.length}
        </Text>
      ) : null}
    </Box>
  );
}

function Lines({ lines, from }: { lines: ReportLine[]; from: number }) {
  return (
    <>
      {lines.map((l, i) => (
        <Text key={from + i} bold={l.tone === "header"} dimColor={l.tone === "dim"} {...(l.tone === "warning" ? { color: theme.warning } : l.tone === "error" ? { color: theme.error } : {})} wrap="truncate-end">
          {l.text === "" ? " " : l.text}
        </Text>
      ))}
    </>
  );
}
