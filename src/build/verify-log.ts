// Renders a verify run as the plain text of a trace's verify.log (DESIGN.md §9):
// each command, its captured output, how it ended and how long it took, then
// the commands that were not run. Written for a person reading a failed attempt.

import type { VerifyCommandResult, VerifyRunResult } from "./verify-runner.js";

/** Text of verify.log for one run; `cwd` is shown in the header when given. */
export function formatVerifyLog(run: VerifyRunResult, cwd?: string): string {
  const out: string[] = [];
  if (cwd !== undefined) out.push(`# verify in ${cwd}`, "");
  for (const r of run.results) {
    out.push(`$ ${r.command}`);
    if (r.output !== "") out.push(r.output.endsWith("\n") ? r.output.slice(0, -1) : r.output);
    out.push(`[${describeEnd(r)} · ${formatDuration(r.durationMs)}${r.truncatedBytes > 0 ? ` · ${r.truncatedBytes} bytes of output elided` : ""}]`, "");
  }
  for (const command of run.notRun) out.push(`$ ${command}`, `[not run: ${run.aborted ? "the run was aborted" : "an earlier command failed"}]`, "");
  out.push(`# ${run.ok ? "passed" : run.aborted ? "aborted" : "failed"} in ${formatDuration(run.durationMs)}`);
  return out.join("\n") + "\n";
}

/** How a command ended, e.g. "exit 1", "timed out, killed (SIGTERM)", "could not start: …". */
export function describeEnd(r: VerifyCommandResult): string {
  if (r.spawnError !== undefined) return `could not start: ${r.spawnError.split("\n")[0] ?? ""}`;
  const how = r.signal !== null ? `killed (${r.signal})` : `exit ${r.exitCode ?? "?"}`;
  if (r.timedOut) return `timed out, ${how}`;
  if (r.aborted) return `aborted, ${how}`;
  return how;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
