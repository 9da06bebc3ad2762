import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { AMD_SECTIONS, PRIORITIES, SMD_SECTIONS, STATUSES, STRICT_SMD_SECTIONS, type SectionDefinition } from "../../grammar/index.js";

const doc = readFileSync(resolve(process.cwd(), "docs", "spec-format.md"), "utf8");

/** The lines between `<!-- name -->` and `<!-- /name -->`. */
function block(name: string): string[] {
  const match = new RegExp(`<!-- ${name} -->\\n([\\s\\S]*?)<!-- /${name} -->`).exec(doc);
  if (!match) throw new Error(`docs/spec-format.md has no ${name} block`);
  return match[1]!.split("\n").filter((l) => l.trim() !== "");
}

/** Table rows (header and separator dropped) as trimmed cells. */
function rows(name: string): string[][] {
  return block(name)
    .slice(2)
    .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
}

function table(defs: readonly SectionDefinition[]): string[][] {
  return defs.map((d) => [d.name, d.aliases.join(", "), d.kind]);
}

describe("docs/spec-format.md", () => {
  it("lists exactly the parser's SMD sections, aliases and content kinds", () => {
    expect(rows("smd-sections")).toEqual(table(SMD_SECTIONS));
  });

  it("lists exactly the parser's AMD sections", () => {
    expect(rows("amd-sections")).toEqual(table(AMD_SECTIONS));
  });

  it("lists exactly the sections --strict requires", () => {
    expect(block("strict-sections").map((l) => l.replace(/^- /, ""))).toEqual([...STRICT_SMD_SECTIONS]);
  });

  it("lists the frontmatter keys and the allowed status and priority values", () => {
    const smdKeys = rows("smd-keys");
    expect(smdKeys.map((r) => r[0])).toEqual(["`id`", "`status`", "`priority`", "`depends`"]);
    const quoted = (values: readonly string[]) => values.map((v) => `\`${v}\``);
    for (const v of quoted(STATUSES)) expect(smdKeys[1]![1]).toContain(v);
    for (const v of quoted(PRIORITIES)) expect(smdKeys[2]![1]).toContain(v);
    expect(rows("amd-keys").map((r) => r[0])).toEqual(["`spec`", "`status`"]);
  });
});
