// Models: what Ollama has installed (size, parameters, quantization, context
// length, capabilities) and the model each role resolves to, with the pull
// command for one that is missing. Changing a role's model is an edit of
// specwright.toml ([model] roles); `specwright config` shows where each comes from.

import { Box, Text } from "ink";
import { useCallback } from "react";
import { describeModel, findInstalled, type ModelFacts } from "../../models/model-facts.js";
import { ROLES, roleModel } from "../../src/config/types.js";
import { useProject, useScreenCommands } from "../app-context.js";
import { useOllama } from "../data/ollama-context.js";
import { cell, formatBytes } from "../format.js";
import { theme } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function ModelsScreen({ height }: ScreenProps) {
  const { loaded } = useProject();
  const ollama = useOllama();
  const status = ollama.status;
  const describe = useCallback(async (): Promise<ModelFacts[]> => {
    if (status?.state !== "up") return [];
    const facts = await Promise.all(
      status.models.map(async (m) => {
        const d = await describeModel(status.host, m);
        return d.ok ? d.value : { ...m, architecture: undefined, maxContext: undefined, capabilities: [] };
      }),
    );
    return facts.sort((a, b) => a.name.localeCompare(b.name));
  }, [status]);
  const [models] = useLoader<ModelFacts[]>(status?.state === "up" ? describe : undefined, [status]);

  useScreenCommands("models", (command) => {
    if (command !== "reload") return false;
    void ollama.reprobe();
    return true;
  });

  if (!loaded) return <Text dimColor>loading the project…</Text>;
  const list = models.value ?? [];
  const roleRows = ROLES.length + 1;
  return (
    <Box flexDirection="column">
      <Text bold>Roles</Text>
      {ROLES.map((role) => {
        const { model, think } = roleModel(loaded.config, role);
        const installed = status?.state === "up" ? findInstalled(status.models, model) !== undefined : undefined;
        return (
          <Text key={role} wrap="truncate-end">
            {"  "}
            {cell(role, 9)} {model}
            {think ? " (think)" : ""}
            {installed === false ? <Text color={theme.error}> ✗ not installed — ollama pull {model}</Text> : installed ? <Text color={theme.ok}> ✓</Text> : null}
          </Text>
        );
      })}
      {status?.state === "down" ? (
        <Text color={theme.warning} wrap="truncate-end">
          Ollama is not reachable at {status.host}: {status.hint}
        </Text>
      ) : status?.state !== "up" ? (
        <Text dimColor>asking Ollama…</Text>
      ) : (
        <Box flexDirection="column">
          <Text bold>
            {"  "}
            {cell("INSTALLED", 28)} {cell("SIZE", 8)} {cell("PARAMS", 7)} {cell("QUANT", 7)} {cell("CONTEXT", 8)} CAPABILITIES
          </Text>
          {(list.length > 0 ? list : status.models.map((m) => ({ ...m, maxContext: undefined, capabilities: [] as string[] })))
            .slice(0, Math.max(1, height - roleRows - 2))
            .map((m) => (
              <Text key={m.name} wrap="truncate-end">
                {"  "}
                {cell(m.name, 28)} {cell(formatBytes(m.sizeBytes), 8)} {cell(m.parameterSize ?? "-", 7)} {cell(m.quantization ?? "-", 7)}{" "}
                {cell(m.maxContext !== undefined ? String(m.maxContext) : "-", 8)} {m.capabilities.join(", ")}
              </Text>
            ))}
          {status.models.length === 0 ? <Text dimColor>  no models installed — `ollama pull qwen2.5-coder:7b` gets a small coding model</Text> : null}
        </Box>
      )}
    </Box>
  );
}
