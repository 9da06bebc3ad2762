// `specwright config`: the effective configuration and where each value came
// from. A config with errors is shown too: its diagnostics on stderr, and every
// value that did load (the broken ones keep their defaults), then exit 2.

import { relative } from "node:path";
import { hasErrors } from "../../../grammar/diagnostic.js";
import { CONFIG_KEYS } from "../../config/schema.js";
import { endpointLabel } from "../../config/endpoints.js";
import { describeSource, loadConfig } from "../../config/load.js";
import { redactHostCredentials } from "../../../models/host.js";
import { parseCommand } from "../args.js";
import { commandContext } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { SourceLines, formatDiagnostics } from "../report-diagnostics.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("config", args, {});
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const { loaded, diagnostics } = await loadConfig({ cwd: ctx.cwd, env: ctx.env });
  const { config, sources, projectFile, root, userFile } = loaded;
  const broken = hasErrors(diagnostics);
  // Left unset beside endpoints, build.parallel is not the table's default of 1 but their slots (config/load.ts).
  const sourceOf = (key: string): string => {
    const source = sources.get(key) ?? { kind: "default" };
    if (key === "build.parallel" && source.kind === "default" && config.model.endpoints.length > 0) return "default: the endpoints' slots added up";
    return describeSource(source);
  };
  const code = broken ? EXIT.usage : EXIT.ok;

  const rows = CONFIG_KEYS.map((k) => ({ key: k.key, value: k.show(config), source: sourceOf(k.key) }));
  if (diagnostics.length > 0) process.stderr.write(formatDiagnostics(diagnostics, new SourceLines(ctx.cwd), ctx.err) + "\n");
  if (ctx.json) {
    process.stdout.write(
      JSON.stringify(
        {
          root,
          projectFile: projectFile ?? null,
          userFile: userFile ? userFile.path : null,
          userFileExists: userFile?.exists ?? false,
          valid: !broken,
          diagnostics,
          // A host's user:password never leaves in the JSON either.
          config: {
            ...config,
            model: { ...config.model, host: redactHostCredentials(config.model.host), endpoints: config.model.endpoints.map((e) => ({ ...e, url: endpointLabel(e) })) },
          },
          sources: Object.fromEntries(rows.map((r) => [r.key, r.source])),
        },
        null,
        2,
      ) + "\n",
    );
    return code;
  }
  const where = projectFile ? relative(ctx.cwd, projectFile) || projectFile : "(no specwright.toml or ossature.toml found; defaults apply)";
  const user = userFile ? `${userFile.path}${userFile.exists ? "" : " (not present)"}` : "(none)";
  const width = Math.max(...rows.map((r) => `${r.key} = ${r.value}`.length));
  const lines = [
    `# project: ${where}`,
    `# user config: ${user}`,
    ...(broken ? [ctx.out.red("# the config has errors (above): the values below are what did load; a key with an error keeps its default")] : []),
    ...rows.map((r) => `${`${r.key} = ${r.value}`.padEnd(width)}  ${ctx.out.dim(`# ${r.source}`)}`),
    // The endpoints as TOML tables; api_key_env is a variable's name, never its value.
    ...config.model.endpoints.flatMap((e) => [
      "",
      `[[model.endpoints]]  ${ctx.out.dim(`# ${e.source}`)}`,
      `url = ${JSON.stringify(endpointLabel(e))}`,
      `kind = ${JSON.stringify(e.kind)}`,
      `slots = ${e.slots}`,
      ...(e.models ? [`models = [${e.models.map((m) => JSON.stringify(m)).join(", ")}]`] : []),
      ...(e.apiKeyEnv ? [`api_key_env = ${JSON.stringify(e.apiKeyEnv)}`] : []),
    ]),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  if (broken) process.stderr.write("specwright: the configuration has errors; fix them and run again\n");
  return code;
}
