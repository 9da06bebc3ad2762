// DESIGN §2: the core emits events and asks through callbacks; only the CLI's
// commands and reporters (src/cli/) and the UI print. A core module that
// writes to the terminal bypasses every reporter (and their redaction).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = process.cwd();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

// Code, not text: generated example code inside template strings (the demo's replies) is not the core printing.
const PRINTS = /^(?!\s*(?:\/\/|\*)).*(?<![`"'\w.])(?:process\.(?:stdout|stderr)\.write|console\.(?:log|error|warn|info))\(/m;

describe("the core", () => {
  it("never writes to stdout or stderr outside src/cli/", () => {
    const offenders = ["src", "models", "plans", "grammar"]
      .flatMap((d) => sources(join(ROOT, d)))
      .filter((file) => !relative(ROOT, file).startsWith(join("src", "cli")))
      .filter((file) => {
        const text = readFileSync(file, "utf8").replace(/`(?:\\[\s\S]|[^`\\])*`/g, "``");
        return PRINTS.test(text);
      })
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
