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
// Measured when written (bench/estimate-tokens.ts, against the pre-token lower bound, since
// no real tokenizer is available offline): on this repository's 103 TypeScript
// files the estimate is 1.22× the bound overall, 1.11–1.41× per file; on the
// spec fixtures 1.20× (1.13–1.23×). chars/4 gives 1.04× overall but falls BELOW
// the bound, a proven underestimate, in 29 of 103 TypeScript files (down to
// 0.68×), which is why it is not used. Real BPE counts sit above the bound by
// an amount we cannot measure here; ModelRun calibrates against the server's
// prompt_eval_count after the first reply (TokenCalibration).

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
const ASCII_LETTERS = /^[ -@\[-`{-~]?[A-Za-z]+$/;
const HUMPS = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g;

function estimatePlain(text: string): number {
  let total = 0;
  for (const match of text.matchAll(PRE_TOKEN)) total += pieceCost(match[0]);
  return total;
}

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
    for (const hump of piece.matchAll(HUMPS)) cost += Math.max(1, Math.ceil(hump[0].length / 6));
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
