// Plan: the task table (id, title, outputs, depends, estimated prompt tokens,
// plan status and build state), with skip/manual toggles and notes and verify
// edits written back to plan.toml through editPlanText, and the plan's
// validation diagnostics, re-checked after every change.

import { Box, Text } from "ink";
import { useCallback, useState } from "react";
import type { Task, TaskStatus } from "../../plans/plan.js";
import { useActions, useProject, useScreenCommands } from "../app-context.js";
import { VERIFY_SEPARATOR, editPlanTask, loadPlanData, splitVerify, type PlanData, type PlanRow } from "../data/plan-data.js";
import { cell, diagnosticLines, plural } from "../format.js";
import { CURSOR, taskStateStyle, theme, toneColor } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function PlanScreen({ active, height, width }: ScreenProps) {
  const project = useProject();
  const actions = useActions();
  const { loaded } = project;
  const load = useCallback(() => loadPlanData(loaded!, project.env), [loaded, project.env]);
  const [data, reload] = useLoader<PlanData>(loaded && !project.configBroken ? load : undefined, [loaded, active]);
  const [cursor, setCursor] = useState(0);
  const plan = data.value?.kind === "loaded" ? data.value : undefined;
  const rows = plan?.rows ?? [];
  const selected = rows[Math.min(cursor, rows.length - 1)];

  const edit = async (task: Task, changes: Partial<Task>, done: string) => {
    if (!loaded || !plan) return;
    if (data.state === "loading") {
      actions.flash("reloading plan.toml; press the key again in a moment");
      return;
    }
    const result = await editPlanTask(loaded.root, plan.text, task.id, changes);
    if (result.ok) actions.flash(done);
    else actions.flash(result.reason === "changed-on-disk" ? "plan.toml changed on disk; reloaded it — check and press the key again" : "plan.toml is gone; reloaded");
    reload();
  };
  const toggle = (task: Task, status: TaskStatus) => {
    const next: TaskStatus = task.status === status ? "auto" : status;
    void edit(task, { status: next }, `${task.id} is now ${next}`);
  };

  useScreenCommands("plan", (command) => {
    switch (command) {
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
  });

  if (!loaded || (data.state === "loading" && !data.value)) return <Text dimColor>reading plan.toml…</Text>;
  if (data.state === "failed" && !data.value) return <Text color={theme.error}>cannot read the plan: {data.error}</Text>;
  if (!plan) return <Text>No plan yet. `specwright plan` writes .specwright/plan.toml from the specs (or `plan --from-architecture` without a model).</Text>;

  const diagnostics = diagnosticLines(plan.diagnostics, plan.sources);
  const errors = plan.diagnostics.filter((d) => d.severity === "error").length;
  const detailRows = selected ? 2 : 0;
  const diagRows = diagnostics.length > 0 ? Math.min(diagnostics.length + 1, Math.max(3, Math.floor(height / 3))) : 1;
  const tableRows = Math.max(1, height - 1 - detailRows - diagRows);
  const first = Math.max(0, Math.min(cursor - Math.floor(tableRows / 2), rows.length - tableRows));
  const titleWidth = Math.max(8, Math.min(24, width - 66));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {"  "}
        {cell("ID", 6)} {cell("TITLE", titleWidth)} {cell("OUTPUTS", 20)} {cell("DEPENDS", 10)} {cell("TOKENS", 7)} {cell("PLAN", 6)} STATE
      </Text>
      {rows.slice(first, first + tableRows).map((row, i) => (
        <PlanTableRow key={row.task.id} row={row} selected={first + i === cursor} titleWidth={titleWidth} />
      ))}
      {selected ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end" dimColor>
            verify: {selected.task.verify.length > 0 ? selected.task.verify.join(VERIFY_SEPARATOR) : "(none)"}
          </Text>
          <Text wrap="truncate-end" dimColor>
            notes: {selected.task.notes || "(none)"}
          </Text>
        </Box>
      ) : null}
      {diagnostics.length === 0 ? (
        <Text color={theme.ok}>✓ plan.toml is valid</Text>
      ) : (
        <Box flexDirection="column">
          <Text color={errors > 0 ? theme.error : theme.warning}>
            plan.toml: {plural(errors, "error")}, {plural(plan.diagnostics.length - errors, "warning")}
          </Text>
          {diagnostics.slice(0, diagRows - 1).map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}

function PlanTableRow({ row, selected, titleWidth }: { row: PlanRow; selected: boolean; titleWidth: number }) {
  const t = row.task;
  const shown = t.status === "auto" ? row.state ?? "-" : t.status;
  const style = taskStateStyle(t.status === "skip" ? "skip" : shown);
  return (
    <Text wrap="truncate-end">
      {selected ? CURSOR : " "} {cell(t.id, 6)} {cell(t.title, titleWidth)} {cell(t.outputs.join(" "), 20)} {cell(t.dependsOn.join(",") || "-", 10)}{" "}
      {cell(row.estimatedTokens !== undefined ? String(row.estimatedTokens) : "-", 7)} {cell(t.status, 6)} <Text color={toneColor(style.tone)}>{style.glyph}</Text> {row.state ?? ""}
      {row.upToDate === false && t.status !== "skip" ? <Text dimColor> (to build)</Text> : null}
    </Text>
  );
}
