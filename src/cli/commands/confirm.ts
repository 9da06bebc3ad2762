// `specwright confirm SPEC#anchor | FILE:LINE [--reject]`: a person confirms
// (or rejects) [inferred] content headless; the decision is an intent entry.

import { intentAuthor } from "../../intent/author.js";
import { decideInferred, type InferredTarget } from "../../intent/confirm.js";
import { describeImpact } from "../../intent/impact.js";
import { UsageError, parseCommand } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

function parseTarget(text: string): InferredTarget | undefined {
  const line = /^(.+\.(?:smd|amd|vmd)):(\d+)$/.exec(text);
  if (line) return { file: line[1]!.replace(/^\.\//, ""), line: Number(line[2]) };
  const anchor = /^([A-Za-z][A-Za-z0-9_-]*)#(.+)$/.exec(text);
  if (anchor) return { spec: anchor[1]!, anchor: anchor[2]! };
  return undefined;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("confirm", args, { reject: { type: "boolean" } }, 1, (p) => {
    const target = p.positionals[0];
    if (target === undefined) throw new UsageError("`specwright confirm` needs SPEC#anchor or FILE:LINE", "e.g. specwright confirm CALC#divide or specwright confirm specs/calc.smd:34");
    if (parseTarget(target) === undefined) throw new UsageError(`'${target}' is neither SPEC#anchor nor FILE:LINE`, "e.g. CALC#divide or specs/calc.smd:34");
  });
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const action = parsed.values.reject ? "reject" : "confirm";
  const result = await decideInferred(loaded, parseTarget(parsed.positionals[0]!)!, action, await intentAuthor(loaded.root, ctx.env));
  if (!result.ok) {
    process.stderr.write(`specwright: ${result.message}\n  hint: ${result.hint}\n`);
    return EXIT.failure;
  }
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ id: result.id, action, file: result.file, items: result.items, tasks: result.impact.tasks.map((t) => t.id) }) + "\n");
    return EXIT.ok;
  }
  const verb = action === "confirm" ? "confirmed" : "removed";
  process.stdout.write(`${result.id}: ${verb} ${result.items.length} [inferred] item${result.items.length === 1 ? "" : "s"} in ${result.file}\n`);
  for (const i of result.items) process.stdout.write(`  line ${i.line}: ${i.text}\n`);
  process.stdout.write(describeImpact(result.impact).map((l) => `  ${l}`).join("\n") + "\n");
  return EXIT.ok;
}
