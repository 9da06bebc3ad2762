import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { OSSATURE_KEYS } from "../../src/config/ossature-keys.js";
import { CONFIG_KEYS, OSSATURE_SHARED_KEYS, defaultConfig, envName, findKey } from "../../src/config/schema.js";
import { ROLES } from "../../src/config/types.js";

const doc = readFileSync(resolve(process.cwd(), "docs", "configuration.md"), "utf8");

/** The non-blank lines between `<!-- name -->` and `<!-- /name -->`. */
function block(name: string): string[] {
  const match = new RegExp(`<!-- ${name} -->\\n([\\s\\S]*?)<!-- /${name} -->`).exec(doc);
  if (!match) throw new Error(`docs/configuration.md has no ${name} block`);
  return match[1]!.split("\n").filter((l) => l.trim() !== "");
}

/** Table rows (header and separator dropped) as trimmed cells, keyed by the unquoted first cell. */
function keyRows(): Map<string, { type: string; default: string; env: string; meaning: string }> {
  const rows = block("config-keys")
    .slice(2)
    .map((l) => l.split(" | ").map((c) => c.replace(/^\|\s*|\s*\|$/g, "").trim()));
  return new Map(rows.map(([key, type, def, env, meaning]) => [key!.replace(/`/g, ""), { type: type!, default: def!, env: env!, meaning: meaning! }]));
}

const ROLE_KEYS = new Set(ROLES.map((r) => `model.${r}`));

describe("docs/configuration.md", () => {
  it("lists exactly the config keys, in the schema's order", () => {
    expect([...keyRows().keys()]).toEqual(CONFIG_KEYS.map((k) => k.key));
  });

  it("gives each key its environment variable and a type and meaning", () => {
    for (const [key, row] of keyRows()) {
      expect(row.env, key).toBe(`\`${envName(key)}\``);
      expect(row.type, key).not.toBe("");
      expect(row.meaning, key).not.toBe("");
    }
  });

  it("states each key's default as `specwright config` shows it", () => {
    const defaults = defaultConfig("some-folder");
    for (const [key, row] of keyRows()) {
      const spec = findKey(key)!;
      if (key === "project.name") {
        // The doc says "the project folder's name": check that it is.
        expect(row.default).toBe("the project folder's name");
        expect(spec.show(defaults)).toBe('"some-folder"');
      } else if (ROLE_KEYS.has(key)) {
        // The doc says a role falls back to model.default: check that it does.
        expect(row.default, key).toBe("same as `model.default`");
        const other = defaultConfig("x");
        other.model.default = "another-model:1b";
        expect(spec.show(other), key).toBe(findKey("model.default")!.show(other));
      } else {
        expect(row.default, key).toBe(`\`${spec.show(defaults)}\``);
      }
    }
  });

  it("lists exactly the keys an Ossature project's ossature.toml contributes", () => {
    const listed = block("ossature-keys").map((l) => l.replace(/^- `|`$/g, ""));
    expect([...listed].sort()).toEqual([...OSSATURE_SHARED_KEYS].sort());
  });

  it("says what becomes of every other key Ossature reads", () => {
    const listed = block("ossature-other-keys")
      .slice(2)
      .flatMap((l) => [...l.split(" | ")[0]!.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]!));
    const others = [...OSSATURE_KEYS.keys()].filter((k) => !OSSATURE_SHARED_KEYS.has(k));
    expect([...listed].sort()).toEqual(others.sort());
  });

  it("names only environment variables that specwright reads", () => {
    const known = new Set([...CONFIG_KEYS.map((k) => envName(k.key)), "SPECWRIGHT_MODEL"]);
    const mentioned = [...doc.matchAll(/SPECWRIGHT_[A-Z_]+/g)].map((m) => m[0]).filter((name) => !name.endsWith("_"));
    expect(mentioned.length).toBeGreaterThan(0);
    for (const name of mentioned) expect(known, name).toContain(name);
  });
});
