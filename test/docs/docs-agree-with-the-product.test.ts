// Classes of contradiction between the docs, the help and the product
// (issue 10 item 19), each checked everywhere it can occur rather than at the
// one place it was seen: the default model, exit codes, commands a text names,
// counts with a plural noun, and two statements that were found contradicting.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/command-table.js";
import { EXIT } from "../../src/cli/exit-codes.js";
import { DEFAULT_MODEL } from "../../src/config/default-model.js";
import { defaultConfig } from "../../src/config/schema.js";
import { amdTemplate, exampleAmd, exampleSmd, projectToml, smdTemplate, vmdTemplate } from "../../src/project/templates.js";
import { REPO_ROOT, runCli, tempDir } from "../helpers/cli.js";

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(REPO_ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(REPO_ROOT, rel)).isDirectory()) out.push(...files(rel, ext));
    else if (ext.test(name)) out.push(rel);
  }
  return out;
}
const read = (rel: string) => readFileSync(join(REPO_ROOT, rel), "utf8");
const DOCS = ["README.md", ...files("docs", /\.md$/)];
const PRODUCT = [...files("src", /\.ts$/), ...files("ui", /\.tsx?$/)];
const EXAMPLE_CONFIGS = files("examples", /^specwright\.toml$/);

describe("one default model everywhere", () => {
  it("the config default, init's specwright.toml, the example, the README, the docs and every hint name the same model", () => {
    expect(defaultConfig("x").model.default).toBe(DEFAULT_MODEL);
    expect(projectToml("x")).toContain(`default = "${DEFAULT_MODEL}"`);
    const named: string[] = [];
    for (const rel of [...DOCS, ...EXAMPLE_CONFIGS, ...PRODUCT]) {
      const text = read(rel);
      // A model a person is told to pull, or the value of a `default =` line.
      for (const m of text.matchAll(/ollama pull (qwen[\w.:-]+)/g)) named.push(`${rel}: ollama pull ${m[1]}`);
      for (const m of text.matchAll(/^default = "([^"]+)"/gm)) named.push(`${rel}: default = ${m[1]}`);
      for (const m of text.matchAll(/\| `model\.default` \| string \| `"([^"]+)"`/g)) named.push(`${rel}: model.default ${m[1]}`);
    }
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((n) => !n.endsWith(` ${DEFAULT_MODEL}`))).toEqual([]);
  });
});

describe("exit codes", () => {
  const codes = Object.values(EXIT).map(String);

  it("the global help and the README's table list every exit code", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const help = (await runCli(["--help"], { cwd: dir })).stdout;
      const line = help.slice(help.indexOf("Exit codes:"));
      for (const code of codes) expect(line, code).toMatch(new RegExp(`\\b${code} `));
    } finally {
      await cleanup();
    }
    const readme = read("README.md");
    const table = readme.slice(readme.indexOf("## Exit codes"));
    expect([...table.matchAll(/^\| (\d+) \|/gm)].map((m) => m[1])).toEqual(codes);
  });

  it("every command's help has an exit-code paragraph naming only real codes", () => {
    for (const command of COMMANDS) {
      const at = command.help.indexOf("Exit codes:");
      expect(at, `${command.name} --help has no "Exit codes:"`).toBeGreaterThan(0);
      const listed = [...command.help.slice(at).matchAll(/(?:^|[ ,(])(\d+) /gm)].map((m) => m[1]!);
      expect(listed.length, command.name).toBeGreaterThan(0);
      for (const code of listed) expect(codes, `${command.name} lists exit code ${code}`).toContain(code);
    }
  });
});

describe("commands a text names", () => {
  it("every `specwright <command>` in the README, the docs, the help texts and the spec templates is a real command", () => {
    const names = new Set(COMMANDS.map((c) => c.name));
    const texts: [string, string][] = [
      ...DOCS.map((rel): [string, string] => [rel, read(rel)]),
      ...COMMANDS.map((c): [string, string] => [`${c.name} --help`, c.help]),
      ["init's example .smd", exampleSmd()],
      ["init's example .amd", exampleAmd()],
      ["new's .smd template", smdTemplate("word-count")],
      ["new's .amd template", amdTemplate("word-count")],
      ["new's .vmd template", vmdTemplate("word-count")],
    ];
    const unknown: string[] = [];
    for (const [where, text] of texts) {
      // In code spans (`specwright build`), after a prompt ($ specwright plan), and on the lines of fenced code blocks.
      const fenced = [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!).join("\n");
      const mentions = [...text.matchAll(/(?:`|\$ )specwright ([a-z][a-z-]*)/g), ...fenced.matchAll(/^\s*specwright ([a-z][a-z-]*)/gm)];
      for (const m of mentions) if (!names.has(m[1]!)) unknown.push(`${where}: specwright ${m[1]}`);
    }
    expect(unknown).toEqual([]);
  });
});

describe("counts and their nouns", () => {
  it("a count printed before a plural noun is guarded for 1 (no '1 calls')", () => {
    // Where the count cannot be 1, with the reason: [file, text on the line].
    const ALLOWED: [string, string, string][] = [
      ["src/audit/audit-prompt.ts", "${files.length} files.", "the cross-spec audit runs only with several specs, and its prompt text is part of the audit cache key"],
      ["src/doctor.ts", "tokens of context", "a context window is never 1 token"],
      ["src/report/build-report.ts", "${f.tasks.length} tasks", "repeated failures are kept only when 2 or more tasks share them (so 2 or more attempts)"],
    ];
    const found: string[] = [];
    for (const rel of PRODUCT) {
      read(rel)
        .split("\n")
        .forEach((line, i) => {
          // A count: `${…}` after a space, quote or parenthesis, then a plural noun. Means (toFixed) and
          // fractions ("3 of ${n} runs") read right in the plural.
          for (const m of line.matchAll(/(^|[\s(`"'])\$\{([^}]+)\} (calls|tasks|files|errors|warnings|runs|attempts|findings|specs|cases|commands|models|fixes|rows)\b/g)) {
            if (/toFixed\(/.test(m[2]!) || /\bof $/.test(line.slice(0, m.index! + m[1]!.length))) continue;
            if (/=== 1|!== 1|> 1|>= 2|plural\(/.test(line)) continue;
            if (ALLOWED.some(([file, text]) => file === rel && line.includes(text))) continue;
            found.push(`${rel}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(found).toEqual([]);
  });
});

describe("statements found contradicting each other", () => {
  it("structured calls never think: the README and docs/configuration.md both say so", () => {
    for (const rel of ["README.md", "docs/configuration.md"]) expect(read(rel).replace(/\s+/g, " "), rel).toMatch(/(audit findings|structured calls)[^.]*(are|is) always asked without( thinking)?/);
    expect(read("docs/configuration.md")).not.toMatch(/structured ones \(audit findings, plans, spec fixes\) included/);
  });

  it("docs/tui.md says what `specwright` without a terminal really prints", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await runCli(["init"], { cwd: dir });
      const r = await runCli([], { cwd: dir });
      expect(r.stdout).toMatch(/^Specs /m);
    } finally {
      await cleanup();
    }
    expect(read("docs/tui.md").replace(/\s+/g, " ")).toContain("Without a terminal (a pipe, CI) `specwright` prints the project's status instead (outside a project, the command list)");
  });
});
