// What happens to over-long prompts on each Ollama generation the fake plays
// (test/fake-ollama/profiles.ts): the adapter sends the same 40 prompts —
// files of test/fixtures/token-corpus, wrapped as build prompts — to a run
// with num_ctx 4096 on a model that holds 8192, against a server whose
// tokenizer counts 1.3× the pre-token split (a Gemma-like tokenizer on code:
// the family's margin should absorb it), then 2× (hostile text — base64, rare
// CJK — where the real count is about twice the estimate), once in corpus order
// and once largest prompt first, so the run meets an overflow before any reply
// could have calibrated it.
// Per profile it prints how many prompts were refused before sending, refused
// by the server (with and without its token count), cut by the server and
// reported after the call, cut silently (must be 0 where the flags exist), and
// answered whole; the run's reloads; and the calibration's effect: the
// estimate against the server's count for the prompts after the first
// counted overflow, with and without the calibration.
//
// Run: npm run build && node dist/bench/server-profiles.js

import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { estimateMessagesTokens } from "../models/context-budget.js";
import type { ModelEvent } from "../models/events.js";
import { openModelRun } from "../models/model-run.js";
import { PROFILES, type ProfileName } from "../test/fake-ollama/profiles.js";
import { startFakeOllama } from "../test/fake-ollama/server.js";

const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const corpus = join(repo, "test", "fixtures", "token-corpus");
const MODEL = "gemma3:12b";

const files = ["c", "python", "go", "rust", "shell", "prompt"].flatMap((kind) =>
  readdirSync(join(corpus, kind)).sort().map((name) => readFileSync(join(corpus, kind, name), "utf8")),
);
// Slices of 1–5.6k characters: about 250–4,000 tokens, around the window's edge.
const prompts = Array.from({ length: 40 }, (_, i) => {
  const text = files[i % files.length]!;
  const size = 1000 + ((i * 7919) % 13) * 1200;
  return [{ role: "system" as const, content: "You write whole files." }, { role: "user" as const, content: `Write the file.\n\n${text.slice(0, size)}` }];
});

interface Row {
  profile: string;
  other: number;
  refusedBefore: number;
  refusedCounted: number;
  refusedUncounted: number;
  cutReported: number;
  cutSilently: number;
  whole: number;
  reloads: string;
  calibration: string;
}

for (const [RATIO, order] of [[1.3, "corpus order"], [2, "corpus order"], [2, "largest first"]] as const) {
const ordered = order === "largest first" ? [...prompts].sort((a, b) => b[1]!.content.length - a[1]!.content.length) : prompts;
const rows: Row[] = [];
for (const name of Object.keys(PROFILES) as ProfileName[]) {
  const fake = await startFakeOllama({ profile: name, tokenRatio: RATIO, models: [{ name: MODEL, family: "gemma3", contextLength: 8192, tokenizer: { model: "llama", pre: "default" } }] });
  const events: ModelEvent[] = [];
  const opened = await openModelRun({ host: fake.url, model: MODEL, think: false, temperature: 0, keepAlive: "5m", numCtx: 4096, largestPromptTokens: 1000, outputBudget: 256, stallTimeoutMs: 10_000, onEvent: (e) => events.push(e) });
  if (!opened.ok) throw new Error(opened.error.message);
  const run = opened.value;
  await run.preload();
  const row: Row = { profile: name, other: 0, refusedBefore: 0, refusedCounted: 0, refusedUncounted: 0, cutReported: 0, cutSilently: 0, whole: 0, reloads: "", calibration: "" };
  const after: Array<{ raw: number; calibrated: number; counted: number }> = [];
  let calibratedFrom = -1;
  for (const [i, messages] of ordered.entries()) {
    const before = fake.promptRequests().length;
    const result = await run.call({ caller: `P${i + 1}`, messages });
    const sent = fake.promptRequests().slice(before);
    for (const r of sent) {
      if (r.refused) {
        const counted = PROFILES[name].engine === "llama-server";
        if (counted) row.refusedCounted += 1;
        else row.refusedUncounted += 1;
      }
    }
    const last = sent.at(-1);
    if (sent.length === 0) row.refusedBefore += 1;
    else if (last?.truncated) {
      if (!result.ok && result.error.kind === "prompt-truncated") row.cutReported += 1;
      else row.cutSilently += 1;
    } else if (result.ok) row.whole += 1;
    else row.other += 1;
    if (calibratedFrom < 0 && events.some((e) => e.type === "calibrated" && e.source !== "reply")) calibratedFrom = i;
    if (calibratedFrom >= 0 && i > calibratedFrom && last && !last.refused) {
      const raw = estimateMessagesTokens(messages);
      after.push({ raw, calibrated: Math.ceil(raw * run.tokenRatio), counted: last.promptTokens! });
    }
  }
  row.reloads = run.reloads.map((r) => `${r.fromNumCtx}→${r.toNumCtx}`).join(", ") || "none";
  if (after.length > 0) {
    const under = (key: "raw" | "calibrated") => after.filter((a) => a[key] < a.counted).length;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    row.calibration = `×${run.tokenRatio.toFixed(2)}; estimate/count median ${median(after.map((a) => a.raw / a.counted)).toFixed(2)} → ${median(after.map((a) => a.calibrated / a.counted)).toFixed(2)}, under the count ${under("raw")}/${after.length} → ${under("calibrated")}/${after.length}`;
  } else {
    row.calibration = `×${run.tokenRatio.toFixed(2)} (no counted overflow)`;
  }
  rows.push(row);
  await fake.close();
}

const head = ["profile", "refused before", "refused (counted)", "refused (no count)", "cut, reported", "cut silently", "answered whole", "other failure", "reloads", "calibration after the first refusal"];
const cells = rows.map((r) => [r.profile, r.refusedBefore, r.refusedCounted, r.refusedUncounted, r.cutReported, r.cutSilently, r.whole, r.other, r.reloads, r.calibration].map(String));
const widths = head.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c]!.length)));
console.log(`\n${prompts.length} prompts per profile (${order}), num_ctx 4096 (model max 8192), server counts ${RATIO}× the pre-token split\n`);
for (const r of [head, ...cells]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
}
