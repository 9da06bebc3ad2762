// `specwright init [dir]`: scaffold a project. Never overwrites a file; says
// what it created and what it skipped.

import { mkdir, readFile, appendFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { writeFileExclusive } from "../../fs/atomic-write.js";
import { GITIGNORE_ENTRIES, exampleAmd, exampleSmd, projectToml } from "../../project/templates.js";
import { parseCommand } from "../args.js";
import { commandContext } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("init", args, {}, 1);
  if (typeof parsed === "number") return parsed;
  const ctx = commandContext(parsed.values);
  const dir = resolve(ctx.cwd, parsed.positionals[0] ?? ".");
  const shown = (path: string) => relative(ctx.cwd, path) || ".";
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    process.stderr.write(`specwright: cannot create ${shown(dir)}: ${(error as Error).message}\n`);
    return EXIT.failure;
  }

  const created: string[] = [];
  const skipped: string[] = [];
  const files: [string, string][] = [
    ["specwright.toml", projectToml(basename(dir))],
    [join("specs", "greeter.smd"), exampleSmd()],
    [join("specs", "greeter.amd"), exampleAmd()],
    [join("context", ".gitkeep"), ""],
  ];
  for (const [name, text] of files) {
    const path = join(dir, name);
    (await writeFileExclusive(path, text)) ? created.push(shown(path)) : skipped.push(shown(path));
  }

  const gitignore = join(dir, ".gitignore");
  let existing = "";
  try {
    existing = await readFile(gitignore, "utf8");
  } catch {
    existing = "";
  }
  const present = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_ENTRIES.filter((e) => !present.has(e));
  if (missing.length > 0) {
    const lead = existing === "" ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
    await appendFile(gitignore, `${lead}# specwright: run traces and the run lock stay local\n${missing.join("\n")}\n`);
    created.push(existing === "" ? shown(gitignore) : `${shown(gitignore)} (added ${missing.join(", ")})`);
  } else {
    skipped.push(`${shown(gitignore)} (already ignores ${GITIGNORE_ENTRIES.join(", ")})`);
  }

  if (ctx.json) {
    process.stdout.write(JSON.stringify({ dir, created, skipped }) + "\n");
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const c of created) lines.push(`${ctx.out.green("created")}  ${c}`);
  for (const s of skipped) lines.push(`${ctx.out.yellow("skipped")}  ${s} — exists, left as it is`);
  const cd = shown(dir) === "." ? "" : `cd ${shown(dir)} && `;
  lines.push("", "Next:", `  ${cd}specwright validate     check the example specs`, "  specwright models       see which Ollama models are installed");
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}
