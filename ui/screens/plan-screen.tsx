// Plan: the task table (id, title, outputs, depends, estimated prompt tokens
// against the build model's context, plan status and build state), with
// skip/manual toggles, notes and verify edits and moves written back to
// plan.toml through editPlanText/moveTaskInText, and the plan's validation
// diagnostics, re-checked after every change. Planning itself (planner model,
// from the architecture, or a re-plan) runs here with the plan command's wiring.
// `t` swaps the table for the task graph; the selection is shared by both.
// The plan judge (`R`) runs here too: the selected task's PLAN-n findings show
// under the table, `f` lists them all and `d`/`a`/`o` triage them through the
// core (findings.json is never written here). `c` shows the coverage table.

import { Box, Text } from "ink";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ModelEvent } from "../../models/events.js";
import { buildOutputBudget } from "../../src/build/prepare-task.js";
import type { ProjectPlanEvent } from "../../src/planning/run-project-plan.js";
import type { Task, TaskStatus } from "../../plans/plan.js";
import { useActions, useProject, useScreenCommands, useScreenSelection } from "../app-context.js";
import { fitColumns, widest } from "../table-columns.js";
import { createEventBatcher, type EventBatcher } from "../build/event-batcher.js";
import { useOllama } from "../data/ollama-context.js";
import { buildContextSize, planProject, reviewProjectPlan, type ModelContextSize, type PlanHow } from "../data/plan-actions.js";
import { VERIFY_SEPARATOR, editPlanTask, loadPlanData, movePlanTask, shortTokens, splitVerify, type CoverageSummary, type PlanData, type PlanFinding, type PlanRow } from "../data/plan-data.js";
import { triageFinding } from "../data/findings-data.js";
import type { TriageAction } from "../../src/audit/findings.js";
import { PlanFindingsView, findingKind } from "../plan/plan-findings-view.js";
import { PlanCoverageView } from "../plan/plan-coverage-view.js";
import { modelActivityLine } from "../model-activity.js";
import { usePacedCount, usePlain, type PacedCount } from "../plain-mode.js";
import { initialPlanRun, planRunReducer, type PlanRun } from "../plan/plan-run-state.js";
import { graphRelations, layoutTaskGraph, taskMark, type GraphMark, type GraphNode } from "../plan/task-graph-layout.js";
import { TaskGraphView } from "../plan/task-graph-view.js";
import { useLiveReducer } from "../use-live-reducer.js";
import { cell, diagnosticBlocks, fitDiagnostics, plural, wrapHanging, wrapProse } from "../format.js";
import { CURSOR, inColor, taskStateStyle, theme, toneColor, type Tone } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function PlanScreen({ active, height, width }: ScreenProps) {
  const plain = usePlain();
  const project = useProject();
  const actions = useActions();
  const { loaded } = project;
  const load = useCallback(() => loadPlanData(loaded!, project.env), [loaded, project.env]);
  const [data, reload] = useLoader<PlanData>(loaded && !project.configBroken ? load : undefined, [loaded, active]);
  const [cursor, setCursor] = useState(0);
  const plan = data.value?.kind === "loaded" ? data.value : undefined;
  const rows = useMemo(() => plan?.rows ?? [], [plan]);
  const selected = rows[Math.min(cursor, rows.length - 1)];
  const [view, setView] = useState<"table" | "graph" | "findings" | "coverage">("table");
  // The findings list follows the selected finding by id: triage re-sorts it (open first).
  const [findingId, setFindingId] = useState<string | undefined>(undefined);
  const [coverageCursor, setCoverageCursor] = useState(0);
  const review = plan?.review;
  const findings = useMemo(() => (review?.ok ? review.findings : []), [review]);
  const findingCursor = Math.max(0, findings.findIndex((f) => f.finding.id === findingId));
  const setFindingCursor = (at: number) => setFindingId(findings[Math.max(0, Math.min(findings.length - 1, at))]?.finding.id);
  const coverageItems = plan?.coverageItems;
  const graph = useMemo(() => taskGraphOf(rows, width), [rows, width]);
  const ollama = useOllama().status;
  // Re-read when the server's state changes (checking → up or down), not for every new probe object.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the state on purpose
  const loadContext = useCallback(() => buildContextSize(loaded!, ollama), [loaded, ollama?.state]);
  const [context] = useLoader<ModelContextSize>(loaded && ollama?.state !== "checking" ? loadContext : undefined, [loaded, ollama?.state]);
  const [run, dispatchRun, liveRun] = useLiveReducer(planRunReducer, initialPlanRun);
  // Plain mode: the model's count told once a period, not with every token.
  const asking = run.phase === "running" && run.model.kind === "asking" ? run.model : undefined;
  const paced = usePacedCount(asking?.callId, asking?.tokens ?? 0);
  const batchers = useRef<EventBatcher<unknown>[]>([]);
  useEffect(() => () => batchers.current.forEach((b) => b.stop()), []);

  /** One model operation on the plan: its progress in the plan run, the plan read again after it, "another operation is running" when one is. */
  const startRun = (
    label: string,
    operation: string,
    work: (loaded: NonNullable<typeof project.loaded>, signal: AbortSignal, onEvent: (e: ProjectPlanEvent) => void, onModelEvent: (e: ModelEvent) => void) => Promise<{ ok: boolean; lines: string[] }>,
  ) => {
    if (!loaded || liveRun().phase === "running") return;
    dispatchRun({ type: "started", label });
    const events = createEventBatcher<ProjectPlanEvent>((list) => dispatchRun({ type: "events", events: list }));
    const modelEvents = createEventBatcher<ModelEvent>((list) => dispatchRun({ type: "model-events", events: list }));
    batchers.current.push(events as EventBatcher<unknown>, modelEvents as EventBatcher<unknown>);
    void actions
      .run(operation, async (signal) => {
        const result = await work(loaded, signal, (e) => events.push(e), (e) => modelEvents.push(e));
        events.drain();
        modelEvents.drain();
        dispatchRun({ type: "ended", ok: result.ok, outcome: result.lines });
        reload();
        return true;
      })
      .then((ran) => {
        if (ran === undefined) dispatchRun({ type: "ended", ok: false, outcome: ["another operation is running; Esc cancels it first"] });
      });
  };

  const startPlanning = (how: PlanHow) =>
    startRun(
      how === "planner" ? "planning with the planner model" : how === "architecture" ? "planning from the architecture" : "re-planning every spec",
      how === "architecture" ? "plan (architecture)" : "plan",
      (loaded, signal, onEvent, onModelEvent) => planProject({ loaded, env: project.env, how, signal, onEvent, onModelEvent }),
    );

  const startReview = () =>
    startRun("reviewing the plan with the reviewer model", "plan review", (loaded, signal, _onEvent, onModelEvent) => reviewProjectPlan({ loaded, env: project.env, signal, onModelEvent }));

  /** The finding d, a and o act on: the findings view's selected one, or in the table the selected task's first (open first). */
  const targetFinding = (): PlanFinding | undefined => {
    if (view === "findings") return findings[Math.min(findingCursor, findings.length - 1)];
    return selected ? findings.find((f) => f.task === selected.task.id) : undefined;
  };
  const triage = (command: "plan.dismiss" | "plan.accept" | "plan.reopen") => {
    const target = targetFinding();
    if (!loaded || !target) {
      actions.flash(findings.length === 0 ? "no plan findings; R asks the plan judge" : view === "findings" ? "no finding selected" : `no plan finding for ${selected?.task.id ?? "this task"}; f lists them all`);
      return;
    }
    const f = target.finding;
    const settle = (change: TriageAction, done: string) =>
      void triageFinding(loaded.root, f.id, change).then((problem) => {
        actions.flash(problem ?? done);
        reload();
      });
    if (command === "plan.reopen") {
      if (f.status === "open") actions.flash(`${f.id} is open`);
      else settle({ action: "reopen" }, `${f.id} reopened`);
      return;
    }
    if (f.status !== "open") {
      actions.flash(`${f.id} is ${f.status}; o reopens it`);
      return;
    }
    if (command === "plan.accept") settle({ action: "accept" }, `${f.id} accepted as is`);
    else
      void actions.prompt(`Why dismiss ${f.id}?`, "", "a reason is required · Enter saves · Esc cancels").then((reason) => {
        if (reason !== undefined) settle({ action: "dismiss", reason }, `${f.id} dismissed`);
      });
  };

  const move = async (task: Task, by: -1 | 1) => {
    if (!loaded || !plan) return;
    if (data.state === "loading") {
      actions.flash("reloading plan.toml; press the key again in a moment");
      return;
    }
    const result = await movePlanTask(loaded.root, plan.text, rows.map((r) => r.task), task.id, by);
    if (result.ok) {
      setCursor((c) => Math.max(0, Math.min(rows.length - 1, c + by)));
      actions.flash(`${task.id} moved ${by < 0 ? "up" : "down"}`);
      reload();
    } else {
      actions.flash(result.message);
      if (result.message.includes("reloaded")) reload();
    }
  };

  const edit = async (task: Task, changes: Partial<Task>, done: string) => {
    if (!loaded || !plan) return;
    if (data.state === "loading") {
      actions.flash("reloading plan.toml; press the key again in a moment");
      return;
    }
    const result = await editPlanTask(loaded.root, plan.text, task.id, changes);
    actions.flash(result.ok ? done : result.message);
    reload();
  };
  const toggle = (task: Task, status: TaskStatus) => {
    const next: TaskStatus = task.status === status ? "auto" : status;
    void edit(task, { status: next }, `${task.id} is now ${next}`);
  };

  /** In the graph, the cursor moves along the graph's lines (build order), not the table's rows. */
  const selectGraphLine = (line: number) => {
    const id = graph.layout.lines[Math.max(0, Math.min(graph.layout.lines.length - 1, line))]?.taskId;
    const index = rows.findIndex((r) => r.task.id === id);
    if (index !== -1) setCursor(index);
  };
  const graphLine = selected ? (graph.layout.lineOf.get(selected.task.id) ?? 0) : 0;

  useScreenSelection("plan", () => (selected ? { task: selected.task.id, spec: selected.task.spec } : undefined));

  const pageRows = Math.max(1, height - 6);
  useScreenCommands("plan", (command) => {
    // The findings and coverage views move their own cursor; every other key does what it does in the table.
    if (view === "findings" || view === "coverage") {
      const [at, set, count] = view === "findings" ? [findingCursor, setFindingCursor, findings.length] : [coverageCursor, setCoverageCursor, coverageItems?.length ?? 0];
      const to = (n: number) => set(Math.max(0, Math.min(count - 1, n)));
      switch (command) {
        case "cursor.up":
          to(at - 1);
          return true;
        case "cursor.down":
          to(at + 1);
          return true;
        case "page.up":
          to(at - pageRows);
          return true;
        case "page.down":
          to(at + pageRows);
          return true;
        case "cursor.first":
          to(0);
          return true;
        case "cursor.last":
          to(count - 1);
          return true;
        case "back":
          setView("table");
          return true;
        default:
          break;
      }
    }
    if (view === "graph") {
      switch (command) {
        case "cursor.up":
          selectGraphLine(graphLine - 1);
          return true;
        case "cursor.down":
          selectGraphLine(graphLine + 1);
          return true;
        case "cursor.first":
          selectGraphLine(0);
          return true;
        case "cursor.last":
          selectGraphLine(graph.layout.lines.length - 1);
          return true;
        case "back":
          setView("table");
          return true;
        default:
          // Every other key does in the graph what it does in the table, below.
          break;
      }
    }
    switch (command) {
      case "plan.findings":
        if (!plan) {
          actions.flash("no plan yet: P plans the specs, then R asks the plan judge about it");
          return true;
        }
        setView((v) => (v === "findings" ? "table" : "findings"));
        if (view !== "findings" && selected) {
          // Open the list at the selected task's first finding.
          const at = findings.findIndex((f) => f.task === selected.task.id);
          if (at !== -1) setFindingCursor(at);
        }
        return true;
      case "plan.coverage":
        if (!plan) actions.flash("no plan yet: P plans the specs, then c shows what checks each spec item");
        else setView((v) => (v === "coverage" ? "table" : "coverage"));
        return true;
      case "plan.review":
        if (!plan) actions.flash("no plan yet: P plans the specs, then R asks the plan judge about it");
        else startReview();
        return true;
      case "plan.dismiss":
      case "plan.accept":
      case "plan.reopen":
        triage(command);
        return true;
      case "page.up":
      case "page.down":
        setCursor((c) => Math.max(0, Math.min(rows.length - 1, c + (command === "page.up" ? -pageRows : pageRows))));
        return true;
      case "plan.graph":
        if (!plan || rows.length === 0) actions.flash(plan ? "the plan has no tasks to draw" : "no plan yet: P plans the specs, then t shows the task graph");
        else setView((v) => (v === "table" ? "graph" : "table"));
        return true;
      case "cursor.up":
        setCursor((c) => Math.max(0, c - 1));
        return true;
      case "cursor.down":
        setCursor((c) => Math.min(rows.length - 1, c + 1));
        return true;
      case "cursor.first":
        setCursor(0);
        return true;
      case "cursor.last":
        setCursor(Math.max(0, rows.length - 1));
        return true;
      case "reload":
        reload();
        return true;
      case "plan.generate":
        startPlanning("planner");
        return true;
      case "plan.architecture":
        startPlanning("architecture");
        return true;
      case "plan.replan":
        if (!plan) startPlanning("planner");
        else
          void actions
            .confirm("Re-plan every spec from scratch?", ["The new plan replaces plan.toml's ids, statuses, notes and verify edits", "once it is complete and valid; a failed re-plan changes nothing.", "y re-plans · n keeps the plan"])
            .then((yes) => (yes ? startPlanning("replan") : actions.flash("not re-planned; the plan is unchanged")));
        return true;
      case "plan.move-up":
      case "plan.move-down":
        if (selected) void move(selected.task, command === "plan.move-up" ? -1 : 1);
        return true;
      case "plan.skip":
        if (selected) toggle(selected.task, "skip");
        return true;
      case "plan.manual":
        if (selected) toggle(selected.task, "manual");
        return true;
      case "plan.notes":
        if (selected) {
          const task = selected.task;
          void actions.prompt(`Notes for ${task.id} ${task.title}`, task.notes).then((notes) => {
            if (notes !== undefined && notes !== task.notes) void edit(task, { notes }, `${task.id} notes saved`);
          });
        }
        return true;
      case "plan.verify":
        if (selected) {
          const task = selected.task;
          void actions.prompt(`Verify commands for ${task.id} (run in the output dir, in order)`, task.verify.join(VERIFY_SEPARATOR), `separate commands with "${VERIFY_SEPARATOR.trim()}" · Enter saves · Esc cancels`).then((line) => {
            if (line === undefined) return;
            const verify = splitVerify(line);
            if (verify.join("\n") !== task.verify.join("\n")) void edit(task, { verify }, `${task.id} verify commands saved`);
          });
        }
        return true;
      default:
        return false;
    }
  }, (command) => {
    if (command === "plan.dismiss" || command === "plan.accept" || command === "plan.reopen") {
      const target = targetFinding();
      if (!target) return findings.length === 0 ? "no plan findings; R asks the plan judge" : "no plan finding selected (f lists them)";
      if (command === "plan.reopen" && target.finding.status === "open") return `${target.finding.id} is open`;
      if (command !== "plan.reopen" && target.finding.status !== "open") return `${target.finding.id} is ${target.finding.status}; o reopens it`;
      return undefined;
    }
    if ((command === "plan.review" || command === "plan.coverage") && !plan) return "no plan yet; P plans the specs";
    const onTask = ["plan.skip", "plan.manual", "plan.notes", "plan.verify", "plan.move-up", "plan.move-down"].includes(command);
    if (command === "plan.graph" || onTask) {
      if (!plan) return "no plan yet; P plans the specs";
      if (rows.length === 0) return "the plan has no tasks";
      if (onTask && !selected) return "no task selected";
    }
    return undefined;
  });

  if (!loaded || (data.state === "loading" && !data.value)) return <Text dimColor>reading plan.toml…</Text>;
  if (data.state === "failed" && !data.value) return <Text color={theme.error}>cannot read the plan: {data.error}</Text>;
  const progress = planRunLines(run, Math.max(2, Math.floor(height / 3)), plain, paced);
  if (!plan) {
    return (
      <Box flexDirection="column">
        {progress}
        <Text>No plan yet. P plans the specs with the planner model; A derives tasks from the architecture specs without a model.</Text>
      </Box>
    );
  }

  if (view === "findings" || view === "coverage") {
    const rest = Math.max(3, height - progress.length);
    return (
      <Box flexDirection="column">
        {progress}
        {view === "findings" ? (
          <PlanFindingsView review={plan.review} cursor={Math.min(findingCursor, Math.max(0, findings.length - 1))} height={rest} width={width} />
        ) : (
          <PlanCoverageView items={coverageItems} cursor={Math.min(coverageCursor, Math.max(0, (coverageItems?.length ?? 1) - 1))} height={rest} width={width} />
        )}
      </Box>
    );
  }

  const errors = plan.diagnostics.filter((d) => d.severity === "error").length;
  // The plan judge's line appears once it has findings (or findings.json cannot be read), so a plan never reviewed keeps its rows.
  const reviewLine = selected && (!plan.review.ok || findings.length > 0) ? taskReviewLine(plan.review.ok ? findings : [], selected.task.id, plan.review.ok ? undefined : plan.review.problem) : undefined;
  // Why the selected task is to build again, whole (the model names are what matters), under a hanging "to build:".
  const why = selected && selected.upToDate === false && selected.task.status !== "skip" ? selected.reasons.filter((r) => r !== "never built") : [];
  const toBuildWhy = why.length > 0 ? wrapProse(why.join("; "), width - 12).map((line, i) => `${i === 0 ? "to build:" : ""}`.padEnd(10) + line) : [];
  const contextSize = context.value ?? { tokens: undefined, from: "unknown" as const };
  // What the TOKENS/CTX column is measured against, and when a task fits: a sentence, wrapped under its label.
  const contextLines = wrapHanging(`context: ${contextLine(contextSize)} · a task fits when its prompt and the ${shortTokens(buildOutputBudget(loaded.config))} reply budget do (! marks those that do not)`, width, "         ");
  const detailRows = selected ? 2 + contextLines.length + (reviewLine ? 1 : 0) + toBuildWhy.length : 0;
  // The plan's state, then each diagnostic whole (its excerpt dropped first), those with no room counted.
  const diagnosticsHead = wrapHanging(
    plan.diagnostics.length === 0
      ? `✓ plan.toml is valid${reviewCount(findings)}${coverageLine(plan.coverage)}`
      : `plan.toml: ${plural(errors, "error")}, ${plural(plan.diagnostics.length - errors, "warning")}${reviewCount(findings)}${coverageLine(plan.coverage)}`,
    width,
    "  ",
  );
  // A third of the rows, or all the table does not need.
  const diagnosticRoom = Math.max(2, Math.floor(height / 3) - diagnosticsHead.length, height - 1 - detailRows - progress.length - diagnosticsHead.length - rows.length);
  const diagnostics = fitDiagnostics(diagnosticBlocks(plan.diagnostics, plan.sources, width), diagnosticRoom, (n) => `… ${plural(n, "more diagnostic")}: \`specwright plan --check\` lists them all`);
  const diagRows = diagnosticsHead.length + diagnostics.length;
  const tableRows = Math.max(1, height - 1 - detailRows - diagRows - progress.length);
  const diagnosticsView = (
    <Box flexDirection="column">
      {diagnosticsHead.map((line, i) => (
        <Text key={`h${i}`} color={plan.diagnostics.length === 0 ? theme.ok : errors > 0 ? theme.error : theme.warning}>
          {line}
        </Text>
      ))}
      {diagnostics.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line === "" ? " " : line}
        </Text>
      ))}
    </Box>
  );
  if (view === "graph" && rows.length > 0) {
    const id = selected?.task.id;
    return (
      <Box flexDirection="column">
        {progress}
        <TaskGraphView
          layout={graph.layout}
          selected={id}
          relations={id === undefined ? { needs: [], neededBy: [] } : graphRelations(graph.layout, id)}
          marks={graph.marks}
          height={Math.max(3, height - diagRows - progress.length)}
          width={width}
        />
        {diagnosticsView}
      </Box>
    );
  }
  const first = Math.max(0, Math.min(cursor - Math.floor(tableRows / 2), rows.length - tableRows));
  // Ids and the build state are never cut; outputs give way first, then dependencies, then the title.
  const stateText = (row: PlanRow) => `${row.state ?? ""}${row.upToDate === false && row.task.status !== "skip" ? " (to build)" : ""}`;
  const widths = fitColumns(
    [
      { natural: widest(rows.map((r) => r.task.id), 2), whole: true },
      { natural: widest(rows.map((r) => r.task.title), 5), min: 8, giveWay: 3 },
      { natural: widest(rows.map((r) => r.task.outputs.join(" ")), 7), min: 0, giveWay: 1 },
      { natural: widest(rows.map((r) => r.task.dependsOn.join(",") || "-"), 7), min: 0, giveWay: 2 },
      { natural: 13, min: 9, giveWay: 4 },
      { natural: 6, whole: true },
      { natural: widest(rows.map((r) => stateText(r)), 5) + 2, whole: true },
    ],
    width - 2,
  );
  const columns: PlanColumns = { id: widths[0]!, title: widths[1]!, outputs: widths[2]!, depends: widths[3]!, size: widths[4]! };
  return (
    <Box flexDirection="column">
      {progress}
      <Text bold wrap="truncate-end">
        {"  "}
        {cell("ID", columns.id)} {cell("TITLE", columns.title)} {columns.outputs > 0 ? `${cell("OUTPUTS", columns.outputs)} ` : ""}
        {columns.depends > 0 ? `${cell("DEPENDS", columns.depends)} ` : ""}
        {cell("TOKENS/CTX", columns.size)} {cell("PLAN", 6)} STATE
      </Text>
      {rows.slice(first, first + tableRows).map((row, i) => (
        <PlanTableRow key={row.task.id} row={row} selected={first + i === cursor} columns={columns} context={contextSize.tokens} replyBudget={buildOutputBudget(loaded.config)} />
      ))}
      {selected ? (
        <Box flexDirection="column">
          {toBuildWhy.map((line, i) => (
            <Text key={`why${i}`} wrap="truncate-end" color={theme.warning}>
              {line}
            </Text>
          ))}
          <Text wrap="truncate-end" dimColor>
            verify: {selected.task.verify.length > 0 ? selected.task.verify.join(VERIFY_SEPARATOR) : "(none)"}
          </Text>
          <Text wrap="truncate-end" dimColor>
            notes: {selected.task.notes || "(none)"}
          </Text>
          {contextLines.map((line, i) => (
            <Text key={`c${i}`} dimColor>
              {line}
            </Text>
          ))}
          {reviewLine ? (
            <Text wrap="truncate-end" {...inColor(reviewLine.tone === "plain" ? undefined : toneColor(reviewLine.tone))}>
              {reviewLine.text}
            </Text>
          ) : null}
        </Box>
      ) : null}
      {diagnosticsView}
    </Box>
  );
}

interface PlanTableRowProps {
  row: PlanRow;
  selected: boolean;
  columns: PlanColumns;
  /** The build model's context in tokens; undefined when unknown ("?"). */
  context: number | undefined;
  /** The output budget of a build call, which shares the context with the prompt. */
  replyBudget: number;
}

/** The widths of the plan table's columns that can give way. */
interface PlanColumns {
  id: number;
  title: number;
  outputs: number;
  depends: number;
  size: number;
}

function PlanTableRow({ row, selected, columns, context, replyBudget }: PlanTableRowProps) {
  const t = row.task;
  // The plan's own word wins: a skipped or manual task shows as such whatever its last build did.
  const style = taskStateStyle(t.status === "skip" ? "skipped" : t.status === "manual" ? "manual" : row.state);
  const tokens = row.estimatedTokens;
  // The prompt and the reply share the window: a task fits when both do.
  const tooBig = tokens !== undefined && context !== undefined && tokens + replyBudget > context;
  const size = tokens === undefined ? "-" : `${tooBig ? "!" : ""}${shortTokens(tokens)} / ${context === undefined ? "?" : shortTokens(context)}`;
  return (
    <Text wrap="truncate-end">
      {selected ? CURSOR : " "} {cell(t.id, columns.id)} {cell(t.title, columns.title)} {columns.outputs > 0 ? `${cell(t.outputs.join(" "), columns.outputs)} ` : ""}
      {columns.depends > 0 ? `${cell(t.dependsOn.join(",") || "-", columns.depends)} ` : ""}
      <Text {...inColor(tooBig ? theme.error : undefined)}>{cell(size, columns.size)}</Text> {cell(t.status, 6)} <Text {...inColor(toneColor(style.tone))}>{style.glyph}</Text> {row.state ?? ""}
      {row.upToDate === false && t.status !== "skip" ? <Text dimColor> (to build)</Text> : null}
    </Text>
  );
}

/** The plan's rows as graph nodes, laid out two columns in from the edge (the cursor gutter). */
function taskGraphOf(rows: readonly PlanRow[], width: number) {
  const nodes: GraphNode[] = rows.map((r) => ({ id: r.task.id, title: r.task.title, dependsOn: r.task.dependsOn, mark: taskMark(r.task, r.state, r.upToDate) }));
  const marks = new Map<string, GraphMark>(nodes.map((n) => [n.id, n.mark]));
  return { marks, layout: layoutTaskGraph(nodes, width - 2) };
}

/** A planning run's lines: what runs, one line per spec, the model, the outcome. */
function planRunLines(run: PlanRun, max: number, plain: boolean, paced: PacedCount | undefined) {
  if (run.phase === "idle") return [];
  const tone = run.phase === "failed" ? theme.error : run.phase === "finished" ? theme.ok : theme.accent;
  const glyph = run.phase === "finished" ? "✓" : run.phase === "failed" ? "✗" : "◐";
  const model = run.phase === "running" ? modelActivityLine(run.model, plain, paced) : undefined;
  const body = [
    ...run.notices,
    ...run.specs.map(([spec, line]) => `${cell(spec, 10)} ${line}`),
    ...(model ? [model] : []),
    ...run.outcome.slice(1),
  ].slice(-Math.max(1, max - 1));
  return [
    <Text key="title" color={tone} wrap="truncate-end">
      {glyph} {run.phase === "running" ? `${run.label}…` : run.outcome[0] ?? run.label}
    </Text>,
    ...body.map((line, i) => (
      <Text key={i} wrap="truncate-end">
        {"  "}
        {line}
      </Text>
    )),
  ];
}

/**
 * The selected task's plan findings in one line, the id whole and first (the
 * line is cut at its end): `review: PLAN-3 weak-verify: … · d dismiss · a
 * accept` or, without one, how many other tasks have some.
 */
function taskReviewLine(findings: readonly PlanFinding[], task: string, problem: string | undefined): { text: string; tone: Tone } {
  if (problem !== undefined) return { text: `review: ${problem}`, tone: "error" };
  const own = findings.filter((f) => f.task === task);
  const open = findings.filter((f) => f.finding.status === "open").length;
  if (own.length === 0) return { text: `review: no plan finding for ${task} · ${open} open in the plan · f lists them`, tone: "muted" };
  const f = own[0]!;
  const more = own.length > 1 ? ` (+${own.length - 1} more: f)` : "";
  const keys = f.finding.status === "open" ? " · d dismiss · a accept" : ` (${f.finding.status}) · o reopen`;
  return { text: `review: ${f.finding.id}${more} ${findingKind(f)}${keys}: ${f.finding.issue}`, tone: f.finding.status === "open" ? "warning" : "muted" };
}

function contextLine(size: ModelContextSize): string {
  switch (size.from) {
    case "model":
      return `${shortTokens(size.tokens)} (the build model's maximum, from Ollama)`;
    case "config":
      return `${shortTokens(size.tokens)} (model.num_ctx)`;
    case "unknown":
      return "? (Ollama is not reachable and model.num_ctx is auto)";
  }
}

/** ` · review: 2 open (f)`: the plan judge's open findings, when there are any. */
function reviewCount(findings: readonly PlanFinding[]): string {
  const open = findings.filter((f) => f.finding.status === "open").length;
  return open > 0 ? ` · review: ${open} open (f)` : "";
}

/** ` · coverage: 20 items, 18 pass, 1 FAIL, 1 unchecked, 2 in no task` (c shows the table, as status --coverage). */
function coverageLine(c: CoverageSummary | undefined): string {
  if (!c || c.items === 0) return "";
  const parts = [`${c.pass} pass`, ...(c.fail > 0 ? [`${c.fail} FAIL`] : []), ...(c.unchecked > 0 ? [`${c.unchecked} unchecked`] : []), ...(c.unreferenced > 0 ? [`${c.unreferenced} in no task`] : [])];
  return ` · coverage: ${c.items} items, ${parts.join(", ")}`;
}
