import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import { readFile, writeFile } from "node:fs/promises";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { CLI as CLI_JS, runCli, tempDir } from "../helpers/cli.js";
import { ARITH, CLI, TEST_RIGHT, TEST_WRONG, file, routedReplies, taskOf, writeCalcProject } from "../helpers/calc-build.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeCalcProject(dir);
});
afterEach(async () => {
  await fake?.close();
  await cleanup();
});

const build = (...args: string[]) => runCli(["build", ...args], { cwd: dir, env: { OLLAMA_HOST: fake.url } });
const readState = async () => JSON.parse(await readFile(join(dir, ".specwright/state.json"), "utf8")) as { tasks: Record<string, { status: string }> };

function spawnBuild() {
  return execa("node", [CLI_JS, "build"], { cwd: dir, reject: false, stdin: "ignore", env: { NO_COLOR: "1", OLLAMA_HOST: fake.url, XDG_CONFIG_HOME: join(dir, ".none") } });
}

describe("build faults", () => {
  it("writes nothing outside the output dir and ignores undeclared files", async () => {
    const evil = `${file("../escape.py", "x = 1")}\n${file("/tmp/abs.py", "y = 2")}\n${file("calc/extra.py", "z = 3")}\n${ARITH}`;
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [evil], T002: [TEST_RIGHT], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(dir, "escape.py"))).toBe(false);
    expect(existsSync(join(dir, "output/calc/extra.py"))).toBe(false);
    expect(r.stderr).toContain("T001: ignored 1 undeclared file: calc/extra.py");
    expect(r.stderr).toContain('T001: refused 2 unsafe paths: ../escape.py (the path contains ".." and could leave the output dir); /tmp/abs.py (the path is absolute; paths are relative to the output dir)');
    expect(readdirSync(join(dir, "output")).filter((f) => f.startsWith(".specwright-staging"))).toEqual([]);
  });

  it("re-asks once for a malformed reply quoting the problem, then fails the task with its trace", async () => {
    const unclosed = "calc/arith.py\n```python\ndef add(a, b):\n    return a + b\n";
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [unclosed, unclosed], T002: [TEST_RIGHT], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode).toBe(1);
    const asks = fake.promptRequests().filter((q) => taskOf(q) === "T001");
    expect(asks).toHaveLength(2);
    expect(asks[1]!.messages!.at(-1)!.content).toMatch(/never closed/);
    expect(r.stderr).toMatch(/T001 failed after 2 attempts: the reply was malformed twice/);
    expect(r.stderr).toMatch(/trace: \.specwright\/runs\/.*\/tasks\/T001\/attempt-2/);
    expect(r.stdout).toMatch(/2 blocked \(T002, T003\)/);
    expect(existsSync(join(dir, "output/calc/arith.py"))).toBe(false);
  });

  it("stops the fix loop when the model repeats the same wrong fix", async () => {
    const wrong2 = TEST_WRONG.replace("class AddTest", "# second try\nclass AddTest");
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, wrong2, TEST_RIGHT], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode).toBe(1);
    expect(fake.promptRequests().filter((q) => taskOf(q) === "T002")).toHaveLength(2);
    expect(r.stderr).toContain("the same error as the previous attempt");
  });

  it("stops when a fix changes nothing", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_WRONG, TEST_WRONG], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("the fix attempt changed nothing");
  });

  it("reports a verify command that is broken on its own as a plan problem", async () => {
    const plan = await readFile(join(dir, ".specwright/plan.toml"), "utf8");
    await writeFile(join(dir, ".specwright/plan.toml"), plan.replace('verify = ["python3 -m py_compile calc/cli.py"]', 'verify = ["python3 -m no_such_module_here calc/cli.py"]'));
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const r = await build();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("a plan problem, not a code problem");
    expect(fake.promptRequests().filter((q) => taskOf(q) === "T003")).toHaveLength(1);
  });

  it("kills a hanging verify command's whole process group at the timeout", async () => {
    await writeFile(join(dir, "specwright.toml"), (await readFile(join(dir, "specwright.toml"), "utf8")).replace('verify_timeout = "20s"', 'verify_timeout = "1s"'));
    const plan = await readFile(join(dir, ".specwright/plan.toml"), "utf8");
    // A duration no other process uses, so the check below sees only this test's sleepers.
    const marker = `60.${process.pid}${Date.now() % 1000}`;
    await writeFile(join(dir, ".specwright/plan.toml"), plan.replace('verify = ["python3 -m py_compile calc/cli.py"]', `verify = ["sh -c 'sleep ${marker} & sleep ${marker}; wait'"]`));
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI, CLI.replace("return 0", "return 0  # again")] }) });
    const started = Date.now();
    const r = await build();
    expect(r.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.stderr).toMatch(/timed out/);
    const sleepers = await execa("ps", ["-eo", "args"]);
    expect(sleepers.stdout.split("\n").filter((line) => line.trim() === `sleep ${marker}`)).toEqual([]);
  });

  it("exits 3 when Ollama dies mid-stream, keeping finished tasks", async () => {
    fake = await startFakeOllama({
      defaultReply: routedReplies({ T001: [ARITH], T002: [{ content: TEST_RIGHT, fault: { kind: "drop-connection", afterChunks: 3 } }], T003: [CLI] }),
    });
    const r = await build();
    expect(r.exitCode).toBe(3);
    const s = await readState();
    expect(s.tasks.T001!.status).toBe("done");
    expect(s.tasks.T002?.status).not.toBe("done");
  });

  it("on Ctrl-C closes the model stream, keeps finished tasks, exits 130, and resumes on the next build", async () => {
    fake = await startFakeOllama({
      // T002's reply starts and then hangs: the signal lands on a call in flight however loaded the machine is.
      defaultReply: routedReplies({ T001: [ARITH], T002: [{ content: TEST_RIGHT, fault: { kind: "hang", afterChunks: 3 } }], T003: [{ content: CLI, chunkDelayMs: 100 }] }),
    });
    const child = spawnBuild();
    const chats = () => fake!.requests.filter((r) => r.path === "/api/chat").length;
    while (!fake.promptRequests().some((q) => taskOf(q) === "T002")) await fake.waitForRequests(chats() + 1);
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    const t2 = fake.promptRequests().find((q) => taskOf(q) === "T002")!;
    await t2.socketClosed;
    expect(t2.clientClosedAt).toBeDefined();
    const s = await readState();
    expect(s.tasks.T001!.status).toBe("done");
    expect(s.tasks.T002?.status).not.toBe("done");
    expect(existsSync(join(dir, ".specwright/lock"))).toBe(false);

    await fake.close();
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const resumed = await build();
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(fake.promptRequests().map(taskOf).sort()).toEqual(["T002", "T003"]);
  });

  it("builds with the plan it started with when plan.toml is edited during the build", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [{ content: ARITH, chunkDelayMs: 20 }], T002: [TEST_RIGHT], T003: [CLI] }) });
    const child = spawnBuild();
    await fake.waitForRequests(1, "/api/chat");
    while (!fake.promptRequests().some((q) => taskOf(q) === "T001")) await new Promise((resolve) => setTimeout(resolve, 20));
    const plan = await readFile(join(dir, ".specwright/plan.toml"), "utf8");
    await writeFile(join(dir, ".specwright/plan.toml"), plan.replace('verify = ["python3 -m py_compile calc/cli.py"]', 'verify = ["false"]'));
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stderr)).toContain("python3 -m py_compile calc/cli.py");
  });

  it("survives kill -9 at random moments: state stays parseable and the next build finishes", async () => {
    fake = await startFakeOllama({
      defaultReply: routedReplies({ T001: [{ content: ARITH, chunkDelayMs: 5 }], T002: [{ content: TEST_RIGHT, chunkDelayMs: 5 }], T003: [{ content: CLI, chunkDelayMs: 5 }] }),
    });
    for (const delay of [150, 400, 700, 1000]) {
      const child = spawnBuild();
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill("SIGKILL");
      await child;
      if (existsSync(join(dir, ".specwright/state.json"))) await readState();
    }
    const final = await build();
    expect(final.exitCode, final.stderr).toBe(0);
    const s = await readState();
    expect(Object.values(s.tasks).map((t) => t.status)).toEqual(["done", "done", "done"]);
    expect(await readFile(join(dir, "output/calc/cli.py"), "utf8")).toContain("def main");
  });
});

describe("OLLAMA_HOST with credentials", () => {
  it("sends them as a Basic authorization header and never prints or writes the password", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    const host = fake.url.replace("http://", "http://builder:s3cret-pw@");
    const r = await runCli(["build"], { cwd: dir, env: { OLLAMA_HOST: host } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fake.requests.every((q) => q.authorization === `Basic ${Buffer.from("builder:s3cret-pw").toString("base64")}`)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain("s3cret-pw");
    const runs = join(dir, ".specwright/runs");
    const files = readdirSync(runs, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(await readFile(join(f.parentPath, f.name), "utf8"), f.name).not.toContain("s3cret-pw");
    const config = await runCli(["config"], { cwd: dir, env: { OLLAMA_HOST: host } });
    expect(config.stdout).toContain("***@127.0.0.1");
    expect(config.stdout).not.toContain("s3cret-pw");
  });

  it("a reply stream with a broken line fails the task: no empty file, not done, exit 1", async () => {
    fake = await startFakeOllama({ defaultReply: routedReplies({ T001: [ARITH], T002: [TEST_RIGHT], T003: [CLI] }) });
    fake.script({ content: ["calc/arith.py\n", "```python\n"], fault: { kind: "invalid-line", afterChunks: 1, line: "{not json" } });
    const r = await build();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/T001 failed.*reply stream broke at line 2/);
    expect(existsSync(join(dir, "output/calc/arith.py"))).toBe(false);
    expect((await readState()).tasks["T001"]?.status).not.toBe("done");
  });
});
