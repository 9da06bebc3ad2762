// Preloaded into a benchmarked process (`node --import …/report-rss.js`): on
// exit, appends the process's peak resident set size (KiB) and the CPU time it
// used (ms, every thread: GC and JIT threads included) to the file named by
// BENCH_RSS_FILE, so the benchmark can report what the real CLI used.

import { appendFileSync } from "node:fs";

const file = process.env["BENCH_RSS_FILE"];
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${usage.maxRSS} ${(usage.userCPUTime + usage.systemCPUTime) / 1000}\n`);
  });
}
