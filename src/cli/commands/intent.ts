// `specwright intent [ID] [--md]`: the intent log — every request with who
// made it, what became of it, the specs it changed, the tasks it invalidated
// and the commits that rebuilt them; one entry whole; or the log as Markdown.

import { parseIntentId, readIntentLog } from "../../intent/intent-log.js";
import { entryLines, intentRow, logMarkdown, shortTime } from "../../intent/render-log.js";
import { UsageError, parseCommand } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("intent", args, { md: { type: "boolean" } }, 1, (p) => {
    const id = p.positionals[0];
    if (id !== undefined && parseIntentId(id) === undefined) throw new UsageError(`'${id}' is not an intent id`, "ids look like I-0007");
    if (p.values.md && p.values.json) throw new UsageError("--md and --json exclude each other", "pick one");
  });
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const log = await readIntentLog(loaded.root);
  if (!log.ok) {
    process.stderr.write(`specwright: ${log.problem}\n  hint: ${log.hint}\n`);
    return EXIT.failure;
  }
  const wanted = parsed.positionals[0] !== undefined ? parseIntentId(parsed.positionals[0]) : undefined;
  if (wanted !== undefined) {
    const entry = log.entries.find((e) => e.id === wanted);
    if (!entry) {
      process.stderr.write(`specwright: no intent entry ${wanted}\n  hint: \`specwright intent\` lists them\n`);
      return EXIT.failure;
    }
    if (ctx.json) process.stdout.write(JSON.stringify(entry, null, 2) + "\n");
    else if (parsed.values.md) process.stdout.write(logMarkdown([entry]));
    else process.stdout.write(entryLines(entry).join("\n") + "\n");
    return EXIT.ok;
  }
  if (ctx.json) {
    process.stdout.write(JSON.stringify({ entries: log.entries.map(intentRow) }, null, 2) + "\n");
    return EXIT.ok;
  }
  if (parsed.values.md) {
    process.stdout.write(logMarkdown(log.entries));
    return EXIT.ok;
  }
  if (log.entries.length === 0) {
    process.stdout.write('No intent yet: `specwright ask "…"` turns your words into a spec change and keeps them here.\n');
    return EXIT.ok;
  }
  // Two lines per entry so the words keep most of 80 columns: when, what became
  // of it and the words; then who, and what it changed and caused.
  // Cut to a terminal's width; a pipe gets whole first lines.
  const width = process.stdout.isTTY ? Math.max(60, process.stdout.columns ?? 80) : Number.POSITIVE_INFINITY;
  const fit = (text: string, room: number) => (text.length > room ? text.slice(0, Math.max(1, room - 1)) + "…" : text);
  const lines: string[] = [];
  for (const r of log.entries.map(intentRow)) {
    const head = `${r.id}  ${shortTime(r.at)}  ${r.status.padEnd(10)}  `;
    lines.push(head + fit(r.words, width - head.length));
    const links = [`by ${r.author}`, r.specs.length > 0 ? `specs ${r.specs.join(", ")}` : "", r.tasks.length > 0 ? `tasks ${r.tasks.join(", ")}` : "", r.commits.length > 0 ? `commits ${r.commits.join(", ")}` : ""].filter((x) => x !== "");
    lines.push(ctx.out.dim(fit(`        ${links.join(" · ")}`, width)));
  }
  process.stdout.write(lines.join("\n") + "\n");
  return EXIT.ok;
}
