// `specwright findings [--all] [--json]`: the audit's findings as they stand in
// .specwright/findings.json, without a model (audit needs Ollama even with
// --fix none, since it audits first).

import { readFindings } from "../../audit/findings-file.js";
import { openErrors } from "../../audit/findings.js";
import { parseCommand } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT } from "../exit-codes.js";
import { printFindings } from "../findings-output.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("findings", args, { all: { type: "boolean" } });
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const load = await readFindings(loaded.root);
  if (!load.ok) {
    process.stderr.write(`specwright: ${load.problem}\n`);
    return EXIT.failure;
  }
  if (load.file.findings.length === 0 && !ctx.json) {
    process.stdout.write("No findings yet — `specwright audit` asks the audit model for them\n");
    return EXIT.ok;
  }
  printFindings(ctx, load.file, parsed.values.all === true);
  if (!ctx.json && openErrors(load.file).length > 0) {
    process.stderr.write(ctx.err.dim("triage: specwright audit --dismiss ID --reason \"…\" | --accept ID | --reopen ID; fix: specwright audit") + "\n");
  }
  return EXIT.ok;
}
