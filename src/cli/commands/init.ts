// `specwright init [dir]`: scaffold a project. Never overwrites a file; says
// what it created and what it skipped.

import { relative, resolve } from "node:path";
import { scaffoldProject, type ScaffoldEntry } from "../../project/scaffold.js";
import { parseCommand } from "../args.js";
import { commandContext } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("init", args, {}, 1);
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const dir = resolve(ctx.cwd, parsed.positionals[0] ?? ".");
  const shown = (path: string) => relative(ctx.cwd, path) || ".";
  let entries: ScaffoldEntry[];
  try {
    entries = await scaffoldProject(dir);
  } catch (error) {
    process.stderr.write(`specwright: cannot create ${shown(dir)}: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
  const described = (e: ScaffoldEntry) => (e.note ? `${shown(e.path)} (${e.note})` : shown(e.path));
  const created = entries.filter((e) => e.outcome === "created").map(described);
  const skipped = entries.filter((e) => e.outcome === "skipped").map(described);

  if (ctx.json) {
    process.stdout.write(JSON.stringify({ dir, created, skipped }) + "\n");
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const c of created) lines.push(`${ctx.out.green("created")}  ${c}`);
  for (const s of skipped) lines.push(`${ctx.out.yellow("skipped")}  ${s}${/\(.*\)$/.test(s) ? "" : " — exists, left as it is"}`);
  const cd = shown(dir) === "." ? "" : `cd ${shown(dir)} && `;
  lines.push("", "Next:", `  ${cd}specwright validate     check the example specs`, "  specwright models       see which Ollama models are installed");
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}
