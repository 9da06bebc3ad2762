// Start-up benchmark: `specwright --version` / `--help` and the time to the
// first TUI frame, each against a bare node start measured in the same run.
// The TUI runs in a real pseudo-terminal (`script`, 80×24) on a project made
// by `specwright init`; "first frame" is the moment the footer's key hints appear on
// the terminal. Run with `node dist/bench/startup.js` after `npm run build`.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const RUNS = Number(process.env["BENCH_RUNS"] ?? 9);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeCommand(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync("node", args, { cwd, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Spawn → the first output containing `marker` on a pty; then the process is stopped. */
function timeToOutput(command: string, cwd: string, marker: string, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn("script", ["-qfec", `stty rows 24 cols 80; ${command}`, "/dev/null"], {
      cwd,
      env: { ...process.env, TERM: "xterm-256color", NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "ignore"],
      detached: true,
    });
    let seen = "";
    let done = false;
    const finish = (value: number | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
      if (value instanceof Error) reject(value);
      else resolvePromise(value);
    };
    const timer = setTimeout(() => finish(new Error(`no "${marker}" within ${timeoutMs} ms; saw: ${JSON.stringify(seen.slice(-300))}`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      if (seen.includes(marker)) finish(Number(process.hrtime.bigint() - start) / 1e6);
    });
    child.on("exit", () => {
      if (marker === "") finish(Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}

async function main(): Promise<void> {
  const project = mkdtempSync(join(tmpdir(), "specwright-startup-"));
  try {
    spawnSync("node", [CLI, "init", "."], { cwd: project, stdio: "ignore" });
    const node: number[] = [];
    const version: number[] = [];
    const help: number[] = [];
    const ptyNode: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so machine load hits every measurement alike.
      node.push(timeCommand(["-e", ""], project));
      version.push(timeCommand([CLI, "--version"], project));
      help.push(timeCommand([CLI, "--help"], project));
      ptyNode.push(await timeToOutput(`node -e "process.stdout.write('ready')"`, project, "ready"));
      frame.push(await timeToOutput(`node ${CLI}`, project, "? help"));
    }
    const row = (label: string, values: number[], base: number[], target: string) =>
      `${label.padEnd(42)} ${median(values).toFixed(1).padStart(7)} ms  (min ${Math.min(...values).toFixed(1)})  ${(median(values) / median(base)).toFixed(2)}× baseline  ${target}`;
    console.log(`startup benchmark: node ${process.version}, ${RUNS} interleaved runs, medians`);
    console.log(row("node -e '' (baseline)", node, node, ""));
    console.log(row("specwright --version", version, node, "target < 150 ms"));
    console.log(row("specwright --help", help, node, ""));
    console.log(row("pty: node prints a word (pty baseline)", ptyNode, ptyNode, ""));
    console.log(row("pty: specwright → first TUI frame", frame, ptyNode, "target < 700 ms"));
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

await main();
