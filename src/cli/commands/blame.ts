// `specwright blame output/<file>[:line]`: from generated code back to the
// task that wrote it, the commit that last changed the line, the spec parts
// the task saw, and the words of the people whose accepted requests shaped them.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { blameOutput, parseBlameTarget, type BlameReport } from "../../intent/blame.js";
import { UsageError, parseCommand, reportUsageError } from "../args.js";
import { openProject, type CommandContext } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("blame", args, {}, 1, (p) => {
    if (p.positionals.length === 0) throw new UsageError("`specwright blame` needs a file of the output", "e.g. specwright blame output/wordfreq.js:12");
  });
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const outputDir = resolve(loaded.root, loaded.config.output.dir);
  const target = parseBlameTarget(parsed.positionals[0]!, ctx.cwd, outputDir);
  if ("problem" in target) return reportUsageError(new UsageError(target.problem, "give a file the build wrote, e.g. output/<file>:<line>"));
  const readLine = async (file: string, line: number) => {
    const text = await readFile(resolve(outputDir, file), "utf8").catch(() => undefined);
    return text?.replace(/\r\n?/g, "\n").split("\n")[line - 1];
  };
  const result = await blameOutput(loaded, target, readLine);
  if (!result.ok) {
    process.stderr.write(`specwright: ${result.message}\n  hint: ${result.hint}\n`);
    return EXIT.failure;
  }
  if (ctx.json) process.stdout.write(JSON.stringify(result.report, null, 2) + "\n");
  else process.stdout.write(renderBlame(ctx, result.report));
  return EXIT.ok;
}

function quote(words: string): string[] {
  return words.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n").map((l) => `    │ ${l}`);
}

function renderBlame(ctx: CommandContext, r: BlameReport): string {
  const out: string[] = [];
  out.push(ctx.out.bold(`${r.file}${r.line !== undefined ? `:${r.line}` : ""}`) + (r.lineText !== undefined ? `  ${ctx.out.dim(r.lineText.trim())}` : ""));
  for (const t of r.tasks) out.push(`  ${t.how === "writes" ? "written by" : "edited by "} ${t.id} ${t.title} (spec ${t.spec})`);
  if (r.commit) {
    const c = r.commit;
    out.push(`  last changed in ${c.sha.slice(0, 10)} ${c.subject} — ${c.author}, ${c.date}${c.intents.length > 0 ? ` (Intent: ${c.intents.join(", ")})` : ""}`);
  } else out.push(ctx.out.dim("  (no git history for it: build.git off, or not committed yet)"));
  out.push("", "Spec parts the task saw:");
  for (const ref of r.refs) out.push(`  ${ref.spec}#${ref.ref}${ref.intents.length > 0 ? `  ← ${ref.intents.join(", ")}` : ctx.out.dim("  (written by hand)")}`);
  if (r.intents.length > 0) {
    out.push("", "In the words of the people who asked:");
    for (const e of r.intents) {
      out.push(`  ${ctx.out.bold(e.id)} ${e.request.at} ${e.request.author} — ${e.status}`);
      out.push(...quote(e.request.words));
    }
  }
  return out.join("\n") + "\n";
}
