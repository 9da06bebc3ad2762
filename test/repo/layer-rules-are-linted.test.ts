// The layer rules of DESIGN.md §2 are enforced by eslint.config.js (run by
// `npm test`). This proves each rule fires where it should and stays quiet
// where the layer allows the import: probe sources linted as if they lived in
// each folder, with the project's own config (its type-aware part left out:
// the probes are not in the TypeScript project).

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = process.cwd();
// Loaded by URL: the config is plain JavaScript, outside the TypeScript project.
const { default: config } = (await import(pathToFileURL(join(ROOT, "eslint.config.js")).href)) as { default: Linter.Config[] };
const untyped = config.filter((entry) => (entry.languageOptions?.parserOptions as { project?: unknown } | undefined)?.project === undefined);
const linter = new Linter({ configType: "flat", cwd: ROOT });

function problems(file: string, code: string): string[] {
  return linter
    .verify(code, untyped, { filename: join(ROOT, file) })
    .map((m) => `${m.ruleId ?? "parse"}: ${m.message}`);
}

const restricted = (file: string, code: string) => problems(file, code).filter((p) => /^no-restricted-(imports|syntax)/.test(p));

describe("the layer rules (DESIGN.md §2)", () => {
  it("keep file system, processes and network out of grammar/ and plans/", () => {
    for (const file of ["grammar/probe.ts", "plans/deep/probe.ts"]) {
      for (const module of ["node:fs", "fs/promises", "node:child_process", "node:net", "node:http", "execa", "simple-git", "ollama"]) {
        expect(restricted(file, `import * as m from "${module}";\nexport const x = m;\n`), `${module} in ${file}`).toEqual([
          expect.stringMatching(/grammar\/ and plans\/ do no I\/O/),
        ]);
      }
    }
    // Pure helpers stay allowed.
    expect(restricted("plans/probe.ts", `import { createHash } from "node:crypto";\nexport const h = createHash;\n`)).toEqual([]);
  });

  it("keep src/, ui/ and models/ out of grammar/ and plans/, while plans/ may use grammar/", () => {
    expect(restricted("plans/probe.ts", `import { x } from "../src/fs/safe-write.js";\nexport const y = x;\n`)).toEqual([expect.stringMatching(/nothing from src\//)]);
    expect(restricted("grammar/a/probe.ts", `import { x } from "../../models/events.js";\nexport const y = x;\n`)).toEqual([expect.stringMatching(/nothing from models\//)]);
    expect(restricted("grammar/probe.ts", `import { x } from "../ui/theme.js";\nexport const y = x;\n`)).toEqual([expect.stringMatching(/ui\/ imports the core/)]);
    expect(restricted("plans/probe.ts", `import { x } from "../grammar/diagnostic.js";\nexport const y = x;\n`)).toEqual([]);
  });

  it("keep ink, react and ui/ out of the core, and let ui/ use them", () => {
    for (const file of ["src/probe.ts", "src/cli/commands/probe.ts", "models/probe.ts", "grammar/probe.ts", "plans/probe.ts"]) {
      expect(restricted(file, `import { Box } from "ink";\nexport const b = Box;\n`), file).toEqual([expect.stringMatching(/Only ui\/ imports ink/)]);
      expect(restricted(file, `import { useState } from "react";\nexport const u = useState;\n`), file).toEqual([expect.stringMatching(/Only ui\/ imports react/)]);
    }
    expect(restricted("src/cli/commands/probe.ts", `import { App } from "../../../ui/app.js";\nexport const a = App;\n`)).toEqual([expect.stringMatching(/ui\/ imports the core, never the other way/)]);
    expect(restricted("src/probe.ts", `import { f } from "../test/fake-ollama/server.js";\nexport const g = f;\n`)).toEqual([expect.stringMatching(/never imports test\//)]);
    expect(restricted("ui/screens/probe.tsx", `import { Box } from "ink";\nimport { useState } from "react";\nimport { loadConfig } from "../../src/config/load.js";\nexport const a = [Box, useState, loadConfig];\n`)).toEqual([]);
  });

  it("keep file writes out of ui/, and let it read and watch files", () => {
    for (const [module, name] of [["node:fs/promises", "writeFile"], ["node:fs", "writeFileSync"], ["fs/promises", "rename"], ["node:fs", "createWriteStream"]] as const) {
      expect(restricted("ui/screens/probe.tsx", `import { ${name} } from "${module}";\nexport const w = ${name};\n`), `${name} from ${module}`).toEqual([expect.stringMatching(/ui\/ writes no file itself/)]);
    }
    expect(restricted("ui/data/probe.ts", `import * as fs from "node:fs/promises";\nexport const w = fs;\n`)).toEqual([expect.stringMatching(/ui\/ writes no file itself/)]);
    expect(restricted("ui/screens/probe.tsx", `import { watch } from "node:fs";\nimport { readFile } from "node:fs/promises";\nexport const r = [watch, readFile];\n`)).toEqual([]);
    expect(restricted("src/probe.ts", `import { writeFile } from "node:fs/promises";\nexport const w = writeFile;\n`)).toEqual([]);
  });

  it("make every event consumer name the kinds it ignores", () => {
    const consumer = (body: string) => `export function on(event: { type: "a" | "b" }): number {\n  switch (event.type) {\n${body}\n  }\n}\n`;
    expect(restricted("src/cli/probe.ts", consumer(`    case "a":\n      return 1;\n    default:\n      return 0;`))).toEqual([expect.stringMatching(/No `default` in a switch over event kinds/)]);
    expect(restricted("ui/probe.ts", consumer(`    case "a":\n      return 1;\n    case "b":\n      return 0;`))).toEqual([]);
  });

  it("check the rules of hooks in ui/", () => {
    const code = `import { useState } from "react";\nexport function C(p: { on: boolean }) {\n  if (p.on) useState(0);\n  return null;\n}\n`;
    expect(problems("ui/probe.tsx", code)).toEqual([expect.stringMatching(/^react-hooks\/rules-of-hooks: React Hook "useState" is called conditionally/)]);
  });
});
