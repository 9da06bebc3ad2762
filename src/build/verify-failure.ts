// Reads a failed verify command for the fix loop: whose fault it is (the
// command's own, which is a plan problem, or the generated code's), a
// fingerprint that stays the same when the same error repeats, and the tail of
// the output worth putting back into a fix prompt.

import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { VerifyCommandResult } from "./verify-runner.js";

/**
 * Why a verify command did not pass:
 * "command" — its own fault (not found, not executable, usage error): the plan
 *   must change, another code attempt would not help;
 * "code" — the command ran and reported failure: the fix loop's case;
 * "timeout" / "aborted" — it was killed.
 */
export type VerifyFailure =
  | { kind: "timeout" }
  | { kind: "aborted" }
  | { kind: "command"; rule: CommandFaultRule; reason: string }
  | { kind: "code" };

export type CommandFaultRule =
  | "spawn-failed"
  | "not-found"
  | "not-executable"
  | "missing-module"
  | "missing-script"
  | "usage";

interface FaultContext {
  command: string;
  exitCode: number;
  output: string;
  /** The program the command runs: the first word after env assignments, or the module of `python -m`. */
  tool: string;
}

interface FaultRule {
  rule: CommandFaultRule;
  test(ctx: FaultContext): string | undefined;
}

const SHELL_NOT_FOUND = /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|bash|dash|zsh)(?:: line \d+)?: (?:\d+: )?(.+?): (?:command )?not found\s*$/m;

// Checked in order; the first rule that names a reason wins. Text rules apply
// only to a nonzero exit, and usage rules only when the usage line names the
// command's own tool: a generated CLI printing "usage: app.py" after being
// called with wrong arguments is the code's failure, not the command's.
const FAULT_RULES: readonly FaultRule[] = [
  { rule: "not-found", test: (c) => (c.exitCode === 127 ? notFoundReason(c) : undefined) },
  { rule: "not-executable", test: (c) => (c.exitCode === 126 ? `a program in \`${c.command}\` is not executable (exit 126)` : undefined) },
  { rule: "not-found", test: (c) => (SHELL_NOT_FOUND.test(c.output) ? notFoundReason(c) : undefined) },
  {
    rule: "missing-module",
    test: (c) => {
      const m = /\bpython[0-9.]*\s+(?:-\S+\s+)*-m\s+([A-Za-z0-9_.]+)/.exec(c.command);
      if (m === null) return undefined;
      const mod = m[1] as string;
      return new RegExp(`No module named '?${escapeRegExp(mod)}'?\\s*$`, "m").test(c.output)
        ? `the Python module ${mod} that \`${c.command}\` runs is not installed`
        : undefined;
    },
  },
  {
    rule: "missing-script",
    test: (c) => {
      if (/(?:npm (?:error|ERR!) )?Missing script:/.test(c.output)) return `\`${c.command}\` names an npm script that package.json does not define`;
      if (/^python[0-9.]*$/.test(c.tool)) {
        const m = /can't open file '([^']+)': \[Errno 2\]/.exec(c.output);
        if (m !== null) return `\`${c.command}\` runs ${m[1] as string}, which does not exist`;
      }
      return undefined;
    },
  },
  {
    rule: "usage",
    test: (c) => {
      if (c.tool === "pytest" && c.exitCode === 4) return `pytest rejected the arguments of \`${c.command}\` (exit 4: usage error or path not found)`;
      if (c.tool === "tsc" && /error TS(?:5\d{3}|6053):/.test(c.output)) return `tsc rejected the options or files of \`${c.command}\``;
      if (/^(?:node: bad option|error: no such command|error: unexpected argument|go: unknown (?:subcommand|command)|flag provided but not defined)/m.test(c.output) && ["node", "cargo", "go"].includes(c.tool)) {
        return `${c.tool} rejected the arguments of \`${c.command}\``;
      }
      const usage = /^(?:ERROR: |error: )?usage: (\S+)/im.exec(c.output);
      if (usage !== null && sameTool(posix.basename(usage[1] as string), c.tool)) {
        return `${c.tool} printed its usage: \`${c.command}\` calls it with arguments it does not accept`;
      }
      return undefined;
    },
  },
];

/** Says whose fault a failed verify command is. Call only for a command that did not pass. */
export function classifyVerifyFailure(result: VerifyCommandResult): VerifyFailure {
  if (result.timedOut) return { kind: "timeout" };
  if (result.aborted) return { kind: "aborted" };
  if (result.spawnError !== undefined) return { kind: "command", rule: "spawn-failed", reason: `\`${result.command}\` could not be started: ${result.spawnError}` };
  if (result.exitCode === null || result.exitCode === 0) return { kind: "code" };
  const ctx: FaultContext = { command: result.command, exitCode: result.exitCode, output: result.output, tool: toolOf(result.command) };
  for (const r of FAULT_RULES) {
    const reason = r.test(ctx);
    if (reason !== undefined) return { kind: "command", rule: r.rule, reason };
  }
  return { kind: "code" };
}

function notFoundReason(c: FaultContext): string {
  const m = SHELL_NOT_FOUND.exec(c.output) ?? /^(.+?): command not found\s*$/m.exec(c.output);
  const what = m === null ? c.tool : (m[1] as string);
  return `${what} was not found (from \`${c.command}\`); install it or change the verify command`;
}

/** The program a shell command runs, for matching tool-specific rules. */
function toolOf(command: string): string {
  const words = command.trim().split(/\s+/);
  let k = 0;
  while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k] as string)) k++;
  if (words[k] === "env" || words[k] === "exec") k++;
  if (words[k] === "timeout") k += 2; // "timeout 60 pytest": skip the duration too
  const first = posix.basename(words[k] ?? "");
  if (/^python[0-9.]*$/.test(first)) {
    const m = words.indexOf("-m", k);
    if (m >= 0 && words[m + 1] !== undefined) return words[m + 1] as string;
  }
  if ((first === "npx" || first === "uv" || first === "poetry") && words[k + 1] !== undefined) {
    return posix.basename(words[k + 1] === "run" ? (words[k + 2] ?? "") : (words[k + 1] as string));
  }
  return first;
}

function sameTool(a: string, b: string): boolean {
  const strip = (s: string): string => s.replace(/[0-9.]+$/, "").toLowerCase();
  return a !== "" && strip(a) === strip(b);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// ANSI colour and cursor sequences; CI=1 turns most colour off but not all.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/**
 * Normalises failure output so that the same error reads the same on every
 * attempt: ANSI codes, temp and absolute paths (the basename is kept, since
 * which file fails matters), hex addresses and hashes, timings, line:col
 * positions and remaining numbers are replaced, and whitespace is collapsed.
 * Numbers go too, as DESIGN.md §8 asks: "expected 3, got 4" and "expected 3,
 * got 5" are the same failure for deciding that the model is going in circles.
 */
export function normaliseErrorText(text: string): string {
  const lines = stripAnsi(text).replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  for (const raw of lines) {
    let line = raw;
    line = line.replace(/\b0x[0-9a-fA-F]+\b/g, "<addr>");
    line = line.replace(/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, "<uuid>");
    line = line.replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}\b/g, "<hex>");
    line = line.replace(/(?:\/tmp|\/var\/folders|\/private\/var|\/var\/tmp)(?:\/[^\s:'"`()[\]<>,;]+)+/g, (p) => `<tmp>/${posix.basename(p)}`);
    line = line.replace(/(?<![\w.~<>])(?:\/[^\s/:'"`()[\]<>,;]+){2,}/g, (p) => `<abs>/${posix.basename(p)}`);
    line = line.replace(/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|µs|us|ns|m|min)\b/g, "<time>");
    line = line.replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<timestamp>");
    // Last: every remaining number, which also covers line:col positions and counts.
    line = line.replace(/\d+(?:\.\d+)?/g, "#");
    line = line.replace(/\s+/g, " ").trim();
    if (line !== "") out.push(line);
  }
  return out.join("\n");
}

/**
 * A short stable id for "the same failure": the command plus its normalised
 * output. The fix loop stops when an attempt's fingerprint equals an earlier one.
 */
export function errorFingerprint(result: Pick<VerifyCommandResult, "command" | "output">): string {
  return createHash("sha256").update(result.command).update("\n").update(normaliseErrorText(result.output)).digest("hex").slice(0, 16);
}

/** Most characters of verify output a fix prompt holds (about 1000 tokens of ordinary output). */
export const PROMPT_TAIL_MAX_CHARS = 4000;

export interface PromptTailLimits {
  /** Most lines to keep (default 60). */
  maxLines?: number;
  /** Most characters to keep (default 4000), about 1000 tokens. */
  maxChars?: number;
}

/**
 * The part of a verify output worth putting into a fix prompt: the tail, where
 * tracebacks, assertion diffs and summaries end up, bounded by lines and
 * characters. If the first line that says "error" lies before the tail (a
 * compiler's first error is usually the real one), it is kept in front with
 * the two lines after it. Progress-bar carriage returns keep their last frame.
 */
export function trimOutputForPrompt(output: string, limits: PromptTailLimits = {}): string {
  const maxLines = limits.maxLines ?? 60;
  const maxChars = limits.maxChars ?? PROMPT_TAIL_MAX_CHARS;
  // Room for the omission markers, so the whole result stays within maxChars.
  const budget = Math.max(maxChars - 80, 1);
  const lines = stripAnsi(output)
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((l) => l.slice(l.lastIndexOf("\r") + 1).trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length <= maxLines && lines.join("\n").length <= maxChars) return lines.join("\n");

  // Take lines from the end while both budgets allow; a single over-long last line keeps its end.
  const tail: string[] = [];
  let chars = 0;
  for (let k = lines.length - 1; k >= 0 && tail.length < maxLines; k--) {
    const line = lines[k] as string;
    if (chars + line.length + 1 > budget) {
      if (tail.length === 0) {
        tail.unshift("…" + line.slice(line.length - (budget - 1)));
        chars = budget;
      }
      break;
    }
    tail.unshift(line);
    chars += line.length + 1;
  }
  const tailStart = lines.length - tail.length;

  const firstError = lines.findIndex((l) => /\berror\b|Traceback|FAILED|\bfailed\b/i.test(l));
  let front: string[] = [];
  if (firstError >= 0 && firstError < tailStart) {
    front = lines.slice(firstError, Math.min(firstError + 3, tailStart));
    const frontChars = front.join("\n").length + 1;
    // The front excerpt must not push the whole over the budget: trim the tail instead.
    while (tail.length > 1 && (chars + frontChars > budget || tail.length + front.length > maxLines)) {
      chars -= (tail.shift() as string).length + 1;
    }
    if (chars + frontChars > budget) front = [];
  }
  const omitted = lines.length - tail.length - front.length;
  const parts: string[] = [];
  if (front.length > 0) {
    if (firstError > 0) parts.push(`[… ${firstError} lines omitted …]`);
    parts.push(...front);
    if (omitted > firstError) parts.push(`[… ${omitted - firstError} lines omitted …]`);
  } else {
    parts.push(`[… ${omitted} earlier lines omitted …]`);
  }
  parts.push(...tail);
  return parts.join("\n");
}

function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
