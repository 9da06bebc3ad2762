// `specwright plan --check` (and `validate`) with `[test] require_coverage = true`,
// as the user runs it (a separate process), against the key off and a bare node start in
// the same run, interleaved so machine load hits every measurement alike:
//  - wordfreq: examples/wordfreq with test/fixtures/vmd/wordfreq.vmd and its
//    plan from the architecture (every requirement covered: exit 0);
//  - markman: Ossature's three-spec example (test/fixtures/ossature/markman)
//    with its .ossature/plan.toml imported and one .vmd per spec covering
//    every other requirement (the rest are errors: exit 1);
//  - corpus-1mb: the generated ~1 MB corpus (SMD+AMD pairs) planned from the
//    architecture, one .vmd per spec covering half its requirements.
// Each project is also measured with the key off, so the ledger's own cost
// shows. Prints medians of wall time and CPU time (report-rss.js).
// Run with `node dist/bench/plan-check-coverage.js` after `npm run build`;
// BENCH_RUNS sets the number of runs (default 7).

import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateCorpus } from "./spec-corpus.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const PRELOAD = pathToFileURL(join(ROOT, "dist", "bench", "report-rss.js")).href;
const RUNS = Number(process.env["BENCH_RUNS"] ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Case {
  label: string;
  dir: string;
  args: string[];
  env: Record<string, string>;
  /** The exit code the case must end with (a wrong one means the setup is not what it claims). */
  exit: number;
  wall: number[];
  cpu: number[];
}

function cli(dir: string, ...args: string[]): string {
  const r = spawnSync("node", [CLI, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (r.status !== 0) throw new Error(`${dir}: specwright ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** `@covers` groups for the given requirement headings of a spec: what a person writes to cover them with cases. */
function vmdCovering(spec: string, titles: readonly string[]): string {
  return [`@spec ${spec}`, "", ...titles.map((t, i) => `@covers "${t}"\ncheck_${i}(x)\none | 1 | 1\n`)].join("\n");
}

/** The `###` headings of the `## Requirements` section, without `{…}` attributes or `[inferred]`. */
function anchorsOf(smd: string): string[] {
  const section = /^## Requirements\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(smd)?.[1] ?? "";
  return [...section.matchAll(/^### (.+)$/gm)].map((m) => m[1]!.replace(/\{[^}]*\}|\[inferred\]/g, "").trim());
}

function run(c: Case, rssFile: string): void {
  writeFileSync(rssFile, "");
  const start = process.hrtime.bigint();
  const r = spawnSync("node", ["--import", PRELOAD, ...c.args], { cwd: c.dir, stdio: "ignore", env: { ...process.env, NO_COLOR: "1", BENCH_RSS_FILE: rssFile, ...c.env } });
  c.wall.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (r.status !== c.exit) throw new Error(`${c.label}: exited ${r.status}, expected ${c.exit}`);
  const cpu = Number((readFileSync(rssFile, "utf8").trim().split("\n").at(-1) ?? "").split(" ")[1]);
  if (Number.isFinite(cpu)) c.cpu.push(cpu);
}

function main(): void {
  const base = mkdtempSync(join(tmpdir(), "specwright-bench-coverage-"));
  try {
    // wordfreq: the example, its cases, a plan from its architecture.
    const wordfreq = join(base, "wordfreq");
    cpSync(join(ROOT, "examples", "wordfreq"), wordfreq, { recursive: true });
    cpSync(join(ROOT, "test", "fixtures", "vmd", "wordfreq.vmd"), join(wordfreq, "specs", "wordfreq.vmd"));
    cli(wordfreq, "plan", "--from-architecture");

    // markman: Ossature's example with its own plan imported; a .vmd per spec covering every other requirement.
    const markman = join(base, "markman");
    cpSync(join(ROOT, "test", "fixtures", "ossature", "markman"), markman, { recursive: true });
    cli(markman, "plan", "--import-ossature", "--yes");
    let markmanUncovered = 0;
    for (const file of readdirSync(join(markman, "specs")).filter((f) => f.endsWith(".smd"))) {
      const smd = readFileSync(join(markman, "specs", file), "utf8");
      const id = /^id:\s*(\S+)/m.exec(smd)![1]!;
      const anchors = anchorsOf(smd);
      markmanUncovered += anchors.length - Math.ceil(anchors.length / 2);
      writeFileSync(join(markman, "specs", file.replace(/\.smd$/, ".vmd")), vmdCovering(id, anchors.filter((_, i) => i % 2 === 0)));
    }

    // The generated corpus: planned from the architecture, half of each spec's requirements covered.
    const corpus = join(base, "corpus-1mb");
    mkdirSync(join(corpus, "specs"), { recursive: true });
    writeFileSync(join(corpus, "specwright.toml"), '[project]\nname = "corpus"\n');
    const files = generateCorpus(1_000_000);
    let corpusUncovered = 0;
    for (const f of files) {
      writeFileSync(join(corpus, f.file), f.text);
      if (!f.file.endsWith(".smd")) continue;
      const id = /^id:\s*(\S+)/m.exec(f.text)![1]!;
      const anchors = anchorsOf(f.text);
      corpusUncovered += anchors.length - Math.ceil(anchors.length / 2);
      writeFileSync(join(corpus, f.file.replace(/\.smd$/, ".vmd")), vmdCovering(id, anchors.filter((_, i) => i % 2 === 0)));
    }
    cli(corpus, "plan", "--from-architecture");

    for (const dir of [wordfreq, markman, corpus]) appendFileSync(join(dir, "specwright.toml"), "\n[test]\nrequire_coverage = true\n");

    const off = { SPECWRIGHT_TEST_REQUIRE_COVERAGE: "false" };
    const cases: Case[] = [{ label: "node -e ''", dir: base, args: ["-e", ""], env: {}, exit: 0, wall: [], cpu: [] }];
    for (const [name, dir, uncovered] of [["wordfreq", wordfreq, 0], ["markman", markman, markmanUncovered], ["corpus-1mb", corpus, corpusUncovered]] as const) {
      cases.push(
        { label: `${name} validate (off)`, dir, args: [CLI, "validate"], env: off, exit: 0, wall: [], cpu: [] },
        { label: `${name} validate (on)`, dir, args: [CLI, "validate"], env: {}, exit: uncovered > 0 ? 1 : 0, wall: [], cpu: [] },
        { label: `${name} plan --check (off)`, dir, args: [CLI, "plan", "--check"], env: off, exit: 0, wall: [], cpu: [] },
        { label: `${name} plan --check (on, ${uncovered} uncovered)`, dir, args: [CLI, "plan", "--check"], env: {}, exit: uncovered > 0 ? 1 : 0, wall: [], cpu: [] },
      );
    }
    const rssFile = join(base, "rss.txt");
    for (const c of cases) run(c, rssFile); // warm the file cache; not counted
    for (const c of cases) [c.wall, c.cpu] = [[], []];
    for (let i = 0; i < RUNS; i++) for (const c of cases) run(c, rssFile);
    console.log(`plan --check with [test] require_coverage as a process, ${RUNS} runs each, medians (node ${process.version}):`);
    for (const c of cases) {
      console.log(`  ${c.label.padEnd(44)} wall ${median(c.wall).toFixed(0).padStart(5)} ms [min ${Math.min(...c.wall).toFixed(0)}, max ${Math.max(...c.wall).toFixed(0)}], CPU ${median(c.cpu).toFixed(0).padStart(5)} ms`);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main();
