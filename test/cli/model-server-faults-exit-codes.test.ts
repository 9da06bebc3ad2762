// One classification of model-server faults (models/errors.ts modelFault):
// the same fault gives the same exit code from every command that talks to
// the model, and the message names the real cause.

import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeCalcProject } from "../helpers/calc-build.js";

let dir: string;
let cleanup: () => Promise<void>;
let close: (() => Promise<void>) | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await close?.();
  close = undefined;
  await cleanup();
});

const COMMANDS = [["models"], ["plan", "--replan", "--yes"], ["audit"], ["build"]];

async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Each command in a project of its own (they would wait on each other's run lock), all at once. */
async function everyCommand(host: string) {
  return Promise.all(
    COMMANDS.map(async (args, i) => {
      const cwd = join(dir, `p${i}`);
      await writeCalcProject(cwd);
      return { args: args.join(" "), ...(await runCli(args, { cwd, env: { OLLAMA_HOST: host } })) };
    }),
  );
}

describe("model-server faults exit the same way from every command", () => {
  it("HTTP 500 from /api/tags: exit 3 everywhere, naming Ollama's failure", async () => {
    const host = await httpServer((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "runner crashed" }));
    });
    for (const r of await everyCommand(host)) {
      expect([r.args, r.exitCode]).toEqual([r.args, 3]);
      expect(r.stderr, r.args).toContain("Ollama failed (HTTP 500): runner crashed");
    }
  });

  it("an HTML page from /api/tags: exit 3 everywhere, saying the host is not an Ollama server", async () => {
    const host = await httpServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><html><body>Sign in</body></html>");
    });
    for (const r of await everyCommand(host)) {
      expect([r.args, r.exitCode]).toEqual([r.args, 3]);
      expect(r.stderr, r.args).toMatch(/did not answer like an Ollama server \(an HTML page\)/);
    }
  });

  it("a server that accepts but never answers: exit 3 everywhere after the fixed metadata limit, without blaming model.request_timeout", async () => {
    const sockets = new Set<Socket>();
    const server: TcpServer = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const r of await everyCommand(host)) {
      expect([r.args, r.exitCode]).toEqual([r.args, 3]);
      expect(r.stderr, r.args).toMatch(/accepted the connection but did not answer \/api\/(tags|version) within 15s/);
      expect(r.stderr, r.args).not.toContain("request_timeout");
    }
  }, 60_000);
});
