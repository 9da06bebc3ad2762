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
      expect(r.stderr, r.args).toMatch(/the server at http:\/\/127\.0\.0\.1:\d+ is not Ollama \(or not this API\): \/api\/(tags|version) answered an HTML page: "Sign in"/);
    }
  });

  // What `python3 -m http.server` (and many web servers) answer for a path they
  // do not have: a 404 HTML page, here the exact body of CPython 3.12's
  // http.server DEFAULT_ERROR_MESSAGE for code 404.
  it("a web server's HTML 404 page: exit 3 everywhere, one line of what it answered, never 'a specwright bug'", async () => {
    const page = [
      "<!DOCTYPE HTML>",
      '<html lang="en">',
      "    <head>",
      '        <meta charset="utf-8">',
      "        <title>Error response</title>",
      "    </head>",
      "    <body>",
      "        <h1>Error response</h1>",
      "        <p>Error code: 404</p>",
      "        <p>Message: File not found.</p>",
      "        <p>Error code explanation: 404 - Nothing matches the given URI.</p>",
      "    </body>",
      "</html>",
    ].join("\n");
    const host = await httpServer((_req, res) => {
      res.writeHead(404, "File not found", { "content-type": "text/html;charset=utf-8" });
      res.end(page);
    });
    for (const r of await everyCommand(host)) {
      expect([r.args, r.exitCode]).toEqual([r.args, 3]);
      expect(r.stderr, r.args).toMatch(/is not Ollama \(or not this API\): \/api\/(tags|version) answered HTTP 404 File not found with an HTML page: "Error response"/);
      expect(r.stderr, r.args).not.toContain("specwright bug");
      expect(r.stderr, r.args).not.toContain("<html");
    }
  });

  it("a plain-text 404 from another server is not Ollama either (not 'a specwright bug')", async () => {
    const host = await httpServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found");
    });
    for (const r of await everyCommand(host)) {
      expect([r.args, r.exitCode]).toEqual([r.args, 3]);
      expect(r.stderr, r.args).toContain('answered HTTP 404 Not Found with text/plain: "Not Found"');
      expect(r.stderr, r.args).not.toContain("specwright bug");
    }
  });

  it("an OLLAMA_HOST that is no host is a config error (exit 2) with the accepted forms, the same from every command", async () => {
    for (const [host, why] of [
      ["garbage value!!", "'http://garbage value!!:11434' is not a valid URL"],
      ["not a host:99999", "the port '99999' is not a number from 0 to 65535"],
      ["ftp://files.lan", "the scheme must be http:// or https://, not ftp://"],
    ] as const) {
      const cwd = join(dir, "bad-host");
      await writeCalcProject(cwd);
      const all = [...COMMANDS, ["status"], ["validate"], ["doctor"], ["config"]];
      const results = await Promise.all(all.map(async (args) => ({ args: args.join(" "), ...(await runCli(args, { cwd, env: { OLLAMA_HOST: host } })) })));
      for (const r of results) {
        expect([r.args, r.exitCode]).toEqual([r.args, 2]);
        expect(r.stderr, r.args).toContain(`env OLLAMA_HOST: error: model.host: '${host}' is not an Ollama host: ${why}`);
        expect(r.stderr, r.args).toContain("hint: write it as host, host:port, :port, [ipv6]:port, http://host[:port][/path] or https://host[:port][/path]");
        expect(r.stderr, r.args).not.toContain("specwright bug");
      }
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
