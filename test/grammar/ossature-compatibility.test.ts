// Ossature 0.2.1 as the oracle: its own parser test inputs, and frontmatter and
// id variants whose verdicts were computed by running Ossature's parsers
// (test/fixtures/README.md says how). A spec Ossature accepts validates here;
// the few places specwright is deliberately stricter are listed and documented
// in docs/spec-format.md ("Compatibility with Ossature").

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { validateSpecs, type Diagnostic } from "../../grammar/index.js";

const inputs = resolve(process.cwd(), "test", "fixtures", "ossature", "test-inputs");

interface ParserCase {
  test: string;
  kind: "smd" | "amd" | "vmd";
  ossature: "accepts" | "rejects";
  text: string;
}

interface VariantCase {
  name: string;
  point: number;
  kind: "smd" | "amd" | "vmd";
  ossature: "accepts" | "rejects";
  text: string;
  id?: string;
  depends?: string[];
  spec?: string;
}

const parserCases = JSON.parse(readFileSync(resolve(inputs, "parser-cases.json"), "utf8")) as ParserCase[];
const variants = JSON.parse(readFileSync(resolve(inputs, "frontmatter-cases.json"), "utf8")) as VariantCase[];

const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.column} ${d.message}`);
const lone = (kind: string, text: string) => validateSpecs([{ file: `case.${kind}`, text }], { standalone: true });

describe("Ossature 0.2.1's parser tests (test_parsers_smd/amd/vmd.py)", () => {
  const accepted = parserCases.filter((c) => c.ossature === "accepts");

  it("has the inputs it was vendored with", () => {
    expect(parserCases).toHaveLength(195);
    const count = (kind: string) => accepted.filter((c) => c.kind === kind).length;
    expect([count("smd"), count("amd"), count("vmd")]).toEqual([9, 26, 37]);
  });

  it("validates every input Ossature accepts, as a lone file, without an error", () => {
    const rejected = accepted.map((c) => ({ test: c.test, errors: errors(lone(c.kind, c.text).diagnostics) })).filter((r) => r.errors.length > 0);
    expect(rejected).toEqual([]);
  });
});

describe("**Depends on:** names (point 1)", () => {
  const canonical = parserCases.find((c) => c.test.endsWith("TestAMDParser::test_parse_valid_spec"))!;
  const smd = (id: string) => `---\nid: ${id}\n---\n# T\n## Requirements\n### R\nDoes it.\n`;

  it("lets Ossature's canonical AMD (`**Depends on:** Database, Cache`) pass alone and in a project without a word", () => {
    expect(canonical.text).toContain("**Depends on:** Database, Cache");
    expect(lone("amd", canonical.text).diagnostics).toEqual([]);
    const project = validateSpecs([
      { file: "specs/t.smd", text: smd("SMD-TEST-001") },
      { file: "specs/t.amd", text: canonical.text },
    ]);
    expect(project.diagnostics).toEqual([]);
  });

  it("warns, with a did-you-mean, only about a name one typo away from a component, and only in a project", () => {
    const typo = canonical.text.replace("Database, Cache", "API Servr, Cache");
    const project = validateSpecs([
      { file: "specs/t.smd", text: smd("SMD-TEST-001") },
      { file: "specs/t.amd", text: typo },
    ]);
    expect(project.diagnostics.map((d) => [d.severity, d.message, d.hint])).toEqual([
      ["warning", "component `API Server` depends on `API Servr`, which is not a component of `SMD-TEST-001`", "did you mean `API Server`? (a name that is no component, such as a service or a library, is kept as written)"],
    ]);
    expect(lone("amd", typo).diagnostics).toEqual([]);
  });
});

describe("frontmatter YAML Ossature accepts (point 4)", () => {
  for (const c of variants.filter((v) => v.point === 4)) {
    it(`reads ${c.name} as Ossature does`, () => {
      expect(c.ossature).toBe("accepts");
      const result = lone(c.kind, c.text);
      expect(errors(result.diagnostics)).toEqual([]);
      expect(result.specs.map((s) => [s.id, s.depends])).toEqual([[c.id, c.depends]]);
    });
  }

  it("warns about each unknown key once, naming it, and keeps its value out of the spec's meaning", () => {
    const nested = variants.find((v) => v.name === "unknown key holding a nested map")!;
    const warnings = lone("smd", nested.text).diagnostics.filter((d) => d.severity === "warning");
    expect(warnings.map((d) => [d.line, d.column, d.message])).toEqual([[6, 1, "unknown frontmatter key `owner` is ignored"]]);
  });
});

describe("spec ids (point 5)", () => {
  const cases = variants.filter((v) => v.point === 5);
  // Ossature takes any YAML scalar as an SMD id; specwright keeps ids to one word (docs/spec-format.md).
  const stricter = new Set(["id: my spec (white space)", "id: auth/v2 (a slash)"]);

  for (const c of cases.filter((v) => v.ossature === "accepts" && !stricter.has(v.name))) {
    it(`accepts ${c.name} (${c.kind.toUpperCase()}) as Ossature does`, () => {
      const result = lone(c.kind, c.text);
      expect(errors(result.diagnostics)).toEqual([]);
      if (c.kind === "smd") expect(result.specs.map((s) => [s.id, s.depends])).toEqual([[c.id, c.depends]]);
      if (c.kind === "amd") expect(result.architectures.map((a) => a.spec)).toEqual([c.spec]);
      if (c.kind === "vmd") expect(result.verifications.map((v) => v.spec)).toEqual([c.spec]);
    });
  }

  it("accepts the same ids in an SMD, an AMD's `spec:` and a VMD's `@spec`, even where Ossature's VMD parser does not", () => {
    const vmd = cases.find((v) => v.name === "@spec auth.v2")!;
    expect(vmd.ossature).toBe("rejects");
    const project = validateSpecs([
      { file: "specs/a.smd", text: cases.find((v) => v.name === "id: auth.v2")!.text.replace("depends: [SMD-001]", "depends: []") },
      { file: "specs/a.amd", text: cases.find((v) => v.name === "spec: auth.v2")!.text },
      { file: "specs/a.vmd", text: vmd.text },
    ]);
    expect(errors(project.diagnostics)).toEqual([]);
    expect(project.specs.map((s) => s.id)).toEqual(["auth.v2"]);
  });

  it("rejects an id with white space or a slash, saying what an id is (deliberately stricter)", () => {
    for (const name of stricter) {
      const c = cases.find((v) => v.name === name)!;
      expect(c.ossature).toBe("accepts");
      const diagnostics = lone(c.kind, c.text).diagnostics.filter((d) => d.severity === "error");
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ line: 2, column: 5, code: "frontmatter/invalid-id", hint: expect.stringContaining("one word of letters, digits") });
    }
  });
});
