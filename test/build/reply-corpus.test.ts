// The peer corpus of issue 18 (test/fixtures/reply-corpus/): every reply shape
// other projects' parser tests hold, with the answer each must get here. A
// case whose right answer is a refusal fails if it is accepted; a case whose
// answer is files fails if it is refused or read with other content.

import { describe, expect, it } from "vitest";
import { parseReply } from "../../src/build/reply-protocol.js";
import { corpus, outcomeOf, scoreCorpus } from "../fixtures/reply-corpus/index.js";

function where(c: (typeof corpus)[number]): string {
  const s = c.source;
  return s.file !== undefined ? `${s.repo} ${s.file}:${s.line ?? 1}` : (s.url ?? s.repo);
}

describe("peer corpus", () => {
  for (const c of corpus) {
    const want = "refused" in c.want ? "refused" : "accepted";
    it(`${want === "refused" ? "refuses" : "accepts"} ${c.id} (${where(c)})`, () => {
      const { outcome, detail } = outcomeOf(c, parseReply({ reply: c.reply, expected: c.expected }));
      expect({ outcome, detail: outcome === want ? "" : detail }).toEqual({ outcome: want, detail: "" });
    });
  }

  it("accepts no reply with wrong content", () => {
    expect(scoreCorpus((c) => parseReply({ reply: c.reply, expected: c.expected })).wrong).toBe(0);
  });

  it("cites a source for every case and has no duplicate ids", () => {
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    for (const c of corpus) expect(c.source.file !== undefined || c.source.url !== undefined).toBe(true);
  });
});
