// A reply stream with a line that is not an Ollama chunk is a failed call,
// never a shorter reply: ollama-js alone would skip an unparsable line with a
// console warning (its parseJSON) and the reply would look whole.

import { afterEach, describe, expect, it, vi } from "vitest";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { openRun, user } from "./helpers.js";

let fake: FakeOllama | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  vi.restoreAllMocks();
});

describe("reply stream integrity", () => {
  it.each([
    ["a line that does not parse", '{"model":"qwen2.5-coder:14b","message":{"role":"assistant","content":"lost'],
    ["a line that parses to a number", "42"],
    ["a line that is an object but not a chunk", '{"status":"ok"}'],
  ])("%s fails the call with the line number, and nothing is printed to the console", async (_name, line) => {
    const warn = vi.spyOn(console, "warn");
    const log = vi.spyOn(console, "log");
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    fake.script({ content: ["def add(a, b):\n", "    return a + b\n", "# end\n"], fault: { kind: "invalid-line", afterChunks: 1, line } });
    const result = await run.call({ caller: "T001", messages: user("write add") });
    expect(result.ok ? undefined : result.error).toMatchObject({ kind: "stream-broken", reason: "invalid-line" });
    expect(result.ok ? "" : result.error.message).toContain("line 2");
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it("an HTML page answering a chat is named as not an Ollama server, not as a reply without its final chunk", async () => {
    fake = await startFakeOllama();
    const { run } = await openRun(fake);
    // Replace the server's chat answer by a proxy's page: a fetch-level check, so use a second host.
    const { createServer } = await import("node:http");
    const proxy = createServer((req, res) => {
      if (req.url === "/api/chat") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><body>Gateway</body></html>");
        return;
      }
      res.writeHead(307, { location: `${fake!.url}${req.url ?? "/"}` });
      res.end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const address = proxy.address() as { port: number };
      const { run: viaProxy } = await openRun(fake, { host: `http://127.0.0.1:${address.port}` });
      const result = await viaProxy.call({ caller: "T002", messages: user("hi") });
      expect(result.ok ? undefined : result.error).toMatchObject({ kind: "not-ollama", what: 'an HTML page: "Gateway"' });
      expect(result.ok ? "" : result.error.message).not.toContain("final chunk");
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
    expect(run.model).toBeDefined();
  });
});
