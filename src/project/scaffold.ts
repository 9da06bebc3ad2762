// The files of a new project, as `specwright init` and the TUI's first-run
// offer write them: specwright.toml, an example spec pair, the context folder,
// and .gitignore entries for run traces and the lock. Never overwrites a file.

import { appendFile, mkdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { writeFileExclusive } from "../fs/atomic-write.js";
import { GITIGNORE_ENTRIES, exampleAmd, exampleSmd, projectToml } from "./templates.js";

export interface ScaffoldEntry {
  /** Absolute path. */
  path: string;
  outcome: "created" | "skipped";
  /** What happened beyond the outcome, e.g. "added .specwright/lock" or "already ignores …". */
  note?: string;
}

/**
 * Writes a new project into `dir` (created if missing); files already there
 * are left as they are. A folder that already has its specwright.toml is a
 * project: only the .gitignore entries it lacks are added, never the example
 * spec (its owner may have deleted it on purpose).
 */
export async function scaffoldProject(dir: string): Promise<ScaffoldEntry[]> {
  await mkdir(dir, { recursive: true });
  const entries: ScaffoldEntry[] = [];
  const toml = join(dir, "specwright.toml");
  const created = await writeFileExclusive(toml, projectToml(basename(dir)));
  if (!created) entries.push({ path: toml, outcome: "skipped", note: "a project already: only missing .gitignore entries are added" });
  else {
    entries.push({ path: toml, outcome: "created" });
    const files: [string, string][] = [
      [join("specs", "greeter.smd"), exampleSmd()],
      [join("specs", "greeter.amd"), exampleAmd()],
      [join("context", ".gitkeep"), ""],
    ];
    for (const [name, text] of files) {
      const path = join(dir, name);
      entries.push({ path, outcome: (await writeFileExclusive(path, text)) ? "created" : "skipped" });
    }
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
    entries.push({ path: gitignore, outcome: "created", ...(existing === "" ? {} : { note: `added ${missing.join(", ")}` }) });
  } else {
    entries.push({ path: gitignore, outcome: "skipped", note: `already ignores ${GITIGNORE_ENTRIES.join(", ")}` });
  }
  return entries;
}
