import { describe, expect, it } from "vitest";
import { PrefixTracker, checkTruncation, chooseNumCtx, fitsContext } from "../../models/context-budget.js";
import { marginFor, tokenizerFamily } from "../../models/tokenizer-family.js";

describe("one num_ctx per run, from the largest planned prompt", () => {
  it("covers the largest prompt with margin plus the output budget, rounded up to a 4096 step", () => {
    // A Qwen-family model (margin 1.1): 10,000 × 1.1 = 11,000 + 2,048 = 13,048 → 16,384.
    expect(chooseNumCtx({ configured: "auto", largestPromptTokens: 10_000, outputBudget: 2048, modelMaxContext: 32768, margin: marginFor("qwen") })).toEqual({
      numCtx: 16384,
      needed: 13048,
      exceedsModel: false,
      capped: false,
    });
  });

  it("never goes below Ollama's default of 4096", () => {
    expect(chooseNumCtx({ configured: "auto", largestPromptTokens: 100, outputBudget: 512, modelMaxContext: 32768 }).numCtx).toBe(4096);
  });

  it("is capped at the model's maximum and says the plan exceeds it", () => {
    const choice = chooseNumCtx({ configured: "auto", largestPromptTokens: 40_000, outputBudget: 4096, modelMaxContext: 32768 });
    expect(choice.numCtx).toBe(32768);
    expect(choice.exceedsModel).toBe(true);
  });

  it("keeps a configured number but caps it at the model's maximum", () => {
    expect(chooseNumCtx({ configured: 8192, largestPromptTokens: 100, outputBudget: 512, modelMaxContext: 32768 }).numCtx).toBe(8192);
    const capped = chooseNumCtx({ configured: 65536, largestPromptTokens: 100, outputBudget: 512, modelMaxContext: 32768 });
    expect(capped).toMatchObject({ numCtx: 32768, capped: true });
  });

  it("small plan edits keep the same num_ctx, so the loaded model is reused", () => {
    const a = chooseNumCtx({ configured: "auto", largestPromptTokens: 9_000, outputBudget: 2048, modelMaxContext: 32768, margin: 1.1 });
    // 9,000 → 11,948 and 9,200 → 12,168 tokens needed: both 12,288.
    const b = chooseNumCtx({ configured: "auto", largestPromptTokens: 9_200, outputBudget: 2048, modelMaxContext: 32768, margin: 1.1 });
    expect(a.numCtx).toBe(b.numCtx);
  });
});

describe("pre-send fit check", () => {
  it("reserves the family's margin and the output budget", () => {
    expect(fitsContext(3000, 1000, 4396, marginFor("qwen"))).toBe(true); // 3300 + 1000 ≤ 4396
    expect(fitsContext(3000, 1000, 4299, marginFor("qwen"))).toBe(false);
    // Gemma splits code finer (its worst measured file is 0.77 of the estimate): 3900 + 1000.
    expect(fitsContext(3000, 1000, 4899, marginFor("gemma"))).toBe(false);
    expect(fitsContext(3000, 1000, 4900, marginFor("gemma"))).toBe(true);
  });

  it("an unknown tokenizer family gets the widest measured margin", () => {
    expect(marginFor(undefined)).toBe(Math.max(...(["qwen", "llama3", "gemma", "deepseek", "tekken"] as const).map(marginFor)));
    expect(tokenizerFamily({ model: "gpt2", pre: "qwen2" })).toBe("qwen");
    expect(tokenizerFamily({ model: "gpt2", pre: "llama-bpe" })).toBe("llama3");
    expect(tokenizerFamily({ model: "gpt2", pre: "deepseek-v3" })).toBe("deepseek");
    expect(tokenizerFamily({ model: "gpt2", pre: "tekken" })).toBe("tekken");
    expect(tokenizerFamily({ model: "llama", pre: "default" }, "gemma3")).toBe("gemma");
    expect(tokenizerFamily({ model: undefined, pre: undefined })).toBeUndefined();
  });
});

describe("post-call truncation check", () => {
  it("does not judge a missing prompt_eval_count", () => {
    expect(checkTruncation({ estimatedTokens: 5000, promptEvalCount: undefined, cachedBound: 0, numCtx: 8192 })).toBeUndefined();
  });

  it("flags a count far below the estimate", () => {
    expect(checkTruncation({ estimatedTokens: 6000, promptEvalCount: 2048, cachedBound: 0, numCtx: 8192 })).toEqual({
      reason: "short-of-estimate",
      estimatedTokens: 6000,
      promptEvalCount: 2048,
      cachedBound: 0,
    });
  });

  it("does not flag a cache hit on a server that counts only uncached tokens", () => {
    expect(checkTruncation({ estimatedTokens: 6000, promptEvalCount: 400, cachedBound: 5300, numCtx: 8192 })).toBeUndefined();
  });

  it("flags a prompt that filled the whole window", () => {
    expect(checkTruncation({ estimatedTokens: 5000, promptEvalCount: 8192, cachedBound: 0, numCtx: 8192 })?.reason).toBe("filled-window");
  });

  it("accepts a count within the estimator's usual range", () => {
    expect(checkTruncation({ estimatedTokens: 6000, promptEvalCount: 4700, cachedBound: 0, numCtx: 8192 })).toBeUndefined();
  });
});

describe("prefix tracker bounds what the server can have cached", () => {
  it("measures the prefix shared with a recent prompt of the same model only", () => {
    const tracker = new PrefixTracker();
    const first = "system rules ".repeat(50) + "task A";
    expect(tracker.sharedPrefixTokens("m", first)).toBe(0);
    const shared = tracker.sharedPrefixTokens("m", "system rules ".repeat(50) + "task B");
    expect(shared).toBeGreaterThan(90);
    expect(tracker.sharedPrefixTokens("other", first)).toBe(0);
  });
});
