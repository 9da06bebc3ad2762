// `specwright config`: the effective configuration and where each value came from.

import { relative } from "node:path";
import { CONFIG_KEYS } from "../../config/schema.js";
import { describeSource } from "../../config/load.js";
import { parseCommand } from "../args.js";
import { commandContext, loadCommandConfig } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("config", args, {});
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const outcome = await loadCommandConfig(ctx, {}, { project: "optional" });
  if (!outcome.ok) return outcome.exitCode;
  const { config, sources, projectFile, root } = outcome.loaded;

  const rows = CONFIG_KEYS.map((k) => ({ key: k.key, value: k.show(config), source: describeSource(sources.get(k.key) ?? { kind: "default" }) }));
  if (ctx.json) {
    process.stdout.write(
      JSON.stringify({ root, projectFile: projectFile ?? null, config, sources: Object.fromEntries(rows.map((r) => [r.key, r.source])) }, null, 2) + "\n",
    );
    return EXIT.ok;
  }
  const where = projectFile ? relative(ctx.cwd, projectFile) || projectFile : "(no specwright.toml or ossature.toml found; defaults apply)";
  const width = Math.max(...rows.map((r) => `${r.key} = ${r.value}`.length));
  const lines = [`# project: ${where}`, ...rows.map((r) => `${`${r.key} = ${r.value}`.padEnd(width)}  ${ctx.out.dim(`# ${r.source}`)}`)];
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}
