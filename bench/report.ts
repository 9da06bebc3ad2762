// Report benchmark (issue 17): `specwright report --json` as a process over
// 100 build runs × 50 tasks written by the real trace writers (about a third
// of the tasks need one or two fixes, each failure with a pytest-sized
// verify.log), next to `specwright --version` in the same run. Prints medians
// and the cost per 1,000 calls (target: well under a second).
// Run: npx tsc -p tsconfig.json && node dist/bench/report.js
// Knobs (env): BENCH_RUNS (100), BENCH_TASKS (50), BENCH_REPEATS (5), BENCH_KEEP=1 keeps the project,
// BENCH_REVIEW=1 has the judge review every attempt that passed verify (re-asked every 10th task) as
// `[build] review` does: its calls count with the attempts, as `specwright traces` counts them.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pytestFailure, writeSyntheticRun, type SyntheticAttempt } from "../test/helpers/synthetic-build-runs.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const RUNS = Number(process.env["BENCH_RUNS"] ?? 100);
const TASKS = Number(process.env["BENCH_TASKS"] ?? 50);
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 5);
const REVIEW = process.env["BENCH_REVIEW"] === "1";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (Linux; 10 ms ticks); undefined elsewhere. */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    // Fields 16 and 17 of stat (cutime, cstime), counted after the ") " that ends the command name.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function time(args: string[], cwd: string): { ms: number; cpuMs: number | undefined; stdout: string } {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuAfter = childrenCpuMs();
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, stdout: r.stdout };
}

async function main(): Promise<void> {
  const project = mkdtempSync(join(tmpdir(), "specwright-bench-report-"));
  try {
    writeFileSync(join(project, "specwright.toml"), '[project]\nname = "bench"\n');
    const writeStart = Date.now();
    let calls = 0;
    for (let r = 0; r < RUNS; r++) {
      const tasks: Record<string, { outcome?: "done" | "failed"; attempts: SyntheticAttempt[] }> = {};
      for (let t = 1; t <= TASKS; t++) {
        const id = `T${String(t).padStart(3, "0")}`;
        // Deterministic mix: every third task needs a fix, every seventh two, every 25th fails after three.
        const fixes = t % 25 === 0 ? 3 : t % 7 === 0 ? 2 : t % 3 === 0 ? 1 : 0;
        const attempts: SyntheticAttempt[] = [];
        for (let k = 0; k < fixes; k++) attempts.push({ cachedPromptTokens: k * 900, verify: { pass: false, command: "python3 -m pytest -q tests", output: pytestFailure(id, r + k) } });
        const reviewCalls = REVIEW ? (t % 10 === 0 ? 2 : 1) : 0;
        if (t % 25 !== 0) attempts.push({ cachedPromptTokens: fixes * 900, verify: { pass: true }, ...(REVIEW ? { reviewCalls, review: { outcome: "passed", pass: 3, fail: 0, cannotTell: 0, findings: [] } } : {}) });
        tasks[id] = { ...(t % 25 === 0 ? { outcome: "failed" as const } : {}), attempts };
        calls += attempts.length + (t % 25 !== 0 ? reviewCalls : 0);
      }
      const day = new Date(Date.UTC(2026, 9, 1) + r * 3_600_000).toISOString();
      await writeSyntheticRun(project, { startedAt: day, finishedAt: day, tasks });
    }
    console.log(`wrote ${RUNS} runs × ${TASKS} tasks = ${calls} calls${REVIEW ? " (reviews included)" : ""} in ${((Date.now() - writeStart) / 1000).toFixed(1)} s (${project})`);

    const version: number[] = [];
    const report: number[] = [];
    const text: number[] = [];
    const versionCpu: number[] = [];
    const reportCpu: number[] = [];
    let json = "";
    for (let i = 0; i < REPEATS; i++) {
      // Interleaved, so machine load hits every measurement alike.
      const v = time([CLI, "--version"], project);
      version.push(v.ms);
      if (v.cpuMs !== undefined) versionCpu.push(v.cpuMs);
      const r = time([CLI, "report", "--json"], project);
      report.push(r.ms);
      if (r.cpuMs !== undefined) reportCpu.push(r.cpuMs);
      json = r.stdout;
      text.push(time([CLI, "report"], project).ms);
    }
    const parsed = JSON.parse(json) as { totals: { calls: number } };
    if (parsed.totals.calls !== calls) throw new Error(`report counted ${parsed.totals.calls} calls, ${calls} were written`);
    const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
    console.log(`medians of ${REPEATS} (all as processes):`);
    console.log(`  specwright --version        ${fmt(median(version))}`);
    console.log(`  specwright report --json    ${fmt(median(report))}`);
    console.log(`  specwright report (text)    ${fmt(median(text))}`);
    const net = median(report) - median(version);
    console.log(`  report beyond start-up      ${fmt(net)} for ${calls} calls = ${((net / calls) * 1000).toFixed(0)} ms per 1,000 calls (target: well under 1,000 ms)`);
    if (reportCpu.length > 0) {
      // On a loaded machine wall time mostly measures the wait for a core; CPU time is the work.
      const netCpu = median(reportCpu) - median(versionCpu);
      console.log(`  CPU (user+sys): --version ${fmt(median(versionCpu))}, report --json ${fmt(median(reportCpu))}; beyond start-up ${fmt(netCpu)} = ${((netCpu / calls) * 1000).toFixed(0)} ms per 1,000 calls`);
    }
    console.log(`  load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
  } finally {
    if (process.env["BENCH_KEEP"] !== "1") rmSync(project, { recursive: true, force: true });
  }
}

await main();
