// `specwright doctor`'s text output fits an 80-column terminal: prose and long
// values wrap between words under their column, and nothing is cut — every
// problem and fix of the --json report is in the text whole once its wrapped
// lines are joined. Checked for an Ollama project (with and without
// endpoints, an old server with warnings) and for OpenAI-compatible endpoints
// (llama-server given more slots than it has, vLLM with an unset key), each
// with the probe run.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama } from "../fake-ollama/server.js";
import { startFakeOpenAi } from "../fake-openai/server.js";
import { closedPortUrl, runCli, tempDir } from "../helpers/cli.js";
import { linesOver80, unwrapped } from "../helpers/doctor-text.js";

let dir: string;
let cleanup: () => Promise<void>;
const servers: { close(): Promise<void> }[] = [];
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await cleanup();
});

interface Report {
  host: string;
  problems: { severity: string; problem: string; fix: string }[];
}

/** Runs doctor as text and as --json; the text must fit 80 columns and hold every problem, fix and the host whole. */
async function expectFitsWhole(env: Record<string, string> = {}): Promise<{ text: string; report: Report; sentences: string }> {
  const text = await runCli(["doctor"], { cwd: dir, env });
  const json = await runCli(["doctor", "--json"], { cwd: dir, env });
  expect(text.exitCode, text.stdout + text.stderr).toBe(0);
  expect(linesOver80(text.stdout)).toEqual([]);
  const report = JSON.parse(json.stdout) as Report;
  const joined = unwrapped(text.stdout);
  expect(report.problems.length).toBeGreaterThan(0);
  // The prefix cache's verdict on a fake server is timed in fractions of a millisecond: it may differ between the two runs.
  for (const p of report.problems.filter((q) => !q.problem.startsWith("the prefix cache did not serve"))) {
    expect(joined).toContain(`${p.severity}: ${p.problem}\n`);
    expect(joined).toContain(`  fix: ${p.fix}\n`);
  }
  expect(text.stdout).toMatch(new RegExp(`^ {2}host {14}${report.host.replace(/[.]/g, "\\.")}$`, "m"));
  return { text: joined, report, sentences: joined.replace(/\n/g, " ") };
}

const MODEL = `[model]\ndefault = "qwen2.5-coder:14b"\n`;

describe("doctor's text fits 80 columns", () => {
  it("for an Ollama project: an old server's warnings, and two endpoints with one down", async () => {
    const ollama = await startFakeOllama({ profile: "0.12.3" });
    servers.push(ollama);
    await writeFile(join(dir, "specwright.toml"), MODEL);
    const plain = await expectFitsWhole({ OLLAMA_HOST: ollama.url });
    expect(plain.text).toMatch(/^ {2}num_ctx {11}auto \(sized per run from its largest prompt; the probe used \d+\)$/m);

    const down = await closedPortUrl();
    await writeFile(join(dir, "specwright.toml"), `${MODEL}\n[[model.endpoints]]\nurl = "${ollama.url}"\nkind = "ollama"\n\n[[model.endpoints]]\nurl = "${down}"\nkind = "ollama"\n`);
    const endpoints = await expectFitsWhole();
    expect(endpoints.sentences).toContain(`The checks below are of ${ollama.url}, the first endpoint serving the role's model.`);
    expect(endpoints.report.problems.map((p) => p.problem)).toEqual(expect.arrayContaining([expect.stringContaining(`endpoint ${down}`)]));
  });

  it("for OpenAI-compatible endpoints: llama-server given more slots than it runs, vLLM with its key variable unset", async () => {
    const llama = await startFakeOpenAi({ flavour: "llama-server", models: ["qwen2.5-coder:14b"], contextLength: 16384, totalSlots: 2 });
    const vllm = await startFakeOpenAi({ flavour: "vllm", models: ["coder"], contextLength: 16384, root: "Qwen/Qwen2.5-Coder-14B-Instruct" });
    servers.push(llama, vllm);
    await writeFile(join(dir, "specwright.toml"), `${MODEL}\n[[model.endpoints]]\nurl = "${llama.url}/v1"\nkind = "openai"\nslots = 4\n`);
    const first = await expectFitsWhole();
    expect(first.report.problems.map((p) => p.problem)).toContain(`endpoint ${llama.url}/v1 is given 4 slots but the server runs 2 requests at once`);
    expect(first.sentences).toContain(`The checks below are of ${llama.url}/v1, the first endpoint serving the role's model.`);

    await writeFile(join(dir, "specwright.toml"), `[model]\ndefault = "coder"\n\n[[model.endpoints]]\nurl = "${vllm.url}/v1"\nkind = "openai"\nslots = 2\napi_key_env = "DOCTOR_NOT_SET_ANYWHERE"\n`);
    const second = await expectFitsWhole();
    expect(second.report.problems.map((p) => p.problem)).toContain(`endpoint ${vllm.url}/v1: api_key_env names DOCTOR_NOT_SET_ANYWHERE, which is not set`);
  });
});
