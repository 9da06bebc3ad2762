// `specwright new <name> [--amd|--vmd]`: a spec from a template that validates
// as written. Refuses to overwrite.

import { join, relative } from "node:path";
import { existsSync } from "node:fs";
import { writeFileExclusive } from "../../fs/atomic-write.js";
import { amdTemplate, smdTemplate, specIdFor, vmdTemplate } from "../../project/templates.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { commandContext, loadCommandConfig } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("new", args, { amd: { type: "boolean" }, vmd: { type: "boolean" } }, 1, (p) => {
      if (p.positionals.length === 0) throw new UsageError("`specwright new` needs a name", "e.g. `specwright new word-count`");
      if (p.values.amd && p.values.vmd) throw new UsageError("--amd and --vmd exclude each other", "write one file per command");
  });
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const name = parsed.positionals[0]!.replace(/\.(smd|amd|vmd)$/i, "");
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || specIdFor(name) === "") {
    return reportUsageError(new UsageError(`'${name}' is not a usable spec name`, "use letters, digits, '-', '_' and '.', e.g. word-count"));
  }
  const outcome = await loadCommandConfig(ctx);
  if (!outcome.ok) return outcome.exitCode;
  const { config, root } = outcome.loaded;

  const kind = parsed.values.amd ? "amd" : parsed.values.vmd ? "vmd" : "smd";
  const text = kind === "amd" ? amdTemplate(name) : kind === "vmd" ? vmdTemplate(name) : smdTemplate(name);
  const path = join(root, config.project.specDir, `${name}.${kind}`);
  const shown = relative(ctx.cwd, path) || path;
  if (!(await writeFileExclusive(path, text))) {
    process.stderr.write(`specwright: ${shown} already exists — not overwritten; hint: pick another name or edit the file\n`);
    return EXIT.failure;
  }
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ file: path, kind, id: specIdFor(name) }) + "\n");
    return EXIT.ok;
  }
  process.stdout.write(`${ctx.out.green("created")}  ${shown}\n`);
  if (kind !== "smd" && !existsSync(join(root, config.project.specDir, `${name}.smd`))) {
    process.stdout.write(`note: it describes spec ${specIdFor(name)}; write ${name}.smd too (\`specwright new ${name}\`) or change its spec id\n`);
  }
  return EXIT.ok;
}
