// `specwright validate` as the user runs it: a separate process on a project
// whose specs/ holds a generated ~1 MB and ~2 MB corpus (SMD+AMD pairs), and a
// single 2 MB SMD, against a small project (the `init` example) and a bare
// node start measured in the same run, interleaved so machine load hits every
// measurement alike. Prints medians of wall time, the time beyond the small
// project's, the CPU time the process used (all threads; less sensitive to a
// busy machine than wall time), and peak RSS (both from inside the process,
// via report-rss.js).
// Run with `node dist/bench/validate.js` after `npm run build`;
// BENCH_RUNS sets the number of runs (default 7). BENCH_COMPARE=<path to
// another build's dist/src/cli/main.js> measures that build too, interleaved
// in the same run, for a before/after under the same load.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateCorpus, generateLargeSmd } from "./spec-corpus.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const PRELOAD = pathToFileURL(join(ROOT, "dist", "bench", "report-rss.js")).href;
const RUNS = Number(process.env["BENCH_RUNS"] ?? 7);
const COMPARE = process.env["BENCH_COMPARE"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Case {
  label: string;
  dir: string;
  bytes: number;
  args: string[];
  wall: number[];
  cpu: number[];
  rss: number[];
}

function project(base: string, name: string, files: { file: string; text: string }[]): Case {
  const dir = join(base, name);
  mkdirSync(join(dir, "specs"), { recursive: true });
  writeFileSync(join(dir, "specwright.toml"), `[project]\nname = "${name}"\n`);
  for (const f of files) writeFileSync(join(dir, f.file), f.text);
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  return { label: name, dir, bytes, args: ["--import", PRELOAD, CLI, "validate"], wall: [], cpu: [], rss: [] };
}

function run(c: Case, rssFile: string): void {
  writeFileSync(rssFile, "");
  const start = process.hrtime.bigint();
  const r = spawnSync("node", c.args, { cwd: c.dir, stdio: "ignore", env: { ...process.env, NO_COLOR: "1", BENCH_RSS_FILE: rssFile } });
  c.wall.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (r.status !== 0) throw new Error(`${c.label}: validate exited ${r.status}`);
  const [rss, cpu] = (readFileSync(rssFile, "utf8").trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  if (rss !== undefined && Number.isFinite(rss) && rss > 0) c.rss.push(rss);
  if (cpu !== undefined && Number.isFinite(cpu)) c.cpu.push(cpu);
}

function main(): void {
  const base = mkdtempSync(join(tmpdir(), "specwright-bench-validate-"));
  try {
    const small = join(base, "small");
    mkdirSync(small);
    spawnSync("node", [CLI, "init", "."], { cwd: small, stdio: "ignore" });
    const projects = [
      project(base, "corpus-1mb", generateCorpus(1_000_000)),
      project(base, "corpus-2mb", generateCorpus(2_000_000)),
      project(base, "one-file-2mb", [{ file: "specs/large.smd", text: generateLargeSmd(2_000_000) }]),
    ];
    const builds: [string, string][] = [["", CLI], ...(COMPARE ? [["compared ", resolve(COMPARE)] as [string, string]] : [])];
    const cases: Case[] = [{ label: "node -e ''", dir: base, bytes: 0, args: ["--import", PRELOAD, "-e", ""], wall: [], cpu: [], rss: [] }];
    for (const [prefix, cli] of builds) {
      cases.push({ label: `${prefix}small (init)`, dir: small, bytes: 0, args: ["--import", PRELOAD, cli, "validate"], wall: [], cpu: [], rss: [] });
      for (const p of projects) cases.push({ ...p, label: `${prefix}${p.label}`, args: ["--import", PRELOAD, cli, "validate"], wall: [], cpu: [], rss: [] });
    }
    const rssFile = join(base, "rss.txt");
    for (const c of cases) run(c, rssFile); // warm the file cache; not counted
    for (const c of cases) [c.wall, c.cpu, c.rss] = [[], [], []];
    for (let i = 0; i < RUNS; i++) for (const c of cases) run(c, rssFile);
    console.log(`specwright validate as a process, ${RUNS} runs each, medians (node ${process.version}; beyond = over the small project of the same build, i.e. past process start):`);
    let baseline = 0;
    let baselineCpu = 0;
    for (const c of cases) {
      const ms = median(c.wall);
      const cpu = median(c.cpu);
      if (c.label.endsWith("small (init)")) [baseline, baselineCpu] = [ms, cpu];
      const size = c.bytes > 0 ? ` ${(c.bytes / 1e6).toFixed(2)} MB` : "";
      const beyond = c.bytes > 0 ? ` (${(ms - baseline).toFixed(0)} beyond)` : "";
      const beyondCpu = c.bytes > 0 ? ` (${(cpu - baselineCpu).toFixed(0)} beyond)` : "";
      const rss = c.rss.length > 0 ? `, peak RSS ${(median(c.rss) / 1024).toFixed(0)} MB` : "";
      console.log(`  ${c.label.padEnd(22)}${size.padEnd(9)} wall ${ms.toFixed(0).padStart(5)} ms${beyond.padEnd(14)} [min ${Math.min(...c.wall).toFixed(0)}, max ${Math.max(...c.wall).toFixed(0)}], CPU ${cpu.toFixed(0).padStart(5)} ms${beyondCpu.padEnd(14)}${rss}`);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main();
