// `specwright clean [--runs | --build | --compare | --all] [--yes]`: removes
// what runs leave behind. --runs (the default): the traces in .specwright/runs/.
// --build: the output dir (with its git history) and .specwright/state.json,
// so the next build starts from nothing. --compare: the comparisons'
// scratch folders (.specwright/compare/); the specs, plan.toml, findings and
// the intent log are never touched. Asks first in a terminal; without one it
// needs --yes. Takes the run lock, so it never pulls files from under a build.

import { lstat, readdir, rm } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { createInterface } from "node:readline/promises";
import { acquireRunLock } from "../../lock.js";
import { STATE_FILE } from "../../state/state-file.js";
import { runsDir } from "../../traces/run-folder.js";
import { COMPARE_DIR } from "../../compare/compare-folder.js";
import { UsageError, parseCommand } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT } from "../exit-codes.js";

const OPTIONS = {
  runs: { type: "boolean" },
  build: { type: "boolean" },
  compare: { type: "boolean" },
  all: { type: "boolean" },
  yes: { type: "boolean" },
} as const;

interface Target {
  path: string;
  /** What it is, for the question and the report. */
  what: string;
  files: number;
  bytes: number;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("clean", args, OPTIONS, 0, (p) => {
    if (p.values.all && (p.values.runs || p.values.build || p.values.compare)) throw new UsageError("--all already means --runs, --build and --compare", "give --all alone");
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const project = await openProject(v);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded: { root, config } } = project;
  const runs = v.all === true || v.runs === true || (v.build !== true && v.compare !== true);
  const build = v.all === true || v.build === true;
  const compare = v.all === true || v.compare === true;

  const outputDir = resolve(root, config.output.dir);
  if (build && !isStrictlyInside(outputDir, root)) {
    process.stderr.write(`specwright: the output dir (${config.output.dir}) is the project folder itself; clean --build will not remove it\n  hint: remove the generated files yourself, or set [output] dir to a subfolder\n`);
    return EXIT.usage;
  }
  if (build && [join(root, config.project.specDir), join(root, config.project.contextDir), join(root, ".specwright")].some((p) => p === outputDir || isStrictlyInside(p, outputDir))) {
    process.stderr.write(`specwright: the output dir (${config.output.dir}) holds the project's own files (specs, context or .specwright); clean --build will not remove it\n`);
    return EXIT.usage;
  }

  const targets: Target[] = [];
  if (runs) targets.push({ path: runsDir(root), what: "run traces", ...(await measure(runsDir(root))) });
  if (build) {
    targets.push({ path: outputDir, what: config.build.git ? "generated code and its git history" : "generated code", ...(await measure(outputDir)) });
    targets.push({ path: join(root, STATE_FILE), what: "build state (every task will be built again)", ...(await measure(join(root, STATE_FILE))) });
  }
  if (compare) targets.push({ path: join(root, COMPARE_DIR), what: "comparisons (their scratch builds and results)", ...(await measure(join(root, COMPARE_DIR))) });
  const present = targets.filter((t) => t.files > 0);
  const shown = (t: Target) => `${relative(ctx.cwd, t.path) || t.path} — ${t.what}, ${t.files} file${t.files === 1 ? "" : "s"}, ${size(t.bytes)}`;
  if (present.length === 0) {
    if (ctx.json) process.stdout.write(JSON.stringify({ removed: [] }) + "\n");
    else process.stdout.write("Nothing to clean\n");
    return EXIT.ok;
  }

  if (v.yes !== true) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      process.stderr.write(`specwright: clean would remove:\n${present.map((t) => `  ${shown(t)}`).join("\n")}\n  hint: pass --yes to remove them without a terminal\n`);
      return EXIT.usage;
    }
    process.stderr.write(`This removes:\n${present.map((t) => `  ${shown(t)}`).join("\n")}\n`);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let answer: string;
    try {
      answer = await rl.question("Remove them? [y/N] ");
    } finally {
      rl.close();
    }
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stderr.write("specwright: nothing removed\n");
      return EXIT.failure;
    }
  }

  const lock = await acquireRunLock(root, { command: "specwright clean" });
  if (!lock.ok) {
    process.stderr.write(`specwright: ${lock.message}\n  hint: ${lock.hint}\n`);
    return EXIT.failure;
  }
  try {
    for (const t of present) await rm(t.path, { recursive: true, force: true });
  } finally {
    await lock.lock.release();
  }
  if (ctx.json) process.stdout.write(JSON.stringify({ removed: present.map((t) => ({ path: t.path, what: t.what, files: t.files, bytes: t.bytes })) }) + "\n");
  else process.stdout.write(present.map((t) => `removed ${shown(t)}`).join("\n") + "\n");
  return EXIT.ok;
}

function isStrictlyInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Files and bytes under `path` (a file counts as one); links are counted, never followed. */
async function measure(path: string): Promise<{ files: number; bytes: number }> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    return { files: 0, bytes: 0 };
  }
  if (!info.isDirectory()) return { files: 1, bytes: info.size };
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(path)) {
    const inner = await measure(join(path, entry));
    files += inner.files;
    bytes += inner.bytes;
  }
  return { files, bytes };
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
