// Models: what Ollama has installed (size, parameters, quantization, context
// length, capabilities) and the model each role resolves to, with the pull
// command for one that is missing. Enter on a role picks its model from the
// installed ones and writes it to specwright.toml, changing that one value;
// the config is loaded again so every screen shows the change. `c` compares
// installed models on the project (ui/compare/compare-view.tsx).

import { Box, Text } from "ink";
import { useCallback } from "react";
import { serverLine } from "../../src/doctor.js";
import { DEFAULT_MODEL } from "../../src/config/default-model.js";
import { describeModel, factsFromTags, findInstalled, type InstalledModel, type ModelFacts } from "../../models/model-facts.js";
import { describeSource } from "../../src/config/load.js";
import { ROLES, roleModel, type Role } from "../../src/config/types.js";
import { writeRoleModel } from "../../src/config/write-role-model.js";
import { useActions, useProject, useScreenCommands } from "../app-context.js";
import { scriptedDemoLabel } from "../../src/demo/scripted-demo-label.js";
import { useOllama } from "../data/ollama-context.js";
import { cell, cutStyled, formatBytes, wrapHanging, wrapStyled, type Styled } from "../format.js";
import { initialRolePicker, rolePickerReducer } from "../models/role-picker-state.js";
import { CURSOR, theme } from "../theme.js";
import { useLiveReducer } from "../use-live-reducer.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";
import { StyledLines, type LineStyle } from "../widgets/styled-lines.js";
import { readBuildContext } from "../../src/build/load-build-context.js";
import { progressLines } from "../../src/compare/compare-progress.js";
import { runCompare } from "../../src/compare/run-compare.js";
import { CompareView, finishedLines } from "../compare/compare-view.js";
import { compareViewReducer, initialCompareView } from "../compare/compare-view-state.js";

/** The rows of the role list: the default model, then each role. */
const ROWS: readonly (Role | "default")[] = ["default", ...ROLES];

export function ModelsScreen({ height, width }: ScreenProps) {
  const { loaded, env } = useProject();
  const actions = useActions();
  const ollama = useOllama();
  const status = ollama.status;
  const describe = useCallback(async (): Promise<ModelFacts[]> => {
    if (status?.state !== "up") return [];
    const facts = await Promise.all(
      status.models.map(async (m) => {
        const d = await describeModel(status.endpoint, m);
        return d.ok ? d.value : factsFromTags(m);
      }),
    );
    return facts.sort((a, b) => a.name.localeCompare(b.name));
  }, [status]);
  const [models] = useLoader<ModelFacts[]>(status?.state === "up" ? describe : undefined, [status]);
  const [picker, dispatch, livePicker] = useLiveReducer(rolePickerReducer, initialRolePicker);
  const [comparing, dispatchCompare, liveCompare] = useLiveReducer(compareViewReducer, initialCompareView);

  const installed: (InstalledModel & { maxContext?: number | undefined; capabilities: string[] })[] =
    status?.state === "up" ? (models.value && models.value.length > 0 ? models.value : [...status.models].sort((a, b) => a.name.localeCompare(b.name)).map((m) => ({ ...m, capabilities: [] as string[] }))) : [];
  const currentOf = (row: Role | "default") => (!loaded ? "" : row === "default" ? loaded.config.model.default : roleModel(loaded.config, row).model);

  const write = async (row: Role | "default", model: string) => {
    if (!loaded) return;
    const result = await writeRoleModel(loaded, row, model);
    if (!result.ok) {
      actions.flash(`not written: ${result.message}${result.hint ? ` — ${result.hint}` : ""}`);
      return;
    }
    await ollama.reprobe();
    actions.flash(`${row} → ${model} in ${result.file}${result.overriddenBy ? `; ${result.overriddenBy} still overrides it` : ""}`);
  };

  /** Why no model can be picked now, or undefined. */
  const pickBlocked = (): string | undefined => {
    if (!loaded) return "the project is still loading";
    // The demo's roles come from SPECWRIGHT_MODEL; its copied config keeps naming a real model.
    if (scriptedDemoLabel(loaded.config)) return "the demo's models are set by SPECWRIGHT_MODEL";
    if (status?.state !== "up") return "Ollama is not reachable: the installed models are unknown";
    if (installed.length === 0) return "no models installed to pick from — `ollama pull <model>` first";
    return undefined;
  };

  /** Runs the comparison as the app's cancellable operation (Esc stops it; the same models again resume it). */
  const startCompare = async (models: string[]) => {
    if (!loaded) return;
    dispatchCompare({ type: "start" });
    const ran = await actions.run(`comparing ${models.join(", ")}`, async (signal) => {
      const context = await readBuildContext(loaded, env);
      if (!context.ok) return { outcome: "failed" as const, message: context.message };
      const result = await runCompare({
        loaded,
        context: context.context,
        models,
        only: [],
        runs: 1,
        env,
        signal,
        onProgress: (event) => {
          for (const line of progressLines(event, width)) dispatchCompare({ type: "progress", line: line.text });
        },
      });
      if (!result.ok) return { outcome: "failed" as const, message: `${result.message} — ${result.hint}` };
      const outcome = result.interrupted ? ("interrupted" as const) : result.modelUnavailable !== undefined || result.couldNotStart.length > 0 ? ("failed" as const) : ("done" as const);
      const message = result.modelUnavailable ?? result.couldNotStart.join("; ");
      return { outcome, doc: result.doc, ...(message ? { message } : {}) };
    });
    dispatchCompare(ran ? { type: "finish", ...ran } : { type: "finish", outcome: "failed", message: "another operation is running" });
  };

  /** The comparison's keys, while it is open: marking, starting, scrolling, leaving. */
  const compareCommand = (command: string): boolean => {
    const c = liveCompare();
    if (c.mode === "off") return false;
    if (c.mode === "choosing") {
      if (command === "cursor.up" || command === "cursor.down") dispatchCompare({ type: "move", by: command === "cursor.up" ? -1 : 1, rows: installed.length });
      else if (command === "models.mark") {
        const name = installed[c.cursor]?.name;
        if (name) dispatchCompare({ type: "toggle", model: name });
      } else if (command === "models.pick") {
        if (c.marked.length < 2) dispatchCompare({ type: "refuse", message: "mark two or more models (Space) to compare them" });
        else void startCompare(c.marked);
      } else if (command === "back" || command === "models.compare") dispatchCompare({ type: "close" });
      else return false;
      return true;
    }
    if (c.mode === "finished") {
      if (command === "cursor.up" || command === "cursor.down") dispatchCompare({ type: "scroll", by: command === "cursor.up" ? -1 : 1, lines: finishedLines(c, width).length, rows: height - 1 });
      else if (command === "back" || command === "models.compare") dispatchCompare({ type: "close" });
      else return false;
      return true;
    }
    // Running: Esc reaches the app's operation first; every other key waits.
    return true;
  };

  useScreenCommands("models", (command) => {
    if (compareCommand(command)) return true;
    const p = livePicker();
    switch (command) {
      case "cursor.up":
      case "cursor.down":
        dispatch({ type: "move", by: command === "cursor.up" ? -1 : 1, rows: p.picking === undefined ? ROWS.length : installed.length });
        return true;
      case "models.pick": {
        const row = ROWS[p.row]!;
        const not = pickBlocked();
        if (not && p.picking === undefined) {
          actions.flash(`not changed: ${not}`);
          return true;
        }
        if (p.picking !== undefined) {
          const chosen = installed[p.picking];
          dispatch({ type: "cancel" });
          if (chosen) void write(row, chosen.name);
          return true;
        }
        const current = findInstalled(installed, currentOf(row));
        dispatch({ type: "pick", at: current ? installed.indexOf(current) : 0 });
        return true;
      }
      case "models.compare":
      case "models.mark": {
        // Outside the chooser, Space opens it with the selected role's model marked as well.
        if (p.picking !== undefined && command === "models.mark") return false;
        const not = pickBlocked();
        if (not) {
          actions.flash(`cannot compare: ${not}`);
          return true;
        }
        // The build model to start with: a comparison is usually "mine against another".
        const wanted = [roleModel(loaded!.config, "build").model, ...(command === "models.mark" ? [currentOf(ROWS[p.row]!)] : [])];
        const marked = [...new Set(wanted.map((m) => findInstalled(installed, m)?.name).filter((m): m is string => m !== undefined))];
        dispatch({ type: "cancel" });
        dispatchCompare({ type: "choose", marked });
        return true;
      }
      case "back":
        if (p.picking === undefined) return false;
        dispatch({ type: "cancel" });
        return true;
      case "reload":
        void ollama.reprobe();
        return true;
      default:
        return false;
    }
  }, (command) => ((command === "models.pick" && livePicker().picking === undefined && liveCompare().mode === "off") || command === "models.compare" ? pickBlocked() : undefined));

  if (!loaded) return <Text dimColor>loading the project…</Text>;
  if (comparing.mode !== "off") {
    // Which placement runCompare will choose needs each endpoint asked; before that, the rule in words (docs/compare.md).
    const placement = loaded.config.model.endpoints.length > 0 ? "side by side when each has [[model.endpoints]] of its own, else one after another" : "one model after another on this Ollama";
    return <CompareView state={comparing} installed={installed.map((m) => m.name)} placement={placement} height={height} width={width} />;
  }
  // The role rows, the pull commands and the server line are sentences a person acts on: wrapped, never cut.
  // The installed list gets the rows left (at least one, so a picked model stays in view); when that does not
  // fit, the role rows but the selected one, then the pull commands but the selected role's, then the server
  // line give up their run-on lines.
  const header = wrapHanging(picker.picking === undefined ? "Roles · Enter picks a model from the installed ones" : `Pick the model for ${ROWS[picker.row]} · Enter writes it to specwright.toml · Esc cancels`, width, "  ");
  const missing: string[] = [];
  const roleParts = ROWS.map((row, i): Styled<LineStyle>[] => {
    const model = currentOf(row);
    const think = row !== "default" && roleModel(loaded.config, row).think;
    const source = loaded.sources.get(`model.${row}`);
    const from = row !== "default" && source?.kind === "default" ? "(default)" : source ? describeSource(source) : "";
    const present = status?.state === "up" ? findInstalled(status.models, model) !== undefined : undefined;
    if (present === false && !missing.includes(model)) missing.push(model);
    const mark: Styled<LineStyle>[] = present === false ? [{ text: " ✗", style: { color: theme.error } }] : present ? [{ text: " ✓", style: { color: theme.ok } }] : [];
    return [{ text: `${i === picker.row ? CURSOR : " "} ${cell(row, 9)} ${model}${think ? " (think)" : ""}`, style: {} }, ...mark, { text: ` ${from}`, style: { dimColor: true } }];
  });
  const cut = (parts: Styled<LineStyle>[]) => [cutStyled(parts, width, { dimColor: true })];
  // Continuation lines start under the model, after the cursor and the role column.
  let roleLines = roleParts.flatMap((parts) => wrapStyled(parts, width, " ".repeat(12)));
  const pull = (model: string) => wrapStyled([{ text: `✗ not installed — ollama pull ${model}`, style: { color: theme.error } }], width, "  ");
  let pullLines = missing.flatMap(pull);
  const serverParts: Styled<LineStyle>[] =
    status?.state === "down"
      ? [{ text: `Ollama is not reachable at ${status.host}: ${status.hint}`, style: { color: theme.warning } }]
      : status?.state === "up"
        ? [{ text: serverLine(status.version), style: { dimColor: true } }]
        : [{ text: "asking Ollama…", style: { dimColor: true } }];
  let serverLines = wrapStyled(serverParts, width, "  ");
  const noModels = status?.state === "up" && status.models.length === 0 ? wrapHanging(`  no models installed — \`ollama pull ${DEFAULT_MODEL}\` gets the default coding model`, width, "  ") : [];
  const wanted = status?.state === "up" ? 1 + Math.min(1, installed.length) + noModels.length : 0;
  const over = () => header.length + roleLines.length + pullLines.length + serverLines.length + wanted > height;
  if (over()) roleLines = roleParts.flatMap((parts, i) => (i === picker.row ? wrapStyled(parts, width, " ".repeat(12)) : cut(parts)));
  if (over()) {
    const selected = currentOf(ROWS[picker.row]!);
    pullLines = missing.includes(selected) ? pull(selected) : [];
  }
  if (over()) serverLines = cut(serverParts);
  const listRows = Math.max(1, height - header.length - roleLines.length - pullLines.length - serverLines.length - 1 - noModels.length);
  const focus = picker.picking ?? 0;
  const first = Math.max(0, Math.min(focus - Math.floor(listRows / 2), installed.length - listRows));
  return (
    <Box flexDirection="column">
      {header.map((line, i) => (
        <Text key={i} bold>
          {line}
        </Text>
      ))}
      <StyledLines lines={roleLines} />
      <StyledLines lines={pullLines} />
      <StyledLines lines={serverLines} />
      {status?.state !== "up" ? null : (
        <Box flexDirection="column">
          <Text bold>
            {"  "}
            {cell("INSTALLED", 28)} {cell("SIZE", 8)} {cell("PARAMS", 7)} {cell("QUANT", 7)} {cell("CONTEXT", 8)} CAPABILITIES
          </Text>
          {installed.slice(first, first + listRows).map((m, i) => (
            <Text key={m.name} wrap="truncate-end" {...(picker.picking === first + i ? { color: theme.accent } : {})}>
              {picker.picking === first + i ? CURSOR : " "} {cell(m.name, 28)} {cell(formatBytes(m.sizeBytes), 8)} {cell(m.parameterSize ?? "-", 7)} {cell(m.quantization ?? "-", 7)}{" "}
              {cell(m.maxContext !== undefined ? String(m.maxContext) : "-", 8)} {m.capabilities.join(", ")}
            </Text>
          ))}
          {noModels.map((line, i) => (
            <Text key={`none${i}`} dimColor>
              {line}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
