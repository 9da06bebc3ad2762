#!/usr/bin/env node
// Runs the fake Ollama as its own process, for end-to-end tests that start the
// CLI elsewhere: `node dist/test/fake-ollama/main.js [--script s.json] [--record r.jsonl] [--port N]`.
// Prints `FAKE_OLLAMA_URL=<url>` on stdout once listening; stops on SIGTERM/SIGINT.
//
// The script file is JSON: `{"options": {…FakeOllamaOptions without functions}, "replies": [ReplyScript…]}`.
// With --record, every request is appended to the file as one JSON line once it is answered.

import { appendFileSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startFakeOllama, type FakeOllamaOptions, type RecordedRequest, type ReplyScript } from "./server.js";

interface ScriptFile {
  options?: Omit<FakeOllamaOptions, "defaultReply"> & { defaultReply?: ReplyScript };
  replies?: ReplyScript[];
}

const { values } = parseArgs({
  options: { script: { type: "string" }, record: { type: "string" }, port: { type: "string" } },
});
const file: ScriptFile = values.script ? (JSON.parse(readFileSync(values.script, "utf8")) as ScriptFile) : {};
const options: FakeOllamaOptions = { ...file.options };
if (values.port !== undefined) options.port = Number(values.port);

const fake = await startFakeOllama(options);
fake.script(...(file.replies ?? []));

if (values.record) {
  const target = values.record;
  let written = 0;
  // Records are complete once answered; poll cheaply rather than hook the server's internals.
  setInterval(() => {
    for (const request of fake.requests.slice(written)) {
      if (request.status === undefined && request.outcome === undefined) break;
      appendFileSync(target, JSON.stringify(serializable(request)) + "\n");
      written += 1;
    }
  }, 20).unref();
}

process.stdout.write(`FAKE_OLLAMA_URL=${fake.url}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}

function serializable(request: RecordedRequest): Omit<RecordedRequest, "socketClosed"> {
  const { socketClosed: _closed, ...rest } = request;
  return rest;
}
