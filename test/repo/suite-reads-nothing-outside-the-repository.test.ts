// A user's fresh clone has nothing beside it: no test or benchmark may read a
// path that climbs out of the repository (the review that filed this found four).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = process.cwd();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "fixtures") return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** `"..", "shared"` (path.join/resolve arguments) or a literal `../shared` path. */
const OUTSIDE = /["']\.\.["']\s*,\s*["']shared["']|\.\.\/shared\//;

describe("the test suite on a fresh clone", () => {
  it("never reads ../shared or another folder beside the repository", () => {
    const offenders = ["test", "bench"]
      .flatMap((d) => sources(join(ROOT, d)))
      .filter((file) => !file.endsWith("suite-reads-nothing-outside-the-repository.test.ts"))
      .filter((file) => OUTSIDE.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it("finds the pattern it looks for (the check can fail)", () => {
    expect(OUTSIDE.test(`resolve(root, "..", "shared", "fixtures")`)).toBe(true);
    expect(OUTSIDE.test(`"../shared/fixtures/ossature"`)).toBe(true);
    expect(OUTSIDE.test(`resolve(root, "test", "fixtures")`)).toBe(false);
  });
});
