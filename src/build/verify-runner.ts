// Runs a task's verify commands: each via `sh -c` in the output dir, in its own
// process group, with CI=1 and stdin closed, fail-fast across the list. Output
// is streamed to a callback and captured with a byte cap (head and tail kept).
//
// Killing is ours, not execa's: execa's timeout, cancelSignal and
// forceKillAfterDelay signal only the direct child (the shell), so a test
// runner's workers or a backgrounded server would live on and keep the output
// pipe open. On timeout or abort the whole group gets SIGTERM, then SIGKILL
// after a grace period. When the shell exits, any process it left in its group
// is reaped the same way before the result is returned, so nothing a verify
// command starts outlives it — a child that ignores SIGTERM included. When
// specwright itself exits (a second Ctrl-C), an exit hook SIGKILLs every group
// still running; after a kill -9 the next run reaps them (process-groups.ts).
// Not covered: a process that leaves the group with `setsid`.

import { StringDecoder } from "node:string_decoder";
import { endGroup, reapGroup, startGroup } from "../process-groups.js";
import type { Redactor } from "../traces/redact.js";

/** Outcome of one verify command. */
export interface VerifyCommandResult {
  command: string;
  /** Exit code of the shell; null when it was killed by a signal or never started. */
  exitCode: number | null;
  /** Signal that ended the shell, e.g. "SIGTERM" after a timeout; null otherwise. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** stdout and stderr interleaved in arrival order; the middle elided when over the cap. */
  output: string;
  /** Bytes of output left out of `output` because of the cap. */
  truncatedBytes: number;
  /** Set when the shell could not be started at all (missing output dir, no `sh`). */
  spawnError?: string;
  /** stdout alone (capped like `output`), when `separateStreams` was asked for. */
  stdout?: string;
  /** stderr alone (capped like `output`), when `separateStreams` was asked for. */
  stderr?: string;
}

/** Outcome of a list of verify commands run fail-fast. */
export interface VerifyRunResult {
  /** True when every command ran and exited 0. */
  ok: boolean;
  /** Results of the commands that ran, in order; the last one is the failure when !ok. */
  results: VerifyCommandResult[];
  /** Commands not run because an earlier one failed or the run was aborted. */
  notRun: string[];
  aborted: boolean;
  durationMs: number;
}

export interface VerifyOptions {
  /** The output dir; commands run here. */
  cwd: string;
  /** Per-command timeout (from `build.verify_timeout`). */
  timeoutMs: number;
  /** Aborts the running command (whole group killed) and skips the rest. */
  signal?: AbortSignal;
  /** Receives output as it arrives, decoded as UTF-8 (never split inside a character). */
  onOutput?: (chunk: string, command: string) => void;
  /** Called once a command's shell has started; the pid is also its process group id. */
  onCommandStart?: (command: string, pid: number) => void;
  /** Cap on captured output per command (default 256 KiB); the head and tail halves are kept. */
  maxOutputBytes?: number;
  /** Wait between SIGTERM and SIGKILL (default 1000 ms; the target is a dead group 2 s after timeout). */
  killGraceMs?: number;
  /** Redacts secrets from the output (captured and streamed) as it arrives. */
  redactor?: Redactor;
  /** Extra environment on top of the parent's; CI=1 is always set. */
  env?: Readonly<Record<string, string>>;
  /** Also capture stdout and stderr each on its own (verification scenarios check them apart). */
  separateStreams?: boolean;
}

/** True when the command ran to completion with exit code 0. */
export function commandPassed(result: VerifyCommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.aborted && result.spawnError === undefined;
}

const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;
const DEFAULT_KILL_GRACE_MS = 1000;


/** Runs the commands in order and stops at the first one that does not pass. */
export async function runVerify(commands: readonly string[], options: VerifyOptions): Promise<VerifyRunResult> {
  const started = performance.now();
  const results: VerifyCommandResult[] = [];
  for (let k = 0; k < commands.length; k++) {
    const result = await runVerifyCommand(commands[k] as string, options);
    results.push(result);
    if (!commandPassed(result)) {
      return { ok: false, results, notRun: commands.slice(k + 1), aborted: result.aborted, durationMs: performance.now() - started };
    }
  }
  return { ok: true, results, notRun: [], aborted: false, durationMs: performance.now() - started };
}

/** Runs one command; never throws for anything the command does. */
export async function runVerifyCommand(command: string, options: VerifyOptions): Promise<VerifyCommandResult> {
  const started = performance.now();
  const capture = new OutputCapture(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  const apart = options.separateStreams === true ? [new OutputCapture(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES), new OutputCapture(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES)] : undefined;
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const base = { command, timedOut: false, aborted: false };
  if (options.signal?.aborted === true) {
    return { ...base, exitCode: null, signal: null, aborted: true, durationMs: 0, output: "", truncatedBytes: 0 };
  }

  // Loaded on first use: a build with nothing to verify (a no-op rebuild) never pays for execa.
  const { execa } = await import("execa");
  const subprocess = execa("sh", ["-c", command], {
    cwd: options.cwd,
    // Its own process group: we signal the whole group, and the terminal's Ctrl-C does not reach it.
    detached: true,
    stdin: "ignore",
    // Output is streamed to onOutput and kept head and tail (OutputCapture); execa's
    // maxBuffer would keep only the head, and kill the command when it is exceeded.
    buffer: false,
    // A failing command is a result to classify, never an exception.
    reject: false,
    // execa's exit cleanup skips detached children (and would kill only the shell);
    // the group killer of process-groups.ts is the exit hook.
    cleanup: false,
    env: { ...options.env, CI: "1" },
    extendEnv: true,
  });
  const pid = subprocess.pid;
  let endedBy: "timeout" | "abort" | undefined;
  let timeout: NodeJS.Timeout | undefined;
  let unblockPipes: NodeJS.Timeout | undefined;

  // Ends the group once: SIGTERM now, SIGKILL after the grace period if anything
  // is left (reapGroup). Started by a timeout, an abort, or the shell's exit.
  let reaping: Promise<void> | undefined;
  const reap = (): void => {
    if (pid === undefined || reaping !== undefined) return;
    reaping = reapGroup(pid, graceMs);
    // Last resort: stop waiting for pipes that an escaped process (setsid) holds open.
    unblockPipes = setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, graceMs * 2);
  };
  // Once the shell has exited, the command's result is settled: a timeout or
  // abort arriving while leftovers are reaped must not relabel it.
  let exited = false;
  const end = (why: "timeout" | "abort"): void => {
    if (endedBy !== undefined || exited) return;
    endedBy = why;
    reap();
  };

  const onAbort = (): void => end("abort");
  if (pid !== undefined) {
    startGroup(pid);
    options.onCommandStart?.(command, pid);
    timeout = setTimeout(() => end("timeout"), options.timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    // The shell is gone; reap whatever it left behind in its group.
    subprocess.once("exit", () => {
      exited = true;
      reap();
    });
  }

  for (const [index, stream] of [subprocess.stdout, subprocess.stderr].entries()) {
    if (stream === null) continue;
    const own = apart?.[index];
    const decoder = new StringDecoder("utf8");
    // Redacted before the cap cuts anything, so no secret is split by the
    // "bytes elided" marker with its first characters kept in the head.
    const secrets = options.redactor?.stream();
    const take = (text: string): void => {
      const safe = secrets ? secrets.push(text) : text;
      if (safe === "") return;
      capture.push(safe);
      own?.push(safe);
      options.onOutput?.(safe, command);
    };
    stream.on("data", (chunk: Buffer | string) => {
      const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
      if (text !== "") take(text);
    });
    stream.on("end", () => {
      const rest = decoder.end();
      if (rest !== "") take(rest);
      const held = secrets?.flush() ?? "";
      if (held !== "") {
        capture.push(held);
        own?.push(held);
        options.onOutput?.(held, command);
      }
    });
  }

  const outcome = await subprocess;
  clearTimeout(timeout);
  options.signal?.removeEventListener("abort", onAbort);
  // The pipes closing does not mean the group is gone (a child with its output
  // redirected keeps running): the result waits until the reaping is done.
  await reaping;
  clearTimeout(unblockPipes);
  if (pid !== undefined) endGroup(pid);

  const { output, truncatedBytes } = capture.finish();
  const result: VerifyCommandResult = {
    ...base,
    exitCode: outcome.exitCode ?? null,
    signal: (outcome.signal as NodeJS.Signals | undefined) ?? null,
    timedOut: endedBy === "timeout",
    aborted: endedBy === "abort",
    durationMs: performance.now() - started,
    output,
    truncatedBytes,
  };
  if (pid === undefined) result.spawnError = outcome.originalMessage ?? outcome.shortMessage ?? "the shell could not be started";
  if (apart) {
    result.stdout = apart[0]!.finish().output;
    result.stderr = apart[1]!.finish().output;
  }
  return result;
}

/**
 * Keeps the first and last halves of the cap. Memory stays bounded by the cap
 * plus one chunk however much a command prints; the elision is marked inline.
 */
class OutputCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: string[] = [];
  private headBytes = 0;
  private tail: { text: string; bytes: number }[] = [];
  private tailBytes = 0;
  private totalBytes = 0;

  constructor(maxBytes: number) {
    this.headLimit = Math.floor(maxBytes / 2);
    this.tailLimit = maxBytes - this.headLimit;
  }

  push(text: string): void {
    let bytes = Buffer.byteLength(text);
    this.totalBytes += bytes;
    if (this.headBytes < this.headLimit) {
      const room = this.headLimit - this.headBytes;
      if (bytes <= room) {
        this.head.push(text);
        this.headBytes += bytes;
        return;
      }
      const first = utf8Prefix(text, room);
      this.head.push(first);
      this.headBytes += Buffer.byteLength(first);
      text = text.slice(first.length);
      bytes = Buffer.byteLength(text);
    }
    this.tail.push({ text, bytes });
    this.tailBytes += bytes;
    // Drop whole chunks only while what is left still covers the tail budget.
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0] as { bytes: number }).bytes >= this.tailLimit) {
      this.tailBytes -= (this.tail.shift() as { bytes: number }).bytes;
    }
  }

  finish(): { output: string; truncatedBytes: number } {
    let tailText = this.tail.map((c) => c.text).join("");
    if (this.tailBytes > this.tailLimit) tailText = utf8Suffix(tailText, this.tailLimit);
    const kept = this.headBytes + Buffer.byteLength(tailText);
    const truncatedBytes = this.totalBytes - kept;
    const headText = this.head.join("");
    if (truncatedBytes === 0) return { output: headText + tailText, truncatedBytes };
    const marker = `${headText.endsWith("\n") ? "" : "\n"}[… ${truncatedBytes} bytes of output elided …]\n`;
    return { output: headText + marker + tailText, truncatedBytes };
  }
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}

/** The longest suffix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
function utf8Suffix(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= maxBytes) return text;
  let start = buf.length - maxBytes;
  while (start < buf.length && ((buf[start] as number) & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString("utf8");
}
