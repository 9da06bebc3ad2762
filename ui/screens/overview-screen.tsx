// Overview: the project at a glance — specs and their validation state, open
// findings, plan progress, the last build, the model per role and Ollama.
// Reloads whenever it is shown; `r` also asks Ollama again.

import { Box, Text } from "ink";
import { useCallback } from "react";
import { useActions, useProject, useScreenCommands } from "../app-context.js";
import { offerInit } from "../init-offer.js";
import { useOllama } from "../data/ollama-context.js";
import { findInstalled } from "../../models/model-facts.js";
import { loadOverview, type OverviewData } from "../../src/project/project-overview.js";
import { describeStale, planCounts } from "../../src/build/task-status.js";
import { plural } from "../format.js";
import { inTuiTerms } from "../tui-terms.js";
import { theme } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function OverviewScreen({ active, height }: ScreenProps) {
  const project = useProject();
  const ollama = useOllama();
  const actions = useActions();
  const { loaded } = project;
  const load = useCallback(() => loadOverview(loaded!, project.env), [loaded, project.env]);
  const [data, reload] = useLoader(loaded && !project.configBroken ? load : undefined, [loaded, active]);

  useScreenCommands("overview", (command) => {
    if (command === "overview.init") {
      if (project.loaded?.projectKind === "none") void offerInit(project.cwd, actions, ollama.reprobe);
      else actions.flash(`this is already a project: ${project.loaded?.projectFile ?? project.cwd}`);
      return true;
    }
    if (command !== "reload") return false;
    reload();
    void ollama.reprobe();
    return true;
  }, (command) =>
    command === "overview.init" && project.loaded && project.loaded.projectKind !== "none" ? `this is already a project (${project.loaded.projectFile ?? project.cwd})` : undefined);

  if (!loaded) return <Text dimColor>loading the project…</Text>;
  if (loaded.projectKind === "none") {
    return (
      <Box flexDirection="column">
        <Text bold>No specwright project here</Text>
        <Text>There is no specwright.toml (or Ossature ossature.toml) in {project.cwd} or any folder above it.</Text>
        <Text>
          <Text bold>i</Text> creates one here (the files `specwright init` writes), or quit (q) and start specwright in a project folder.
        </Text>
      </Box>
    );
  }
  if (project.configBroken) {
    return (
      <Box flexDirection="column">
        <Text color={theme.error}>specwright.toml has errors; `specwright config` shows them with their lines.</Text>
        {project.configDiagnostics.slice(0, height - 2).map((d, i) => (
          <Text key={i} wrap="truncate-end">
            {d.file}:{d.line}: {d.severity}: {d.message}
          </Text>
        ))}
      </Box>
    );
  }
  const value = data.value;
  if (!value) return <Text dimColor>{data.state === "failed" ? `cannot read the project: ${data.error}` : "reading specs, findings, plan and runs…"}</Text>;

  const status = ollama.status;
  const installed = status?.state === "up" ? status.models : undefined;
  const roles = groupRoles(value);
  return (
    <Box flexDirection="column">
      <Text bold>
        {value.projectName} <Text dimColor>{loaded.root}</Text>
      </Text>
      <Specs data={value} max={Math.max(1, Math.min(6, height - 12))} />
      <Findings data={value} />
      <Plan data={value} />
      <Build data={value} />
      <Text wrap="truncate-end">
        <Text bold>Ollama </Text>
        {status === undefined || status.state === "checking" ? (
          <Text dimColor>checking {status?.host ?? ""}…</Text>
        ) : status.state === "up" ? (
          <Text color={theme.ok}>
            {/* What matters first: a long version string (the scripted demo's) is what the width cuts. */}
            ✓ {status.host} · {plural(status.models.length, "model")} · version {status.version}
          </Text>
        ) : (
          <Text color={theme.warning}>! not reachable at {status.host}</Text>
        )}
      </Text>
      <Text bold>Models</Text>
      {roles.map(([model, names]) => {
        const missing = installed !== undefined && findInstalled(installed, model) === undefined;
        return (
          <Text key={model} wrap="truncate-end">
            {"  "}
            {names.join(", ").padEnd(22)} {model}
            {missing ? <Text color={theme.error}> ✗ not installed — ollama pull {model}</Text> : installed ? <Text color={theme.ok}> ✓</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}

/** Roles that share a model on one line: "audit, planner, build … qwen2.5-coder:14b". */
function groupRoles(data: OverviewData): [string, string[]][] {
  const byModel = new Map<string, string[]>();
  for (const { role, model } of data.roles) byModel.set(model, [...(byModel.get(model) ?? []), role]);
  return [...byModel.entries()];
}

function Specs({ data, max }: { data: OverviewData; max: number }) {
  const errors = data.specs.reduce((n, s) => n + s.errors, 0);
  const warnings = data.specs.reduce((n, s) => n + s.warnings, 0);
  if (data.specs.length === 0) {
    return (
      <Text>
        <Text bold>Specs </Text>
        <Text color={theme.warning}>none yet — 2 (Specs), then n writes one from a template</Text>
      </Text>
    );
  }
  const shown = data.specs.slice(0, max);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Specs </Text>
        {plural(data.specs.length, "file")}: {errors > 0 ? <Text color={theme.error}>✗ {plural(errors, "error")}</Text> : <Text color={theme.ok}>✓ valid</Text>}
        {warnings > 0 ? <Text color={theme.warning}>, {plural(warnings, "warning")}</Text> : null}
      </Text>
      {shown.map((s) => (
        <Text key={s.file} wrap="truncate-end">
          {"  "}
          {s.errors > 0 ? <Text color={theme.error}>✗</Text> : <Text color={theme.ok}>✓</Text>} {s.file}
          {s.errors + s.warnings > 0 ? <Text dimColor> ({[s.errors ? plural(s.errors, "error") : "", s.warnings ? plural(s.warnings, "warning") : ""].filter(Boolean).join(", ")})</Text> : null}
        </Text>
      ))}
      {data.specs.length > shown.length ? <Text dimColor>  … {data.specs.length - shown.length} more on the Specs screen (2)</Text> : null}
    </Box>
  );
}

function Findings({ data }: { data: OverviewData }) {
  const f = data.findings;
  if (!f.ok) {
    return (
      <Text wrap="truncate-end">
        <Text bold>Findings </Text>
        <Text color={theme.error}>{f.problem}</Text>
      </Text>
    );
  }
  const open = f.open.error + f.open.warning + f.open.info;
  return (
    <Text wrap="truncate-end">
      <Text bold>Findings </Text>
      {open === 0 ? <Text color={theme.ok}>none open</Text> : null}
      {f.open.error > 0 ? <Text color={theme.error}>{plural(f.open.error, "error")} </Text> : null}
      {f.open.warning > 0 ? <Text color={theme.warning}>{plural(f.open.warning, "warning")} </Text> : null}
      {f.open.info > 0 ? <Text color={theme.info}>{f.open.info} info </Text> : null}
      {open > 0 ? "open" : ""}
      <Text dimColor>{f.settled > 0 ? ` · ${f.settled} settled` : ""}</Text>
    </Text>
  );
}

function Plan({ data }: { data: OverviewData }) {
  const p = data.plan;
  if (p.kind === "missing") {
    return (
      <Text>
        <Text bold>Plan </Text>
        <Text dimColor>{p.ossature ? "no plan yet — `specwright plan --import-ossature` turns .ossature/plan.toml into one" : "no plan yet — 4 (Plan), then P writes .specwright/plan.toml"}</Text>
      </Text>
    );
  }
  if (p.kind === "blocked") {
    return (
      <Text wrap="truncate-end">
        <Text bold>Plan </Text>
        {plural(p.tasks, "task")}; <Text color={theme.error}>{p.message}</Text>
      </Text>
    );
  }
  // The same four groups and the same reason as `specwright status`: "done" is done and up to date.
  const c = planCounts(p.rows);
  const settled = c.toBuild + c.failed === 0;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Plan </Text>
        {plural(p.tasks, "task")}: {c.done} done, {c.toBuild} to build, {c.failed > 0 ? <Text color={theme.error}>{c.failed} failed</Text> : "0 failed"}
        {c.skipped > 0 ? `, ${c.skipped} skipped` : ""}
        {settled ? <Text color={theme.ok}> · everything up to date</Text> : <Text dimColor> · 5 (Build), then b</Text>}
      </Text>
      {p.staleReason ? (
        // Why tasks that were built are to build again, whole: the model names are what matters.
        <Box paddingLeft={2}>
          <Text color={theme.warning}>{inTuiTerms(describeStale(p.staleReason))}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

function Build({ data }: { data: OverviewData }) {
  const b = data.lastBuild;
  if (!b) {
    return (
      <Text>
        <Text bold>Last build </Text>
        <Text dimColor>none yet</Text>
      </Text>
    );
  }
  const s = b.summary;
  const result = !b.finished ? (
    <Text color={theme.warning}>did not finish (crashed or still running)</Text>
  ) : !s ? (
    <Text dimColor>no summary</Text>
  ) : s.modelUnavailable ? (
    <Text color={theme.error}>model unavailable</Text>
  ) : s.failed.length > 0 ? (
    <Text color={theme.error}>
      {s.done.length} built, {s.failed.length} failed ({s.failed.join(", ")})
    </Text>
  ) : b.interrupted ? (
    <Text color={theme.warning}>interrupted after {s.done.length} built</Text>
  ) : (
    <Text color={theme.ok}>
      ✓ {s.done.length} built, {s.upToDate.length} up to date
    </Text>
  );
  return (
    <Text wrap="truncate-end">
      <Text bold>Last build </Text>
      {result} <Text dimColor>{b.runId}</Text>
    </Text>
  );
}
