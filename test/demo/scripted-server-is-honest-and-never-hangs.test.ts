// The scripted demo server over HTTP, through the same `ollama` client the
// product uses: it names itself, refuses what it has no prepared reply for
// (quickly, with a sentence), and streams what it has at the pace it was given.

import { afterEach, describe, expect, it } from "vitest";
import { Ollama } from "ollama";
import { startScriptedDemoServer, type ScriptedDemoServer } from "../../src/demo/scripted-ollama-server.js";
import { SCRIPTED_DEMO_MODEL } from "../../src/demo/scripted-demo-label.js";
import { AUDIT_SYSTEM } from "../../src/audit/audit-prompt.js";
import { ASK_SYSTEM } from "../../src/intent/ask-prompt.js";
import { FOCUSED_AUDIT_SYSTEM } from "../../src/intent/focused-audit.js";
import { RETRO_SYSTEM } from "../../src/report/retro.js";

let server: ScriptedDemoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TASK_T001 = "# Task T001: Counting functions\n\n## Files to write\n\n- src/count.mjs (new file)\n\nWrite the file now.";

describe("the scripted demo server", () => {
  it("lists one model whose name and details say it is a scripted demo", async () => {
    server = await startScriptedDemoServer();
    const client = new Ollama({ host: server.url });
    const tags = await client.list();
    expect(tags.models.map((m) => m.name)).toEqual([SCRIPTED_DEMO_MODEL]);
    const show = await client.show({ model: SCRIPTED_DEMO_MODEL });
    expect(show.details.family).toBe("scripted-demo");
    expect(show.modelfile).toContain("not a model");
    expect((await client.version()).version).toContain("scripted-demo");
  });

  it("answers an unexpected prompt at once with an error that says why, instead of hanging or inventing a reply", async () => {
    server = await startScriptedDemoServer();
    const client = new Ollama({ host: server.url });
    const started = Date.now();
    const asked = client.chat({ model: SCRIPTED_DEMO_MODEL, messages: [{ role: "user", content: "Write me a web server in Go." }], stream: true });
    await expect(asked).rejects.toThrow(/scripted demo \(not a model\) has no prepared reply/);
    // An audit of some other spec is refused the same way.
    const audit = client.chat({ model: SCRIPTED_DEMO_MODEL, messages: [{ role: "system", content: AUDIT_SYSTEM }, { role: "user", content: "Spec CALC: 1 file." }], stream: true });
    await expect(audit).rejects.toThrow(/audit of a spec other than WORDFREQ/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("answers the retro path only for the Example it recommends: other asks, audits and projects are refused", async () => {
    server = await startScriptedDemoServer();
    const client = new Ollama({ host: server.url });
    const ask = (system: string, user: string) => client.chat({ model: SCRIPTED_DEMO_MODEL, messages: [{ role: "system", content: system }, { role: "user", content: user }] });
    await expect(ask(RETRO_SYSTEM, "## T002 Divide (spec CALC)\nrefs: requirements/divide\nbuilds: 1 · needed fixes in 1 of 1 · newest: passed after 1 fix")).rejects.toThrow(/no prepared reply for a retrospective of tasks other than WORDFREQ's/);
    const spec = "=== file: specs/wordfreq.smd ===\n1| ## Examples\n2| \n3| ## Acceptance Criteria";
    await expect(ask(ASK_SYSTEM, `${spec}\n\nThe person's request (verbatim; said in: cli):\n<<<\nmake --top default to 5\n>>>`)).rejects.toThrow(/no prepared reply for an ask other than the demo retrospective's recommendation/);
    const answered = await ask(ASK_SYSTEM, `${spec}\n\nThe person's request (verbatim; said in: cli):\n<<<\nList equal counts alphabetically in an Example\n>>>`);
    expect(JSON.parse(answered.message.content)).toMatchObject({ edits: [{ file: "specs/wordfreq.smd", search: "## Acceptance Criteria", kind: "explicit" }] });
    await expect(ask(FOCUSED_AUDIT_SYSTEM, "The request (I-0001, verbatim):\n<<<\nmake --top default to 5\n>>>\n\n=== file: specs/wordfreq.smd lines 1–3 ===\n1| x")).rejects.toThrow(/focused audit of a change other than the demo's Example/);
  });

  it("refuses any other model name like Ollama would, naming the one it serves", async () => {
    server = await startScriptedDemoServer();
    const client = new Ollama({ host: server.url });
    await expect(client.chat({ model: "qwen2.5-coder:7b", messages: [{ role: "user", content: TASK_T001 }] })).rejects.toThrow(/serves only "specwright-demo:scripted"/);
  });

  it("streams a prepared reply one token per chunk at the given pace, ending with done_reason and metrics", async () => {
    server = await startScriptedDemoServer({ tokensPerSecond: 400 });
    const client = new Ollama({ host: server.url });
    const started = Date.now();
    const stream = await client.chat({ model: SCRIPTED_DEMO_MODEL, messages: [{ role: "user", content: TASK_T001 }], stream: true });
    let text = "";
    let chunks = 0;
    let last: { done_reason?: string; eval_count?: number; prompt_eval_count?: number } = {};
    for await (const part of stream) {
      if (part.done) last = part;
      else {
        chunks++;
        text += part.message.content;
      }
    }
    const elapsed = Date.now() - started;
    expect(text).toMatch(/^src\/count\.mjs\n```js\n/);
    expect(text).toContain("export function countWords(text)");
    expect(last.done_reason).toBe("stop");
    expect(last.eval_count).toBe(chunks);
    expect(last.prompt_eval_count).toBeGreaterThan(0);
    // At 400 tokens/s, n chunks take at least (n - 1) / 400 s: the UI sees a stream, not one burst.
    expect(chunks).toBeGreaterThan(100);
    expect(elapsed).toBeGreaterThanOrEqual(((chunks - 1) / 400) * 1000 - 20);
  });

  it("answers the load request (no messages) with done_reason load, as Ollama does", async () => {
    server = await startScriptedDemoServer();
    const client = new Ollama({ host: server.url });
    const reply = await client.chat({ model: SCRIPTED_DEMO_MODEL, messages: [], stream: false, options: { num_ctx: 8192 } });
    expect(reply.done_reason).toBe("load");
    const ps = await client.ps();
    expect(ps.models.map((m) => m.name)).toEqual([SCRIPTED_DEMO_MODEL]);
  });
});
