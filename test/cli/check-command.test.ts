// `specwright check` runs a project's verification cases against real code in
// a temp dir: Python through python3, JavaScript through node, command
// scenarios as real processes; no model anywhere.

import { execFileSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers/cli.js";
import { writeProject } from "../helpers/spec-project.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const hasPython = (() => {
  try {
    execFileSync("python3", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

const SMD = `---
id: TOOLS
---
# Tools
## Requirements
### Parse durations {#parse-duration}
Turns "2h30m" into seconds.
### Count words {#count-words}
Counts words.
### Command line {#cli}
Prints the count of its arguments.
`;
const AMD = `---
spec: TOOLS
---
# Tools
## Components
### Durations
@path: src/durations.py

Parses.

**Interface:**

\`\`\`python
def parse_duration(text: str) -> int: ...
def mean(values: list) -> float: ...
\`\`\`

### Count
@path: src/count.mjs

Counts.

**Interface:**

\`\`\`js
export function countWords(text) // -> Array<[string, number]>
export function topWords(pairs, n)
\`\`\`
`;
const PY = `import re

def parse_duration(text):
    if not text:
        raise ValueError("empty duration")
    total = 0
    for amount, unit in re.findall(r"(\\d+)([hms])", text):
        total += int(amount) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total

def mean(values):
    return sum(values) / len(values)
`;
const JS = `export function countWords(text) {
  const counts = new Map();
  for (const w of text.toLowerCase().match(/[\\p{L}\\p{N}]+/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
export function topWords(pairs, n) {
  if (!Number.isInteger(n) || n < 1) throw new RangeError("n must be a whole number of at least 1");
  return pairs.slice(0, n);
}
`;
const CLI = `#!/bin/sh
if [ "$1" = "--fail" ]; then echo "bad option" >&2; exit 2; fi
echo "$#"
printf '%s' "$1" > last.txt
`;

function vmd(extra = ""): string {
  return `@spec TOOLS
@fixture PAIRS = [["a", 3], ["b", 2], ["c", 1]]

@covers parse-duration
parse_duration(text)
compact | "2h30m" | 9000
empty   | ""      | !ValueError: empty

mean(values) ~approx:0.01
third | [1, 2, 2] | 1.67

countWords(text) ~unordered
mixed | "b a B" | [["a", 1], ["b", 2]]

topWords(pairs, n)
two  | PAIRS | 2 | [["a", 3], ["b", 2]]
zero | PAIRS | 0 | !RangeError: at least 1

scenario counts its arguments:
when $ tools one "two words" \\xff
> 3
when $ cat last.txt
then stdout is "one"

scenario rejects an unknown option:
when $ tools --fail
then exit 2
then stderr has "bad option"
then stdout empty
${extra}`;
}

async function project(files: Record<string, string>): Promise<void> {
  await writeProject(dir, {
    "specwright.toml": '[project]\nname = "tools"\n\n[output]\ndir = "output"\nlanguage = "python"\n',
    "specs/tools.smd": SMD,
    "specs/tools.amd": AMD,
    "output/src/durations.py": PY,
    "output/src/count.mjs": JS,
    "output/bin/tools": CLI,
    ...files,
  });
  execFileSync("chmod", ["+x", join(dir, "output", "bin", "tools")]);
}

describe.skipIf(!hasPython)("specwright check", () => {
  it("passes every case of real Python and JavaScript code and leaves the output dir as it was", async () => {
    await project({ "specs/tools.vmd": vmd() });
    const before = await readdir(join(dir, "output"), { recursive: true });
    const r = await runCli(["check"], { cwd: dir });
    expect(r.stderr).not.toContain("FAIL");
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^RESULT\s+SPEC\s+CASE\s+WHERE$/m);
    for (const label of ["parse_duration/compact", "parse_duration/empty", "mean/third", "countWords/mixed", "topWords/two", "topWords/zero", "scenario: counts its arguments", "scenario: rejects an unknown option"]) {
      expect(r.stdout).toMatch(new RegExp(`^pass\\s+TOOLS\\s+${label.replace(/[/:]/g, "\\$&")}\\s+specs/tools\\.vmd:\\d+$`, "m"));
    }
    expect(r.stdout).toMatch(/8 passed, 0 failed, 0 not run/);
    // No __pycache__, no last.txt written by the scenario: the output dir is untouched.
    expect((await readdir(join(dir, "output"), { recursive: true })).sort()).toEqual(before.sort());
    const records = JSON.parse(await readFile(join(dir, ".specwright", "cases.json"), "utf8")) as Record<string, { status: string; by: string }>;
    expect(records["TOOLS:parse_duration/compact"]).toMatchObject({ status: "pass", by: "check" });
    expect(records["TOOLS:scenario:counts_its_arguments"]).toMatchObject({ status: "pass" });
  });

  it("fails with the case, its expectation and the actual result, and exits 1", async () => {
    await project({
      "specs/tools.vmd": vmd(`
scenario prints nothing for no arguments:
when $ tools
then stdout empty
`).replace('compact | "2h30m" | 9000', 'compact | "2h30m" | 9001').replace('zero | PAIRS | 0 | !RangeError: at least 1', "zero | PAIRS | 0 | !TypeError"),
    });
    const r = await runCli(["check"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+TOOLS\s+parse_duration\/compact/m);
    expect(r.stdout).toContain('expected: parse_duration("2h30m") returns 9001');
    expect(r.stdout).toContain("actual:   returned 9000");
    expect(r.stdout).toMatch(/FAIL topWords\/zero[\s\S]*expected: topWords\(\[\["a", 3\], \["b", 2\], \["c", 1\]\], 0\) raises TypeError\n {2}actual: {3}threw RangeError: n must be a whole number of at least 1/);
    expect(r.stdout).toMatch(/FAIL scenario: prints nothing for no arguments[\s\S]*actual: {3}exit 0; stdout: "0\\n"[\s\S]*why: {2}stdout is not empty/);
    expect(r.stdout).toMatch(/6 passed, 3 failed, 0 not run/);
    const json = await runCli(["check", "TOOLS", "--json"], { cwd: dir });
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(json.stdout) as { passed: number; failed: number; cases: { id: string; status: string }[] };
    expect([parsed.passed, parsed.failed]).toEqual([6, 3]);
    expect(parsed.cases.find((c) => c.id === "TOOLS:parse_duration/compact")?.status).toBe("fail");
  });

  it("shows a case it cannot run as not run, never as a pass", async () => {
    await project({
      "specs/tools.vmd": vmd().replace("@spec TOOLS", "@spec TOOLS\n@fixture conn = !fresh empty database") + "\nmean(conn, values, weights)\nwith_db | [2] | null | 2\n",
    });
    const r = await runCli(["check"], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^not run\s+TOOLS\s+mean\/with_db/m);
    expect(r.stdout).toContain("because:  parameter conn is the opaque fixture !fresh empty database, which specwright's harness cannot construct");
  });

  it("says so when there are no cases, and names an unknown spec", async () => {
    await project({});
    const none = await runCli(["check"], { cwd: dir });
    expect([none.exitCode, none.stdout]).toEqual([0, "no verification cases (.vmd) for this project; `specwright new <name> --vmd` writes one\n"]);
    const unknown = await runCli(["check", "TOOL"], { cwd: dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("no spec TOOL in this project");
    expect(unknown.stderr).toContain("did you mean TOOLS?");
  });
});
