import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { KEYMAP, SCREENS, SCREEN_TITLES, keyText, type Binding, type BindingScope } from "../../ui/keymap.js";

const doc = readFileSync(resolve(process.cwd(), "docs", "tui.md"), "utf8");

/** Table rows between `<!-- keys-<scope> -->` and `<!-- /keys-<scope> -->`, header dropped, as trimmed cells. */
function docRows(scope: BindingScope): string[][] {
  const match = new RegExp(`<!-- keys-${scope} -->\\n([\\s\\S]*?)<!-- /keys-${scope} -->`).exec(doc);
  if (!match) throw new Error(`docs/tui.md has no keys-${scope} block`);
  return match[1]!
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(2)
    .map((l) => l.split(" | ").map((c) => c.replace(/^\|\s*|\s*\|$/g, "").trim()));
}

/** The row the doc should have for a binding: its label, the keys its label does not show, its description; for a global one, where it works. */
function expectedRow(b: Binding): string[] {
  const also = b.keys.map(keyText).filter((text) => text !== b.label);
  const row = [`\`${b.label}\``, also.map((t) => `\`${t}\``).join(", "), b.description];
  if (b.scope !== "global") return row;
  return [...row, b.on ? b.on.map((s) => SCREEN_TITLES[s]).join(", ") : "every screen"];
}

const SCOPES: BindingScope[] = ["global", ...SCREENS];

describe("docs/tui.md", () => {
  it.each(SCOPES)("lists exactly the keymap's %s bindings, in order", (scope) => {
    const expected = KEYMAP.filter((b) => b.scope === scope).map(expectedRow);
    expect(expected.length).toBeGreaterThan(0);
    expect(docRows(scope)).toEqual(expected);
  });

  it("has a section for every screen, in tab order", () => {
    const headings = [...doc.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(["Everywhere", ...SCREENS.map((s) => SCREEN_TITLES[s])]);
    const numbered = [...doc.matchAll(/^\d\. \*\*(\w+)\*\*/gm)].map((m) => m[1]);
    expect(numbered).toEqual(SCREENS.map((s) => SCREEN_TITLES[s]));
  });
});
