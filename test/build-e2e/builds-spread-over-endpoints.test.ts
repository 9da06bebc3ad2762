// Builds of examples/wordfreq against two fake Ollamas listed as
// [[model.endpoints]]: independent tasks spread over both, a task's fix goes
// to the endpoint of its first attempt, an endpoint killed mid-stream is
// dropped and its task starts again elsewhere, and with every endpoint down
// nothing is written (exit 3). Every assertion about where a call went reads
// the fakes' own request logs.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendFile, cp, readFile, readdir, stat } from "node:fs/promises";
import type { Dirent } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { exampleDir } from "../../src/demo/example-project.js";
import { preparedReply } from "../../src/demo/wordfreq-replies.js";
import { startFakeOllama, type FakeOllama, type RecordedRequest, type ReplyScript } from "../fake-ollama/server.js";
import { startFakeOpenAi, type FakeOpenAi } from "../fake-openai/server.js";
import { E2E_TEST_MS } from "../helpers/budget.js";
import { closedPortUrl, runCli, tempDir } from "../helpers/cli.js";

let dir: string;
let cleanup: () => Promise<void>;
const fakes: FakeOllama[] = [];
const openAiFakes: FakeOpenAi[] = [];

const reply = (request: RecordedRequest): ReplyScript => {
  const r = preparedReply(request.messages ?? []);
  return r.ok ? { content: r.content } : { content: r.message };
};

/** Which task a build request is for, and whether it continues a conversation (a fix). */
const taskOf = (r: RecordedRequest) => /^# Task (T\d+):/m.exec(r.messages?.find((m) => m.role === "user")?.content ?? "")?.[1];
const isFix = (r: RecordedRequest) => (r.messages ?? []).some((m) => m.role === "assistant");
const builds = (fake: FakeOllama) => fake.promptRequests().filter((r) => taskOf(r) !== undefined);
const label = (fake: FakeOllama, r: RecordedRequest) => `${fakes.indexOf(fake) === 0 ? "A" : "B"}:${taskOf(r)}${isFix(r) ? "+fix" : ""}`;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-endpoints-"));
  await cp(exampleDir(), dir, { recursive: true });
  // The plan comes from an instant fake of its own: what is measured here is the build.
  const planner = await startFakeOllama({ defaultReply: reply });
  try {
    const planned = await runCli(["plan"], { cwd: dir, env: { OLLAMA_HOST: planner.url } });
    expect(planned.exitCode, planned.stderr).toBe(0);
  } finally {
    await planner.close();
  }
});
afterEach(async () => {
  await Promise.all([...fakes.splice(0), ...openAiFakes.splice(0)].map((f) => f.close()));
  await cleanup();
});

async function listEndpoints(urls: string[], extra = ""): Promise<void> {
  await appendFile(join(dir, "specwright.toml"), urls.map((url) => `\n[[model.endpoints]]\nurl = "${url}"\nkind = "ollama"\n${extra}`).join(""));
}

async function twoFakes(options: Parameters<typeof startFakeOllama>[0] = {}): Promise<[FakeOllama, FakeOllama]> {
  const a = await startFakeOllama({ defaultReply: reply, ...options });
  const b = await startFakeOllama({ defaultReply: reply, ...options });
  fakes.push(a, b);
  return [a, b];
}

async function runJson(): Promise<{ summary: { endpoints: { endpoint: string; calls: number; tasks: string[]; state: string; reason?: string }[] } }> {
  const runs = join(dir, ".specwright", "runs");
  const build = (await readdir(runs)).filter((n) => n.endsWith("-build")).sort().at(-1)!;
  return JSON.parse(await readFile(join(runs, build, "run.json"), "utf8")) as never;
}

async function outputTestsPass(): Promise<void> {
  const tests = await execa("node", ["--test", "test/count.test.mjs", "test/cli.test.mjs"], { cwd: join(dir, "output"), reject: false });
  expect(tests.exitCode, tests.stdout).toBe(0);
}

describe("a build over two endpoints", () => {
  it("spreads independent tasks over both and keeps each task's fix on the endpoint of its first attempt", { timeout: E2E_TEST_MS }, async () => {
    const [a, b] = await twoFakes();
    await listEndpoints([a.url, b.url]);
    const r = await runCli(["build"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    await outputTestsPass();

    const onA = builds(a).map((q) => label(a, q));
    const onB = builds(b).map((q) => label(b, q));
    // T002 (the count tests, failing once) and T003 (the CLI) both wait only for T001: one on each.
    const t002 = onA.some((l) => l.endsWith(":T002")) ? a : b;
    const t003 = t002 === a ? b : a;
    expect(builds(t003).some((q) => taskOf(q) === "T003")).toBe(true);
    // Every T002 call, its fix included, went to one endpoint; none went to the other.
    const side = t002 === a ? "A" : "B";
    expect(builds(t002).filter((q) => taskOf(q) === "T002").map((q) => label(t002, q))).toEqual([`${side}:T002`, `${side}:T002+fix`]);
    expect(builds(t003).some((q) => taskOf(q) === "T002")).toBe(false);
    expect([...onA, ...onB].map((l) => l.slice(2)).sort()).toEqual(["T001", "T002", "T002+fix", "T003", "T004"]);
    // Its fix reused the conversation cached on that endpoint: the whole first prompt (and more, the
    // reply) came from the cache — no other task's prompt evicted it (the fake counts the shared prefix).
    const first = builds(t002).find((q) => taskOf(q) === "T002" && !isFix(q))!;
    const fix = builds(t002).find((q) => taskOf(q) === "T002" && isFix(q))!;
    expect(fix.cachedTokens!).toBeGreaterThan(first.promptTokens!);

    const report = (await runJson()).summary.endpoints;
    expect(report.map((e) => e.endpoint)).toEqual([a.url, b.url]);
    expect(report.every((e) => e.state === "up")).toBe(true);
    expect(report.map((e) => e.calls)).toEqual([builds(a).length, builds(b).length]);
    // Each call's trace names the endpoint that served it.
    const runs = join(dir, ".specwright", "runs");
    const run = (await readdir(runs)).filter((n) => n.endsWith("-build")).sort().at(-1)!;
    const fixMeta = JSON.parse(await readFile(join(runs, run, "tasks", "T002", "attempt-2", "meta.json"), "utf8")) as { host: string };
    expect(fixMeta.host).toBe(t002.url);
  });

  it("drops an endpoint killed mid-stream and starts its task again on the other, losing no attempt", { timeout: E2E_TEST_MS }, async () => {
    // Slow replies on the endpoint to be killed, so the kill lands mid-stream.
    const a = await startFakeOllama({ defaultReply: reply });
    const b = await startFakeOllama({ defaultReply: (q) => ({ ...reply(q), chunkDelayMs: 20 }) });
    fakes.push(a, b);
    await listEndpoints([a.url, b.url]);
    // T003 is the first task to reach b (T001 goes to a, the first endpoint); kill b once it streams.
    let killedAt: string | undefined;
    void (async () => {
      for (;;) {
        const asked = b.promptRequests().find((q) => taskOf(q) !== undefined);
        if (asked) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          killedAt = taskOf(asked);
          await b.close();
          return;
        }
        await b.waitForRequests(b.requests.filter((q) => q.path === "/api/chat").length + 1);
      }
    })();
    const r = await runCli(["build"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(killedAt).toBeDefined();
    await outputTestsPass();
    expect(r.stderr).toMatch(new RegExp(`endpoint ${b.url} is down for the rest of this run`));
    expect(r.stderr).toContain(`${killedAt} starts again from its first prompt on another endpoint (attempt 2)`);

    // On a, the moved task started over from its first prompt (no assistant turn), and finished there.
    const moved = builds(a).filter((q) => taskOf(q) === killedAt);
    expect(moved.length).toBeGreaterThan(0);
    expect(isFix(moved[0]!)).toBe(false);
    const runs = join(dir, ".specwright", "runs");
    const run = (await readdir(runs)).filter((n) => n.endsWith("-build")).sort().at(-1)!;
    const note = JSON.parse(await readFile(join(runs, run, "tasks", killedAt!, "attempt-1", "endpoint-down.json"), "utf8")) as { endpoint: string; filesWritten: boolean; next: string };
    expect(note.endpoint).toBe(b.url);
    expect(note.filesWritten).toBe(false);
    expect(note.next).toContain("attempt 2");
    // The failed attempt's call is kept in its own folder; the new one did not overwrite it.
    const failed = JSON.parse(await readFile(join(runs, run, "tasks", killedAt!, "attempt-1", "meta.json"), "utf8")) as { outcome: string; host: string };
    expect([failed.outcome, failed.host]).toEqual(["failed", b.url]);
    const next = JSON.parse(await readFile(join(runs, run, "tasks", killedAt!, "attempt-2", "meta.json"), "utf8")) as { outcome: string; host: string };
    expect([next.outcome, next.host]).toEqual(["ok", a.url]);
    const report = (await runJson()).summary.endpoints;
    expect(report.map((e) => [e.endpoint, e.state])).toEqual([[a.url, "up"], [b.url, "down"]]);
  });

  it("with every endpoint down, writes nothing and exits 3, naming each", { timeout: E2E_TEST_MS }, async () => {
    const urls = [await closedPortUrl(), await closedPortUrl()];
    await listEndpoints(urls);
    const r = await runCli(["build"], { cwd: dir });
    expect(r.exitCode).toBe(3);
    for (const url of urls) expect(r.stderr).toContain(url);
    await expect(stat(join(dir, "output"))).rejects.toThrow(/ENOENT/);
    const runs = await readdir(join(dir, ".specwright", "runs"));
    expect(runs.filter((n) => n.endsWith("-build"))).toEqual([]);
  });

  it("starts on the endpoints that answer when one is down from the start", { timeout: E2E_TEST_MS }, async () => {
    const a = await startFakeOllama({ defaultReply: reply });
    fakes.push(a);
    const down = await closedPortUrl();
    await listEndpoints([down, a.url]);
    const r = await runCli(["build"], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`endpoint ${down} is down for the rest of this run`);
    expect(builds(a).map((q) => taskOf(q))).toEqual(expect.arrayContaining(["T001", "T002", "T003", "T004"]));
    const report = (await runJson()).summary.endpoints;
    expect(report.map((e) => [e.endpoint, e.state])).toEqual([[a.url, "up"], [down, "unusable"]]);
  });

  it("builds with one llama-server (OpenAI-compatible) and one Ollama, each task on one of them, and its key in no file", { timeout: E2E_TEST_MS }, async () => {
    // A variable whose name does not look secret: only api_key_env says it holds a key.
    const KEY = "sk-wordfreq-0123456789abcdef";
    const llama = await startFakeOpenAi({
      flavour: "llama-server",
      models: ["qwen2.5-coder:14b"],
      contextLength: 32768,
      apiKey: KEY,
      defaultReply: (q) => {
        const r = preparedReply(q.messages ?? []);
        return { content: r.ok ? r.content : r.message };
      },
    });
    openAiFakes.push(llama);
    const ollama = await startFakeOllama({ defaultReply: reply });
    fakes.push(ollama);
    await appendFile(
      join(dir, "specwright.toml"),
      `\n[[model.endpoints]]\nurl = "${llama.url}/v1"\nkind = "openai"\napi_key_env = "WORDFREQ_GPU"\n\n[[model.endpoints]]\nurl = "${ollama.url}"\nkind = "ollama"\n`,
    );
    // With the judge on: its review calls belong to the task too.
    const r = await runCli(["build", "--json"], { cwd: dir, env: { WORDFREQ_GPU: KEY, SPECWRIGHT_BUILD_REVIEW: "on" } });
    expect(r.exitCode, r.stderr).toBe(0);
    await outputTestsPass();

    const userText = (messages: { role: string; content: string }[] | undefined) => messages?.find((m) => m.role === "user")?.content ?? "";
    const taskOfMessages = (messages: { role: string; content: string }[] | undefined) => /^# (?:Review of task|Task) (T\d+):/m.exec(userText(messages))?.[1];
    const isReview = (messages: { role: string; content: string }[] | undefined) => /^# Review of task /m.test(userText(messages));
    const onLlama = llama.chatRequests().filter((q) => !isReview(q.messages)).map((q) => taskOfMessages(q.messages)).filter((t) => t !== undefined);
    const onOllama = builds(ollama).map((q) => taskOf(q)!);
    // Each task's review went to the server that built it.
    const reviewedOnLlama = llama.chatRequests().filter((q) => isReview(q.messages)).map((q) => taskOfMessages(q.messages));
    const reviewedOnOllama = ollama.promptRequests().filter((q) => isReview(q.messages as never)).map((q) => taskOfMessages(q.messages as never));
    expect([...reviewedOnLlama, ...reviewedOnOllama].sort()).toEqual(["T001", "T002", "T003", "T004"]);
    expect(reviewedOnLlama.every((t) => onLlama.includes(t!))).toBe(true);
    expect(reviewedOnOllama.every((t) => onOllama.includes(t!))).toBe(true);
    expect(onLlama.length).toBeGreaterThan(0);
    expect(onOllama.length).toBeGreaterThan(0);
    // No task was split between the two servers; together they built all four (T002 twice: its fix).
    expect(onLlama.filter((t) => onOllama.includes(t))).toEqual([]);
    expect([...onLlama, ...onOllama].sort()).toEqual(["T001", "T002", "T002", "T003", "T004"]);
    // Every call carried the key and the task's stable session id.
    const run = await runJson();
    const runId = (run as unknown as { id: string }).id;
    for (const q of llama.chatRequests()) {
      expect(q.authorization).toBe(`Bearer ${KEY}`);
      expect(q.sessionId).toBe(`${runId}/${taskOfMessages(q.messages)}`);
    }

    // The key is in no trace, no run.json, no state, no output file, and not in what the build printed.
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of (await readdir(d, { withFileTypes: true })) as Dirent[]) {
        const p = join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) files.push(p);
      }
    };
    await walk(join(dir, ".specwright"));
    await walk(join(dir, "output"));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect((await readFile(f)).includes(KEY), f).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });
});
