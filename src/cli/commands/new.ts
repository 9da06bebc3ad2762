// `specwright new <name> [--amd|--vmd]`: a spec from a template that validates
// as written. Refuses to overwrite.

import { join, relative } from "node:path";
import { existsSync } from "node:fs";
import { createSpecFile, specNameProblem } from "../../project/new-spec.js";
import { specIdFor } from "../../project/templates.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { openProject } from "../command-context.js";
import { draftSpec } from "./new-draft.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const options = { amd: { type: "boolean" }, vmd: { type: "boolean" }, draft: { type: "string" }, yes: { type: "boolean", short: "y" }, model: { type: "string" }, "no-audit": { type: "boolean" } } as const;
  const parsed = parseCommand("new", args, options, 1, (p) => {
      if (p.positionals.length === 0) throw new UsageError("`specwright new` needs a name", "e.g. `specwright new word-count`");
      if (p.values.amd && p.values.vmd) throw new UsageError("--amd and --vmd exclude each other", "write one file per command");
      if (p.values.draft !== undefined && (p.values.amd || p.values.vmd)) throw new UsageError("--draft writes a behaviour spec (.smd)", "drop --amd/--vmd");
      if (p.values.draft !== undefined && p.values.draft.trim() === "") throw new UsageError("--draft needs your one-line request", 'e.g. specwright new word-count --draft "count words in files, top N"');
      if (p.values.draft === undefined && (p.values.yes || p.values.model !== undefined || p.values["no-audit"])) throw new UsageError("--yes, --model and --no-audit go with --draft", "without --draft, new writes a template and asks no model");
  });
  if (typeof parsed === "number") return parsed;
  const name = parsed.positionals[0]!.replace(/\.(smd|amd|vmd)$/i, "");
  const problem = specNameProblem(name);
  if (problem) return reportUsageError(new UsageError(problem.message, problem.hint));
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const { config, root } = loaded;
  if (parsed.values.draft !== undefined) return draftSpec(ctx, loaded, name, parsed.values.draft, { yes: parsed.values.yes === true, audit: parsed.values["no-audit"] !== true && config.audit.afterAsk });

  const kind = parsed.values.amd ? "amd" : parsed.values.vmd ? "vmd" : "smd";
  const created = await createSpecFile(root, config.project.specDir, name, kind);
  const path = created.ok ? created.path : created.path ?? join(root, config.project.specDir, `${name}.${kind}`);
  const shown = relative(ctx.cwd, path) || path;
  if (!created.ok) {
    process.stderr.write(`specwright: ${created.reason === "exists" ? `${shown} already exists — not overwritten` : created.message}; hint: ${created.hint}\n`);
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
