#!/usr/bin/env node
// Runs the fake Ollama as its own process, for end-to-end tests that start the
// CLI elsewhere: `node dist/test/fake-ollama/main.js [--script s.json] [--record r.jsonl] [--port N]`.
// Prints `FAKE_OLLAMA_URL=<url>` on stdout once listening; stops on SIGTERM/SIGINT.
//
// The script file is JSON: `{"options": {…FakeOllamaOptions without functions}, "replies": [ReplyScript…]}`.
// With --record, every request is appended to the file as one JSON line once it is answered.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { announceUntilSignal, recordAnswered } from "../fake-http/process.js";
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

if (values.record) recordAnswered(fake.requests, values.record, serializable);
announceUntilSignal("FAKE_OLLAMA_URL", fake);

function serializable(request: RecordedRequest): Omit<RecordedRequest, "socketClosed"> {
  const { socketClosed: _closed, ...rest } = request;
  return rest;
}
