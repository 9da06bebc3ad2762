// What the `specwright compare` tests share: the calc project committed to git
// as a person's would be, a snapshot of everything compare must leave alone
// (output/, state.json, both git HEADs), replies scripted per model and task,
// [[model.endpoints]] for the fake servers, the table's rows read back, and
// the progress lines of stderr.

import { execa } from "execa";
import { appendFile, readFile, readdir, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { RecordedRequest, ReplyScript } from "../fake-ollama/server.js";
import { taskOf } from "./calc-build.js";

export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execa("git", args, { cwd })).stdout;
}

/** The project itself in git, ignoring what `init` ignores (compare must leave its status clean). */
export async function commitProject(dir: string): Promise<void> {
  await writeFile(join(dir, ".gitignore"), "output/\n.specwright/runs/\n.specwright/lock\n.specwright/compare/\n");
  await git(dir, "init", "-q");
  await git(dir, "add", "-A");
  await git(dir, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "project");
}

/** Every file under output/ (its .git included) with its sha256, plus state.json, both HEADs and the project's git status. */
export async function projectSnapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = join(rel, e.name);
      if (e.isDirectory()) await walk(path);
      else out[path] = createHash("sha256").update(await readFile(join(dir, path))).digest("hex");
    }
  };
  await walk("output");
  out[".specwright/state.json"] = await readFile(join(dir, ".specwright/state.json"), "utf8");
  out["HEAD of output/"] = await git(join(dir, "output"), "rev-parse", "HEAD");
  out["HEAD of the project"] = await git(dir, "rev-parse", "HEAD");
  out["project status"] = await git(dir, "status", "--porcelain");
  return out;
}

export type ModelScripts = Record<string, Record<string, (string | ReplyScript)[]>>;

/** Replies routed by model and task; each (model, task) pair consumes its own list, its last reply repeating. */
export function byModel(scripts: ModelScripts): (request: RecordedRequest) => ReplyScript {
  const used = new Map<string, number>();
  return (request) => {
    const model = request.model ?? "?";
    const task = taskOf(request) ?? "?";
    const list = scripts[model]?.[task] ?? [];
    const key = `${model} ${task}`;
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    const reply = list[Math.min(n, list.length - 1)];
    if (reply === undefined) return { content: `no scripted reply for ${key}` };
    return typeof reply === "string" ? { content: reply } : reply;
  };
}

/** Appends one Ollama [[model.endpoints]] entry per server to specwright.toml, each listing its models (no list: any) and its slots (no slots: 1). */
export async function addEndpoints(dir: string, endpoints: { url: string; models?: string[]; slots?: number }[]): Promise<void> {
  const entries = endpoints.map((e) => `\n[[model.endpoints]]\nurl = "${e.url}"\nkind = "ollama"\n${e.models ? `models = [${e.models.map((m) => `"${m}"`).join(", ")}]\n` : ""}${e.slots !== undefined ? `slots = ${e.slots}\n` : ""}`);
  await appendFile(join(dir, "specwright.toml"), entries.join(""));
}

/** The table's rows of these models, each cut into its cells (MODEL, 1ST TRY, FIXED, FAILED, ATTEMPTS, …). */
export function tableRows(stdout: string, models: readonly string[]): string[][] {
  return stdout
    .split("\n")
    // A row is the name (cut past 24 characters, * when unfinished) and then the cells, two spaces apart.
    .filter((l) => models.some((m) => l.startsWith(`  ${m.length > 24 ? m.slice(0, 23) : m}`) && /^ {2}\S+\*? {2}/.test(l)))
    .map((l) => l.trim().split(/\s{2,}/));
}

/**
 * compare's progress lines on stderr: every line before the command's closing
 * `specwright: …` message (interrupted, a server gone), which is the CLI's own
 * one-line error form, not progress. Empty lines are left out.
 */
export function progressOf(stderr: string): string[] {
  const lines = stderr.split("\n");
  const end = lines.findIndex((l) => l.startsWith("specwright: "));
  return (end === -1 ? lines : lines.slice(0, end)).filter((l) => l !== "");
}

/** Text wrapped at 80 columns with its line breaks (and the indent after them) undone: a sentence to match whole. */
export function unwrapped(text: string): string {
  return text.replace(/\n\s+/g, " ");
}
