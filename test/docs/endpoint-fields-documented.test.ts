import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ENDPOINT_FIELDS, MAX_ENDPOINT_SLOTS } from "../../src/config/endpoints.js";
import { ENDPOINT_KINDS } from "../../src/config/types.js";

const doc = readFileSync(resolve(process.cwd(), "docs", "configuration.md"), "utf8");
const rows = () => {
  const block = /<!-- endpoint-fields -->\n([\s\S]*?)<!-- \/endpoint-fields -->/.exec(doc)![1]!;
  return block.split("\n").filter((l) => l.startsWith("| `")).map((l) => l.split(" | ").map((c) => c.replace(/^\|\s*|\s*\|$/g, "").trim()));
};

describe("docs/configuration.md on [[model.endpoints]]", () => {
  it("lists exactly the fields an endpoint takes, in order", () => {
    expect(rows().map((r) => r[0]!.replace(/`/g, ""))).toEqual([...ENDPOINT_FIELDS]);
  });

  it("names the kinds and the slots range the reader accepts", () => {
    const byField = new Map(rows().map((r) => [r[0]!.replace(/`/g, ""), r]));
    expect(byField.get("kind")![1]).toBe(ENDPOINT_KINDS.map((k) => `\`"${k}"\``).join(" or "));
    expect(byField.get("slots")![1]).toBe(`integer (1–${MAX_ENDPOINT_SLOTS})`);
  });

  it("links the scaling-out page, and the page exists", () => {
    expect(doc).toContain("(scaling-out.md)");
    expect(() => readFileSync(resolve(process.cwd(), "docs", "scaling-out.md"), "utf8")).not.toThrow();
  });
});
