// Overview: the project at a glance — specs and their validation state, open
// findings, plan progress, the last build, the model per role and Ollama.
// Reloads whenever it is shown; `r` also asks Ollama again.

import { Box, Text } from "ink";
import { useCallback } from "react";
import { useActions, useProject, useScreenCommands } from "../app-context.js";
import { offerInit } from "../init-offer.js";
import { useOllama } from "../data/ollama-context.js";
import type { OllamaStatus } from "../data/ollama-status.js";
import { findInstalled } from "../../models/model-facts.js";
import { loadOverview, type OverviewData } from "../../src/project/project-overview.js";
import { describeStale, planCounts } from "../../src/build/task-status.js";
import { cutStyled, plural, wrapHanging, wrapProse, wrapStyled, type Styled } from "../format.js";
import { inTuiTerms } from "../tui-terms.js";
import { theme } from "../theme.js";
import { useLoader } from "../use-loader.js";
import { StyledLines, type LineStyle } from "../widgets/styled-lines.js";
import type { ScreenProps } from "./screen-props.js";

export function OverviewScreen({ active, height, width }: ScreenProps) {
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
        {project.configDiagnostics
          .flatMap((d) => wrapHanging(`${d.file}:${d.line}: ${d.severity}: ${d.message}`, width, "  "))
          .slice(0, height - 2)
          .map((line, i) => (
            <Text key={i}>{line}</Text>
          ))}
      </Box>
    );
  }
  const value = data.value;
  if (!value) return <Text dimColor>{data.state === "failed" ? `cannot read the project: ${data.error}` : "reading specs, findings, plan and runs…"}</Text>;

  const status = ollama.status;
  const installed = status?.state === "up" ? status.models : undefined;
  // Every line but the spec rows says something a person acts on (the version, a pull command, why tasks are to
  // build): wrapped, never cut. The spec list gets the rows left, up to six; when even one does not fit, the role
  // lines and then the Ollama line give up their run-on lines.
  const wrap = (parts: Parts, indent = "  ") => wrapStyled(parts, width, indent);
  const title = wrap([{ text: value.projectName, style: { bold: true } }, dim(` ${loaded.root}`)]);
  const middle = [...wrap(findingsLine(value)), ...wrap(planLine(value)), ...staleLines(value, width).map((line) => [tinted(line, theme.warning)]), ...wrap(buildLine(value))];
  const roleParts = groupRoles(value).map(([model, names]): Parts => {
    const missing = installed !== undefined && findInstalled(installed, model) === undefined;
    const mark = missing ? [tinted(` ✗ not installed — ollama pull ${model}`, theme.error)] : installed ? [tinted(" ✓", theme.ok)] : [];
    return [plain(`  ${names.join(", ").padEnd(22)} ${model}`), ...mark];
  });
  // Run-on role lines indented under the roles: a long model name then fits on one.
  const roleLines = roleParts.map((parts) => wrapStyled(parts, width, "    "));
  let ollamaLines = wrap(ollamaLine(status));
  const specsHeader = 1;
  const rowsLeft = () => height - title.length - specsHeader - middle.length - ollamaLines.length - 1 - roleLines.reduce((n, l) => n + l.length, 0);
  // The last role lines give up their run-on lines first, one model at a time, until the specs' "… N more" fits.
  const need = value.specs.length > 0 ? 1 : 0;
  for (let i = roleLines.length - 1; i >= 0 && rowsLeft() < need; i--) roleLines[i] = [cutStyled(roleParts[i]!, width, { dimColor: true })];
  if (rowsLeft() < need) ollamaLines = [cutStyled(ollamaLine(status), width, { dimColor: true })];
  // A "… N more" line stands for the specs that do not fit.
  const specRows = value.specs.length <= rowsLeft() ? value.specs.length : Math.max(0, rowsLeft() - 1);
  return (
    <Box flexDirection="column">
      <StyledLines lines={title} />
      <Specs data={value} max={Math.min(6, specRows)} />
      <StyledLines lines={middle} />
      <StyledLines lines={ollamaLines} />
      <Text bold>Models</Text>
      <StyledLines lines={roleLines.flat()} />
    </Box>
  );
}

/** "Ollama ✓ host · N models · version V", or why it is not there yet. */
function ollamaLine(status: OllamaStatus | undefined): Parts {
  if (status === undefined || status.state === "checking") return [label("Ollama"), dim(`checking ${status?.host ?? ""}…`)];
  if (status.state === "up") return [label("Ollama"), tinted(`✓ ${status.host} · ${plural(status.models.length, "model")} · version ${status.version}`, theme.ok)];
  return [label("Ollama"), tinted(`! not reachable at ${status.host}`, theme.warning)];
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

type Parts = Styled<LineStyle>[];
const label = (text: string): Styled<LineStyle> => ({ text: `${text} `, style: { bold: true } });
const plain = (text: string): Styled<LineStyle> => ({ text, style: {} });
const tinted = (text: string, color: string): Styled<LineStyle> => ({ text, style: { color } });
const dim = (text: string): Styled<LineStyle> => ({ text, style: { dimColor: true } });

function findingsLine(data: OverviewData): Parts {
  const f = data.findings;
  if (!f.ok) return [label("Findings"), tinted(f.problem, theme.error)];
  const open = f.open.error + f.open.warning + f.open.info;
  return [
    label("Findings"),
    ...(open === 0 ? [tinted("none open", theme.ok)] : []),
    ...(f.open.error > 0 ? [tinted(`${plural(f.open.error, "error")} `, theme.error)] : []),
    ...(f.open.warning > 0 ? [tinted(`${plural(f.open.warning, "warning")} `, theme.warning)] : []),
    ...(f.open.info > 0 ? [tinted(`${f.open.info} info `, theme.info)] : []),
    ...(open > 0 ? [plain("open")] : []),
    ...(f.settled > 0 ? [dim(` · ${f.settled} settled`)] : []),
  ];
}

function planLine(data: OverviewData): Parts {
  const p = data.plan;
  if (p.kind === "missing") return [label("Plan"), dim(p.ossature ? "no plan yet — `specwright plan --import-ossature` turns .ossature/plan.toml into one" : "no plan yet — 4 (Plan), then P writes .specwright/plan.toml")];
  if (p.kind === "blocked") return [label("Plan"), plain(`${plural(p.tasks, "task")}; `), tinted(p.message, theme.error)];
  // The same four groups and the same reason as `specwright status`: "done" is done and up to date.
  const c = planCounts(p.rows);
  const settled = c.toBuild + c.failed === 0;
  return [
    label("Plan"),
    plain(`${plural(p.tasks, "task")}: ${c.done} done, ${c.toBuild} to build, `),
    c.failed > 0 ? tinted(`${c.failed} failed`, theme.error) : plain("0 failed"),
    plain(c.skipped > 0 ? `, ${c.skipped} skipped` : ""),
    settled ? tinted(" · everything up to date", theme.ok) : dim(" · 5 (Build), then b"),
  ];
}

/** Why tasks that were built are to build again, whole: the model names are what matters. */
function staleLines(data: OverviewData, width: number): string[] {
  const p = data.plan;
  return p.kind === "ok" && p.staleReason ? wrapProse(inTuiTerms(describeStale(p.staleReason)), width - 2).map((line) => `  ${line}`) : [];
}

function buildLine(data: OverviewData): Parts {
  const b = data.lastBuild;
  if (!b) return [label("Last build"), dim("none yet")];
  const s = b.summary;
  const result = !b.finished
    ? tinted("did not finish (crashed or still running)", theme.warning)
    : !s
      ? dim("no summary")
      : s.modelUnavailable
        ? tinted("model unavailable", theme.error)
        : s.failed.length > 0
          ? tinted(`${s.done.length} built, ${s.failed.length} failed (${s.failed.join(", ")})`, theme.error)
          : b.interrupted
            ? tinted(`interrupted after ${s.done.length} built`, theme.warning)
            : tinted(`✓ ${s.done.length} built, ${s.upToDate.length} up to date`, theme.ok);
  return [label("Last build"), result, dim(` ${b.runId}`)];
}
