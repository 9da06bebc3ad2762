// Which tokenizer family counts a model's prompts, from what /api/show says
// (model_info `tokenizer.ggml.model` and `tokenizer.ggml.pre`), and how much
// margin the estimate needs for it. The margins are measured, not guessed:
// bench/estimate-tokens.ts runs the estimator against each family's real
// tokenizer on test/fixtures/token-corpus and prints, per family, the lowest
// estimate/real ratio over real code; the margin is the factor that lifts that
// worst file to the real count (1 / min ratio, rounded up to 0.05).

export type TokenizerFamily = "qwen" | "llama3" | "gemma" | "deepseek" | "tekken";

/** Estimate × margin ≥ real count for every real-code file in the corpus, per family. */
// Measured (bench/estimate-tokens.ts, 230 real files: this repository's
// TypeScript, C headers, Python, Go, Rust, shell, specs, real prompts): lowest
// estimate/real ratio qwen 0.983, llama3 1.004, gemma 0.773 (OpenSSL crmf.h),
// deepseek 0.851 (crmf.h), tekken 0.874 (evp.h). Each margin lifts the worst
// file above its real count with a little room; Qwen and Llama keep 1.1.
export const FAMILY_MARGINS: Record<TokenizerFamily, number> = {
  qwen: 1.1,
  llama3: 1.1,
  gemma: 1.3,
  deepseek: 1.2,
  tekken: 1.15,
};

/** For a tokenizer we cannot place: the widest measured margin. */
export const UNKNOWN_FAMILY_MARGIN = Math.max(...Object.values(FAMILY_MARGINS));

/**
 * The family from GGUF tokenizer metadata. `pre` names the pre-tokenizer
 * (llama.cpp's LLAMA_VOCAB_PRE_TYPE strings: "qwen2", "llama-bpe",
 * "deepseek-v3", "tekken", …); SentencePiece vocabularies ("llama" model with
 * Gemma's "default" pre, or "gemma4") have no BPE pre-tokenizer.
 */
export function tokenizerFamily(tokenizer: { model: string | undefined; pre: string | undefined }, architecture?: string): TokenizerFamily | undefined {
  const pre = tokenizer.pre?.toLowerCase() ?? "";
  const model = tokenizer.model?.toLowerCase() ?? "";
  const arch = architecture?.toLowerCase() ?? "";
  if (pre.startsWith("qwen")) return "qwen";
  if (pre === "llama-bpe" || pre === "llama3" || pre === "smaug-bpe") return "llama3";
  if (pre.startsWith("deepseek")) return "deepseek";
  if (pre === "tekken") return "tekken";
  if (pre.startsWith("gemma") || model.startsWith("gemma") || arch.startsWith("gemma")) return "gemma";
  return undefined;
}

export function marginFor(family: TokenizerFamily | undefined): number {
  return family ? FAMILY_MARGINS[family] : UNKNOWN_FAMILY_MARGIN;
}
