// Reads a verify.log (written by src/build/verify-log.ts) back into its
// commands: how each ended, how long it took, its output. The report needs the
// failing command's fingerprint — the same one the fix loop computes — and a
// short excerpt, so the format is parsed here rather than guessed at.

import { errorFingerprint, normaliseErrorText, trimOutputForPrompt } from "../build/verify-failure.js";

export interface LoggedCommand {
  command: string;
  /** "exit 0", "exit 1", "timed out, killed (SIGTERM)", "could not start: …", "not run: …". */
  end: string;
  passed: boolean;
  durationMs: number;
  output: string;
}

export interface VerifyLogSummary {
  /** "passed", "failed" or "aborted", from the closing line; undefined for a log cut short. */
  result: "passed" | "failed" | "aborted" | undefined;
  durationMs: number;
  commands: LoggedCommand[];
}

export interface VerifyFailureDigest {
  command: string;
  end: string;
  /** errorFingerprint of the command and its output: equal when the same error repeats. */
  fingerprint: string;
  /** The first line of the normalised output that reads like an error: the same mistake in different tasks shares it. */
  headline: string;
  /** The tail of the output, as a fix prompt would get it, bounded by `excerptChars`. */
  excerpt: string;
}

// `[exit 1 · 1.32 s]`, `[timed out, killed (SIGTERM) · 30.00 s · 12 bytes of output elided]`
const END_LINE = /^\[(.+?) · (\d+(?:\.\d+)?) (ms|s)(?: · \d+ bytes of output elided)?\]$/;
const NOT_RUN = /^\[not run: (.+)\]$/;
const CLOSING = /^# (passed|failed|aborted) in (\d+(?:\.\d+)?) (ms|s)$/;

export function parseVerifyLog(text: string): VerifyLogSummary {
  const lines = text.split("\n");
  const commands: LoggedCommand[] = [];
  let result: VerifyLogSummary["result"];
  let durationMs = 0;
  let current: { command: string; output: string[] } | undefined;
  for (const line of lines) {
    if (current === undefined) {
      if (line.startsWith("$ ")) current = { command: line.slice(2), output: [] };
      else {
        const closing = CLOSING.exec(line);
        if (closing) {
          result = closing[1] as "passed" | "failed" | "aborted";
          durationMs = toMs(closing[2]!, closing[3]!);
        }
      }
      continue;
    }
    const end = END_LINE.exec(line);
    const notRun = end ? null : NOT_RUN.exec(line);
    if (end || notRun) {
      const how = end ? end[1]! : `not run: ${notRun![1]!}`;
      commands.push({ command: current.command, end: how, passed: how === "exit 0", durationMs: end ? toMs(end[2]!, end[3]!) : 0, output: current.output.join("\n") });
      current = undefined;
    } else {
      current.output.push(line);
    }
  }
  if (durationMs === 0) durationMs = commands.reduce((s, c) => s + c.durationMs, 0);
  return { result, durationMs, commands };
}

/** The failing command of a log, digested; undefined when every command passed (or none ran). */
export function failureOf(log: VerifyLogSummary, excerptChars = 600): VerifyFailureDigest | undefined {
  const failed = log.commands.find((c) => !c.passed && !c.end.startsWith("not run"));
  if (failed === undefined) return undefined;
  return {
    command: failed.command,
    end: failed.end,
    fingerprint: errorFingerprint(failed),
    headline: headlineOf(failed),
    excerpt: trimOutputForPrompt(failed.output, { maxChars: excerptChars, maxLines: 12 }),
  };
}

const ERRORISH = /error|exception|traceback|assert|not ok|fail|cannot|undefined|unexpected|missing|no module|not found|expected/i;

function headlineOf(failed: LoggedCommand): string {
  const lines = normaliseErrorText(failed.output).split("\n").filter((l) => l !== "");
  // Lines that are only a runner's tally ("# fail #", "FAILED tests/x.py") say nothing about the mistake.
  const useful = lines.filter((l) => !/^(#|=+|-+|\.+)\s|^#\s*(tests|pass|fail|suites|cancelled|skipped|todo|duration_ms)\b/i.test(l));
  const hit = useful.find((l) => ERRORISH.test(l) && !/^(not ok|ok) #/.test(l)) ?? useful.find((l) => ERRORISH.test(l)) ?? useful[useful.length - 1];
  const text = hit ?? failed.end;
  return text.length > 160 ? text.slice(0, 159) + "…" : text;
}

function toMs(value: string, unit: string): number {
  return unit === "s" ? Number(value) * 1000 : Number(value);
}
