// After the demo's build: the part of the trace that shows the fix loop at
// work — the failing lines of a task's first verify log and the opening of
// the reply that fixed it — read from the files the build recorded, so what
// the demo shows is exactly what a person would find in the trace.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readState } from "../state/state-file.js";

const MAX_LINES = 18;

/** An excerpt for every task whose last build needed more than one attempt. */
export async function fixLoopExcerpt(root: string): Promise<string | undefined> {
  const state = await readState(root);
  if (!state.ok) return undefined;
  const parts: string[] = [];
  for (const [id, entry] of Object.entries(state.state.tasks)) {
    const task = attemptsOf(entry);
    if (task === undefined || task.attempts < 2) continue;
    const last = join(root, task.trace);
    const first = last.replace(/attempt-\d+$/, "attempt-1");
    const log = await readText(join(first, "verify.log"));
    const reply = await readText(join(last, "response.md"));
    if (log === undefined || reply === undefined) continue;
    const lines = log.split("\n");
    const start = Math.max(lines.findIndex((l) => /^not ok|exit \d+|Error/.test(l)), 0);
    const failing = lines.slice(start, start + MAX_LINES);
    parts.push(
      `${id} attempt 1 failed its verify (${join(task.trace.replace(/attempt-\d+$/, "attempt-1"), "verify.log")}):`,
      ...failing.map((l) => `  | ${l}`),
      ...(lines.length > start + MAX_LINES ? ["  | …"] : []),
      `${id} attempt ${task.attempts} got the failure and answered (${join(task.trace, "response.md")}):`,
      ...reply.split("\n").slice(0, 3).map((l) => `  | ${l}`),
      "  | …",
    );
  }
  return parts.length === 0 ? undefined : parts.join("\n");
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The two fields read here; state.json entries are the engine's and are read defensively. */
function attemptsOf(entry: unknown): { attempts: number; trace: string } | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const { attempts, trace } = entry as { attempts?: unknown; trace?: unknown };
  return typeof attempts === "number" && typeof trace === "string" ? { attempts, trace } : undefined;
}
