// Token estimation without a tokenizer. specwright must size prompts for many
// models (Qwen, Llama, Gemma, Mistral…) and ships no vocabularies, so it
// estimates, errs on the high side, and leaves a margin (context-budget.ts).
//
// Method. Byte-level BPE tokenizers (Qwen2/2.5, Llama 3, GPT-4's cl100k) first
// split text with a pre-tokenizer regex and never merge across those pieces.
// `preTokenize` reproduces Qwen2's regex, so for Qwen-family models the number
// of pieces is an exact LOWER BOUND of the real token count (Llama 3 and cl100k
// group digits by three where Qwen splits each, so for them digit runs are
// overcounted; SentencePiece models such as Gemma split differently). The
// estimate then charges each piece what a ~150k-entry vocabulary typically
// needs for it: identifiers split at camelCase/snake humps, long humps cost one
// token per ~6 letters, punctuation runs one per 2 characters, non-Latin
// letters one per character, runs of spaces one per 8.
//
// Measured against the real tokenizers of five families (bench/estimate-tokens.ts:
// Qwen3/Qwen2.5, Llama 3, Gemma 3, DeepSeek V3, Mistral Tekken) on 230 real
// files — this repository's TypeScript, C headers, Python, Go, Rust, shell,
// specs and real prompts: the median estimate is 0.98–1.13 of the real count;
// the lowest file is 0.98 (Qwen), 1.00 (Llama 3), 0.77 (Gemma, OpenSSL's
// crmf.h), 0.85 (DeepSeek), 0.87 (Tekken); the highest 1.21–1.37. The margin
// each family gets (tokenizer-family.ts) lifts its lowest file above its real
// count. chars/4 is not used: it falls below the real count on most code.
// Hostile text (base64, rare CJK, emoji) still goes down to 0.64: the server's
// own refusal (truncate:false) and the run's calibration cover it.

/** Qwen2's pre-tokenizer pattern ((?i:…) expanded: JavaScript lacks inline flags). */
const PRE_TOKEN =
  /'(?:[sStTmMdD]|[rR][eE]|[vV][eE]|[lL][lL])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** Special tokens of common chat templates; each is one token, not a run of punctuation. */
const SPECIAL_TOKEN = /<\|[a-z_]+\|>|<\/?s>|<(?:start|end)_of_turn>/g;

/** Splits text into pre-tokenizer pieces (the lower bound on BPE tokens is their count). */
export function preTokenize(text: string): string[] {
  const pieces: string[] = [];
  let last = 0;
  for (const special of text.matchAll(SPECIAL_TOKEN)) {
    const index = special.index;
    if (index > last) pushPieces(text.slice(last, index), pieces);
    pieces.push(special[0]);
    last = index + special[0].length;
  }
  if (last < text.length) pushPieces(text.slice(last), pieces);
  return pieces;
}

function pushPieces(text: string, into: string[]): void {
  for (const match of text.matchAll(PRE_TOKEN)) into.push(match[0]);
}

/** Estimated token count of `text` for a modern byte-level BPE vocabulary. */
export function estimateTokens(text: string): number {
  let total = 0;
  let last = 0;
  for (const special of text.matchAll(SPECIAL_TOKEN)) {
    total += estimatePlain(text.slice(last, special.index)) + 1;
    last = special.index + special[0].length;
  }
  return total + estimatePlain(text.slice(last));
}

const LETTERS = /\p{L}/u;
const ASCII_LETTERS = /^[ -@[-`{-~]?[A-Za-z]+$/;
const HUMPS = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g;

function estimatePlain(text: string): number {
  let total = 0;
  for (const match of text.matchAll(PRE_TOKEN)) total += pieceCost(match[0]);
  return total;
}

/**
 * Lower-case humps are mostly whole vocabulary words ("normalize", "headers"):
 * one token per ~6 letters. Upper-case runs are not: vocabularies hold few
 * all-caps merges, so `SQUISHSERVER` is 5 Qwen tokens and `CRMF` 2–3 on every
 * family measured (bench/estimate-tokens.ts: OpenSSL's crmf.h went from 0.76
 * to ≥ 1 of the real count on Qwen with this rule). Short acronyms (`OK`,
 * `SSL`, `API`) are usually one token.
 */
function humpCost(hump: string): number {
  if (/[a-z]/.test(hump)) return Math.max(1, Math.ceil(hump.length / 6));
  return hump.length <= 3 ? 1 : Math.ceil(hump.length / ALL_CAPS_LETTERS_PER_TOKEN);
}

/** Measured: all-caps identifiers in C headers split into ~2–2.5 letters per token. */
const ALL_CAPS_LETTERS_PER_TOKEN = 2;

function pieceCost(piece: string): number {
  const first = piece.charCodeAt(0);
  if (first === 32 || first === 9 || first === 10 || first === 13) {
    // Whitespace: newline groups are one token; indentation costs one per 8 columns.
    if (piece.trim() === "") return /[\r\n]/.test(piece) ? 1 : Math.ceil(piece.length / 8);
  }
  if (ASCII_LETTERS.test(piece)) {
    // A word with an optional leading space or symbol. Common short words are one
    // token; identifiers split at humps ("normalizeHeaders" → normalize|Headers).
    let cost = 0;
    for (const hump of piece.matchAll(HUMPS)) cost += humpCost(hump[0]);
    return Math.max(cost, 1);
  }
  if (LETTERS.test(piece)) {
    // Non-Latin scripts: roughly one token per character (CJK), never fewer.
    return Math.max(1, [...piece].filter((c) => LETTERS.test(c)).length);
  }
  if (/^\p{N}$/u.test(piece)) return 1;
  // Punctuation run (with optional leading space and trailing newlines).
  const symbols = piece.replace(/^ /, "").replace(/[\r\n]+$/, "");
  const bytes = Buffer.byteLength(symbols, "utf8");
  // Multi-byte symbols (emoji, box drawing) are often several byte tokens.
  return Math.max(1, Math.ceil(bytes / 2));
}

/** Characters divided by four: the common rule of thumb, kept for comparison in the bench. */
export function charsOverFour(text: string): number {
  return Math.ceil(text.length / 4);
}
