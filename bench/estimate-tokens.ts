// Measures the token estimator on real text: the repository's own TypeScript
// and the spec fixtures (or any files/folders given as arguments).
//
// There is no real tokenizer offline, so the reference is the pre-tokenizer
// split (models/token-estimate.ts `preTokenize`): a byte-level BPE never merges
// across those pieces, so their count is a LOWER BOUND of the true count for
// Qwen2-style tokenizers. Figures are ratios to that bound; a ratio below 1.0
// is a proven underestimate, above 1.0 is where real counts typically land.
// Run: npx tsc -p tsconfig.json && node dist/bench/estimate-tokens.js [paths…]

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { charsOverFour, estimateTokens, preTokenize } from "../models/token-estimate.js";

const repo = resolve(fileURLToPath(new URL("../..", import.meta.url)));

function walk(path: string, accept: (file: string) => boolean): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return accept(path) ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== "node_modules" && name !== "dist" && !name.startsWith("."))
    .flatMap((name) => walk(join(path, name), accept));
}

function measure(label: string, files: string[]): void {
  if (files.length === 0) {
    console.log(`${label}: no files`);
    return;
  }
  let chars = 0;
  let bound = 0;
  let estimate = 0;
  let quarter = 0;
  const ratios: number[] = [];
  const quarterRatios: number[] = [];
  let quarterBelow = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const b = preTokenize(text).length;
    if (b === 0) continue;
    const e = estimateTokens(text);
    const q = charsOverFour(text);
    chars += text.length;
    bound += b;
    estimate += e;
    quarter += q;
    ratios.push(e / b);
    quarterRatios.push(q / b);
    if (q < b) quarterBelow += 1;
  }
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  console.log(`${label}: ${files.length} files, ${chars} chars, lower bound ${bound} tokens (${(chars / bound).toFixed(2)} chars/token)`);
  console.log(`  estimator  ${estimate} tokens = ${(estimate / bound).toFixed(3)} × bound (per file ${range(ratios)})`);
  console.log(`  chars/4    ${quarter} tokens = ${(quarter / bound).toFixed(3)} × bound (per file ${range(quarterRatios)}); below the bound in ${quarterBelow}/${files.length} files`);
}

const args = process.argv.slice(2);
if (args.length > 0) {
  measure("given files", args.flatMap((a) => walk(resolve(a), () => true)));
} else {
  const ts = ["src", "models", "grammar", "plans", "ui", "bench", "test"]
    .map((d) => join(repo, d))
    .filter((d) => {
      try {
        return statSync(d).isDirectory();
      } catch {
        return false;
      }
    })
    .flatMap((d) => walk(d, (f) => /\.tsx?$/.test(f)));
  measure("repository TypeScript", ts);
  const specDirs = [join(repo, "test", "fixtures")];
  const specs = specDirs.flatMap((d) => {
    try {
      return walk(d, (f) => /\.(smd|amd|vmd)$/.test(f));
    } catch {
      return [];
    }
  });
  measure(`spec fixtures (${specs.map((f) => relative(repo, f)).join(", ")})`, specs);
}
