// How long Ctrl-C takes to stop a side-by-side `specwright compare` (issue 17):
// the calc project, two fake Ollamas with one model each, the CLI as a child
// process. SIGINT is sent once both models are in flight — A's T002 verify
// command sleeping (its test file sleeps at import), B's T003 stream hung
// part-way — and the time from the signal to the process's exit is measured.
// Prints each figure and the median of BENCH_REPEATS (default 5).
// Run: npm run build && node dist/bench/compare-stop.js

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeOllama, type RecordedRequest, type ReplyScript } from "../test/fake-ollama/server.js";
import { ARITH, CLI as CLI_REPLY, TEST_RIGHT, taskOf, writeCalcProject } from "../test/helpers/calc-build.js";
import { addEndpoints } from "../test/helpers/compare-project.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 5);
const A = "coder-a:7b";
const B = "coder-b:7b";

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function once(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "specwright-bench-stop-"));
  const marker = join(dir, "..", `${dir.split("/").pop()}-verify-running`);
  const sleeping = TEST_RIGHT.replace("import unittest\n", `import time, unittest\nopen(${JSON.stringify(marker)}, "w").write("1")\ntime.sleep(60)\n`);
  const reply = (q: RecordedRequest): ReplyScript => {
    const task = taskOf(q);
    if (task === "T001") return { content: ARITH };
    if (task === "T002") return { content: q.model === A ? sleeping : TEST_RIGHT };
    return q.model === B ? { content: CLI_REPLY, fault: { kind: "hang", afterChunks: 3 } } : { content: CLI_REPLY };
  };
  const a = await startFakeOllama({ models: [{ name: A, sizeBytes: 4e9 }], defaultReply: reply });
  const b = await startFakeOllama({ models: [{ name: B, sizeBytes: 4e9 }], defaultReply: reply });
  try {
    await writeCalcProject(dir);
    await addEndpoints(dir, [{ url: a.url, models: [A] }, { url: b.url, models: [B] }]);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", XDG_CONFIG_HOME: join(dir, ".none"), SPECWRIGHT_BUILD_REVIEW: "off" };
    delete env["OLLAMA_HOST"];
    const child = spawn(process.execPath, [CLI, "compare", "--models", `${A},${B}`], { cwd: dir, env, stdio: ["ignore", "ignore", "ignore"] });
    const exited = new Promise<number>((resolve) => child.on("close", () => resolve(performance.now())));
    const inFlight = () => existsSync(marker) && b.promptRequests().some((q) => taskOf(q) === "T003");
    const deadline = Date.now() + 60_000;
    while (!inFlight()) {
      if (Date.now() > deadline) throw new Error("the two models never got in flight");
      await new Promise((r) => setTimeout(r, 10));
    }
    const sent = performance.now();
    child.kill("SIGINT");
    return (await exited) - sent;
  } finally {
    await Promise.all([a.close(), b.close()]);
    await rm(dir, { recursive: true, force: true });
    await rm(marker, { force: true });
  }
}

const figures: number[] = [];
for (let i = 0; i < REPEATS; i++) figures.push(await once());
console.log(`SIGINT to exit, side by side (A in verify, B mid-stream): ${figures.map((ms) => ms.toFixed(0)).join(", ")} ms; median ${median(figures).toFixed(0)} ms over ${REPEATS}`);
