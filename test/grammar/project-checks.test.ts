import { describe, expect, it } from "vitest";
import { validateSpecs } from "../../grammar/index.js";

function smd(id: string, depends: string[] = []): string {
  return `---\nid: ${id}\ndepends: [${depends.join(", ")}]\n---\n# ${id}\n## Requirements\n### R\n`;
}

function amd(spec: string, components: string): string {
  return `---\nspec: ${spec}\n---\n# A\n## Components\n${components}`;
}

describe("spec references", () => {
  it("rejects depends on an unknown spec with a did-you-mean at the item", () => {
    const r = validateSpecs([{ file: "a.smd", text: smd("AUTH") }, { file: "b.smd", text: smd("BILLING", ["AUTHS", "NOPE"]) }]);
    expect(r.diagnostics.map((d) => [d.file, d.line, d.column, d.message, d.hint])).toEqual([
      ["b.smd", 3, 11, "`BILLING` depends on unknown spec `AUTHS`", "did you mean `AUTH`?"],
      ["b.smd", 3, 18, "`BILLING` depends on unknown spec `NOPE`", "no .smd among the inputs has this id"],
    ]);
  });

  it("prints a dependency cycle as a path, once per cycle", () => {
    const r = validateSpecs([
      { file: "a.smd", text: smd("A", ["B"]) },
      { file: "b.smd", text: smd("B", ["C"]) },
      { file: "c.smd", text: smd("C", ["A"]) },
      { file: "d.smd", text: smd("D", ["D"]) },
      { file: "e.smd", text: smd("E", ["A"]) },
    ]);
    expect(r.diagnostics.map((d) => [d.file, d.line, d.column, d.message])).toEqual([
      ["a.smd", 3, 11, "dependency cycle: A -> B -> C -> A"],
      ["d.smd", 3, 11, "dependency cycle: D -> D"],
    ]);
  });

  it("rejects a spec id used twice", () => {
    const r = validateSpecs([{ file: "a.smd", text: smd("A") }, { file: "b.smd", text: smd("A") }]);
    expect(r.diagnostics).toMatchObject([{ file: "b.smd", line: 2, column: 5, message: "spec id `A` is already used by a.smd:2" }]);
  });

  it("rejects AMDs and VMDs for unknown specs, unless checked standalone", () => {
    const files = [
      { file: "a.smd", text: smd("AUTH") },
      { file: "x.amd", text: amd("AUTJ", "### C\n@path: c.py\n") },
      { file: "x.vmd", text: "# cases\n@spec  BILLING\n\nscenario runs:\nwhen $ billing\n" },
    ];
    expect(validateSpecs(files).diagnostics.map((d) => [d.file, d.line, d.column, d.message, d.hint])).toEqual([
      ["x.amd", 2, 7, "architecture for unknown spec `AUTJ`", "did you mean `AUTH`?"],
      ["x.vmd", 2, 8, "verification for unknown spec `BILLING`", "no .smd among the inputs has this id"],
    ]);
    expect(validateSpecs(files, { standalone: true }).diagnostics).toEqual([]);
    expect(validateSpecs([files[1]!], { standalone: true }).diagnostics).toEqual([]);
  });
});

describe("components across the AMDs of one spec", () => {
  it("merges the AMDs of a spec and rejects a component name defined twice", () => {
    const r = validateSpecs([
      { file: "a.smd", text: smd("A") },
      { file: "one.amd", text: amd("A", "### Store\n@path: store.py\n### Api\n@path: api.py\n**Depends on:** Store\n") },
      { file: "two.amd", text: amd("A", "### store\n@path: store2.py\n### Cli\n@path: cli.py\n**Depends on:** Api, Stor\n") },
    ]);
    expect(r.diagnostics.map((d) => [d.severity, d.file, d.line, d.column, d.message, d.hint])).toEqual([
      ["error", "two.amd", 6, 1, "component `store` is already defined in one.amd:6", "component names must be unique across the architecture of spec `A`"],
      ["warning", "two.amd", 10, 22, "component `Cli` depends on `Stor`, which is not a component of `A`", "did you mean `Store`? (a name that is no component, such as a service or a library, is kept as written)"],
    ]);
    expect(r.architectures.map((a) => a.components)).toEqual([["Store", "Api"], ["store", "Cli"]]);
  });

  it("does not mix up components of different specs", () => {
    const r = validateSpecs([
      { file: "a.smd", text: smd("A") },
      { file: "b.smd", text: smd("B") },
      { file: "a.amd", text: amd("A", "### Store\n@path: a.py\n") },
      { file: "b.amd", text: amd("B", "### Store\n@path: b.py\n### Ui\n@path: ui.py\n**Depends on:** Store\n") },
    ]);
    expect(r.diagnostics).toEqual([]);
  });
});
