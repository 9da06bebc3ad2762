// `specwright models`: what the Ollama server has installed (size, context
// length, capabilities) and which model each role resolves to, with a pull
// hint for any that is missing. Exit 3 when the server cannot be reached.

import { ROLES, roleModel, type Role, type SpecwrightConfig } from "../../config/types.js";
import { endpointStates } from "../../endpoint-states.js";
import type { Palette } from "../style.js";
import type { ModelError } from "../../../models/errors.js";
import { parseOllamaHost } from "../../../models/host.js";
import { canonicalModelName, describeModel, factsFromTags, findInstalled, listInstalledModels, serverVersion, type ModelFacts } from "../../../models/model-facts.js";
import { parseCommand } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT, modelExitCode } from "../exit-codes.js";
import { formatTable } from "../table.js";

interface RoleRow {
  role: Role;
  model: string;
  think: boolean;
  installed: boolean;
  /** Why the role cannot use its model, with what to do; undefined when it can. */
  problem?: string;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("models", args, {});
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values, { project: "optional" });
  if (!project.ok) return project.exitCode;
  const { ctx, loaded: { config } } = project;
  if (config.model.endpoints.length > 0) return listEndpoints(config, ctx.env, ctx.json, ctx.out);

  const host = parseOllamaHost(config.model.host);
  if (host.warning) process.stderr.write(`specwright: warning: ${host.warning}\n`);
  const listed = await listInstalledModels(host);
  if (!listed.ok) return reportModelError(listed.error);
  const version = await serverVersion(host);

  // /api/show per model; a model whose details fail still lists with what tags knew.
  const models: ModelFacts[] = await Promise.all(
    listed.value.map(async (installed) => {
      const facts = await describeModel(host, installed);
      return facts.ok ? facts.value : factsFromTags(installed);
    }),
  );
  models.sort((a, b) => a.name.localeCompare(b.name));

  const roles: RoleRow[] = ROLES.map((role) => {
    const { model, think } = roleModel(config, role);
    const facts = findInstalled(models, model);
    const row: RoleRow = { role, model, think, installed: facts !== undefined };
    if (!facts) row.problem = `not installed — run \`ollama pull ${model}\``;
    else if (facts.capabilities.length > 0 && !facts.capabilities.includes("completion")) row.problem = "cannot chat (no completion capability)";
    else if (think && facts.capabilities.length > 0 && !facts.capabilities.includes("thinking")) row.problem = "does not support thinking; turn think off for this role";
    return row;
  });

  if (ctx.json) {
    process.stdout.write(
      JSON.stringify(
        {
          host: host.url,
          version: version.ok ? version.value : null,
          models: models.map((m) => ({
            name: m.name,
            digest: m.digest,
            sizeBytes: m.sizeBytes,
            family: m.family ?? null,
            parameterSize: m.parameterSize ?? null,
            quantization: m.quantization ?? null,
            contextLength: m.maxContext ?? null,
            capabilities: m.capabilities,
          })),
          roles: roles.map((r) => ({ ...r, problem: r.problem ?? null })),
        },
        null,
        2,
      ) + "\n",
    );
    return EXIT.ok;
  }

  const out = ctx.out;
  const lines = [`Ollama ${version.ok ? version.value : "(version unknown)"} at ${host.url}`, ""];
  if (models.length === 0) {
    lines.push(`No models installed — run \`ollama pull ${config.model.default}\``);
  } else {
    lines.push(out.bold("Installed models"));
    lines.push(
      formatTable(
        ["NAME", "SIZE", "PARAMS", "QUANT", "CONTEXT", "CAPABILITIES"],
        models.map((m) => [
          m.name,
          formatBytes(m.sizeBytes),
          m.parameterSize ?? "?",
          m.quantization ?? "?",
          m.maxContext !== undefined ? String(m.maxContext) : "?",
          m.capabilities.join(", ") || "?",
        ]),
      ),
    );
  }
  lines.push("", out.bold("Roles"));
  lines.push(
    formatTable(
      ["ROLE", "MODEL", "THINK", "STATUS"],
      roles.map((r) => [r.role, r.model, r.think ? "on" : "off", r.problem ? out.red(r.problem) : out.green("ok")]),
    ),
  );
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}

/**
 * With `[[model.endpoints]]`: every endpoint's state (reachable, version,
 * models served, slots) and, per role, which endpoints serve its model.
 * Exit 3 when no endpoint can be reached.
 */
async function listEndpoints(config: SpecwrightConfig, env: NodeJS.ProcessEnv, json: boolean, out: Palette): Promise<number> {
  const states = await endpointStates(config, env);
  const roles = ROLES.map((role) => {
    const { model, think } = roleModel(config, role);
    const serving = states.filter((s) => s.models.some((m) => canonicalModelName(m) === canonicalModelName(model))).map((s) => s.endpoint);
    return { role, model, think, endpoints: serving, problem: serving.length === 0 ? `no endpoint serves it — pull it on one (\`ollama pull ${model}\`) or list it in an endpoint's models` : null };
  });
  const code = states.some((s) => s.reachable) ? EXIT.ok : EXIT.modelUnavailable;
  if (json) {
    process.stdout.write(JSON.stringify({ endpoints: states, roles }, null, 2) + "\n");
    return code;
  }
  const lines = [out.bold("Endpoints")];
  lines.push(
    formatTable(
      ["ENDPOINT", "KIND", "SLOTS", "STATE", "MODELS"],
      states.map((s) => [
        s.endpoint,
        s.kind,
        s.serverSlots !== undefined && s.serverSlots !== s.slots ? out.yellow(`${s.slots} (server: ${s.serverSlots})`) : String(s.slots),
        s.reachable ? out.green(`up${s.version ? ` (${s.version})` : ""}`) : out.red("unreachable"),
        [...s.models, ...s.missing.map((m) => out.red(`${m} (not on the server)`))].join(", ") || "-",
      ]),
    ),
  );
  for (const s of states) {
    if (s.problem) lines.push(`${out.red(s.endpoint)}: ${s.problem.message}`, `  hint: ${s.problem.hint}`);
    if (s.apiKeyEnv && !s.apiKeyEnv.set) lines.push(`${out.yellow(s.endpoint)}: api_key_env names ${s.apiKeyEnv.name}, which is not set`);
  }
  lines.push("", out.bold("Roles"));
  lines.push(
    formatTable(
      ["ROLE", "MODEL", "THINK", "ENDPOINTS"],
      roles.map((r) => [r.role, r.model, r.think ? "on" : "off", r.problem ? out.red(r.problem) : out.green(`${r.endpoints.length} of ${states.length}`)]),
    ),
  );
  process.stdout.write(lines.join("\n") + "\n");
  return code;
}

/** Prints a model error as one line plus its hint; exit 3 when no model can be used at all. */
export function reportModelError(error: ModelError): number {
  process.stderr.write(`specwright: ${error.message}\n  hint: ${error.hint}\n`);
  return modelExitCode(error);
}

/** Decimal units, as `ollama list` shows them. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
