import { describe, expect, it } from "vitest";
import { charsOverFour, estimateTokens, preTokenize } from "../../models/token-estimate.js";

describe("token estimator", () => {
  it("never estimates below the pre-tokenizer lower bound", () => {
    const samples = [
      "export function parseOllamaHost(raw: string | undefined): OllamaHost {",
      "    if (portNumber >= 0 && portNumber <= 65535) return { url };\n",
      "The quick brown fox jumps over the lazy dog.",
      "数据处理模块 handles 1234567 records",
      "🙂 emoji and ═══ box drawing",
    ];
    for (const text of samples) expect(estimateTokens(text)).toBeGreaterThanOrEqual(preTokenize(text).length);
  });

  it("splits text the way Qwen2's pre-tokenizer does", () => {
    expect(preTokenize("don't count2024 items")).toEqual(["don", "'t", " count", "2", "0", "2", "4", " items"]);
    expect(preTokenize("a  \n\n  b")).toEqual(["a", "  \n\n", " ", " b"]);
  });

  it("counts chat-template special tokens as one token each", () => {
    expect(estimateTokens("<|im_start|>user\nhi<|im_end|>")).toBe(1 + 1 + 1 + 1 + 1);
  });

  it("splits identifiers at humps", () => {
    // One piece for the pre-tokenizer, two humps for the estimate: each costs at least one token.
    expect(preTokenize("normalizeHeaders")).toHaveLength(1);
    expect(estimateTokens("normalizeHeaders")).toBe(estimateTokens("normalize") + estimateTokens("Headers"));
    expect(estimateTokens("readBody")).toBe(2);
    expect(estimateTokens(" count")).toBe(1);
  });

  it("charges all-caps runs one token per two letters, as real vocabularies split them", () => {
    // Measured: SQUISHSERVER is 5 Qwen tokens, OSSL_CRMF_MSG 6–8 across families.
    expect(estimateTokens("SQUISHSERVER")).toBe(6);
    // OSSL 2 + _CRMF 2 + _MSG 1 (was 3 under the old one-per-six-letters rule).
    expect(estimateTokens("OSSL_CRMF_MSG")).toBe(5);
    // Short acronyms stay one token; lower-case words keep one token per ~6 letters.
    expect(estimateTokens("SSL")).toBe(1);
    expect(estimateTokens("parseHTTPHeaders")).toBe(1 + 2 + 2);
  });

  it("estimates more than chars/4 on dense code, where chars/4 falls below the lower bound", () => {
    const code = "if(a[i]!==b[i]){x+=1;y-=2;}\n".repeat(20);
    expect(charsOverFour(code)).toBeLessThan(preTokenize(code).length);
    expect(estimateTokens(code)).toBeGreaterThan(preTokenize(code).length);
  });
});
