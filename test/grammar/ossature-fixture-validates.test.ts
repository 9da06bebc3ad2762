import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { componentsOf, dataModelsOf, examplesOf, findSection, requirementsOf, validateSpecs, type AmdDocument, type SmdDocument, type VmdDocument } from "../../grammar/index.js";

const fixtureDir = resolve(process.cwd(), "test", "fixtures", "ossature", "yep", "specs");
const files = ["YEP.smd", "YEP.amd", "YEP.vmd"].map((name) => ({ file: `specs/${name}`, text: readFileSync(resolve(fixtureDir, name), "utf8") }));

function asts() {
  const result = validateSpecs(files);
  const [smd, amd, vmd] = result.files;
  if (smd?.kind !== "smd" || amd?.kind !== "amd" || vmd?.kind !== "vmd" || !smd.ast || !amd.ast || !vmd.ast) throw new Error("fixture did not parse into three documents");
  return { result, smd: smd.ast as SmdDocument, amd: amd.ast as AmdDocument, vmd: vmd.ast as VmdDocument };
}

describe("the Ossature yep fixture", () => {
  it("validates with no diagnostics at all", () => {
    expect(validateSpecs(files).diagnostics).toEqual([]);
  });

  it("validates with no diagnostics under --strict", () => {
    expect(validateSpecs(files, { strict: true }).diagnostics).toEqual([]);
  });

  it("summarises the spec, its architecture and its verification", () => {
    const { result } = asts();
    expect(result.specs).toEqual([{ id: "YEP", title: "Yep", status: "draft", priority: "medium", requirements: 1, depends: [], file: "specs/YEP.smd" }]);
    expect(result.architectures).toEqual([{ spec: "YEP", file: "specs/YEP.amd", components: ["Main", "OutputLoop"] }]);
    expect(result.verifications).toEqual([{ spec: "YEP", file: "specs/YEP.vmd", scenarios: 3, groups: 0 }]);
  });

  it("reads the requirement with its fields and three error cases", () => {
    const { smd } = asts();
    const [req, ...rest] = requirementsOf(smd);
    expect(rest).toEqual([]);
    expect(req).toMatchObject({ title: "Output Repeated String", anchor: "output-repeated-string", anchorExplicit: false, noVerify: false, inferred: false, line: 35 });
    expect(req!.description).toBe("Continuously write a string to stdout, one line per iteration, until the process is terminated or stdout closes.");
    expect(req!.accepts).toMatch(/^Zero or more string arguments\. If omitted, defaults to "y"\./);
    expect(req!.returns).toBe("Writes the resulting string followed by a newline to stdout, repeated indefinitely.");
    expect(req!.errors.map((e) => [e.condition, e.response, e.line])).toEqual([
      ["Stdout write fails due to a broken pipe", "exit silently with code 0", 45],
      ["Stdout write fails due to a non-broken-pipe I/O error (e.g., ENOSPC, EIO)", "exit with code 1", 46],
      ["Invalid UTF-8 argument", "print error to stderr and exit with code 1", 47],
    ]);
    expect(req!.fields.map((f) => f.label)).toEqual(["Accepts", "Returns", "Errors"]);
  });

  it("reads the four examples with their fenced input and output", () => {
    const { smd } = asts();
    const examples = examplesOf(smd);
    expect(examples.map((e) => e.name)).toEqual(["Default Output", "Custom String", "Empty String", "Piping to Another Command"]);
    expect(examples[0]!.input).toMatchObject({ text: "yep | head -n 3", code: { info: "sh", fence: "```", closed: true } });
    expect(examples[0]!.output!.text).toBe("y\ny\ny");
    expect(examples[3]!.output!.text).toBe("1\ty\n2\ty\n3\ty\n4\ty\n5\ty");
  });

  it("reads bullet sections and the prose sections with their line ranges", () => {
    const { smd } = asts();
    expect(smd.sections.map((s) => s.name)).toEqual(["Overview", "Goals", "Non-Goals", "Requirements", "Constraints", "Examples", "Acceptance Criteria", "Notes"]);
    const goals = findSection(smd, "Goals");
    expect(goals?.kind === "bullets" && goals.bullets.length).toBe(5);
    const notes = findSection(smd, "Notes")!;
    expect(notes).toMatchObject({ line: 134, endLine: 136, raw: "No notes" });
  });

  it("reads both components with path, interface, contracts and dependencies", () => {
    const { amd } = asts();
    const [main, loop] = componentsOf(amd);
    expect(main).toMatchObject({ name: "Main", line: 14, path: { value: "src/main.rs", line: 16, column: 8 } });
    expect(main!.description).toBe("Entry point. Parses arguments from OS strings, validates UTF-8, and runs the output loop.");
    expect(main!.interface).toMatchObject({ fence: "````", info: "rust", content: "fn main() -> ExitCode\nfn parse_args() -> Result<String, ArgError>" });
    expect(main!.contracts?.kind === "list" && main!.contracts.items.length).toBe(7);
    expect(main!.dependsOn).toEqual([{ name: "OutputLoop", line: 37, column: 17 }]);
    expect(loop).toMatchObject({ name: "OutputLoop", path: { value: "src/output.rs" }, dependsOn: [] });
    expect(loop!.contracts?.kind === "list" && loop!.contracts.items.map((i) => i.text)[4]).toBe("fill_buffer always returns at least 1 (guaranteeing forward progress)");
    expect(dataModelsOf(amd).map((m) => [m.name, m.definition?.content.split("\n")[0]])).toEqual([
      ["ArgError", "enum ArgError {"],
      ["WriteError", "enum WriteError {"],
    ]);
  });

  it("binds the verification file to its spec", () => {
    const { vmd } = asts();
    expect(vmd.spec).toEqual({ id: "YEP", line: 1, column: 7 });
    expect(vmd.scenarios.map((s) => s.name)).toEqual([
      "rejects bytes that are never valid utf-8",
      "rejects a lone continuation byte",
      "rejects invalid utf-8 in any argument",
    ]);
    expect(vmd.scenarios.map((s) => s.covers)).toEqual([["Output Repeated String"], ["Output Repeated String"], ["Output Repeated String"]]);
    expect(vmd.scenarios[2]!.steps).toMatchObject([{ argv: ["yep", "hello", Uint8Array.from([0xc3, 0x28])], exitCode: 1, stderr: { mode: "has", text: "UTF-8" } }]);
  });
});
