// Parser benchmark: validates a generated ~1 MB corpus of SMD+AMD specs and a
// single 2 MB SMD several times after a warm-up, and prints the median time
// and throughput. Run with `node dist/bench/parse.js` after `npm run build`.

import { validateSpecs } from "../grammar/index.js";
import { generateCorpus, generateLargeSmd } from "./spec-corpus.js";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function measure(label: string, files: { file: string; text: string }[], runs: number): void {
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  // Warm-up: lets V8 optimise the lexer and parser before anything is timed.
  for (let i = 0; i < 3; i++) validateSpecs(files);
  const times: number[] = [];
  // CPU time as well as wall time: on a shared machine the wall clock also counts other processes.
  const cpuTimes: number[] = [];
  let errors = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = validateSpecs(files);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    errors = result.diagnostics.filter((d) => d.severity === "error").length;
  }
  const ms = median(times);
  const mb = bytes / 1e6;
  console.log(
    `${label}: ${files.length} files, ${mb.toFixed(2)} MB, median ${ms.toFixed(1)} ms over ${runs} runs ` +
      `(min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}), ${(mb / (ms / 1000)).toFixed(1)} MB/s; ` +
      `CPU median ${median(cpuTimes).toFixed(1)} ms; ${errors} errors`,
  );
}

measure("corpus  ", generateCorpus(1_000_000), 15);
measure("one file", [{ file: "specs/large.smd", text: generateLargeSmd(2_000_000) }], 9);
