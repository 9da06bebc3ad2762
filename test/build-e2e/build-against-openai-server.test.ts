// The wordfreq example planned and built end to end against the fake
// OpenAI-compatible server alone (no Ollama anywhere), in both flavours:
// llama-server and vLLM. The built project's own tests pass, every call went
// through /v1/chat/completions with the task's session id, the traces name
// the server that served each call, and an API key given through
// api_key_env reaches the server and no file of the project.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendFile, cp, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { exampleDir } from "../../src/demo/example-project.js";
import { preparedReply } from "../../src/demo/wordfreq-replies.js";
import { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiRequest } from "../fake-openai/server.js";
import { E2E_TEST_MS } from "../helpers/budget.js";
import { runCli, tempDir } from "../helpers/cli.js";

const KEY = "sk-wordfreq-e2e-4Rt9Yx";
let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOpenAi | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-openai-build-"));
  await cp(exampleDir(), dir, { recursive: true });
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await cleanup();
});

const taskOf = (r: FakeOpenAiRequest) => /^# Task (T\d+):/m.exec(r.messages?.find((m) => m.role === "user")?.content ?? "")?.[1];

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && !e.parentPath.includes(`${join("output", ".git")}`)).map((e) => join(e.parentPath, e.name));
}

describe.each(["llama-server", "vllm"] as const)("specwright plan and build against a fake %s alone", (flavour) => {
  it("builds the example, the project's tests pass, each call carries its task's session id, and the key stays out of every file", { timeout: E2E_TEST_MS }, async () => {
    fake = await startFakeOpenAi({
      flavour,
      apiKey: KEY,
      contextLength: 32768,
      models: ["qwen2.5-coder:14b"],
      defaultReply: (request) => {
        const prepared = preparedReply(request.messages ?? []);
        return prepared.ok ? { content: prepared.content } : { fault: { kind: "http-error", status: 400, message: prepared.message } };
      },
    });
    await appendFile(join(dir, "specwright.toml"), `\n[[model.endpoints]]\nurl = "${fake.url}/v1"\nkind = "openai"\napi_key_env = "WORDFREQ_KEY"\n`);
    // No Ollama: a host nothing listens on would fail the run if it were asked.
    // The judge on (runCli turns it off by default): its reviews are structured calls of the task's session.
    const env = { WORDFREQ_KEY: KEY, OLLAMA_HOST: "http://127.0.0.1:9", SPECWRIGHT_BUILD_REVIEW: "on" };

    const planned = await runCli(["plan"], { cwd: dir, env });
    expect(planned.exitCode, planned.stderr).toBe(0);
    const planCalls = fake.chatRequests().length;
    const built = await runCli(["build", "--yes"], { cwd: dir, env });
    expect(built.exitCode, built.stderr).toBe(0);
    const tests = await execa("node", ["--test", "test/count.test.mjs", "test/cli.test.mjs"], { cwd: join(dir, "output"), reject: false });
    expect(tests.exitCode, tests.stdout).toBe(0);

    // Every model call went to the OpenAI-compatible route, with the key; build calls carry <run>/<task>.
    const chats = fake.chatRequests();
    expect(chats.length).toBeGreaterThan(3);
    expect(chats.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    const taskCalls = chats.filter((r) => taskOf(r) !== undefined);
    expect(taskCalls.length).toBeGreaterThan(0);
    for (const call of taskCalls) expect(call.sessionId, taskOf(call)).toMatch(new RegExp(`/${taskOf(call)}$`));
    // Reviews too: every call of the build names its task's session.
    const buildCalls = chats.slice(planCalls);
    expect(buildCalls.some((r) => r.responseFormat !== undefined)).toBe(true);
    expect(buildCalls.filter((r) => !/^[^/]+-build\/T\d+$/.test(r.sessionId ?? "")).map((r) => r.seq)).toEqual([]);
    // The counting tests fail once and are fixed: the fix continued the task's conversation on the same session.
    const fixes = taskCalls.filter((r) => (r.messages ?? []).some((m) => m.role === "assistant"));
    expect(fixes.length).toBeGreaterThan(0);

    // The traces say which server served each call; no file under the project holds the key.
    const metas = (await filesUnder(join(dir, ".specwright"))).filter((f) => f.endsWith("meta.json"));
    expect(metas.length).toBeGreaterThan(0);
    for (const meta of metas) expect((JSON.parse(await readFile(meta, "utf8")) as { host: string }).host).toBe(fake.url);
    for (const file of await filesUnder(dir)) expect(await readFile(file, "utf8"), file).not.toContain(KEY);
    expect(planned.stdout + planned.stderr + built.stdout + built.stderr).not.toContain(KEY);
  });
});
