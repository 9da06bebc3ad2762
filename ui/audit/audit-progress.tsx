// A running (or ended) audit as screen lines: its title and outcome, one line
// per spec (cached, auditing, how many new findings), the model's state while
// it runs, and the first lines of what stopped it. An array, so the screen can
// count the rows it takes.

import { Text } from "ink";
import type { ReactElement } from "react";
import { cell, plural } from "../format.js";
import { modelActivityLine } from "../model-activity.js";
import type { PacedCount } from "../plain-mode.js";
import { inColor, theme } from "../theme.js";
import { specProgressText, type AuditView } from "./audit-view-state.js";

/** The run's progress: one line per spec (the last `maxSpecs`), the model's state, the outcome. */
export function progressLines(view: AuditView, maxSpecs: number, plain: boolean, paced: PacedCount | undefined): ReactElement[] {
  const run = view.run;
  if (run.phase === "idle") return [];
  const lines = [];
  const title = run.phase === "running" ? "auditing…" : run.phase === "finished" ? "audit finished" : "audit stopped";
  lines.push(
    <Text key="title" color={run.phase === "failed" ? theme.error : run.phase === "finished" ? theme.ok : theme.accent} wrap="truncate-end">
      {run.phase === "finished" ? "✓" : run.phase === "failed" ? "✗" : "◐"} {title}
      {run.dropped > 0 ? <Text dimColor> · {plural(run.dropped, "finding")} dropped (pointing nowhere; see the trace)</Text> : null}
    </Text>,
  );
  for (const [spec, p] of run.specs.slice(-maxSpecs)) {
    lines.push(
      <Text key={`spec-${spec}`} wrap="truncate-end">
        {"  "}
        {cell(spec === "*" ? "cross-spec" : spec, 12)} <Text dimColor={p.state === "cached"}>{specProgressText(p)}</Text>
      </Text>,
    );
  }
  const model = modelActivityLine(view.model, plain, paced);
  if (model && run.phase === "running") {
    lines.push(
      <Text key="model" dimColor wrap="truncate-end">
        {"  "}
        {model}
      </Text>,
    );
  }
  for (const [i, line] of (run.problem ?? []).slice(0, 3).entries()) {
    lines.push(
      <Text key={`problem-${i}`} {...inColor(i === 0 ? theme.error : undefined)} wrap="truncate-end">
        {"  "}
        {line}
      </Text>,
    );
  }
  return lines;
}
